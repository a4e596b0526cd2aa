"""Safe loading of YAML and JSON documents into nodes that remember their line and column.

The nodes (:class:`MarkedDict`, :class:`MarkedList`, :class:`MarkedStr`) carry ``start_mark`` objects with
0-based ``line`` and ``column`` (and, from YAML, ``end_mark``) -- the shape of cfn-lint's decoded nodes, so the
CloudFormation front end reads a template the same way whether tlspath loaded it or cfn-lint did.

Loading is safe by construction: PyYAML's safe loader (the C one where libyaml is present), no Python tags,
intrinsic tags (``!Ref`` ...) turned into their long form, duplicate keys rejected, and a size cap.
Numbers and booleans carry no marks (as in cfn-lint); callers use the key's place.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import re
import sys
from typing import Any, NamedTuple

import yaml

from linter.files import Unreadable, read_bounded
from linter.spelling import Syntax

MAX_BYTES = 32 * 1024 * 1024


class ParseError(Exception):
    """Input that cannot be read; ``line`` is 1-based or ``None``."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


class Mark(NamedTuple):
    """Where a node of a JSON document starts. A tuple: a large document has one per string, object and array,
    and a tuple of two numbers is made faster than a dataclass and is dropped by the cyclic collector's first
    look at it."""

    line: int  # 0-based, like PyYAML and cfn-lint
    column: int


# The nodes keep their marks in slots, not in a dictionary of their own: a large template has hundreds of thousands
# of them, and a dictionary each was half the memory of a parsed document (and as many objects for the cyclic
# collector to walk). A mark never set reads as absent: every reader asks ``getattr(node, name, default)``.

class MarkedDict(dict):
    __slots__ = ("_key_mark_index", "end_mark", "repeated", "start_mark")
    start_mark: Any
    end_mark: Any
    repeated: tuple[tuple[Any, Any], ...]  # (key, value) of keys written again, when the loader keeps them


class MarkedList(list):
    __slots__ = ("end_mark", "start_mark")
    start_mark: Any
    end_mark: Any


class MarkedStr(str):
    __slots__ = ("block", "end_mark", "folded", "indent", "start_mark")
    start_mark: Any
    end_mark: Any
    block: bool  # a YAML block scalar (| or >): its text starts on the line after the mark
    indent: int | None  # a literal one's (|) indentation in the file: each line of it is there, past that
    folded: str | None  # a folded one's (>) text as the file writes it, from its indicator on


def _marked(obj, start, end):
    obj.start_mark, obj.end_mark = start, end
    return obj


Position = tuple[int | None, int | None]  # 1-based line and column (in characters); None where unknown


def position(node: object) -> Position:
    """The 1-based line and column where a node starts, if it carries a mark."""
    mark = getattr(node, "start_mark", None)
    return (None, None) if mark is None else (mark.line + 1, mark.column + 1)


def line_of(node: object) -> int | None:
    """The 1-based line where a node starts, if it carries a mark."""
    return position(node)[0]


def position_in(text: str, offset: int, start: Position) -> Position:
    """Where ``offset`` into ``text`` is in the file, ``text`` being written there from ``start`` with its
    newlines as the file's: a line further per newline before it, the column counted from the last one (from
    ``start``'s column on its first line). A column is only given when ``start`` has one: text that is not
    the file's own characters (a YAML block scalar without its indentation) says so with a ``None`` column."""
    line, column = start
    if line is None:
        return None, None
    newlines = text.count("\n", 0, offset)
    if column is None:
        return line + newlines, None
    if newlines:
        return line + newlines, offset - text.rfind("\n", 0, offset)
    return line, column + offset


def written_at(text: object, offset: int) -> Position:
    """Where ``offset`` into a decoded YAML or JSON string is in its file. A block scalar keeps its lines,
    below the line of its indicator, less their indentation (known for a literal one, ``|``, read when it was
    loaded); any other string is placed at its start -- JSON escapes and YAML folding make its newlines not
    the file's."""
    line, column = position(text)
    if line is None or not getattr(text, "block", False):
        return line, column
    folded = getattr(text, "folded", None)
    if folded is not None:
        return _folded_position(str(text), offset, folded, line)
    indent = getattr(text, "indent", None)
    line, column = position_in(str(text), offset, (line + 1, 1))
    return line, None if indent is None or column is None else column + indent


