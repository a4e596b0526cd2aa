"""Terraform source files: python-hcl2's lark parse tree, with the positions its dict output throws away.

python-hcl2 8.x has no working ``with_meta`` (integration-notes.md §4.4), but its lark parser runs with
``propagate_positions``: every tree node and token knows its line and character offsets. So this module parses
to the lark tree (``hcl2.parses_to_tree``) and reads blocks, attributes and expressions from it directly. That
also keeps every expression as structure -- the 8.x dict output re-serialises expressions into ``"${...}"``
strings that would have to be parsed a second time.

Heredocs are single tokens in the grammar and ``templatefile()`` templates are plain text, so their
``${...}``/``%{...}`` sequences are found here by a small scanner and each interpolation is parsed on its own.
"""

from __future__ import annotations

import bisect
import contextlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from linter.model import Location, Suppression
from linter.frontend import OUTSIDE, inside
from linter.parse.documents import ParseError, Position, position_in, read_text

if TYPE_CHECKING:
    from lark import Token, Tree

_SYMLINK_PLACEHOLDER = re.compile(r"^[\w./-]+\.(tf|tfvars)(\.json)?$")
_BLANK_BEFORE_NEWLINE = re.compile(r"[ \t]\r?\n")
_HEREDOC_OPENER = re.compile(r"<<-?([A-Za-z][A-Za-z0-9._-]*)\r?\n")
_MARKER_LINE = re.compile(r"^[ \t]*([A-Za-z][A-Za-z0-9._-]*)\r?$", re.MULTILINE)
_BLANK_LINES = re.compile(r"\n\s*\n")
MAX_HEREDOC_SCAN = 10_000_000  # what python-hcl2's lexer may spend looking for a closing marker (see below)
MAX_HCL_BYTES = 2 * 1024 * 1024
"""The largest file in HCL's native syntax tlspath parses. python-hcl2's lark parser reads about 20-50 KB a
second on a shared CI core and holds about 200 bytes of memory per byte of a long string, so the 32 MiB cap of
templates would be ten minutes and gigabytes; 2 MiB is at most a minute or two and a few hundred MiB. Real
configurations are far smaller: the largest ``.tf`` in checkov's test corpus (3,100 files) is 47 KB. The JSON
forms (``.tf.json``, ``.tfvars.json``) are read by ``json`` in seconds and keep the templates' cap."""


@dataclass(frozen=True)
class Attribute:
    name: str
    expr: Tree
    line: int
    file: str
    column: int | None = None  # of its name

    @property
    def position(self) -> Position:
        return self.line, self.column

    @property
    def value_position(self) -> Position:
        """Where its expression's text starts (its name's place where the parser kept none)."""
        found = position(self.expr)
        return found if found[0] is not None else self.position


@dataclass(frozen=True)
class Block:
    type: str
    labels: tuple[str, ...]
    body: Body
    line: int
    file: str
    end_line: int | None = None  # the closing brace's line: what lies between is written in the block
    suppressions: tuple[Suppression, ...] = ()  # tlspath:ignore comments in or right above it (top-level blocks)
    column: int | None = None  # of its type (HCL) or of the object that describes it (JSON)

    @property
    def position(self) -> Position:
        return self.line, self.column

    def holds(self, place: Location) -> bool:
        """Whether a place is inside this block as written."""
        return place.file == self.file and place.line is not None and \
            self.line <= place.line <= (self.end_line or self.line)

    @property
    def owner(self) -> str:
        """The name users know a top-level block by: ``aws_lb.main``, ``data.aws_acm_certificate.api``, ``var.region``."""
        if self.type == "locals" or not self.labels:
            return self.type
        return _OWNER_PREFIX.get(self.type, f"{self.type}.") + ".".join(self.labels)

    @property
    def address(self) -> str:
        return ".".join(self.labels)


@dataclass(frozen=True)
class Body:
    attributes: dict[str, Attribute]
    blocks: tuple[Block, ...]

    def blocks_of(self, kind: str) -> list[Block]:
        return [block for block in self.blocks if block.type == kind]


_OWNER_PREFIX = {"resource": "", "data": "data.", "variable": "var.", "output": "output.", "module": "module.",
                 "provider": "provider."}


@dataclass(frozen=True)
class SourceFile:
    path: str
    text: str
    body: Body
    suppressions: tuple[Suppression, ...] = ()  # every one written in the file, on a block or not

    def source(self, node: Tree | Token) -> str:
        """The text an expression was written as (for condition names and script scanning)."""
        start, end = span(node)
        return self.text[start:end] if start is not None and end is not None else ""


