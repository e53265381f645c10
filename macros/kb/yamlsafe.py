"""Strict YAML reading that keeps the line and column of every value.

PyYAML's own loaders accept duplicate keys silently, expand aliases (so a
small file can become huge) and construct arbitrary tags. This reader builds
plain values from PyYAML's event stream instead: it rejects duplicate keys,
anchors, aliases and explicit tags, and records where each value starts. It
also refuses what no record holds and what would break whatever reads the
values next: lists and mappings nested deeper than MAX_DEPTH (readers walk
them recursively) and numbers longer than MAX_NUMBER_CHARS (Python cannot
print an int of over 4,300 digits).
"""

from __future__ import annotations

import re as _re
from dataclasses import dataclass, field

import yaml

from macros.kb.characters import describe
from macros.kb.problems import Problem

MAX_FILE_BYTES = 1_000_000
# Records nest five levels (a statement's citation's quote); past this many, a file is refused before
# anything walks its values (a checker that recursed into them would hit Python's recursion limit).
MAX_DEPTH = 32
# A number is at most this many characters: Python cannot even print an int of over 4,300 digits.
MAX_NUMBER_CHARS = 100

Path_ = tuple  # a path into the document: ("roles", 0, "cite", 1, "quote")

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()


@dataclass
class Document:
    """A parsed YAML file: its value, and where each value and key starts.

    The positions of a file read by the fast path are worked out only when
    something asks for one (a problem to report, a claim's place), by reading
    the text again: a valid knowledge base never needs most of them.
    """

    path: str
    data: object = None
    _positions: dict | None = field(default=None, repr=False)  # path -> (line, col) of the value
    _key_positions: dict | None = field(default=None, repr=False)  # path -> (line, col) of its key
    text: str | None = field(default=None, repr=False, compare=False)  # kept to find positions later
    # Which reader made `data`: "fast" (the records' block subset, read line by line) or "events"
    # (PyYAML's event stream). The values and positions are the same either way; tests ask.
    reader: str = field(default="events", repr=False, compare=False)

    @property
    def positions(self) -> dict:
        if self._positions is None:
            self._locate()
        return self._positions

    @property
    def key_positions(self) -> dict:
        if self._key_positions is None:
            self._locate()
        return self._key_positions

    def _locate(self) -> None:
        self._positions, self._key_positions = {}, {}
        if self.text is not None:
            _fast_parse(self.text, self, positions=True)

    def where(self, path: Path_, key: bool = False) -> tuple[int, int]:
        """Line and column of the value (or key) at `path`, or its nearest parent."""
        positions = self.positions
        table = self.key_positions if key else positions
        path = tuple(path)
        while path:
            if path in table:
                return table[path]
            if path in positions:
                return positions[path]
            path = path[:-1]
        return positions.get((), (1, 1))


class _Reject(Exception):
    def __init__(self, code: str, message: str, mark, hint: str = ""):
        super().__init__(message)
        self.problem_args = (code, message, hint)
        self.mark = mark