def _folded_position(text: str, offset: int, written: str, indicator: int) -> Position:
    """Where ``offset`` into a folded block scalar (``>``) is in its file. Folding turns the line breaks the
    file writes into spaces (blank lines into line breaks) and drops the indentation, but leaves every other
    character as written: the character at ``offset`` is the one after as many characters that are not white
    space in the file's lines below the indicator."""
    body = written[written.find("\n") + 1:] if "\n" in written else ""
    wanted = sum(1 for character in text[:offset] if not character.isspace())
    seen = 0
    for index, character in enumerate(body):
        if character.isspace():
            continue
        if seen == wanted:
            return indicator + 1 + body.count("\n", 0, index), index - body.rfind("\n", 0, index)
        seen += 1
    return indicator, None


def key_position(mapping: object, key: str) -> Position:
    """The 1-based line and column of ``key`` inside a mapping (falls back to the mapping's own)."""
    if isinstance(mapping, dict):
        found = _key_marks(mapping).get(key)
        if found is not None:
            return found.line + 1, found.column + 1
    return position(mapping)


def key_line(mapping: object, key: str) -> int | None:
    """The 1-based line of ``key`` inside a mapping (falls back to the mapping's own line)."""
    return key_position(mapping, key)[0]


def _key_marks(mapping: dict) -> dict[Any, Any]:
    """The start mark of every marked key of a mapping. A dict finds a value by key but not the key object
    (which carries the mark), so the index is built once per mapping and kept on it -- looking each key up by a
    scan would make reading a template quadratic in its resources. A plain dict (no room for the index) is
    scanned."""
    cached = getattr(mapping, "_key_mark_index", None)
    if cached is not None and cached[0] == len(mapping):
        return cached[1]
    index = {key: mark for key in mapping if (mark := getattr(key, "start_mark", None)) is not None}
    with contextlib.suppress(AttributeError):  # a plain dict cannot keep it: computed again next time
        mapping._key_mark_index = (len(mapping), index)  # type: ignore[attr-defined]
    return index


# -------------------------------------------------------------------------------------------------- YAML

_YamlBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _CfnYamlLoader(_YamlBase):  # type: ignore[misc, valid-type]
    """Safe YAML loader with marks and CloudFormation short-form intrinsics."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self.text = stream  # where a literal block scalar's indentation is read


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    result = _marked(MarkedDict(), node.start_mark, node.end_mark)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = _marked(MarkedStr(key), key_node.start_mark, key_node.end_mark)
        if key in result:
            raise ParseError(f"duplicate key '{key}'", key_node.start_mark.line + 1)
        result[key] = loader.construct_object(value_node, deep=True)
    return result


def _construct_sequence(loader, node):
    return _marked(MarkedList(loader.construct_object(n, deep=True) for n in node.value),
                   node.start_mark, node.end_mark)


def _construct_str(loader, node):
    text = _marked(MarkedStr(loader.construct_scalar(node)), node.start_mark, node.end_mark)
    text.block = node.style in ("|", ">")
    if node.style == "|":
        text.indent = _indentation(loader.text, node.start_mark.index, text)
    elif node.style == ">":
        text.folded = loader.text[node.start_mark.index:node.end_mark.index]
    return text


def _indentation(source: str, indicator: int, content: str) -> int | None:
    """How far a literal block scalar's lines are indented in ``source``: its first line that is not empty,
    found below the indicator (at character ``indicator``), is that many characters longer in the file."""
    first = content.lstrip("\n")
    start = source.find("\n", indicator) + 1
    for _ in range(len(content) - len(first)):
        start = source.find("\n", start) + 1
    end = source.find("\n", start)
    written = source[start:end if end >= 0 else len(source)].rstrip("\r")
    line = first.split("\n", 1)[0]
    return len(written) - len(line) if start > 0 and line and written.endswith(line) else None


def _construct_int(loader, node):
    """YAML integers, with the text's length bounded first: Python refuses to read more digits than its
    int/str conversion limit, and ``1:0:0:...`` (YAML 1.1 base 60) costs quadratic time to add up."""
    if len(node.value) > int_digits_limit():
        raise number_too_long(node.start_mark.line + 1)
    return loader.construct_yaml_int(node)


def number_too_long(line: int | None) -> ParseError:
    return ParseError(f"a number with more than {int_digits_limit():,} digits (more than Python reads); not "
                      "analysed", line)


def int_digits_limit() -> int:
    """Python's int/str conversion limit (``sys.set_int_max_str_digits``; 0 means none, then 4,300)."""
    return getattr(sys, "get_int_max_str_digits", lambda: 0)() or 4300


def _construct_intrinsic(loader, suffix, node):
    name = suffix if suffix in ("Ref", "Condition") else "Fn::" + suffix
    if isinstance(node, yaml.ScalarNode):
        value: Any = _construct_str(loader, node)
        if suffix == "GetAtt":
            value = _marked(MarkedList(value.split(".", 1)), node.start_mark, node.end_mark)
    elif isinstance(node, yaml.SequenceNode):
        value = _construct_sequence(loader, node)
    else:
        value = _construct_mapping(loader, node)
    key = _marked(MarkedStr(name), node.start_mark, node.end_mark)
    return _marked(MarkedDict({key: value}), node.start_mark, node.end_mark)


_CfnYamlLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_CfnYamlLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
_CfnYamlLoader.add_constructor("tag:yaml.org,2002:str", _construct_str)
_CfnYamlLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_CfnYamlLoader.add_multi_constructor("!", _construct_intrinsic)


def _yaml_error(exc: yaml.YAMLError, source: str) -> ParseError:
    """The error on one line with the line it is on -- a character the reader refuses (a control character)
    has no mark, only its position in the text."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    text = f"{context}: {problem}" if context and problem else problem
    if mark is not None:
        return ParseError(f"YAML syntax error: {text}", mark.line + 1)
    position = exc.position if isinstance(exc, yaml.reader.ReaderError) else None
    return ParseError(f"YAML syntax error: {text}", None if position is None else source.count("\n", 0, position) + 1)


MAX_DEPTH = 500


def _check_yaml_depth(text: str) -> None:
    """Refuse absurd nesting before libyaml composes it: its composer recurses in C and overflows the stack
    (a crash, not an exception) somewhere past 20,000 levels. Nesting depth is bounded by the number of flow
    openers plus the longest line, so the event scan only runs on inputs that could be that deep."""
    bound = text.count("[") + text.count("{") + max(map(len, text.splitlines()), default=0)
    if bound < 10 * MAX_DEPTH:
        return
    depth = 0
    for event in yaml.parse(text, Loader=_YamlBase):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise ParseError(f"YAML nesting is deeper than {MAX_DEPTH} levels",
                                 event.start_mark.line + 1 if event.start_mark else None)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


MAX_EXPANDED_NODES = 1_000_000


def _check_expansion(document: Any) -> None:
    """Refuse alias bombs. Aliases share one constructed object, so loading is cheap -- but every later walk
    over the document (evaluation, scans) would visit each use of an alias again. Count the document's size
    as those walks see it, visiting each shared object once."""
    sizes: dict[int, int] = {}

    def size(node: Any) -> int:
        if not isinstance(node, (dict, list)):
            return 1
        if id(node) not in sizes:
            sizes[id(node)] = 0  # a cycle (impossible from YAML) counts as empty
            children = node.values() if isinstance(node, dict) else node
            sizes[id(node)] = min(1 + sum(size(child) for child in children), MAX_EXPANDED_NODES + 1)
        return sizes[id(node)]

    if size(document) > MAX_EXPANDED_NODES:
        raise ParseError(f"YAML aliases expand to more than {MAX_EXPANDED_NODES:,} nodes; not analysed")


def load_yaml(text: str) -> Any:
    """Load one YAML document with marks; raise :class:`ParseError` on anything unreadable."""
    try:
        _check_yaml_depth(text)
        document = yaml.load(text, Loader=_CfnYamlLoader)
        if "*" in text and "&" in text:
            _check_expansion(document)
        return document
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, text) from None
    except RecursionError:
        raise ParseError("YAML nesting is too deep") from None


# -------------------------------------------------------------------------------------------------- JSON


class _Pairs(list):
    """An object's key/value pairs as the C decoder read them (duplicates included), until marks are attached."""


# A string as one run of plain characters per escape, not one alternative per character: three times faster.
_JSON_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_JSON_START = re.compile(r"[\[{]|" + _JSON_STRING)  # where what carries a mark starts: objects, arrays, strings
_JSON_TOKEN = re.compile(r"[\[\]{}]|" + _JSON_STRING)  # those, and where objects and arrays end