def span(node: Tree | Token) -> tuple[int | None, int | None]:
    from lark import Token

    if isinstance(node, Token):
        return node.start_pos, node.end_pos
    meta = node.meta
    return (getattr(meta, "start_pos", None), getattr(meta, "end_pos", None)) if not meta.empty else (None, None)


def position(node: Tree | Token) -> Position:
    """The 1-based line and column where a node starts; the column is ``None`` where the node was not parsed
    from the file's own text (a Terraform JSON expression, parsed from a string)."""
    from lark import Token

    if isinstance(node, Token):
        return node.line, node.column
    return (None, None) if node.meta.empty else (node.meta.line, getattr(node.meta, "column", None))


def line_of(node: Tree | Token) -> int | None:
    return position(node)[0]


# ------------------------------------------------------------------------------------------- parsing


def parse_text(text: str) -> Tree:
    """The lark tree of HCL text; :class:`ParseError` (with the line) for anything the grammar rejects."""
    import hcl2
    from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

    _refuse_endless_heredoc(text)
    try:
        return hcl2.parses_to_tree(text)
    except UnexpectedToken as exc:
        raise ParseError(f"HCL syntax error: {_unexpected(exc.token)}", exc.line if exc.line > 0 else None) from None
    except UnexpectedCharacters as exc:
        raise ParseError(f"HCL syntax error: unexpected character {exc.char!r}", exc.line) from None
    except UnexpectedEOF:
        raise ParseError("HCL syntax error: unexpected end of file (a block, bracket or string is not closed)",
                         text.count("\n") + 1) from None
    except UnexpectedInput as exc:
        raise ParseError(f"HCL syntax error: {str(exc).splitlines()[0]}", getattr(exc, "line", None)) from None
    except LarkError as exc:
        raise ParseError(f"HCL syntax error: {str(exc).splitlines()[0]}") from None
    except RecursionError:
        raise ParseError("HCL nesting is too deep") from None


def _refuse_endless_heredoc(text: str) -> None:
    """python-hcl2's lexer looks for a heredoc's closing marker with a pattern that, at every line of the
    body, tries all the whitespace that follows: quadratic in the consecutive blank lines of a heredoc (twenty
    thousand cost seconds, a few hundred thousand hours, and an unclosed heredoc runs to the end of the
    file). Such a file is refused before it is lexed; every other file goes to the parser unchanged."""
    closings: dict[str, list[int]] = {}
    for line in _MARKER_LINE.finditer(text):
        closings.setdefault(line.group(1), []).append(line.start())
    opener = _HEREDOC_OPENER.search(text)
    while opener is not None:
        later = closings.get(opener.group(1), [])
        found = bisect.bisect_left(later, opener.end())
        end = later[found] if found < len(later) else len(text)
        runs = (run.group(0) for run in _BLANK_LINES.finditer(text, opener.end(), end))
        cost = sum(run.count("\n") * len(run) for run in runs)
        if cost > MAX_HEREDOC_SCAN:
            raise ParseError(f"HCL: the heredoc <<{opener.group(1)} holds more consecutive blank lines than tlspath "
                             f"parses{'' if end < len(text) else ' and is never closed'}",
                             text.count("\n", 0, opener.start()) + 1)
        opener = _HEREDOC_OPENER.search(text, end)


def _without_trailing_blanks(text: str) -> str:
    """Blanks at the end of a line are never part of a value (quoted strings end on their line), but the
    grammar rejects a heredoc's closing marker followed by them, which Terraform accepts. Line by line: a
    pattern with a lookahead would rescan every long run of blanks from each of its characters."""
    if not _BLANK_BEFORE_NEWLINE.search(text) and not text.endswith((" ", "\t")):
        return text
    lines = text.split("\n")
    return "\n".join(line[:-1].rstrip(" \t") + "\r" if line.endswith("\r") else line.rstrip(" \t") for line in lines)


def _unexpected(token: Token) -> str:
    if token.type == "$END":
        return "unexpected end of file (a block, bracket or string is not closed)"
    shown = str(token).strip().splitlines()[0] if str(token).strip() else repr(str(token))
    return f"unexpected {shown[:40]!r}"


