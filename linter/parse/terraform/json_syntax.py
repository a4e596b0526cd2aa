"""Terraform's JSON syntax (``.tf.json``, ``.tfvars.json``, CDK for Terraform's ``cdk.tf.json``), read into the
same blocks, attributes and expression trees as the native syntax -- so evaluation, modules, overrides and
the rules never learn which syntax a file was written in.

The mapping is Terraform's ("JSON Configuration Syntax"):

* The root object's properties are top-level block types; a block type that takes labels nests one object
  per label (``"resource": {"aws_lb": {"main": {...}}}``), and a JSON array at any of these levels lists
  several blocks in order. The innermost object is the block's body.
* In a body, a property is an argument or a nested block. Which one depends on the provider's schema, which
  tlspath does not have: an object (or an array of objects) is read as nested blocks -- the shape CDK for
  Terraform writes them in -- except for the few map-typed arguments whose value tlspath reads as a map
  (:data:`MAP_ARGUMENTS`). An array of objects means the same as an argument and as blocks, so only a lone
  object is ever ambiguous.
* Expressions: a JSON string is a string template (``"${aws_lb.main.arn}"``; a template that is one
  interpolation keeps the value's type), numbers, bools and ``null`` are literals, arrays are tuples and
  objects are objects whose keys are templates too.
* Where Terraform takes values literally (a variable's ``default`` and ``description``, a module's
  ``source`` and ``version``, the ``terraform`` block, a provider's ``alias``), strings are not templates;
  where it takes a reference or a keyword (``provider``, ``depends_on``, ``ignore_changes``, a dynamic
  block's ``iterator``, a variable's ``type``), the string is parsed as that expression.
* Properties named ``"//"`` are comments in any object that is a body or the root (CDK for Terraform writes
  its metadata there), and ordinary keys in objects that are values. In a top-level block's body, a
  ``"//"`` string (or list of strings) may hold ``tlspath:ignore`` suppressions for that block.

Every tree carries the line its JSON value (or, for numbers, bools and ``null``, its key) is written on, so
findings point into the JSON file as they point into ``.tf`` files.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from linter.model import Location
from linter.parse.documents import ParseError, line_of, position
from linter.parse.suppression_syntax import in_comment
from linter.parse.terraform.hcl import Attribute, Block, Body, closing_brace, parse_expression, subtrees

if TYPE_CHECKING:
    from lark import Tree

COMMENT = "//"

# How a property's value is read: an expression (strings are templates), a literal (strings are plain
# text), or an expression written as a string (a reference, a keyword, a type).
EXPRESSION, LITERAL, WRITTEN = "expression", "literal", "written"

# Labels each top-level block type takes (others take none).
LABELS = {"resource": 2, "data": 2, "variable": 1, "output": 1, "module": 1, "provider": 1, "check": 1}

# Arguments that are maps in every resource type that has them: an object there is a value, not a block.
MAP_ARGUMENTS = frozenset({"tags", "tags_all", "vars", "triggers", "variables", "stage_variables",
                           "request_parameters", "request_templates", "response_templates", "labels",
                           "parameters", "metadata"})

# Per body kind: the nested blocks (with their label count and body kind) and how arguments are read.
_RESOURCE_META = {"provider": WRITTEN, "depends_on": WRITTEN}
_BODIES: dict[str, tuple[dict[str, tuple[int, str]], dict[str, str], str]] = {
    # kind: (nested blocks, special arguments, other arguments)
    "resource": ({"lifecycle": (0, "lifecycle"), "dynamic": (1, "dynamic"), "provisioner": (1, "schema-less"),
                  "connection": (0, "connection")}, _RESOURCE_META, EXPRESSION),
    "schema-less": ({"dynamic": (1, "dynamic")}, {}, EXPRESSION),
    "dynamic": ({"content": (0, "schema-less")}, {"iterator": WRITTEN}, EXPRESSION),
    "lifecycle": ({"precondition": (0, "arguments"), "postcondition": (0, "arguments")},
                  {"ignore_changes": WRITTEN, "replace_triggered_by": WRITTEN}, LITERAL),
    "connection": ({}, {"type": LITERAL}, EXPRESSION),
    "module": ({}, {"source": LITERAL, "version": LITERAL, "providers": WRITTEN, "depends_on": WRITTEN},
               EXPRESSION),
    "variable": ({"validation": (0, "arguments")}, {"type": WRITTEN}, LITERAL),
    "output": ({"precondition": (0, "arguments")}, {"value": EXPRESSION, "depends_on": WRITTEN}, LITERAL),
    "provider": ({}, {"alias": LITERAL, "version": LITERAL}, EXPRESSION),
    "terraform": ({"backend": (1, "literal"), "cloud": (0, "literal"), "required_providers": (0, "literal")},
                  {}, LITERAL),
    "literal": ({}, {}, LITERAL),
    "arguments": ({}, {}, EXPRESSION),
}
_BLOCK_BODIES = {"resource": "resource", "data": "resource", "module": "module", "variable": "variable",
                 "output": "output", "provider": "provider", "terraform": "terraform"}
_SCHEMA_LESS = frozenset({"resource", "schema-less", "provider"})


def configuration_body(document: Any, file: str) -> Body:
    """The top-level blocks of a ``.tf.json`` document."""
    if not isinstance(document, dict):
        raise ParseError("a Terraform JSON file must hold one JSON object", line_of(document))
    blocks: list[Block] = []
    for kind, value in _properties(document):
        if kind == "locals":
            blocks.extend(_blocks(kind, 0, value, (), line_of(kind), file, "arguments"))
        else:
            blocks.extend(_blocks(kind, LABELS.get(kind, 0), value, (), line_of(kind), file,
                                  _BLOCK_BODIES.get(kind, "schema-less")))
    return Body({}, tuple(blocks))


def variables_body(document: Any, file: str) -> Body:
    """The variable values of a ``.tfvars.json`` document, as the attributes of one body."""
    if not isinstance(document, dict):
        raise ParseError("a variable definitions file must hold one JSON object", line_of(document))
    for name, _ in getattr(document, "repeated", ()):
        raise ParseError(f"the variable '{name}' is set twice in one file", _line(name))
    attributes = {str(name): _attribute(str(name), value, EXPRESSION, _written(name), file)
                  for name, value in document.items()}
    return Body(attributes, ())


def _properties(mapping: dict) -> Iterator[tuple[Any, Any]]:
    """A body's or label level's properties, a name written twice included (more blocks of that type)."""
    written = [*mapping.items(), *getattr(mapping, "repeated", ())]
    return ((key, value) for key, value in written if key != COMMENT)


def _written(node: Any, fallback: int | None = None) -> tuple[int, int | None]:
    """Where a node is written; one without a mark is on the fallback line (else the first), with no column."""
    line, column = position(node)
    return (line, column) if line is not None else (fallback or 1, None)


def _line(node: Any, fallback: int | None = None) -> int:
    return _written(node, fallback)[0]


def _blocks(kind: str, labels_left: int, value: Any, labels: tuple[str, ...], line: int | None, file: str,
            body_kind: str) -> Iterator[Block]:
    """The blocks one property describes: one object per label level, arrays listing several blocks."""
    if isinstance(value, list):
        for item in value:
            yield from _blocks(kind, labels_left, item, labels, _line(item, line), file, body_kind)
        return
    if not isinstance(value, dict):
        raise ParseError(f"'{kind}' needs a JSON object (or an array of objects) describing its blocks",
                         _line(value, line))
    if labels_left == 0:
        start, column = _written(value, line)
        block = Block(kind, labels, _body(value, file, body_kind), start, file, column=column)
        yield _with_suppressions(block, value[COMMENT]) if COMMENT in value else block
        return
    for label, inner in _properties(value):
        yield from _blocks(kind, labels_left - 1, inner, (*labels, str(label)), _line(label, line), file, body_kind)


def _with_suppressions(block: Block, comment: Any) -> Block:
    """A block whose ``"//"`` property -- a string, or a list of strings -- holds ``tlspath:ignore`` directives
    (:mod:`linter.parse.suppression_syntax`), located at that string."""
    texts = comment if isinstance(comment, list) else [comment]
    found = tuple(suppression for text in texts if isinstance(text, str)
                  for suppression in in_comment(text, _at(Location(block.file, *_written(text, block.line))), block.owner))
    return dataclasses.replace(block, suppressions=found) if found else block


def _at(location: Location) -> Callable[[int], Location]:
    """A JSON string is one line: every offset into it is there."""
    return lambda _offset: location


def _body(value: dict, file: str, kind: str) -> Body:
    nested, special, other = _BODIES[kind]
    attributes: dict[str, Attribute] = {}
    blocks: list[Block] = []
    for key, item in _properties(value):
        name, (line, column) = str(key), _written(key, line_of(value))
        if name in nested:
            count, body_kind = nested[name]
            blocks.extend(_blocks(name, count, item, (), line, file, body_kind))
        elif kind in _SCHEMA_LESS and name not in special and _is_block(name, item):
            blocks.extend(_blocks(name, 0, item, (), line, file, "schema-less"))
        elif name in attributes:
            raise ParseError(f"the argument '{name}' is set twice (first on line {attributes[name].line})", line)
        else:
            attributes[name] = _attribute(name, item, special.get(name, other), (line, column), file)
    return Body(attributes, tuple(blocks))


def _attribute(name: str, value: Any, mode: str, place: tuple[int, int | None], file: str) -> Attribute:
    line, column = place
    return Attribute(name, expression(value, mode, line), line, file, column)


def _is_block(name: str, value: Any) -> bool:
    """Without the provider's schema: an object, or a non-empty array of objects, is nested blocks."""
    if name in MAP_ARGUMENTS:
        return False
    if isinstance(value, dict):
        return True
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)