class _JsonMarks:
    """Marks for a document the C decoder has read: where its strings, objects and arrays start, found again
    in document order by one pattern, are the nodes a walk of the decoded document meets in the same order. So
    the decoding itself runs at the C decoder's speed (a decoder in Python is fifty times slower on the JSON
    CDK writes), and only what carries a mark is looked at again: each node gets its start mark; end marks are
    not kept (nothing reads them). The decoded pairs and items are let go as their marked copies are made, so
    a large document is not held twice."""

    def __init__(self, text: str, repeated: bool = False):
        self._text = text
        self._repeated = repeated
        self._next_start = iter([found.start() for found in _JSON_START.finditer(text)]).__next__
        self._line = self._line_start = self._offset = 0

    def _mark(self) -> Mark:
        offset = self._next_start()
        newlines = self._text.count("\n", self._offset, offset)  # offsets only grow: each character counted once
        if newlines:
            self._line += newlines
            self._line_start = self._text.rfind("\n", self._offset, offset) + 1
        self._offset = offset
        return Mark(self._line, offset - self._line_start)

    def node(self, value: Any) -> Any:
        if isinstance(value, str):
            text = MarkedStr(value)
            text.start_mark = self._mark()
            return text
        if isinstance(value, _Pairs):
            return self._object(value)
        if isinstance(value, list):
            items = MarkedList()
            items.start_mark = self._mark()
            items.extend([self.node(item) for item in value])
            value.clear()
            return items
        return value

    def _object(self, pairs: _Pairs) -> MarkedDict:
        result = MarkedDict()
        result.start_mark = self._mark()
        for key, item in pairs:
            marked = MarkedStr(key)
            marked.start_mark = self._mark()
            if marked not in result:
                result[marked] = self.node(item)
            elif self._repeated:
                result.repeated = (*getattr(result, "repeated", ()), (marked, self.node(item)))
            else:
                raise ParseError(f"duplicate key '{key}'", marked.start_mark.line + 1)
        pairs.clear()
        return result


def load_json(text: str, repeated: bool = False) -> Any:
    """Load a JSON document with marks; raise :class:`ParseError` on anything unreadable. A key written twice
    in one object is an error, unless ``repeated`` keeps the later ones in :attr:`MarkedDict.repeated` (HCL's
    JSON syntax, where a block type may appear twice)."""
    try:
        return _JsonMarks(text, repeated).node(json.loads(text, object_pairs_hook=_Pairs))
    except json.JSONDecodeError as exc:
        raise ParseError(f"JSON syntax error: {exc.msg.removesuffix(' at')}", exc.lineno) from None  # '... at' a position
    except RecursionError:
        raise ParseError("JSON nesting is too deep", _deepest_line(text)) from None
    except ValueError:  # a number past Python's int/str conversion limit
        raise _long_number(text) from None


def _deepest_line(text: str) -> int:
    """The line where a JSON document first nests past :data:`MAX_DEPTH` levels (its deepest point if it
    never does) -- read only once the document failed, so a valid one costs nothing."""
    depth, deepest, where = 0, 0, 0
    for token in _JSON_TOKEN.finditer(text):
        bracket = token.group(0)
        if bracket in "[{":
            depth += 1
            if depth > deepest:
                deepest, where = depth, token.start()
                if depth > MAX_DEPTH:
                    break
        elif bracket in "]}":
            depth -= 1
    return text.count("\n", 0, where) + 1


def _long_number(text: str) -> ParseError:
    found = re.search(f"[0-9]{{{int_digits_limit() + 1}}}", text)
    return number_too_long(text.count("\n", 0, found.start()) + 1 if found else None)


def syntax_of(path: str, text: str = "") -> Syntax:
    """JSON by extension (a ``.template`` file when its text opens with a brace), else YAML."""
    if path.endswith(".json") or (path.endswith(".template") and text.lstrip().startswith("{")):
        return Syntax.JSON
    return Syntax.YAML


def load_document(text: str, path: str) -> Any:
    """YAML or JSON by extension; ``.template`` files may be either."""
    return load_json(text) if syntax_of(path, text) is Syntax.JSON else load_yaml(text)


def read_text(path: str, limit: int | None = None) -> str:
    """Read a file as text, refusing huge (past ``limit`` bytes, :data:`MAX_BYTES` unless given) or binary
    files with a clear message."""
    try:
        data = read_bounded(path, MAX_BYTES if limit is None else limit)
    except Unreadable as exc:
        raise ParseError(f"cannot read file: {exc}; not analysed") from None
    return decode(data)


# UTF-32's little-endian mark begins with UTF-16's: the longer marks are tried first.
_BYTE_ORDER_MARKS = ((codecs.BOM_UTF32_LE, "UTF-32", "utf-32-le"), (codecs.BOM_UTF32_BE, "UTF-32", "utf-32-be"),
                     (codecs.BOM_UTF8, "UTF-8", "utf-8"), (codecs.BOM_UTF16_LE, "UTF-16", "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "UTF-16", "utf-16-be"))


def decode(data: bytes) -> str:
    """A file's text: UTF-8, or UTF-8, UTF-16 or UTF-32 after a byte-order mark (what editors on Windows
    write); anything else is an input error at the first line that is not text."""
    name, encoding = "UTF-8", "utf-8"
    for mark, marked_name, marked_encoding in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            data, name, encoding = data[len(mark):], marked_name, marked_encoding
            break
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].decode(encoding, "replace").count("\n") + 1
        raise ParseError(f"file is not {name} text", line) from None
    if "\x00" in text:
        raise ParseError("file is binary, not text")
    return text
