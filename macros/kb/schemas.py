"""The JSON Schemas in data/schemas/: one per record kind, the single source of
the format's rules (validation here, autocompletion in editors, the reference
page in the docs)."""

from __future__ import annotations

import difflib
import json
import os
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from macros.kb.problems import DataError, Problem, shown
from macros.kb.safefiles import NotRegularFile, read_regular
from macros.kb.yamlsafe import Document

# jsonschema is imported when a record needs it, which a valid one never does (see fast_check_for):
# importing it takes a tenth of a second, which every command and every build would pay.
if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "data" / "schemas"


@cache
def load_schemas(schema_dir: Path = SCHEMA_DIR) -> dict[str, dict]:
    """File name -> schema, for every *.schema.json. They are in data/, and read as everything there is
    (macros.kb.safefiles): a link or any other special file is refused (DataError), never opened."""
    with os.scandir(schema_dir) as entries:
        names = sorted(entry.name for entry in entries if entry.name.endswith(".schema.json"))
    schemas = {}
    for name in names:
        try:
            schemas[name] = json.loads(read_regular(schema_dir / name).decode("utf-8"))
        except NotRegularFile as error:
            shown = f"{schema_dir.parent.name}/{schema_dir.name}/{name}"
            raise DataError(
                [
                    Problem(
                        shown,
                        1,
                        1,
                        "special-file",
                        f"this is {error.what}, not a regular file: it is not read",
                        "put the schema itself here",
                    )
                ]
            ) from None
    return schemas


@cache
def validator_for(kind: str, schema_dir: Path = SCHEMA_DIR) -> Draft202012Validator:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    schemas = load_schemas(schema_dir)
    # Relative $refs ("defs.schema.json#/...") resolve against the file names,
    # as an editor resolves them against the files: never over the network.
    registry = Registry().with_resources(
        (name, Resource.from_contents(schema, default_specification=DRAFT202012)) for name, schema in schemas.items()
    )
    name = f"{kind}.schema.json"
    schema = dict(schemas[name], **{"$id": name})
    return Draft202012Validator(schema, registry=registry)


def check(kind: str, doc: Document) -> list[Problem]:
    """Schema problems of one record, one per wrong value, with a hint each."""
    accepts = fast_check_for(kind)
    if accepts is not None and accepts(doc.data):
        return []  # certainly valid: jsonschema would find nothing
    validator = validator_for(kind)
    errors = list(validator.iter_errors(doc.data))
    # A misspelt required field is reported once, as an unknown field with its
    # did-you-mean, not a second time as a missing field.
    misspelt = {
        (tuple(e.absolute_path), _guess(key, sorted(e.schema.get("properties", {}))))
        for e in errors
        if e.validator == "additionalProperties" and isinstance(e.instance, dict)
        for key in e.instance
        if key not in e.schema.get("properties", {})
    }
    problems = []
    for error in errors:
        if error.validator == "required" and (tuple(error.absolute_path), _missing(error)) in misspelt:
            continue
        problems.extend(_to_problems(error, doc))
    return sorted(set(problems))


# -- a fast yes for valid records --------------------------------------------
#
# jsonschema takes milliseconds per record (it resolves every $ref through
# `referencing` on each use), which adds up to most of the validation time of
# a large knowledge base. The schemas use a small set of keywords, so they are
# compiled here, once, into plain Python predicates that answer one question:
# is this value certainly valid? Any "no" (or any keyword not understood here,
# which makes the whole kind fall back) goes to jsonschema, which stays the
# authority and writes the problems. So the predicates may be conservative,
# never lax.

_ANNOTATIONS = {
    "$schema",
    "$id",
    "$defs",
    "$comment",
    "title",
    "description",
    "default",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
}


class _Unsupported(Exception):
    pass


def _is_integer(value) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, float) and value.is_integer())


_TYPE_TESTS = {
    "string": lambda v: isinstance(v, str),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": _is_integer,
}


def _all_of(tests: list):
    """One predicate that is true when every test is (a plain loop: faster than all() over a generator)."""
    if not tests:
        return lambda value: True
    if len(tests) == 1:
        return tests[0]
    tests = tuple(tests)

    def check(value) -> bool:
        for test in tests:
            if not test(value):
                return False
        return True

    return check


_KNOWN_KEYWORDS = {
    "$ref",
    "type",
    "enum",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minLength",
    "maxLength",
    "pattern",
    "anyOf",
}


