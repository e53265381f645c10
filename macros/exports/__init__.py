"""The downloads: pure functions of the validated knowledge base and the site's root URL. Imports only
the domain (macros.kb).

    files       every download by path (export_files, or one at a time: each_export_file), and one
                record's JSON-LD (entity_jsonld)
    common      the site's URLs, dates and deterministic JSON
    json_dump   knowledge-base.json
    claims_csv  claims.csv
    jsonld      knowledge-base.jsonld (schema.org, W3C ORG, PROV)
    popolo      popolo.json
    atom        feed.xml
    changes_feed  changes.xml, the changes merged into the knowledge base (from its history)
"""

__all__ = ["atom", "changes_feed", "claims_csv", "common", "files", "json_dump", "jsonld", "popolo"]