def load_source(path: str, root: str) -> SourceFile:
    """Parse one ``.tf`` or ``.tfvars`` file, or one of their JSON forms (``.tf.json``, ``.tfvars.json``).

    Only files inside the scanned tree are read: a symbolic link out of it is refused, as ``file()`` is. A
    file whose whole content is a relative path to another Terraform file is a symbolic link checked out as
    text (``git config core.symlinks false``); it is read through to its target, inside the tree too.
    """
    if not inside(path, root):
        raise ParseError(OUTSIDE)
    text = _read(path)
    if _SYMLINK_PLACEHOLDER.match(text.strip()) and "\n" not in text.strip():
        path = _link_target(path, text.strip(), root)
        text = _read(path)
    from linter.parse.terraform.suppressions import in_comments

    if path.endswith(".json"):
        body = _json_body(path, text)
        return SourceFile(path, text, body, tuple(s for block in body.blocks for s in block.suppressions))
    text = _without_trailing_blanks(text)
    tree = _compact(parse_text(text))
    body, suppressions = in_comments(tree, text, body_of(tree, path), path)
    return SourceFile(path, text, body, suppressions)


def _read(path: str) -> str:
    """A Terraform file's text; one in HCL's native syntax only up to :data:`MAX_HCL_BYTES`, refused before a
    byte of it is read past that (its size is checked first, and the read is bounded should it grow)."""
    if path.endswith(".json"):
        return read_text(path)
    with contextlib.suppress(OSError):  # what cannot be examined, read_text refuses with its reason
        size = os.stat(path).st_size
        if size > MAX_HCL_BYTES:
            raise ParseError(f"too large to parse: {size / (1 << 20):.1f} MiB of HCL, and tlspath parses HCL files "
                             f"up to {MAX_HCL_BYTES >> 20} MiB (the parser reads about 50 KB a second); not analysed")
    return read_text(path, MAX_HCL_BYTES)


def _json_body(path: str, text: str) -> Body:
    """A file in Terraform's JSON syntax: a configuration (``.tf.json``) or variable values (``.tfvars.json``)."""
    from linter.parse.documents import load_json
    from linter.parse.terraform.json_syntax import configuration_body, variables_body

    document = load_json(text, repeated=True)
    return variables_body(document, path) if path.endswith(".tfvars.json") else configuration_body(document, path)


MAX_TREE_DEPTH = 400


def _compact(tree: Tree) -> Tree:
    """The parse tree as tlspath keeps it, in one walk: absurd nesting refused once, here, so no later walk
    can exhaust the stack; each node's position slimmed to what is read of it (lark's record of a position is
    most of a tree's memory, and a module's trees live while any root that calls it is read)."""
    from lark import Tree

    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_TREE_DEPTH:
            raise ParseError(f"HCL nesting is deeper than {MAX_TREE_DEPTH} levels", line_of(node))
        node._meta = _Position(node._meta)  # type: ignore[assignment]  # read only as lark reads a Meta
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tree))
    return tree


class _Position:
    """Where a node was written: what :func:`span`, :func:`position` and :func:`body_of` read of lark's ``Meta``."""

    __slots__ = ("column", "empty", "end_line", "end_pos", "line", "start_pos")

    def __init__(self, meta: Any):
        self.empty = meta is None or meta.empty
        self.line = self.column = self.end_line = self.start_pos = self.end_pos = None
        if not self.empty:
            self.line, self.column, self.end_line = meta.line, meta.column, meta.end_line
            self.start_pos, self.end_pos = meta.start_pos, meta.end_pos


def _link_target(path: str, target: str, root: str) -> str:
    """The file a symbolic link stored as text points to (findings then point at the real file)."""
    resolved = os.path.normpath(os.path.join(os.path.dirname(path), target))
    if not inside(resolved, root):
        raise ParseError(f"this file is a symbolic link stored as text (git core.symlinks=false) to '{target}', "
                         "which is outside the scanned tree", 1)
    if not os.path.isfile(resolved):
        raise ParseError(f"this file is a symbolic link stored as text (git core.symlinks=false) to '{target}', "
                         "which does not exist", 1)
    return resolved


# ---------------------------------------------------------------------------------------- structure


def subtrees(tree: Tree) -> list[Tree]:
    """Child nodes that carry meaning (no punctuation tokens, no newlines or comments)."""
    from lark import Tree

    return [c for c in tree.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]


def tokens(tree: Tree) -> list[Token]:
    from lark import Token

    return [c for c in tree.children if isinstance(c, Token)]


def name_of(node: Tree | Token) -> str:
    """An identifier, keyword or literal used as a name (attribute names, block types, bare labels)."""
    from lark import Token

    if isinstance(node, Token):
        return str(node)
    if node.data == "string":
        return "".join(_literal_text(part) for part in node.children if not isinstance(part, Token))
    return str(node.children[0])


