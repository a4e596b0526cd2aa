"""Reading boot scripts and container commands for a backend that makes its own certificate.

Behind a TCP (pass-through) listener API Gateway validates the *backend's* certificate. A template cannot say
which certificate that is -- except when the backend visibly generates one at boot: ``openssl req -x509`` in
UserData, ``keytool -genkeypair`` in a container command. Such a certificate is self-signed (or signed by a
throw-away local CA) and API Gateway rejects it. Shared by every front end.
"""

from __future__ import annotations

import re

from linter.model import Interpolated

# A command, and the option that makes it self-signing somewhere later on the same command line (which may
# continue over backslash-newlines, never past a plain newline) -- or None when the command alone says it.
_SELF_SIGNED = tuple((re.compile(command, flags), re.compile(option) if option else None, what)
                     for command, option, what, flags in (
    (r"\bopenssl\s+req\b", r"\s-x509\b", "openssl req -x509 (a self-signed certificate)", 0),
    (r"\bopenssl\s+x509\b", r"\s-signkey\b", "openssl x509 -signkey (a self-signed certificate)", 0),
    (r"\bmake-ssl-cert\s+generate-default-snakeoil\b", None, "make-ssl-cert snakeoil (a self-signed certificate)", 0),
    (r"\bkeytool\b", r"\s-genkey(?:pair)?\b", "keytool -genkeypair (a self-signed certificate)", 0),
    (r"\bNew-SelfSignedCertificate\b", None, "New-SelfSignedCertificate (a self-signed certificate)", re.IGNORECASE),
    (r"\bcerttool\b", r"--generate-self-signed\b", "certtool --generate-self-signed", 0),
    (r"\bmkcert\s+(?!-install\b)\S", None, "mkcert (a local development CA)", 0),
))
_COMMAND_LINE = re.compile(r"[^\n\\]*(?:\\[\s\S][^\n\\]*)*")  # the rest of a command line, continuations included
_OPTION_REACH = 64  # characters past the end of a line an option pattern may look at (its own length, a \b)


_GAP = "\x00"  # a value only known at deploy time, inside a script: no command pattern matches across it


def script_text(value: object) -> str:
    """The text of an evaluated script as far as the files give it: a value only known at deploy time (a
    pseudo parameter, a resource attribute) is unknown only where it stands, so a command written out around it
    still shows (``--region ${AWS::Region}`` on one line hides nothing on the next)."""
    if isinstance(value, str):
        return value
    if isinstance(value, Interpolated):
        return "".join(part if isinstance(part, str) else _GAP for part in value.parts)
    return ""


def offset_of(what: str, text: str) -> int | None:
    """Where the command :func:`find_self_signed` described as ``what`` is written in ``text`` (a script as
    the file writes it, with its ``${...}`` and pieces): how a finding is put at the command's own line."""
    for command, option, described in _SELF_SIGNED:
        if described == what:
            return _first(command, option, text)
    return None


def find_self_signed(text: str) -> tuple[str, int] | None:
    """The first command in ``text`` that makes a certificate no public CA signed: (description, offset)."""
    hits = [(offset, what) for command, option, what in _SELF_SIGNED
            for offset in [_first(command, option, text)] if offset is not None]
    if not hits:
        return None
    offset, what = min(hits)
    return what, offset


def _first(command: re.Pattern[str], option: re.Pattern[str] | None, text: str) -> int | None:
    """Where the first ``command`` with ``option`` on its command line starts. Each line is read once: a
    single pattern with a lazy argument list would rescan the rest of the line from every mention of the
    command (quadratic in a long line that repeats it)."""
    found = command.search(text)
    while found is not None:
        if option is None:
            return found.start()
        line_end = _COMMAND_LINE.match(text, found.end()).end()  # type: ignore[union-attr]
        hit = option.search(text, found.end(), line_end + _OPTION_REACH)
        if hit is not None and hit.start() <= line_end:
            return found.start()
        found = command.search(text, line_end)  # a later mention on the same line sees less of it
    return None
