"""Reading boot scripts and container commands for a backend that makes its own certificate, or that accepts
only TLS 1.3.

Behind a TCP (pass-through) listener API Gateway validates the *backend's* certificate. A template cannot say
which certificate that is -- except when the backend visibly generates one at boot: ``openssl req -x509`` in
UserData, ``keytool -genkeypair`` in a container command. Such a certificate is self-signed (or signed by a
throw-away local CA) and API Gateway rejects it. Shared by every front end.

Only a command that runs is evidence: the same words in a comment (``#``, PowerShell ``<# #>``), in text that is
only printed (``echo``, ``printf``) or in a here-document written to a file nothing runs say nothing about the
certificate served. Nor does a self-signed certificate for ``localhost`` (a loopback sidecar's), or one made
beside a certificate the script obtains elsewhere (certbot, ACM export, Secrets Manager, S3): the files then do
not say which one the target port serves, and the honest verdict is the weaker one (W9502), never an error.

A server configured for TLS 1.3 alone (nginx ``ssl_protocols TLSv1.3;``, Apache ``SSLProtocol -all +TLSv1.3``,
HAProxy ``ssl-min-ver TLSv1.3`` on a bind, Envoy's downstream ``tls_minimum_protocol_version: TLSv1_3``) fails
API Gateway's TLS 1.2 handshake whatever its certificate. Configuration is written to files, so a directive
counts wherever it stands except in a comment -- and not at all where the script also mentions TLS 1.2 (another
server block may be the one the port serves), nor another server's directive beside an Envoy TLS context (the port
may be Envoy's); an Envoy setting counts only inside its listener's ``DownstreamTlsContext``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from linter.model import EvidenceKind, Interpolated, TlsSign

# A command, and the option that makes it self-signing somewhere later on the same command line (which may
# continue over backslash-newlines, never past a plain newline) -- or None when the command alone says it.
_SELF_SIGNED = tuple((re.compile(command, flags), re.compile(option) if option else None,
                      TlsSign(EvidenceKind.SELF_MADE, what)) for command, option, what, flags in (
    (r"\bopenssl\s+req\b", r"\s-x509\b", "openssl req -x509 (a self-signed certificate)", 0),
    (r"\bopenssl\s+x509\b", r"\s-signkey\b", "openssl x509 -signkey (a self-signed certificate)", 0),
    (r"\bmake-ssl-cert\s+generate-default-snakeoil\b", None, "make-ssl-cert snakeoil (a self-signed certificate)", 0),
    (r"\bkeytool\b", r"\s-genkey(?:pair)?\b", "keytool -genkeypair (a self-signed certificate)", 0),
    (r"\bNew-SelfSignedCertificate\b", None, "New-SelfSignedCertificate (a self-signed certificate)", re.IGNORECASE),
    (r"\bcerttool\b", r"--generate-self-signed\b", "certtool --generate-self-signed", 0),
    (r"\bmkcert\s+(?!-install\b)\S", None, "mkcert (a local development CA)", 0),
))
# A server directive that leaves TLS 1.3 alone, matched on one line (MULTILINE anchors): what it is, and the
# setting in the same server's words that accepts TLS 1.2 as well.
_HAPROXY_BIND = r"^[ \t]*(?:bind|ssl-default-bind-options)\b[^\n]*?"
# A directive is configuration where a line (or, in nginx, a statement) starts with it, or where echo/printf
# writes such a line into a file -- not a pattern a command searches for (`sed -i '/ssl_protocols .../d'`, grep).
_WRITTEN = r"(?:(?:echo|printf)[ \t]+(?:-e[ \t]+)?['\"]?)?"
_TLS13_ONLY = tuple((re.compile(directive, re.MULTILINE | re.IGNORECASE),
                     TlsSign(EvidenceKind.TLS13_ONLY, f"{server} {what}", server, accepts_tls12))
                    for directive, server, what, accepts_tls12 in (
    (rf"(?:^|[;{{])[ \t]*{_WRITTEN}(?P<at>ssl_protocols)[ \t]+TLSv1\.3[ \t]*;", "nginx", "ssl_protocols TLSv1.3",
     "ssl_protocols TLSv1.2 TLSv1.3;"),
    (rf"^[ \t]*{_WRITTEN}(?P<at>SSLProtocol)[ \t]+(?:-all[ \t]+)?\+?TLSv1\.3[ \t]*(?=$|[\"'])", "Apache", "SSLProtocol TLSv1.3",
     "SSLProtocol -all +TLSv1.2 +TLSv1.3"),
    (rf"{_HAPROXY_BIND}\bssl-min-ver[ \t]+TLSv1\.3\b", "HAProxy", "ssl-min-ver TLSv1.3", "ssl-min-ver TLSv1.2"),
    (rf"{_HAPROXY_BIND}\bforce-tlsv13\b", "HAProxy", "force-tlsv13", "remove force-tlsv13; ssl-min-ver TLSv1.2"),
    (r"\btls_minimum_protocol_version[\"']?[ \t]*[:=][ \t]*[\"']?TLSv1_3\b", "Envoy",
     "tls_minimum_protocol_version TLSv1_3", "tls_minimum_protocol_version: TLSv1_2"),
))
_TLS12_MENTIONED = re.compile(r"TLSv1[._]2|tlsv12", re.IGNORECASE)
# What scopes a directive to one of several servers, which the script does not tie to the target's port: more
# than one TLS listening port (nginx `listen ... ssl`, HAProxy `bind ... ssl`, Apache virtual hosts and `Listen`
# other than 80), a protocol setting of the same server that the directive does not match (a global
# `SSLProtocol all` beside a virtual host's), or nginx's `stream` module (a TCP server beside the HTTP one).
_TLS_PORTS = tuple(re.compile(pattern, re.MULTILINE | re.IGNORECASE) for pattern in (
    r"(?:^|[;{])[ \t]*listen[ \t]+(?:\S*:)?(\d+)\b[^;\n]*\bssl\b",
    r"^[ \t]*bind[ \t]+\S*:(\d+)\b[^\n]*\bssl\b",
    r"<VirtualHost[^>\n]*:(\d+)[ \t]*>",
    r"^[ \t]*Listen[ \t]+(?:\S*:)?(?!80\b)(\d+)\b",
))
_PROTOCOL_SETTINGS = {"nginx": re.compile(rf"(?:^|[;{{])[ \t]*{_WRITTEN}ssl_protocols\b", re.MULTILINE),
                      "Apache": re.compile(rf"^[ \t]*{_WRITTEN}SSLProtocol\b", re.MULTILINE | re.IGNORECASE)}
_NGINX_STREAM = re.compile(r"(?:^|[;{\s])stream[ \t]*\{", re.MULTILINE)
# Envoy's TLS context types: a directive is its listener's (downstream) only when the nearest context type before
# it is DownstreamTlsContext and no other transport socket starts in between (keys written in another order, a
# cluster's UpstreamTlsContext after it: then the text does not say, and it is no evidence).
_ENVOY_TLS = re.compile(r"\b(?:Downstream|Upstream)TlsContext\b")
_ENVOY_CONTEXT = re.compile(rf"{_ENVOY_TLS.pattern}|\btyped_config\b|\btransport_socket\b")

# Obtaining a certificate a public CA may have signed: with it in the script, a self-made one may not be served.
_OBTAINED = tuple((re.compile(command), re.compile(option) if option else None) for command, option in (
    (r"\bcertbot\b", None),
    (r"\bacme\.sh\b", None),
    (r"\baws\s+acm\s+export-certificate\b", None),
    (r"\baws\s+(?:secretsmanager|ssm|s3|s3api)\s", r"\.(?:pem|crt|cer|p12|pfx|jks)\b|\b(?:tls|ssl|cert\w*)\b"),
))
_FOR_LOOPBACK = re.compile(r"(?:CN\s*=|DNS:|-DnsName\s+)[\"']?(?:localhost|127\.0\.0\.1|::1)\b", re.IGNORECASE)
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


def offset_of(sign: TlsSign, text: str) -> int | None:
    """Where the command or directive :func:`find_evidence` found as ``sign`` is written in ``text`` (a script
    as the file writes it, with its ``${...}`` and pieces): how a finding is put at its own line."""
    for command, option, described in _SELF_SIGNED:
        if described == sign:
            return _first(command, option, text)
    for directive, described in _TLS13_ONLY:
        if described == sign:
            return _configured(directive, text)
    return None


def find_evidence(text: str) -> tuple[TlsSign, int] | None:
    """What ``text`` shows of the TLS a backend serves: a TLS-1.3-only configuration (which fails whatever the
    certificate), else a certificate of its own making -- (sign, offset)."""
    return find_tls13_only(text) or find_self_signed(text)


def find_tls13_only(text: str) -> tuple[TlsSign, int] | None:
    """The first directive in ``text`` that leaves a server TLS 1.3 alone, unless TLS 1.2 is in play too (or an
    Envoy beside another server, which may be the one on the port)."""
    hits = [(offset, sign) for directive, sign in _TLS13_ONLY
            for offset in [_configured(directive, text)] if offset is not None]
    if not hits or any(_runs(text, found.start(), (), commands=False) for found in _TLS12_MENTIONED.finditer(text)):
        return None
    offset, sign = min(hits, key=lambda hit: hit[0])
    if _scoped_elsewhere(text, sign):
        return None
    if sign.server != "Envoy":
        return None if _ENVOY_TLS.search(text) else (sign, offset)  # with an Envoy beside it, the port may be Envoy's
    if not _in_downstream_context(text, offset):
        return None  # an Envoy setting on its client side (upstream) says nothing of what it serves
    return sign, offset


def _scoped_elsewhere(text: str, sign: TlsSign) -> bool:
    """Whether the script may serve the target's port from a server the directive does not configure: the
    directive then proves nothing about that port, and no error is claimed (R7-1)."""
    ports = {found.group(1) for pattern in _TLS_PORTS for found in pattern.finditer(text)
             if _runs(text, found.start(), (), commands=False)}
    settings = _PROTOCOL_SETTINGS.get(sign.server or "")
    others = settings is not None and len([found for found in settings.finditer(text)
                                           if _runs(text, found.start(), (), commands=False)]) > 1
    return len(ports) > 1 or others or (sign.server == "nginx" and _NGINX_STREAM.search(text) is not None)


def _in_downstream_context(text: str, offset: int) -> bool:
    """Whether the Envoy setting at ``offset`` belongs to a ``DownstreamTlsContext`` (what the listener serves)."""
    before = [found.group(0) for found in _ENVOY_CONTEXT.finditer(text, 0, offset)]
    return bool(before) and before[-1] == "DownstreamTlsContext"


def _configured(directive: re.Pattern[str], text: str) -> int | None:
    """Where the first ``directive`` outside a comment starts."""
    return next((_directive_start(found) for found in directive.finditer(text)
                 if _runs(text, found.start(), (), commands=False)), None)


def _directive_start(found: re.Match[str]) -> int:
    """Where the directive itself starts: a pattern that also matches what may stand before it on the line
    (indentation, an ``echo``) names the directive ``at``."""
    return found.start("at") if "at" in found.re.groupindex else found.start()


def find_self_signed(text: str) -> tuple[TlsSign, int] | None:
    """The first command in ``text`` that makes the certificate the backend serves, one no public CA signed:
    (sign, offset) -- ``None`` when the script obtains another certificate too (which one is served the
    files do not say)."""
    silent = _silent_spans(text)
    hits = [(offset, sign) for command, option, sign in _SELF_SIGNED
            for offset in [_first(command, option, text, silent, served=True)] if offset is not None]
    if not hits or any(_first(command, option, text, silent) is not None for command, option in _OBTAINED):
        return None
    offset, sign = min(hits, key=lambda hit: hit[0])
    return sign, offset


def _first(command: re.Pattern[str], option: re.Pattern[str] | None, text: str,
           silent: tuple[tuple[int, int], ...] | None = None, served: bool = False) -> int | None:
    """Where the first ``command`` that runs, with ``option`` on its command line, starts (``served``: and
    does not make a certificate for localhost). Each line is read once: a single pattern with a lazy argument
    list would rescan the rest of the line from every mention of the command (quadratic in a long line that
    repeats it)."""
    silent = _silent_spans(text) if silent is None else silent
    found = command.search(text)
    while found is not None:
        line_end = _COMMAND_LINE.match(text, found.end()).end()  # type: ignore[union-attr]
        hit = option.search(text, found.end(), line_end + _OPTION_REACH) if option is not None else None
        if ((option is None or (hit is not None and hit.start() <= line_end)) and _runs(text, found.start(), silent)
                and not (served and _FOR_LOOPBACK.search(text, found.end(), line_end))):
            return found.start()
        found = command.search(text, line_end)  # a later mention on the same line sees less of it
    return None


def command_lines(command: re.Pattern[str], text: str) -> Iterator[str]:
    """Each command line of ``text`` (continuations included) from a ``command`` that runs: how a front end
    reads the options a boot script passes to a helper it runs (cfn-init's ``--resource``), with the same idea
    of what runs as the evidence itself."""
    silent = _silent_spans(text)
    found = command.search(text)
    while found is not None:
        line_end = _COMMAND_LINE.match(text, found.end()).end()  # type: ignore[union-attr]
        if _runs(text, found.start(), silent):
            yield text[found.start():line_end]
        found = command.search(text, line_end)


# ------------------------------------------------------------------------------- what runs

_HEREDOC = re.compile(r"<<-?[ \t]*(['\"]?)([A-Za-z_][\w.-]*)\1")
_SHELL = re.compile(r"(?:^|[|\s])(?:sudo\s+(?:-\S+\s+)*)?(?:bash|sh|zsh|ksh|dash|pwsh|powershell)\b(?!\S)")
_WRITTEN_TO = re.compile(r"(?:>>?|\btee\s+(?:-a\s+)?)[ \t]*['\"]?([^\s'\";|&<>]+)")
_SEPARATOR = re.compile(r"&&|\|\||\$\(|[;|&(){}`]|\b(?:then|do|else)\s")
_PRINTS = re.compile(r"(?:echo|printf|Write-(?:Host|Output|Information|Verbose)|logger)\b", re.IGNORECASE)


def _silent_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The shell here-document bodies in ``text`` that are written to a file nothing names later (so never
    run); an HCL heredoc (``user_data = <<-EOT``) is the script itself. Each opener is read once, and the
    search for the next starts past the body it opens."""
    spans = []
    position = 0
    while (opener := _HEREDOC.search(text, position)) is not None:
        body = text.find("\n", opener.end()) + 1 or len(text)
        end = re.compile(rf"^[ \t]*{re.escape(opener.group(2))}[ \t]*$", re.MULTILINE).search(text, body)
        stop = end.end() if end is not None else len(text)
        line = text[text.rfind("\n", 0, opener.start()) + 1:body]
        before = line[:opener.start() - body + len(line)].rstrip()
        target = _WRITTEN_TO.search(line)
        if before and before[-1] not in "=(,[:" and not _SHELL.search(line) and not (
                target is not None and _named_later(target.group(1), text[stop:])):
            spans.append((body, stop))
        position = stop
    return tuple(spans)


def _named_later(name: str, rest: str) -> bool:
    """Whether the file a here-document writes is named, as a word (``run.sh``, ``./run.sh``; not ``rerun.sh``),
    in the script after it -- so it may be run."""
    return re.search(rf"(?<![\w/.-])(?:\./)?{re.escape(name)}(?![\w.-])", rest) is not None


def _runs(text: str, offset: int, silent: tuple[tuple[int, int], ...], commands: bool = True) -> bool:
    """Whether the words at ``offset`` are a command a shell runs: not in a comment, not an argument of
    ``echo``/``printf``, not in a here-document written to a file nothing runs (``commands=False``: only not in
    a comment -- configuration is written, not run)."""
    if any(start <= offset < stop for start, stop in silent):
        return False
    if text.rfind("<#", 0, offset) > text.rfind("#>", 0, offset):  # a PowerShell block comment
        return False
    line = text[text.rfind("\n", 0, offset) + 1:offset]
    segment, quote = 0, ""
    for index, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1].isspace()):
            return False  # a comment: shell, cloud-config, PowerShell, nginx, Apache, HAProxy
        elif (separator := _SEPARATOR.match(line, index)) is not None:
            segment = separator.end()
    return not commands or not _PRINTS.match(line[segment:].lstrip(" \t-[\"'"))