# ---------------------------------------------------------------------------------------- expressions


def expression(value: Any, mode: str, line: int) -> Tree:
    """The native-syntax expression tree a JSON value stands for, read in ``mode``."""
    line = line_of(value) or line
    if isinstance(value, str):
        if mode == WRITTEN:
            return _parsed(str(value), line)
        if mode == EXPRESSION and _TEMPLATE.search(value):
            return _parsed(_quoted(str(value), line), line)
        return _literal_string(str(value), line)
    if isinstance(value, bool) or value is None:
        return _term(_node("literal_value", [_token("NAME", _KEYWORDS[value], line)], line), line)
    if isinstance(value, int):
        return _term(_node("int_lit", [_token("DECIMAL", str(value), line)], line), line)
    if isinstance(value, float):
        return _term(_node("float_lit", [_token("DECIMAL", repr(value), line)], line), line)
    if isinstance(value, list):
        return _term(_node("tuple", [expression(item, mode, line) for item in value], line), line)
    if isinstance(value, dict):
        repeated = getattr(value, "repeated", ())
        if repeated:
            raise ParseError(f"the key '{repeated[0][0]}' is written twice in one object", _line(repeated[0][0], line))
        key_mode = LITERAL if mode == WRITTEN else mode
        elements = [_node("object_elem", [_node("object_elem_key", [expression(key, key_mode, _line(key, line))],
                                                 _line(key, line)),
                                           expression(item, mode, _line(key, line))], _line(key, line))
                    for key, item in value.items()]
        return _term(_node("object", elements, line), line)
    raise ParseError(f"unexpected JSON value {value!r}", line)


