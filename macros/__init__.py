"""The knowledge base's Python, in packages whose dependencies run one way:

    kb         the domain: records, loading, checks, validation       imports nothing above it
    rendering  the model as Markdown/HTML for the pages               imports kb
    exports    the model as JSON, CSV, JSON-LD, Popolo, Atom          imports kb
    session    one build's state for the MkDocs adapters              imports kb, rendering, exports
    hooks.py, main.py  the MkDocs hooks and mkdocs-macros entry point  the only modules that import MkDocs

tests/test_architecture.py holds the code to this.
"""

__all__ = ["exports", "kb", "rendering", "session"]