class _Compiler:
    """Compiles schemas into predicates, each schema node once, without recursion: a schema nested
    thousands deep compiles like a flat one. A node's sub-schemas ($ref targets, items, properties,
    additionalProperties, anyOf branches) are compiled before it; one that refers back to a node
    still being compiled (a recursive schema) gets a late-bound predicate, filled in once that node is."""

    def __init__(self, schemas: dict[str, dict]):
        self.schemas = schemas
        self.done: dict[tuple[int, str], object] = {}  # (id of a schema node, its file) -> its predicate
        self.pending: dict[tuple[int, str], list] = {}  # node being compiled -> the late-bound cells waiting

    def resolve(self, file: str, target: str):
        """The schema node a $ref names, and the file it is in."""
        ref_file, _, pointer = target.partition("#")
        ref_file = ref_file or file
        node = self.schemas.get(ref_file)
        if node is None:
            raise _Unsupported(target)
        for part in (p for p in pointer.split("/") if p):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, dict) or part not in node:
                raise _Unsupported(target)
            node = node[part]
        return node, ref_file

    def parts(self, schema, file: str) -> list[tuple[object, str]]:
        """The sub-schemas of `schema` (with their files) that its predicate calls."""
        if schema is True:
            return []
        if not isinstance(schema, dict):
            raise _Unsupported(repr(schema))
        unknown = set(schema) - _ANNOTATIONS - _KNOWN_KEYWORDS
        if unknown:
            raise _Unsupported(", ".join(sorted(unknown)))
        out = []
        if "$ref" in schema:
            out.append(self.resolve(file, schema["$ref"]))
        if "items" in schema:
            out.append((schema["items"], file))
        out.extend((sub, file) for sub in schema.get("properties", {}).values())
        if schema.get("additionalProperties", True) is not False and "additionalProperties" in schema:
            out.append((schema["additionalProperties"], file))
        out.extend((sub, file) for sub in schema.get("anyOf", ()))
        return out

    def compiled(self, schema, file: str):
        """The predicate of a sub-schema already compiled, or a late-bound one for a node still being
        compiled (a schema that refers to itself)."""
        key = (id(schema), file)
        if key in self.done:
            return self.done[key]
        cell: list = []
        self.pending.setdefault(key, []).append(cell)
        return lambda value: cell[0](value)

    def compile(self, schema, file: str):
        stack = [(schema, file, False)]
        while stack:
            node, node_file, ready = stack.pop()
            key = (id(node), node_file)
            if key in self.done:
                continue
            if ready:
                predicate = self.build(node, node_file)
                self.done[key] = predicate
                for cell in self.pending.pop(key, ()):
                    cell.append(predicate)
                continue
            if key in self.pending:
                continue  # already on the way: compiled when its turn comes, or late-bound
            self.pending[key] = []
            stack.append((node, node_file, True))
            for part, part_file in reversed(self.parts(node, node_file)):
                if (id(part), part_file) not in self.done and (id(part), part_file) not in self.pending:
                    stack.append((part, part_file, False))
        return self.done[(id(schema), file)]

    def build(self, schema, file: str):
        """The predicate of one schema node, its sub-schemas being compiled (or late-bound)."""
        if schema is True:
            return lambda value: True
        tests = []
        if "$ref" in schema:
            tests.append(self.compiled(*self.resolve(file, schema["$ref"])))
        if "type" in schema:
            names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if any(name not in _TYPE_TESTS for name in names):
                raise _Unsupported(str(names))
            checks = tuple(_TYPE_TESTS[name] for name in names)
            tests.append(checks[0] if len(checks) == 1 else lambda v: any(check(v) for check in checks))
        if "enum" in schema:
            options = schema["enum"]
            if not all(isinstance(o, str) for o in options):
                raise _Unsupported("enum of non-strings")
            allowed = frozenset(options)
            tests.append(lambda v: isinstance(v, str) and v in allowed)
        if "pattern" in schema:
            search = re.compile(schema["pattern"]).search
            tests.append(lambda v: not isinstance(v, str) or search(v) is not None)
        if "minLength" in schema or "maxLength" in schema:
            low, high = schema.get("minLength", 0), schema.get("maxLength", float("inf"))
            tests.append(lambda v: not isinstance(v, str) or low <= len(v) <= high)
        if "minItems" in schema or "maxItems" in schema:
            low_items, high_items = schema.get("minItems", 0), schema.get("maxItems", float("inf"))
            tests.append(lambda v: not isinstance(v, list) or low_items <= len(v) <= high_items)
        if schema.get("uniqueItems"):
            # Only lists of texts are judged here; anything else goes to jsonschema.
            tests.append(
                lambda v: not isinstance(v, list) or (all(isinstance(i, str) for i in v) and len(set(v)) == len(v))
            )
        if "items" in schema:
            item = self.compiled(schema["items"], file)

            def items(v) -> bool:
                if isinstance(v, list):
                    for element in v:
                        if not item(element):
                            return False
                return True

            tests.append(items)
        if "required" in schema:
            required = tuple(schema["required"])
            tests.append(lambda v: not isinstance(v, dict) or all(key in v for key in required))
        if "properties" in schema or "additionalProperties" in schema:
            properties = {key: self.compiled(sub, file) for key, sub in schema.get("properties", {}).items()}
            extra = schema.get("additionalProperties", True)
            other = None if extra is False else self.compiled(extra, file) if extra is not True else _anything

            def mapping(v) -> bool:
                if isinstance(v, dict):
                    for key, value in v.items():
                        test = properties.get(key, other)
                        if test is None or not test(value):
                            return False
                return True

            tests.append(mapping)
        if "anyOf" in schema:
            branches = tuple(self.compiled(sub, file) for sub in schema["anyOf"])
            tests.append(lambda v: any(branch(v) for branch in branches))
        return _all_of(tests)


