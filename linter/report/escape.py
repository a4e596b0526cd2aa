"""Text from the scanned files made inert for every line-oriented sink: a terminal, stderr, a CI log.

This is the one place it is done. Every reporter that writes lines (text, github) and the CLI's stderr pass
input-derived text -- resource names, messages that quote values, file paths -- through :func:`visible`
before adding their own format's escaping. What it defuses:

* control characters (C0, DEL, C1 -- newline and ESC included) and lone surrogates: a name could otherwise
  move the cursor, recolour the terminal, start a line that looks like another finding, or crash the write;
* bidirectional overrides and isolates, and line/paragraph separators (Trojan Source, CVE-2021-42574): what
  the reader sees could otherwise differ from what the file says;
* CI log commands: a line that begins with ``::`` (GitHub workflow commands) and ``##name[`` anywhere in a
  line (GitHub's legacy ``##[command]``, which the runner honours mid-line, Azure Pipelines' ``##vso[``,
  TeamCity's ``##teamcity[``) -- a resource name must never annotate, mask, or stop command processing.

Each is shown as a visible escape (``\\x1b``, ``\\u202e``, ``##\\x5b``) rather than dropped, so the reader
sees that the file holds something unusual.

Documents (JSON, SARIF, GitLab) escape control characters by their own rules; what they cannot carry is a lone
surrogate -- no UTF-8 writer encodes one, and strict JSON readers reject its ``\\udXXX`` escape. A JSON template
or a file name can hold one, so :func:`json_document` shows each as the same visible escape.
"""

from __future__ import annotations

import json
import re
from typing import Any

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
                     "\ufffe\uffff]")
_LOG_COMMAND = re.compile(r"(##[A-Za-z0-9_-]*)\[")
_LEADING_COMMAND = re.compile(r"^(\s*):(?=:)")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_SURROGATE = re.compile("[\ud800-\udfff]")


def json_document(document: Any) -> str:
    """A report document as JSON text any reader accepts, whatever Unicode the input held."""
    return json.dumps(_well_formed(document), indent=2) + "\n"


def _well_formed(value: Any) -> Any:
    if isinstance(value, str):
        return _SURROGATE.sub(_escape, value)
    if isinstance(value, dict):
        return {_well_formed(key): _well_formed(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_well_formed(item) for item in value]
    return value


def visible(text: str) -> str:
    """``text`` with everything a terminal or a CI log would act on shown as a visible escape."""
    text = _UNSAFE.sub(_escape, text)
    text = _LOG_COMMAND.sub(r"\1\\x5b", text)
    return _LEADING_COMMAND.sub(r"\1\\x3a", text)
