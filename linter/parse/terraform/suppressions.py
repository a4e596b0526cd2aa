"""``tlspath:ignore`` comments in Terraform files, attached to the top-level block they stand on: a comment
inside the block (nested blocks and expressions included), or right above it -- on the line before, or
in a run of comment lines ending there. The directive's syntax is :mod:`linter.parse.suppression_syntax`'s.

Comments are read from python-hcl2's parse tree, where each is a token with its line, so a ``#`` inside a
string or a heredoc is never taken for one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from linter.model import Location, Suppression
from linter.parse.documents import position_in
from linter.parse.suppression_syntax import MARKER, in_comment
from linter.parse.terraform.hcl import Block, Body

if TYPE_CHECKING:
    from lark import Token, Tree

_COMMENT_STARTS = ("#", "//", "/*")


def in_comments(tree: Tree, text: str, body: Body, file: str) -> tuple[Body, tuple[Suppression, ...]]:
    """The body (of ``tree``, parsed from ``text``) with each top-level block carrying its suppressions, and
    every suppression of the file."""
    comments = _comments(tree, text)
    own_lines = {line for token, own in comments if own for line in range(token.line or 1, _last_line(token) + 1)}
    attached: dict[int, list[Suppression]] = {}
    found: list[Suppression] = []
    for token, own in comments:
        if MARKER not in token:
            continue
        index = _block_of(body.blocks, token, own, own_lines)
        block = body.blocks[index] if index is not None else None
        here = in_comment(str(token), _locator(file, token), block.owner if block is not None else "")
        if block is not None:  # a finding whose line is in the block is on it (a command in its user_data)
            here = [dataclasses.replace(s, declaration=(block.line, block.end_line or block.line)) for s in here]
        found.extend(here)
        if index is not None:
            attached.setdefault(index, []).extend(here)
    blocks = tuple(dataclasses.replace(block, suppressions=(*block.suppressions, *attached[index]))
                   if index in attached else block for index, block in enumerate(body.blocks))
    return Body(body.attributes, blocks), tuple(found)


def _locator(file: str, token: Token) -> Callable[[int], Location]:
    """Where an offset into a comment's text is in the file (a /* */ comment spans lines)."""
    return lambda offset: Location(file, *position_in(token, offset, (token.line or 1, token.column)))


def _comments(tree: Tree, text: str) -> list[tuple[Token, bool]]:
    """Every comment token, and whether it starts its line (nothing but blanks before it)."""
    from lark import Token

    found: list[tuple[Token, bool]] = []
    for token in tree.scan_values(lambda value: isinstance(value, Token) and value.type == "NL_OR_COMMENT"):
        text = str(token).lstrip()
        if text.startswith(_COMMENT_STARTS):
            found.append((token, _starts_line(token, text)))
    return found


def _starts_line(token: Token, text: str) -> bool:
    start = token.start_pos or 0
    return not text[text.rfind("\n", 0, start) + 1:start].strip()


def _last_line(token: Token) -> int:
    return (token.line or 1) + str(token).rstrip("\n").count("\n")


def _block_of(blocks: tuple[Block, ...], token: Token, own: bool, own_lines: set[int]) -> int | None:
    """The index of the block a comment stands on, if any."""
    line = token.line or 0
    for index, block in enumerate(blocks):
        if block.line <= line <= (block.end_line or block.line):
            return index
    if not own:
        return None
    last = _last_line(token)
    following = [(block.line, index) for index, block in enumerate(blocks) if block.line > last]
    if not following:
        return None
    start, index = min(following)
    return index if all(between in own_lines for between in range(last + 1, start)) else None
