"""The canonical form of a record file, and new records from an annotated template.

Canonical form: UTF-8 without BOM, LF line ends, the leading comment block kept
(the schema modeline and any notes), then the fields in the order of the
record kind's schema, block style, lists indented under their key, two
spaces, no line wrapping (quotes must stay whole), and one final newline.
Comments below the first field are not kept: put notes in the header.
"""

from __future__ import annotations

import re

import yaml

from macros.kb.coverage import NO_CLAIM_PLACEHOLDER
from macros.kb.kinds import RESTRUCTURING_EVENT_KINDS
from macros.kb.schemas import deref, load_schemas
from macros.kb.yamlsafe import parse

MODELINE = "# yaml-language-server: $schema=../schemas/{kind}.schema.json"


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)  # indent lists under their key

    def ignore_aliases(self, data) -> bool:
        return True  # records never hold anchors or aliases, even where a value repeats

    def choose_scalar_style(self):
        style = super().choose_scalar_style()
        return '"' if style == "'" else style  # one quoting style: double quotes


def _str_presenter(dumper: yaml.SafeDumper, value: str):
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str_presenter)


def _order(value, schema: dict, schemas: dict):
    """Reorder mapping keys as the schema lists them (unknown keys last, sorted)."""
    schema = deref(schema, schemas)
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        keys = [k for k in properties if k in value] + sorted(k for k in value if k not in properties)
        return {k: _order(value[k], properties.get(k, {}), schemas) for k in keys}
    if isinstance(value, list):
        items = schema.get("items", {})
        return [_order(v, items, schemas) for v in value]
    return value


# What YAML ends a line at (after CR LF and CR became LF): a comment ends at U+2028 too, and what
# follows it is read as YAML, so it is no part of the header.
_LINE_BREAK = re.compile("[\n\x85\u2028\u2029]")


def header_of(text: str) -> list[str]:
    """The leading comment block (modeline and notes) of a record file, its lines as YAML splits them."""
    lines = []
    for line in _LINE_BREAK.split(text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")):
        if line.startswith("#"):
            lines.append(line.rstrip(" \t"))
        elif line.strip(" \t") == "" and lines:
            continue
        else:
            break
    return lines


def canonical(kind: str, text: str, path: str = "<record>") -> str | None:
    """The canonical form of a record file's text, or None when it does not parse."""
    clean = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    doc, problems = parse(clean, path)
    if problems:
        return None
    schemas = load_schemas()
    data = _order(doc.data, schemas[f"{kind}.schema.json"], schemas)
    header = header_of(clean)
    modeline = MODELINE.format(kind=kind)
    if not any(line.startswith("# yaml-language-server:") for line in header):
        header.insert(0, modeline)
    return "\n".join(header) + "\n" + dump(data)


def record_text(kind: str, data: dict, header: list[str]) -> str:
    """A record file in canonical form: the header's comment lines, then `data` in the schema's key order."""
    schemas = load_schemas()
    return "\n".join(header) + "\n" + dump(_order(data, schemas[f"{kind}.schema.json"], schemas))


def dump(data) -> str:
    """Values as the canonical form writes them (keys in the order given)."""
    return yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1_000_000, indent=2, default_flow_style=False
    )


def quoted(text: str) -> str:
    """`text` as a double-quoted YAML string on one line (escapes where YAML needs them)."""
    return yaml.dump(text, Dumper=_Dumper, default_style='"', allow_unicode=True, width=1_000_000).rstrip("\n")


def flow_item(mapping: dict[str, str]) -> str:
    """A list item on one line, its values quoted: `- {quote: "...", reason: "..."}`."""
    return "- {" + ", ".join(f"{key}: {quoted(value)}" for key, value in mapping.items()) + "}"


def block_items(items: list[dict], indent: int = 2) -> str:
    """List items in canonical block form, indented as under a key of a record."""
    return "".join(" " * indent + line + "\n" for line in dump(items).splitlines())


def field_comments(kind: str, leave_out: tuple[str, ...] = ()) -> list[str]:
    """Comment lines that name every field of a record kind (but `leave_out`), with its description from the
    schema."""
    schemas = load_schemas()
    schema = schemas[f"{kind}.schema.json"]
    properties = {k: v for k, v in schema.get("properties", {}).items() if k not in leave_out}
    return ["# Fields (required ones are marked *):"] + _field_lines({**schema, "properties": properties}, schemas)