def _anything(value) -> bool:
    return True


@cache
def fast_check_for(kind: str, schema_dir: Path = SCHEMA_DIR):
    """A predicate that is true only for records jsonschema finds no problem in; None when the
    schema uses a keyword the compiler does not know (then jsonschema checks every record)."""
    schemas = load_schemas(schema_dir)
    try:
        return _Compiler(schemas).compile(schemas[f"{kind}.schema.json"], f"{kind}.schema.json")
    except (_Unsupported, re.error):
        return None


def deref(schema: dict, schemas: dict) -> dict:
    """The schema with its $refs (into these `schemas`, by file name) followed, and the branch of an anyOf
    that describes a value (not null) chosen. A $ref that leads back to itself is followed once."""
    followed: set[str] = set()
    while isinstance(schema, dict) and "$ref" in schema and schema["$ref"] not in followed:
        target = schema["$ref"]
        followed.add(target)
        file, _, pointer = target.partition("#")
        document = schemas.get(file or "defs.schema.json", {})
        node = document
        for part in [p for p in pointer.split("/") if p]:
            node = node.get(part, {})
        schema = {**node, **{k: v for k, v in schema.items() if k != "$ref"}}
    if isinstance(schema, dict) and "anyOf" in schema:
        return next((deref(s, schemas) for s in schema["anyOf"] if "$ref" in s or "properties" in s), schema)
    return schema


def _guess(key: str, allowed: list[str]) -> str | None:
    guess = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    return guess[0] if guess else None


def _missing(error: ValidationError) -> str:
    return error.message.split("'")[1] if "'" in error.message else error.message