def _literal_text(part: Tree) -> str:
    """A block label's text (labels are plain quoted strings; interpolation is not allowed there)."""
    from lark import Token

    child = part.children[0]
    return unescape(str(child)) if isinstance(child, Token) else ""


def body_of(tree: Tree, file: str) -> Body:
    """Attributes and blocks of a ``start`` or ``body`` node."""
    if tree.data == "start":
        tree = subtrees(tree)[0]
    attributes: dict[str, Attribute] = {}
    blocks: list[Block] = []
    for node in subtrees(tree):
        if node.data == "attribute":
            name_node, expr = subtrees(node)
            name = name_of(name_node)
            if name in attributes:  # terraform refuses the whole file ("Attribute redefined")
                raise ParseError(f'the argument "{name}" was already set at line {attributes[name].line}; each '
                                 "argument may be set only once", node.meta.line)
            attributes[name] = Attribute(name, expr, node.meta.line, file, node.meta.column)
        elif node.data == "block":
            parts = subtrees(node)
            body = next(p for p in parts if p.data == "body")
            labels = tuple(name_of(p) for p in parts[1:-1])
            blocks.append(Block(name_of(parts[0]), labels, body_of(body, file), node.meta.line, file, node.meta.end_line,
                                column=node.meta.column))
    return Body(attributes, tuple(blocks))


# ---------------------------------------------------------------------------------------- templates


@dataclass(frozen=True)
class Interpolation:
    """``${expr}``; ``expr`` is ``None`` when the text inside could not be parsed (``error`` says why)."""

    expr: Tree | None
    strip_before: bool = False
    strip_after: bool = False
    error: str = ""


@dataclass(frozen=True)
class Directive:
    """``%{if c}``, ``%{else}``, ``%{endif}``, ``%{for k, v in c}``, ``%{endfor}``."""

    keyword: str
    expr: Tree | None = None
    names: tuple[str, ...] = ()
    strip_before: bool = False
    strip_after: bool = False
    error: str = ""


Part = str | Interpolation | Directive

_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.DOTALL)


def unescape(text: str) -> str:
    """The value of a quoted string's literal characters (``\\n``, ``\\"``, ``\\u00e9`` ...)."""
    def replace(match: re.Match) -> str:
        code = match.group(1)
        if code[0] in "uU" and len(code) > 1:
            return chr(int(code[1:], 16))
        return _ESCAPES.get(code, "\\" + code)

    return _ESCAPE.sub(replace, text) if "\\" in text else text


def string_parts(node: Tree) -> list[Part]:
    """The template parts of a quoted string node."""
    from lark import Token

    parts: list[Part] = []
    for part in subtrees(node):
        child = part.children[0]
        if isinstance(child, Token):
            text = str(child)
            if child.type in ("ESCAPED_INTERPOLATION", "ESCAPED_DIRECTIVE"):
                parts.append(text[1:])
            else:
                parts.append(unescape(text))
        elif child.data == "interpolation":
            parts.append(Interpolation(subtrees(child)[0]))
        else:
            parts.append(_grammar_directive(child))
    return parts


def _grammar_directive(node: Tree) -> Directive:
    children = node.children
    marks = [i for i, c in enumerate(children) if getattr(c, "type", None) == "STRIP_MARKER"]
    before, after = 1 in marks, len(children) - 2 in marks
    keyword = node.data.removeprefix("template_").removesuffix("_start")
    inner = subtrees(node)
    if keyword == "for":
        names = tuple(name_of(n) for n in inner if n.data == "identifier")
        return Directive("for", inner[-1], names, before, after)
    return Directive(keyword, inner[0] if keyword == "if" else None, (), before, after)


_HEREDOC_HEADER = re.compile(r"<<(-?)([A-Za-z][\w.-]*)\r?")


def heredoc_text(token: Token) -> str:
    """A heredoc's content: markers removed, ``<<-`` bodies un-indented by their smallest indentation. Cut
    at the first and the last line rather than matched with a pattern (which backtracks over long runs of
    blanks)."""
    text = str(token)
    first = text.find("\n")
    header = _HEREDOC_HEADER.fullmatch(text[:first])
    closing = text[first + 1:].removesuffix("\n").removesuffix("\r")
    if first < 0 or header is None or not closing.endswith(header.group(2)):
        return text
    body = closing[:len(closing) - len(header.group(2))].rstrip(" \t")
    if header.group(1):
        lines = body.split("\n")
        indents = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
        cut = min(indents, default=0)
        body = "\n".join(line[cut:] for line in lines)
    return body


