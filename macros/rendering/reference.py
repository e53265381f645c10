"""The record format reference, generated from the JSON Schemas in data/schemas/
(the same schemas validation and editors use)."""

from __future__ import annotations

from macros.kb.kinds import RECORD_KINDS
from macros.kb.schemas import deref, load_schemas


def _type_of(spec: dict, schemas: dict) -> str:
    spec = deref(spec, schemas)
    if "enum" in spec:
        return "one of " + ", ".join(f"`{v}`" for v in spec["enum"])
    kind = spec.get("type")
    if kind == "array":
        item = deref(spec.get("items", {}), schemas)
        if "properties" in item:
            return "list of mappings"
        return "list of " + _type_of(item, schemas).replace("text", "texts").replace("id", "ids")
    if isinstance(kind, list):
        return " or ".join(kind).replace("string", "text")
    if "pattern" in spec and "a-z0-9" in spec["pattern"]:
        return "id"
    if "pattern" in spec and "[0-9]{4}" in spec["pattern"]:
        return 'date ("YYYY", "YYYY-MM" or "YYYY-MM-DD")'
    return {
        "string": "text",
        "object": "mapping",
        "boolean": "true/false",
        None: "citations" if "items" in spec else "mapping",
    }.get(kind, str(kind))


def _rows(schema: dict, schemas: dict, prefix: str = "") -> list[str]:
    rows = []
    required = set(schema.get("required", []))
    for key, spec in schema.get("properties", {}).items():
        resolved = deref(spec, schemas)
        # A description beside a $ref says more than the shared one it refers to.
        description = (spec.get("description") or resolved.get("description") or "").replace("|", "\\|")
        rows.append(
            f"| `{prefix}{key}` | {'yes' if key in required else ''} | {_type_of(spec, schemas)} | {description} |"
        )
        nested = deref(resolved.get("items", {}), schemas) if resolved.get("type") == "array" else resolved
        if "properties" in nested and key != "cite" and nested.get("title") is None:
            sub = "[]." if resolved.get("type") == "array" else "."
            if not set(nested["properties"]) <= {"source", "quote"}:
                rows.extend(_rows(nested, schemas, f"{prefix}{key}{sub}"))
    return rows


def reference() -> str:
    schemas = load_schemas()
    out = []
    for kind in RECORD_KINDS:
        schema = schemas[f"{kind}.schema.json"]
        out.append(f"## {kind.capitalize()}\n\n{schema.get('title', '')}. Schema: `data/schemas/{kind}.schema.json`.\n")
        out.append("| field | required | type | meaning |\n|---|---|---|---|")
        out.extend(_rows(schema, schemas))
        out.append("")
    return "\n".join(out)