def _to_problems(error: ValidationError, doc: Document) -> list[Problem]:
    path = tuple(error.absolute_path)
    where = dotted(path)
    line, col = doc.where(path)
    validator = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}

    if validator == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        out = []
        for key in sorted(set(error.instance) - set(allowed)):
            kline, kcol = doc.where(path + (key,), key=True)
            guess = _guess(key, allowed)
            hint = f"did you mean '{guess}'?" if guess else f"allowed fields here: {', '.join(allowed)}"
            if key in _REPLACED and _REPLACED[key][0] in allowed:
                hint = _REPLACED[key][1]
            out.append(
                Problem(doc.path, kline, kcol, "unknown-field", f"unknown field '{shown(key)}'{_in(where)}", hint)
            )
        return out
    if validator == "required":
        missing = _missing(error)
        description = schema.get("properties", {}).get(missing, {}).get("description", "")
        hint = f"add `{missing}:`" + (f" ({description})" if description else "")
        return [Problem(doc.path, line, col, "missing-field", f"missing required field '{missing}'{_in(where)}", hint)]
    if validator == "type":
        expected = schema.get("type")
        expected = expected if isinstance(expected, list) else [expected]
        names = " or ".join(_TYPE_NAMES.get(t, t) for t in expected)
        if path and path[-1] in _DATE_FIELDS and "string" in expected:
            names = "a date written as text (YYYY, YYYY-MM or YYYY-MM-DD)"
        found = _describe(error.instance)
        hint = _type_hint(path, error.instance, expected) or _default_type_hint(error.instance, names)
        return [
            Problem(doc.path, line, col, "wrong-type", f"{where or 'the record'} must be {names}, found {found}", hint)
        ]
    if validator == "enum":
        options = schema.get("enum", [])
        guess = difflib.get_close_matches(str(error.instance), [str(o) for o in options], n=1, cutoff=0.5)
        hint = (f"did you mean '{guess[0]}'? " if guess else "") + f"allowed: {', '.join(map(str, options))}"
        return [
            Problem(
                doc.path, line, col, "bad-value", f"{where} is '{shown(error.instance)}', which is not allowed", hint
            )
        ]
    if validator == "pattern":
        pattern = schema.get("pattern", "")
        is_id = "a-z0-9" in pattern and not (path and path[-1] == "archive")
        hint = schema.get("description") or f"it must match {pattern}"
        if is_id and not schema.get("description"):
            hint = "lower-case words joined by hyphens, e.g. eddie-wu"
        if isinstance(error.instance, str) and _PLACEHOLDER.fullmatch(error.instance):
            # Left as written by `kb new`: say so rather than only that its form is wrong.
            return [
                Problem(
                    doc.path,
                    line,
                    col,
                    "placeholder",
                    f"{where} is still the template's placeholder '{shown(error.instance)}'",
                    f"fill it in: {hint}",
                )
            ]
        return [
            Problem(
                doc.path,
                line,
                col,
                "bad-id" if is_id else "bad-value",
                f"{where} '{shown(error.instance)}' has the wrong form",
                hint,
            )
        ]
    if validator in ("minLength", "minItems"):
        what = "text" if validator == "minLength" else "list"
        hint = (
            "add at least one citation: - {source: <source id>, quote: <verbatim words>}"
            if path and path[-1] == "cite"
            else "fill it in, or remove the field if it is optional"
        )
        return [Problem(doc.path, line, col, "bad-value", f"{where} is an empty {what}", hint)]
    if validator in ("maxLength", "maxItems"):
        # Said here rather than by jsonschema, whose message quotes the whole value.
        limit, unit = (
            (schema.get("maxLength"), "characters") if validator == "maxLength" else (schema.get("maxItems"), "items")
        )
        return [
            Problem(
                doc.path,
                line,
                col,
                "bad-value",
                f"{where} is too long ({len(error.instance):,} {unit}; at most {limit:,})",
                "shorten it: quote the shortest passage that supports the claim",
            )
        ]
    if validator == "uniqueItems":
        return [Problem(doc.path, line, col, "bad-value", f"{where} lists the same id twice", "remove the repeated id")]
    if validator == "anyOf":
        # Only dates-or-null use anyOf: report the date problem.
        return [
            Problem(
                doc.path,
                line,
                col,
                "wrong-type" if not isinstance(error.instance, str) else "bad-date",
                f"{where} must be a date (YYYY, YYYY-MM or YYYY-MM-DD) or null, found {_describe(error.instance)}",
                'write the date in quotes, e.g. "2026-06-08", or null when unknown',
            )
        ]
    return [
        Problem(
            doc.path,
            line,
            col,
            "bad-value",
            f"{where}: {shown(error.message, 200)}",
            "see the record format in data/schemas/ (editors with YAML support show it as you type)",
        )
    ]


# Fields of earlier versions of the format, and what replaced them (when the record's schema has it).
_CHANGES_HINT = (
    "original_units and resulting_units were replaced by `changes:`, which says how the units change: "
    "changes: [{change: merger, units: [a, b], into: c, status: done, cite: [...]}] (see the Record format page)"
)
_REPLACED = {"original_units": ("changes", _CHANGES_HINT), "resulting_units": ("changes", _CHANGES_HINT)}


def _default_type_hint(value, names: str) -> str:
    if value is None:
        return "fill it in (a key with nothing after it is null), or remove the field if it is optional"
    if isinstance(value, (list, dict)) and names.startswith("a text"):
        return "write the text on the same line as its key; quote it if it starts with - [ { or contains ': '"
    return f"write {names} here"


# The capitalized placeholders of `kb new`'s templates: SOURCE-ID, YYYY-MM-DD...
_PLACEHOLDER = re.compile(r"[A-Z][A-Z0-9]*(-[A-Z0-9]+)+")

_TYPE_NAMES = {
    "string": "a text",
    "array": "a list",
    "object": "a mapping",
    "boolean": "true or false",
    "null": "null",
    "integer": "a whole number",
    "number": "a number",
}


def _describe(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


_DATE_FIELDS = ("date", "start", "end", "published")


def _type_hint(path: tuple, value, expected: list) -> str:
    key = path[-1] if path else ""
    if key in _DATE_FIELDS and isinstance(value, int):
        return f'write the date in quotes: "{value}"'
    if expected == ["boolean"]:
        return "write true or false, without quotes"
    if "string" in expected and isinstance(value, (int, float, bool)):
        return f'put the text in quotes: "{value if not isinstance(value, bool) else str(value).lower()}"'
    if "array" in expected and isinstance(value, (str, dict)):
        return "make it a list: start each item on its own line with '- '"
    if "object" in expected and path and isinstance(path[-1], int):
        return "each item is a mapping of fields, e.g. - {source: <id>, quote: <words>}"
    if "object" in expected:
        return "write it as a mapping of fields (key: value on indented lines)"
    return ""


def dotted(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _in(where: str) -> str:
    return f" in {where}" if where else ""