def _field_lines(schema: dict, schemas: dict, prefix: str = "") -> list[str]:
    lines = []
    required = set(schema.get("required", []))
    for key, spec in schema.get("properties", {}).items():
        spec = deref(spec, schemas)
        description = spec.get("description", "")
        if "enum" in spec:
            description = (description + " " if description else "") + "One of: " + ", ".join(spec["enum"]) + "."
        lines.append(f"#   {prefix}{key}{'*' if key in required else ''}: {description}".rstrip())
    return lines


def template(kind: str, record_id: str, name: str, event_kind: str | None = None) -> str:
    """A new record: the modeline, a comment per field from the schema, and the fields to fill in. An event's
    template depends on its kind (`event_kind`, reorganization by default): only a reorganization or a
    formation lists unit changes."""
    event_kind = event_kind or "reorganization"
    restructures = kind == "event" and event_kind in RESTRUCTURING_EVENT_KINDS
    article = "an" if event_kind[:1] in "aeiou" else "a"
    what = f"{kind} record" if kind != "event" else f"event record ({article} {event_kind})"
    lines = [MODELINE.format(kind=kind), f"# A new {what}. Fill in every field below, then run `make validate`."]
    lines.append("# Every claim is cited: cite: [{source: <id in data/sources/>, quote: <words copied verbatim>}].")
    lines += field_comments(kind, leave_out=() if restructures or kind != "event" else ("changes",))
    if restructures:
        schemas = load_schemas()
        change = deref(schemas["event.schema.json"]["properties"]["changes"]["items"], schemas)
        lines.append("# Each change (changes[]):")
        lines.extend(_field_lines(change, schemas, "changes[]."))
    citation = [{"source": "SOURCE-ID", "quote": "WORDS COPIED VERBATIM FROM THE SOURCE"}]
    date_citation = [{"source": "SOURCE-ID", "quote": "THE WORDS THAT GIVE THE DATE"}]
    bodies = {
        "person": {
            "id": record_id,
            "name": name,
            "cite": citation,
            "roles": [{"role": "ROLE AS THE SOURCE WORDS IT", "unit": "UNIT-ID", "cite": citation}],
            "statements": [{"kind": "reported", "text": "ONE SENTENCE THE SOURCE SUPPORTS", "cite": citation}],
        },
        "unit": {
            "id": record_id,
            "name": name,
            "kind": "division",
            "cite": citation,
            "parents": [{"unit": "PARENT-UNIT-ID", "cite": citation}],
        },
        "event": _event_body(record_id, name, event_kind, citation, date_citation),
        "source": {
            "id": record_id,
            "title": name,
            "kind": "news-report",
            "publisher": None,
            "author": None,
            "url": None,
            "published": None,
            "archive": f"{record_id}.txt",
            "sha256": "SHA256-OF-THE-ARCHIVE",
            "no_claim": [{"quote": "A SENTENCE WITH NO CLAIM", "reason": NO_CLAIM_PLACEHOLDER}],
        },
        "discrepancy": {
            "id": record_id,
            "question": name,
            "status": "open",
            "subjects": ["RECORD-ID"],
            "accounts": [
                {"source": "SOURCE-ID", "answer": "WHAT THIS SOURCE SAYS", "cite": citation},
                {"source": "OTHER-SOURCE-ID", "answer": "WHAT THAT SOURCE SAYS", "cite": citation},
            ],
            "note": "EDITORIAL: WHAT DIFFERS, WITHOUT DECIDING IT",
        },
    }
    body = yaml.dump(bodies[kind], Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1_000_000, indent=2)
    return "\n".join(lines) + "\n" + body


# An example change of each restructuring event kind (a reorganization: a merger; a formation: a new unit).
_EXAMPLE_CHANGES = {
    "reorganization": {
        "change": "merger",
        "units": ["UNIT-ID"],
        "into": "RESULT-UNIT-ID",
        "complete": True,
        "status": "done",
    },
    "formation": {"change": "formation", "units": ["NEW-UNIT-ID"], "into": "PARENT-UNIT-ID", "status": "done"},
}


def _event_body(record_id: str, name: str, event_kind: str, citation: list, date_citation: list) -> dict:
    body = {
        "id": record_id,
        "title": name,
        "kind": event_kind,
        "summary": "WHAT HAPPENED, IN ONE SENTENCE",
        "cite": citation,
        "when": {"date": "YYYY-MM-DD", "cite": date_citation},
    }
    if event_kind in _EXAMPLE_CHANGES:
        body["changes"] = [{**_EXAMPLE_CHANGES[event_kind], "cite": citation}]
    body["people"] = ["PERSON-ID"]
    if event_kind == "statement":
        body["statements"] = [
            {
                "kind": "attributed",
                "text": "WHAT WAS SAID, IN ONE SENTENCE",
                "said_by": "PERSON-ID",
                "cite": citation,
            }
        ]
    return body
