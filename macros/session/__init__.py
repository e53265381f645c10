"""One build's state, for the MkDocs adapters (hooks.py, main.py), without importing MkDocs.

session    BuildSession: the validated knowledge base, the pages and the downloads of a build;
           session_for(config), the session of the build in progress
pages      a record's page: its renderer, given the record's JSON-LD
prerender  the project's share of a build, on a second core
downloads  the downloads table, with each file's size
"""

__all__ = ["downloads", "pages", "prerender", "session"]