def template_parts(text: str) -> list[Part]:
    """Split template text (a heredoc, a ``templatefile()`` file) into literal text, interpolations and
    directives. Unclosed sequences stay literal text, as they are harmless for what tlspath reads."""
    parts: list[Part] = []
    literal: list[str] = []
    position = 0
    for match in re.finditer(r"[$%]{1,2}\{", text):
        start = match.start()
        if start < position:
            continue
        opener = match.group(0)
        if len(opener) == 3:  # $${ and %%{ are escapes
            literal.append(text[position:start] + opener[1:])
            position = match.end()
            continue
        end = closing_brace(text, match.end())
        if end is None:
            break
        literal.append(text[position:start])
        if literal:
            parts.append("".join(literal))
            literal = []
        inner = text[match.end():end]
        parts.append(_sequence(opener[0], inner))
        position = end + 1
    literal.append(text[position:])
    if "".join(literal):
        parts.append("".join(literal))
    return parts


def closing_brace(text: str, start: int) -> int | None:
    depth, index, quoted = 0, start, False
    while index < len(text):
        char = text[index]
        if quoted:
            if char == "\\":
                index += 1
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return index
            depth -= 1
        index += 1
    return None


_FOR = re.compile(r"^for\s+([A-Za-z_][\w-]*)(?:\s*,\s*([A-Za-z_][\w-]*))?\s+in\s+(.+)$", re.DOTALL)


def _sequence(kind: str, inner: str) -> Part:
    before, after = inner.startswith("~"), inner.endswith("~") and len(inner) > 1
    inner = inner[1 if before else 0: len(inner) - (1 if after else 0)].strip()
    if kind == "$":
        expr, error = parse_expression(inner)
        return Interpolation(expr, before, after, error)
    keyword = inner.split(None, 1)[0] if inner else ""
    if keyword in ("else", "endif", "endfor"):
        return Directive(keyword, None, (), before, after)
    if keyword == "if":
        expr, error = parse_expression(inner[2:])
        return Directive("if", expr, (), before, after, error)
    loop = _FOR.match(inner)
    if loop:
        expr, error = parse_expression(loop.group(3))
        names = tuple(n for n in loop.group(1, 2) if n)
        return Directive("for", expr, names, before, after, error)
    return Directive("unknown", None, (), before, after, f"unsupported template directive '%{{{inner}}}'")


def parse_expression(text: str) -> tuple[Tree | None, str]:
    """One expression written inside a template, parsed on its own."""
    try:
        tree = parse_text(f"__tlspath = (\n{text}\n)\n")
    except ParseError as exc:
        return None, f"cannot parse '${{{text.strip()[:60]}}}': {exc.message}"
    attribute = subtrees(subtrees(tree)[0])[0]
    return subtrees(attribute)[1], ""


# -------------------------------------------------------------------------------------- private keys

_TEXT_TOKENS = ("STRING_CHARS", "HEREDOC_TEMPLATE", "HEREDOC_TEMPLATE_TRIM")


def private_keys(source: SourceFile) -> Iterator[tuple[str, str, Position]]:
    """PEM private keys written as literals or heredocs: (owning block, argument path, where the key starts).

    Only text written in the file counts: ``tls_private_key.x.private_key_pem`` is generated at apply time
    and never committed, and a reference is not a literal."""
    from linter.secrets import private_key_offset

    for owner, path, expr in _expressions(source.body, "", ()):
        for token in _text_tokens(expr):
            offset = private_key_offset(str(token))
            if offset is not None:
                yield owner or os.path.basename(source.path), ".".join(path), position_in(token, offset, position(token))


def _text_tokens(expr: Tree) -> Iterator[Token]:
    from lark import Token

    for node in expr.iter_subtrees():  # iterative: a deep expression cannot exhaust the stack
        for child in node.children:
            if isinstance(child, Token) and child.type in _TEXT_TOKENS:
                yield child


def _expressions(body: Body, owner: str, path: tuple[str, ...]) -> Iterator[tuple[str, tuple[str, ...], Tree]]:
    for name, attribute in body.attributes.items():
        yield owner, (*path, name), attribute.expr
    for block in body.blocks:
        if owner:
            yield from _expressions(block.body, owner, (*path, block.type))
        else:
            yield from _expressions(block.body, block.owner, ())
