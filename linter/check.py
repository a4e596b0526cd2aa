"""``tlspath --check-certificate FILE.pem [--host NAME]``: a certificate chain in hand, judged as API Gateway
judges it on a path.

For someone staring at "General SSLEngine problem" with the backend's certificate in hand: the file holds the
server certificate first, then the chain as the server sends it (intermediates, optionally the root). The
verdicts are the certificate rules' own (:meth:`linter.rule.Rule.check_presented`, the judgement each
certificate of a path gets), against the same trust store, in the same report formats and exit codes as a scan.
Without ``--host`` no host name is verified (E9503 needs one).
"""

from __future__ import annotations

from collections.abc import Iterable

from linter.certs import facts_of, problems_in_brief, read_certificates, trusting
from linter.files import Unreadable, read_bounded
from linter.engine import judge_presented
from linter.findings import InputError, ScanResult
from linter.model import Certificate, CertificateSource, Location
from linter.path import Presented
from linter.rule import Rule, Settings

MAX_BYTES = 1024 * 1024  # a certificate chain is a few kilobytes


def check_certificate(path: str, host: str | None, rules: Iterable[type[Rule]], settings: Settings) -> ScanResult:
    """The findings about the chain in ``path``; a file that is not a readable PEM chain is one input error."""
    with trusting(settings.trust_store):
        certificate = _read(path)
        if isinstance(certificate, InputError):
            return ScanResult((), (certificate,), files=0, paths=())
        shown = Presented(certificate, f"the certificate in {path}", "", "API Gateway", host.lower() if host else None)
        analysis = judge_presented(shown, rules, settings)
    return ScanResult(analysis.findings, analysis.errors, files=1, paths=())


def _read(path: str) -> Certificate | InputError:
    try:
        data = read_bounded(path, MAX_BYTES)
    except Unreadable as exc:
        return InputError(path, None, f"cannot read the certificate file ({exc})")
    certificates, problems = read_certificates(data, "the file")
    if problems or not certificates:
        return InputError(path, None, problems_in_brief(problems) or "the file holds no certificate")
    first_line = data[:data.find(b"-----BEGIN")].count(b"\n") + 1
    return Certificate(key=f"file:{path}", name=path, loc=Location(path, first_line),
                       source=CertificateSource.PEM_FILE, facts=facts_of(certificates[0], certificates[1:]))