_KEYWORDS = {True: "true", False: "false", None: "null"}
_TEMPLATE = re.compile(r"[$%]\{")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_ESCAPED = re.compile(r'[\\"\n\r\t]')


def _escape(text: str) -> str:
    return _ESCAPED.sub(lambda match: _ESCAPES[match.group(0)], text)


def _literal_string(text: str, line: int) -> Tree:
    """A quoted string with no template sequences (its characters as the native syntax escapes them)."""
    parts = [_node("string_part", [_token("STRING_CHARS", _escape(text), line)], line)] if text else []
    return _term(_node("string", [_token("DBLQUOTE", '"', line), *parts, _token("DBLQUOTE", '"', line)], line), line)


def _quoted(text: str, line: int) -> str:
    """A JSON string template as a native quoted string: literal text escaped, ``${...}``/``%{...}``
    sequences kept as written (their own quotes are expression syntax there)."""
    out: list[str] = []
    position = 0
    for match in re.finditer(r"[$%]{1,2}\{", text):
        start = match.start()
        if start < position:
            continue
        if len(match.group(0)) == 3:  # $${ and %%{ are escapes in both syntaxes
            continue
        end = closing_brace(text, match.end())
        if end is None:
            raise ParseError(f"the template sequence '{text[start:start + 30]}' is not closed", line)
        out.append(_escape(text[position:start]))
        out.append(text[start:end + 1])
        position = end + 1
    out.append(_escape(text[position:]))
    return '"' + "".join(out) + '"'


def _parsed(text: str, line: int) -> Tree:
    """An expression written as text, parsed with the native grammar and placed on ``line``."""
    tree, error = parse_expression(text)
    if tree is None:
        raise ParseError(error, line)
    inner = subtrees(tree)  # the parentheses parse_expression wraps the text in
    expression = inner[0] if len(inner) == 1 else tree
    _place(expression, line)
    return expression


def _place(tree: Tree, line: int) -> None:
    """Put every node of a tree parsed from a JSON string on that string's line. Offsets and columns are
    dropped: they count in the parsed text, not in the file."""
    from lark import Token

    for node in tree.iter_subtrees():
        _meta(node, line)
        for child in node.children:
            if isinstance(child, Token):
                child.line, child.column, child.start_pos, child.end_pos = line, None, None, None


def _meta(node: Tree, line: int) -> None:
    meta = node.meta
    meta.empty, meta.line = False, line
    meta.column = meta.start_pos = meta.end_pos = None  # type: ignore[assignment]


def _node(data: str, children: list, line: int) -> Tree:
    from lark import Tree

    node = Tree(data, children)
    _meta(node, line)
    return node


def _term(inner: Tree, line: int) -> Tree:
    return _node("expr_term", [inner], line)


def _token(kind: str, text: str, line: int) -> Any:
    from lark import Token

    return Token(kind, text, line=line)