def decode(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Check the bytes of a record file and decode them; (text, problems)."""
    problems: list[Problem] = []
    if len(raw) > MAX_FILE_BYTES:
        return None, [
            Problem(
                path,
                1,
                1,
                "file-too-large",
                f"the file is {len(raw):,} bytes; a record may have at most {MAX_FILE_BYTES:,}",
                "split the record or shorten its quotes; archived texts go in .txt files",
            )
        ]
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(
            Problem(
                path,
                1,
                1,
                "bom",
                "the file starts with a UTF-8 byte-order mark",
                "save the file as UTF-8 without BOM (make fmt removes it)",
            )
        )
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        col = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return None, problems + [
            Problem(
                path,
                line,
                col,
                "encoding",
                f"byte 0x{raw[error.start]:02x} is not valid UTF-8",
                "save the file as UTF-8",
            )
        ]
    if "\r" in text:
        index = text.index("\r")
        line = text.count("\n", 0, index) + 1
        problems.append(
            Problem(
                path,
                line,
                index - (text.rfind("\n", 0, index) + 1) + 1,
                "line-ends",
                "the file has CR or CRLF line ends",
                "use LF line ends (make fmt converts them)",
            )
        )
    if not text.strip() or all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        problems.append(
            Problem(
                path,
                1,
                1,
                "empty-file",
                "the file holds no record",
                "fill it in, or start from `.venv/bin/kb new <kind> <name>`",
            )
        )
        return None, problems
    return text, problems


def parse(text: str, path: str) -> tuple[Document, list[Problem]]:
    """Parse one YAML document into plain values with positions."""
    doc = Document(path)
    if _fast_parse(text, doc, positions=False):
        return doc, []
    return parse_events(text, path)


def parse_events(text: str, path: str) -> tuple[Document, list[Problem]]:
    """`parse` through PyYAML's event stream only: any YAML, and every problem with its place."""
    doc = Document(path, _positions={}, _key_positions={}, text=text)
    try:
        # Read as the parser goes: a problem stops it there (libyaml takes time quadratic in the depth
        # of flow brackets: 10,000 `[` took seconds before the depth was refused).
        doc.data = _build(yaml.parse(text, Loader=_Loader), doc)
    except _Reject as reject:
        code, message, hint = reject.problem_args
        return doc, [Problem(path, reject.mark.line + 1, reject.mark.column + 1, code, message, hint)]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(str(x) for x in (error.context, error.problem) if x)
        hint = (
            "YAML indents with spaces, never tabs"
            if "\t" in text and "tab" in message.lower()
            else "check the indentation and quoting on this line; quote text that contains ': ' or starts with a symbol"
        )
        if error.context_mark and "end of stream" in str(error.problem) and "quoted" in str(error.context):
            # The end of the file is not where the mistake is: the unclosed quote is.
            mark = error.context_mark
            message = "this quoted text is never closed (the file ends inside it)"
            hint = "add the closing quote at the end of the text, or remove the opening one"
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return doc, [Problem(path, line, col, "yaml-syntax", message, hint)]
    except yaml.reader.ReaderError as error:  # a control character, a lone surrogate...
        # Its position is a byte offset under libyaml: find the character itself instead.
        index = text.find(chr(error.character)) if isinstance(error.character, int) else -1
        line, col = (
            (text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1) if index >= 0 else (1, 1)
        )
        return doc, [
            Problem(
                path,
                line,
                col,
                "yaml-syntax",
                f"character {describe(chr(error.character))} is not allowed: {error.reason}"
                if isinstance(error.character, int)
                else str(error).splitlines()[0],
                "remove the control character (an invisible byte, often pasted along with text)",
            )
        ]
    except yaml.YAMLError as error:
        return doc, [
            Problem(path, 1, 1, "yaml-syntax", str(error).splitlines()[0], "check that the file is plain YAML text")
        ]
    if not isinstance(doc.data, dict):
        found = type(doc.data).__name__ if doc.data is not None else "nothing"
        line, col = doc.where(())
        return doc, [
            Problem(
                path,
                line,
                col,
                "not-a-mapping",
                f"the top of the file must be a mapping of fields, found {_type_name(found)}",
                "start the file with `id: <file name>` and the record's other fields",
            )
        ]
    return doc, []


def _type_name(name: str) -> str:
    return {
        "list": "a list",
        "str": "a text",
        "int": "a number",
        "float": "a number",
        "bool": "true/false",
        "NoneType": "null",
    }.get(name, name)


def _plain(value) -> str:
    return "null" if value is None else str(value).lower() if isinstance(value, bool) else str(value)


def _build(events, doc: Document):
    """Turn the event stream into dicts, lists and scalars, recording positions."""
    documents = 0
    stack: list = []  # frames: [container, path, pending_key]
    root = None

    def place(value, mark, is_container: bool):
        nonlocal root
        if not stack:
            root = value
            path: tuple = ()
        else:
            container, parent_path, pending = stack[-1]
            if isinstance(container, list):
                path = parent_path + (len(container),)
                container.append(value)
            else:
                if pending is None:  # this value is a key
                    if is_container or not isinstance(value, str):
                        what = (
                            "a list or mapping"
                            if is_container
                            else "null"
                            if value is None
                            else f"{_type_name(type(value).__name__)} ({_plain(value)})"
                        )
                        raise _Reject(
                            "bad-key",
                            f"a key must be a plain word, not {what}",
                            mark,
                            "write keys as plain words such as `name:`; quote a key that looks like "
                            "a number, a date or true/false",
                        )
                    if value in container:
                        raise _Reject(
                            "duplicate-key",
                            f"the key '{value}' appears twice in this mapping",
                            mark,
                            f"keep one '{value}:' (YAML would silently keep only the last one)",
                        )
                    stack[-1][2] = (value, mark)
                    return None
                key, key_mark = pending
                path = parent_path + (key,)
                container[key] = value
                doc.key_positions[path] = (key_mark.line + 1, key_mark.column + 1)
                stack[-1][2] = None
        doc.positions[path] = (mark.line + 1, mark.column + 1)
        return path

    scalar, mapping, sequence = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    for event in events:
        kind = type(event)  # the parser makes these exact classes; the most frequent are tested first
        if kind is scalar or kind is mapping or kind is sequence:
            if event.anchor is not None:
                raise _Reject(
                    "yaml-anchor",
                    f"anchor &{event.anchor} is not allowed",
                    event.start_mark,
                    "write values out in full; anchors and aliases are not used in records",
                )
            if event.tag not in (None, "!") and not (kind is scalar and event.implicit[0]):
                shown = event.tag.replace("tag:yaml.org,2002:", "!!", 1)
                raise _Reject(
                    "yaml-tag",
                    f"the tag {shown} is not allowed",
                    event.start_mark,
                    "remove the tag; records hold plain text, numbers, lists and mappings",
                )
            if kind is scalar:
                place(_scalar(event), event.start_mark, False)
            elif len(stack) >= MAX_DEPTH:
                raise _Reject(
                    "too-deep",
                    f"values nest more than {MAX_DEPTH} levels deep here",
                    event.start_mark,
                    "a record's fields nest a few levels at most: check the brackets and the indentation",
                )
            elif kind is mapping:
                container: dict = {}
                path = place(container, event.start_mark, True)
                stack.append([container, path, None])
            else:
                container_list: list = []
                path = place(container_list, event.start_mark, True)
                stack.append([container_list, path, None])
        elif kind in ends:
            stack.pop()
        elif isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _Reject(
                    "yaml-syntax",
                    "the file holds more than one YAML document (---)",
                    event.start_mark,
                    "keep one record per file",
                )
        elif isinstance(event, yaml.AliasEvent):
            raise _Reject(
                "yaml-anchor",
                f"alias *{event.anchor} is not allowed",
                event.start_mark,
                "write the value out in full instead of referring to an anchor",
            )
    return root


# The first characters some implicit type (null, bool, number, date, merge...) can start with: a plain
# scalar starting with any other is text, without trying each type's pattern on it.
_TYPED_FIRST = frozenset(key for key in _resolver.yaml_implicit_resolvers if key)
_PLAIN_TEXT_SHORTCUT = None not in _resolver.yaml_implicit_resolvers and not _resolver.yaml_path_resolvers


def _scalar(event):
    value = event.value
    if not event.implicit[0] or event.tag == "!":
        return value  # quoted: always text
    if _PLAIN_TEXT_SHORTCUT and value and value[0] not in _TYPED_FIRST:
        return value
    tag = _resolver.resolve(yaml.ScalarNode, value, (True, False))
    if tag in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:str"):
        return event.value  # dates stay as written: 2026-06-08
    if tag == "tag:yaml.org,2002:merge":
        raise _Reject(
            "yaml-anchor", "merge keys (<<) are not allowed", event.start_mark, "write the fields out in full"
        )
    if tag == _INT_TAG and len(value) > MAX_NUMBER_CHARS:
        raise _Reject(
            "number-too-large",
            f"this number is {len(value):,} characters long; a record holds no number over {MAX_NUMBER_CHARS}",
            event.start_mark,
            'put text in quotes ("..."), or shorten the number',
        )
    return _constructor.construct_object(yaml.ScalarNode(tag, event.value))


# -- the fast path: the block YAML records are written in ---------------------------
#
# PyYAML's parser makes a Python object (with two position marks) for every
# event, and the events are then walked in Python: most of the time of
# validating a large knowledge base. Records are written in a small part of
# YAML (what `kb fmt` and `kb new` write: block mappings and lists, one value
# per line, plain or quoted on one line). `_fast_parse` reads exactly that
# part, line by line, and gives the same values and positions; at the first
# thing it does not know (a comment inside, a value over several lines, an
# escape, a flow collection (but [] and {}), an anchor, a tag, a duplicate key, a tab, a
# control character...) it gives up, and the event path reads the file and
# reports whatever is wrong, as before.

_DOUBLE = _re.compile(r'"([^"\\]*)"\Z')
_SINGLE = _re.compile(r"'((?:[^']|'')*)'\Z")
# What libyaml accepts in a file (its `printable`), but for the tab and carriage return, left to it.
_NOT_PRINTABLE = _re.compile("[^\n\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# The characters a plain scalar cannot start with ("-", "?" and ":" can, before anything but a space:
# -1, -x, :x, as `kb fmt` writes them).
_PLAIN_FIRST_REJECTED = frozenset("-?:,[]{}#&*!|>'\"%@`")
_MERGE_TAG = "tag:yaml.org,2002:merge"
_INT_TAG = "tag:yaml.org,2002:int"


class _GiveUp(Exception):
    pass


def _plain_value(value: str):
    """A plain scalar on one line, as the event path makes it; _GiveUp if this path does not read it."""
    if (
        not value
        or (value[0] in _PLAIN_FIRST_REJECTED and not (value[0] in "-?:" and value[1:2] not in ("", " ")))
        or value[0] == " "
        or value[-1] == " "
        or value[-1] == ":"
        or ": " in value
        or " #" in value
    ):
        raise _GiveUp
    if _PLAIN_TEXT_SHORTCUT and value[0] not in _TYPED_FIRST:
        return value
    known = _RESOLVED.get(value, _GiveUp)
    if known is not _GiveUp:
        return known
    tag = _resolver.resolve(yaml.ScalarNode, value, (True, False))
    if tag in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:str"):
        resolved = value
    elif tag == _MERGE_TAG or (tag == _INT_TAG and len(value) > MAX_NUMBER_CHARS):
        raise _GiveUp  # for the event path to report
    else:
        resolved = _constructor.construct_object(yaml.ScalarNode(tag, value))
    if len(_RESOLVED) > 50_000:
        _RESOLVED.clear()
    _RESOLVED[value] = resolved
    return resolved


# Plain scalars that could be typed, as resolved: statuses, kinds, ids and dates repeat across records.
_RESOLVED: dict[str, object] = {}


def _scalar_text(text: str):
    """A value written on its line after 'key: ' or '- ': quoted or plain text, or an empty list or
    mapping (`cite: []`); _GiveUp for anything else."""
    first = text[:1]
    if text == "[]" or text == "{}":
        return [] if first == "[" else {}
    if first == '"':
        match = _DOUBLE.match(text)
        if match is None:
            raise _GiveUp  # an escape, a quote inside, or more after it
        return match.group(1)
    if first == "'":
        match = _SINGLE.match(text)
        if match is None:
            raise _GiveUp
        return match.group(1).replace("''", "'")
    return _plain_value(text)


# One line with content, split by one regex (in C): its indent, "- " when it is a list item that
# starts with a key, the key, and the text after "key: " (None when the line ends at the colon);
# or else, the line's whole content. Lines of spaces only are not matched, so skipped.
_LINE = _re.compile(r"^( *)(?:(- )?([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?$|([^ \n].*)$)", _re.M)


def _fast_parse(text: str, doc: Document, positions: bool = True) -> bool:
    """Read `text` into `doc` if it is in the records' part of YAML; False (doc untouched) if not.
    Without `positions`, the document keeps the text and finds positions when asked."""
    if (
        "\t" in text
        or "\r" in text
        or "\x85" in text
        or "\u2028" in text
        or "\u2029" in text
        or "\ufeff" in text
        or _NOT_PRINTABLE.search(text)
    ):
        return False  # tabs, other line breaks, a byte-order mark, control characters: for libyaml to judge
    # Each line as (line number, indent, dash, key, rest, raw); the number only when positions are wanted.
    if positions:
        lines, number, last = [], 1, 0
        for match in _LINE.finditer(text):
            number += text.count("\n", last, match.start())
            last = match.start()
            indent, dash, key, rest, raw = match.groups()
            lines.append((number, len(indent), dash, key, rest, raw))
    else:
        lines = [
            (0, len(indent), dash, key, rest, raw)
            for indent, dash, key, rest, raw in (match.groups() for match in _LINE.finditer(text))
        ]
    start = 0
    while start < len(lines) and lines[start][5] is not None and lines[start][5][0] == "#":
        start += 1  # comments before the first field
    if start:
        lines = lines[start:]
    if not lines or lines[0][1] != 0 or any(line[5] is not None and line[5][0] == "#" for line in lines):
        return False  # no field, an indented first line, or a comment after the first field
    found, key_found = ({}, {}) if positions else (None, None)
    try:
        data, end = _fast_mapping(lines, 0, 0, () if positions else None, found, key_found, None, 1)
    except (_GiveUp, yaml.YAMLError, ValueError, TypeError, IndexError):
        return False
    if end != len(lines):
        return False
    doc.data, doc._positions, doc._key_positions, doc.text, doc.reader = data, found, key_found, text, "fast"
    return True


def _is_item(line: tuple) -> bool:
    """Whether a line (as _fast_parse splits it) starts with '- '."""
    return line[2] is not None or (line[5] is not None and line[5][:2] == "- ")


_TEXT_KEY: dict[str, bool] = {}  # key -> whether YAML reads it as text (not null, true, a number...)


def _is_text_key(key: str) -> bool:
    known = _TEXT_KEY.get(key)
    if known is None:
        if len(_TEXT_KEY) > 10_000:
            _TEXT_KEY.clear()
        try:
            known = _TEXT_KEY[key] = type(_plain_value(key)) is str
        except _GiveUp:
            known = False
    return known


# In the two functions below, `positions` and `key_positions` are None (and `path` is None) when
# positions are not wanted: the fast path then builds no path tuples at all. `depth` is the number of
# lists and mappings the one being read is in, itself included: the fast path leaves a file nested
# near MAX_DEPTH to the event path (which reports it when too deep), and never recurses far.


def _fast_mapping(lines, index, indent, path, positions, key_positions, first, depth):
    """The block mapping whose keys are at `indent`, from lines[index]; `first` is (key, rest) when
    its first key follows '- ' on a list's line. Returns (mapping, index of the next line)."""
    if depth >= MAX_DEPTH:
        raise _GiveUp  # deep nesting: the event path reads it without recursion, and refuses it
    mapping: dict = {}
    number = lines[index][0]
    if positions is not None:
        positions[path] = (number, indent + 1)
    child = None
    while True:
        if first is not None:
            key, rest = first
            first = None
        else:
            number, _, dash, key, rest, _ = lines[index]
            if key is None or dash is not None:
                raise _GiveUp
        if key in mapping or not _is_text_key(key):
            raise _GiveUp  # a repeated key, or one that is not text (yes, null, on...)
        if positions is not None:
            child = path + (key,)
            key_positions[child] = (number, indent + 1)
        index += 1
        if rest is not None:
            mapping[key] = _scalar_text(rest)
            if positions is not None:
                positions[child] = (number, indent + len(key) + 3)
            if index < len(lines) and lines[index][1] > indent:
                raise _GiveUp  # a value over several lines, or a mistake
        else:
            if index == len(lines):
                raise _GiveUp  # an empty value
            following = lines[index]
            if following[1] > indent:
                if _is_item(following):
                    mapping[key], index = _fast_sequence(
                        lines, index, following[1], child, positions, key_positions, depth + 1
                    )
                else:
                    mapping[key], index = _fast_mapping(
                        lines, index, following[1], child, positions, key_positions, None, depth + 1
                    )
            elif following[1] == indent and _is_item(following):
                mapping[key], index = _fast_sequence(lines, index, indent, child, positions, key_positions, depth + 1)
            else:
                raise _GiveUp  # an empty value
        if index == len(lines) or lines[index][1] < indent:
            return mapping, index
        if lines[index][1] != indent:
            raise _GiveUp


def _fast_sequence(lines, index, indent, path, positions, key_positions, depth):
    """The block list whose '- ' are at `indent`, from lines[index]. Returns (list, index of the next line)."""
    if depth >= MAX_DEPTH:
        raise _GiveUp
    items: list = []
    if positions is not None:
        positions[path] = (lines[index][0], indent + 1)
    child = None
    while True:
        number, _, dash, key, rest, raw = lines[index]
        if positions is not None:
            child = path + (len(items),)
        if dash is not None:
            item, index = _fast_mapping(
                lines, index, indent + 2, child, positions, key_positions, (key, rest), depth + 1
            )
            items.append(item)
        else:
            if raw is None or raw[:2] != "- " or raw[2:4] == "- " or len(raw) == 2:
                raise _GiveUp
            items.append(_scalar_text(raw[2:]))
            if positions is not None:
                positions[child] = (number, indent + 3)
            index += 1
            if index < len(lines) and lines[index][1] > indent:
                raise _GiveUp
        if index == len(lines) or lines[index][1] < indent:
            return items, index
        if lines[index][1] != indent or not _is_item(lines[index]):
            return items, index  # a key of the mapping this list is the value of (checked there)
