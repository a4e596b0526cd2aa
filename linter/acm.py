"""ACM enrichment: certificates a path names only by ARN, looked up read-only (``--acm``) or read back from a
snapshot (``--acm-snapshot FILE``).

Only ``acm:DescribeCertificate`` (every certificate) and ``acm:GetCertificate`` (``IMPORTED`` ones, so their
real body and chain go through :func:`linter.certs.facts_from_pem`) are called, each ARN once per run, in the
ARN's own region, a few at a time. boto3 is imported here and only here, so a run without ``--acm`` never
loads it and makes no network call.

Nothing that goes wrong here is the user's templates' fault: no credentials, access denied, throttling or an
unreachable endpoint become one warning line per cause, the certificates concerned stay unresolved hops
(I9513), and the run finishes normally. An endpoint that stalls, trickles bytes or sends gigabytes costs
seconds: every call of a run shares one deadline (:data:`DEADLINE`), and a response is read up to
:data:`MAX_RESPONSE` bytes. What ACM answers and what a snapshot holds pass the same schema (:func:`_well_formed`).

Snapshot semantics (docs/certificates.md has the format):

* ``--acm``: fetch;
* ``--acm --acm-snapshot FILE``: fetch, then (over)write FILE with what was fetched;
* ``--acm-snapshot FILE``: read FILE instead of calling AWS -- no credentials, no network.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import queue
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from linter.certs import facts_from_pem
from linter.files import Unreadable, read_bounded
from linter.model import (
    Certificate, CertificateFacts, CertificateSource, Choice, Listener, ListenerCertificate, Location, Model, Trust,
    Unknown, known_str,
)
from linter.path import IAM_CERTIFICATE_ARN
from linter.spelling import Spelling
from linter.walk import World, build_paths

SNAPSHOT_FORMAT = "tlspath-acm-snapshot"
SNAPSHOT_VERSION = 1
WORKERS = 8
CONNECT_TIMEOUT, READ_TIMEOUT = 3, 10  # seconds; retries follow botocore's standard mode (3 attempts)
DEADLINE = 20.0  # seconds all the ACM calls of one run may take together
MAX_RESPONSE = 1024 * 1024  # bytes of one ACM response (a certificate and its chain are a few kilobytes)
MAX_SNAPSHOT = 16 * 1024 * 1024  # bytes of a snapshot file
MAX_FIELD = 256 * 1024  # characters of one string in a record (a PEM chain included)
MAX_NAMES = 1000  # subject alternative names of one certificate (ACM allows 100)

_ACM_ARN = re.compile(r"^arn:aws[a-z-]*:acm:(?P<region>[a-z]{2}(-[a-z]+)+-\d+):\d{12}:certificate/[\w-]+$")
# The DescribeCertificate fields tlspath reads (and a snapshot keeps): no InUseBy, no tags.
_DESCRIBE_FIELDS = ("CertificateArn", "Type", "Status", "DomainName", "SubjectAlternativeNames", "Subject", "Issuer",
                    "KeyAlgorithm", "NotBefore", "NotAfter", "CertificateAuthorityArn")
_USABLE_STATUS = ("ISSUED", "EXPIRED")  # EXPIRED is judged (E9504); the others are not judged at all

Record = dict[str, Any]  # one certificate as fetched: {"describe": {...}, "certificate": PEM, "certificate_chain": PEM}
Lookup = Callable[[str], "Certificate | Unknown | None"]


@dataclass(frozen=True)
class AcmSettings:
    """Where certificates known only by ARN come from (``--acm``, ``--acm-snapshot``, ``--profile``)."""

    fetch: bool = False  # ask ACM (read-only)
    snapshot: str | None = None  # JSON file: with fetch, write what was fetched to it; without, read from it
    profile: str | None = None  # AWS profile for fetch


def certificate_lookup(models: list[Model], settings: AcmSettings) -> tuple[Lookup, list[str]]:
    """The lookup the walk calls for literal certificate ARNs, and the warnings to print (one per cause).

    The lookup answers a :class:`Certificate`, or -- for an ARN that was asked for and not found -- an
    :class:`Unknown` saying why, so the I9513 finding does not tell the user to run what they just ran."""
    wanted = arns_on_paths(models)
    acm_arns = [arn for arn in wanted if _ACM_ARN.match(arn)]
    warnings = _not_in_acm([arn for arn in wanted if IAM_CERTIFICATE_ARN.match(arn)])
    unresolved: dict[str, Unknown] = {}
    if settings.fetch:
        records, failures = fetch(acm_arns, settings.profile)
        warnings += [_warning(cause, arns) for cause, arns in failures]
        for cause, arns in failures:
            unresolved.update((arn, Unknown(f"certificate {arn} could not be looked up in ACM: {cause.text}",
                                            "fix what the --acm warning names, or use --acm-snapshot")) for arn in arns)
        if settings.snapshot and any(cause.fatal for cause, _ in failures):
            warnings.append(f"--acm-snapshot: {settings.snapshot} is left as it was, since ACM could not be asked")
        elif settings.snapshot:
            warnings += write_snapshot(settings.snapshot, records)
    else:
        records, read_warnings = _from_snapshot(settings.snapshot or "", acm_arns)
        warnings += read_warnings
        unresolved.update((arn, Unknown(f"certificate {arn} is not in the snapshot {settings.snapshot}",
                                        f"refresh it with --acm --acm-snapshot {settings.snapshot}"))
                          for arn in acm_arns if arn not in records)
    certificates: dict[str, Certificate | Unknown] = dict(unresolved)
    certificates.update((arn, certificate_from_record(arn, records[arn], wanted[arn]))
                        for arn in acm_arns if arn in records)
    return certificates.get, warnings


# ------------------------------------------------------------------------------------- which ARNs


def arns_on_paths(models: list[Model]) -> dict[str, Location]:
    """Every literal certificate ARN the paths of the run reach, with the first place one is written.

    The walk itself decides which certificates are on a path (default certificate, SNI list, both branches
    of a condition); a dry walk with a recording lookup asks it. Certificates of listeners no API Gateway
    path reaches are never fetched.
    """
    reached: dict[str, None] = {}

    def record(arn: str) -> None:
        reached.setdefault(arn)

    for _ in build_paths(World(models, record)):
        pass
    written = dict(_written_arns(models))
    return {arn: written.get(arn, Location(models[0].source if models else "")) for arn in reached}


def _written_arns(models: Iterable[Model]) -> Iterator[tuple[str, Location]]:
    for model in models:
        for resource in model.resources.values():
            if isinstance(resource, (Listener, ListenerCertificate)):
                for value in resource.certificates:
                    for text in _literals(value):
                        yield text, resource.at("certificates")


def _literals(value: Any) -> Iterator[str]:
    if isinstance(value, Choice):
        yield from _literals(value.if_true)
        yield from _literals(value.if_false)
    elif known_str(value) is not None:
        yield str(known_str(value))


def _not_in_acm(iam_arns: list[str]) -> list[str]:
    if not iam_arns:
        return []
    return [f"--acm: {_count(iam_arns, 'IAM server certificate')} known only by ARN stay"
            f"{'s' if len(iam_arns) == 1 else ''} unresolved (I9513): ACM does not hold IAM certificates: "
            f"{_some(iam_arns)}"]


# ------------------------------------------------------------------------------------------- fetch


@dataclass(frozen=True)
class _Cause:
    """Why a certificate could not be fetched, worded for a warning line; ``fatal`` stops further calls to the
    same region (no point asking an unreachable endpoint 50 times)."""

    key: str
    text: str
    fatal: bool = False


Failures = list[tuple[_Cause, list[str]]]


def fetch(arns: list[str], profile: str | None) -> tuple[dict[str, Record], Failures]:
    """DescribeCertificate for every ARN (GetCertificate too for IMPORTED ones), concurrently, each once; what
    was fetched, and the ARNs that failed grouped by cause."""
    if not arns:
        return {}, []
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError

    try:
        session = boto3.session.Session(profile_name=profile)
    except BotoCoreError as exc:  # ProfileNotFound and friends
        return {}, [(_Cause("session", str(exc), fatal=True), list(arns))]
    deadline = time.monotonic() + DEADLINE
    config = Config(retries={"mode": "standard"}, connect_timeout=CONNECT_TIMEOUT, read_timeout=READ_TIMEOUT,
                    max_pool_connections=WORKERS)
    clients: dict[str, Any] = {}
    failed: dict[str, tuple[_Cause, list[str]]] = {}
    regions = {arn: match.group("region") for arn in arns if (match := _ACM_ARN.match(arn))}  # all (see caller)
    for region in dict.fromkeys(regions.values()):
        try:
            clients[region] = session.client("acm", region_name=region, config=config)
            clients[region].meta.events.register("before-send.acm", _bounded_send(clients[region], deadline))
        except Exception as exc:  # noqa: BLE001 -- any failure to set up a client is a warning, not a crash
            cause = _cause(exc, None)
            for arn in (a for a in arns if regions[a] == region):
                failed.setdefault(cause.key, (cause, []))[1].append(arn)
    broken: dict[str, _Cause] = {}

    def one(arn: str) -> tuple[str, Record | None, _Cause | None]:
        region = regions[arn]
        stop = broken.get(region) or broken.get("*")
        if stop is not None:
            return arn, None, stop
        record, cause = _fetch_one(clients[region], arn)
        if cause is not None and cause.fatal:
            broken[region if cause.key.startswith("unreachable") else "*"] = cause
        return arn, record, cause

    records: dict[str, Record] = {}
    todo = [arn for arn in arns if regions[arn] in clients]
    for arn, record, problem in _until(deadline, one, todo, broken):
        if record is not None:
            records[arn] = record
        if problem is not None:
            failed.setdefault(problem.key, (problem, []))[1].append(arn)
    order = {arn: index for index, arn in enumerate(arns)}  # answers come as they arrive; warnings list in order
    return records, [(cause, sorted(failures, key=order.__getitem__)) for cause, failures in failed.values()]


def _until(deadline: float, one: Callable[[str], tuple[str, Record | None, _Cause | None]], todo: list[str],
           broken: dict[str, _Cause]) -> Iterator[tuple[str, Record | None, _Cause | None]]:
    """``one(arn)`` for every ARN, a few at a time, as long as the run's deadline allows. Workers are daemon
    threads: one stuck in a read that never ends (a server trickling a byte at a time) is left behind, and the
    ARNs not answered in time fail with one cause -- the run goes on."""
    work: queue.SimpleQueue[str] = queue.SimpleQueue()
    answers: queue.SimpleQueue[tuple[str, Record | None, _Cause | None]] = queue.SimpleQueue()
    for arn in todo:
        work.put(arn)

    def worker() -> None:  # an ARN whose region or run is already broken is answered at once (see one())
        while True:
            try:
                arn = work.get_nowait()
            except queue.Empty:
                return
            answers.put(one(arn))

    for _ in range(min(WORKERS, len(todo))):
        threading.Thread(target=worker, name="tlspath-acm", daemon=True).start()
    waiting = set(todo)
    while waiting:
        try:
            answer = answers.get(timeout=max(deadline - time.monotonic(), 0))
        except queue.Empty:
            break
        waiting.discard(answer[0])
        yield answer
    late = _Cause("deadline", f"ACM did not answer within {DEADLINE:g} s (all calls of a run share that much time)",
                  fatal=True)
    broken["*"] = broken.get("*") or late
    yield from ((arn, None, late) for arn in todo if arn in waiting)


class ResponseTooLarge(Exception):
    """An ACM response past :data:`MAX_RESPONSE` bytes."""


def _bounded_send(client: Any, deadline: float) -> Callable[..., Any]:
    """A ``before-send`` handler that sends the request with the client's own HTTP session (its proxies,
    certificate bundle and timeouts) but reads the body itself: at most :data:`MAX_RESPONSE` bytes, and not
    past the run's deadline."""
    from botocore.awsrequest import AWSResponse

    session = client._endpoint.http_session  # botocore keeps its HTTP session there

    def send(request: Any, **_: Any) -> Any:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the {DEADLINE:g} s for ACM calls are over")
        request.stream_output = True  # the session returns at the headers; the body is read below
        response = session.send(request)
        return AWSResponse(response.url, response.status_code, response.headers, _Body(_read(response, deadline)))

    return send


def _read(response: Any, deadline: float) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and len(declared) < 20 and int(declared) > MAX_RESPONSE:
        raise ResponseTooLarge(f"ACM's response is {int(declared):,} bytes")
    chunks, size = [], 0
    for chunk in response.raw.stream(65536):
        size += len(chunk)
        if size > MAX_RESPONSE:
            raise ResponseTooLarge(f"ACM's response is larger than {MAX_RESPONSE:,} bytes")
        if time.monotonic() > deadline:
            raise TimeoutError(f"the {DEADLINE:g} s for ACM calls are over")
        chunks.append(chunk)
    return b"".join(chunks)


@dataclass(frozen=True)
class _Body:
    """A response body already read, in the shape botocore reads bodies from."""

    data: bytes

    def stream(self, *_: Any) -> Iterator[bytes]:
        yield self.data


def _fetch_one(client: Any, arn: str) -> tuple[Record | None, _Cause | None]:
    try:
        detail = client.describe_certificate(CertificateArn=arn)["Certificate"]
    except Exception as exc:  # noqa: BLE001 -- classified into a warning below
        return None, _cause(exc, client)
    record: Record = {"describe": {k: _plain(detail[k]) for k in _DESCRIBE_FIELDS if k in detail}}
    if not _well_formed(record):
        return None, _Cause("malformed", "ACM answered with a description tlspath cannot read")
    if detail.get("Type") != "IMPORTED":
        return record, None
    try:
        material = client.get_certificate(CertificateArn=arn)
    except Exception as exc:  # noqa: BLE001 -- the description alone still says something
        return record, _cause(exc, client, "GetCertificate")
    record["certificate"] = material.get("Certificate")
    if material.get("CertificateChain"):
        record["certificate_chain"] = material["CertificateChain"]
    if not _well_formed(record):
        return None, _Cause("malformed", "ACM answered with a certificate tlspath cannot read")
    return record, None


_CREDENTIALS_REJECTED = {"UnrecognizedClientException", "InvalidClientTokenId", "InvalidSignatureException",
                         "SignatureDoesNotMatch", "ExpiredToken", "ExpiredTokenException", "IncompleteSignature"}
_ACCESS_DENIED = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedException"}
_THROTTLED = {"ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded",
              "LimitExceededException"}


def _cause(exc: Exception, client: Any, call: str = "DescribeCertificate") -> _Cause:
    """One cause per kind of failure, worded for people; the key groups certificates that failed alike."""
    from botocore import exceptions as aws

    endpoint = getattr(getattr(client, "meta", None), "endpoint_url", None) or "ACM"
    if isinstance(exc, (aws.NoCredentialsError, aws.PartialCredentialsError, aws.CredentialRetrievalError,
                        aws.TokenRetrievalError, aws.SSOError)):
        return _Cause("credentials", f"no usable AWS credentials ({exc}); set them the usual way (environment, "
                                     "--profile, SSO, instance role)", fatal=True)
    if isinstance(exc, (aws.EndpointConnectionError, aws.ConnectTimeoutError, aws.ReadTimeoutError,
                        aws.ConnectionClosedError, aws.ProxyConnectionError, aws.SSLError, aws.HTTPClientError)):
        return _Cause(f"unreachable {endpoint}", f"cannot reach the ACM endpoint {endpoint} ({exc})", fatal=True)
    if isinstance(exc, (TimeoutError, ResponseTooLarge)):
        return _Cause(f"unreachable {endpoint}", f"the ACM endpoint {endpoint} answers too slowly or too much "
                                                 f"({exc})", fatal=True)
    if isinstance(exc, aws.ClientError):
        error = exc.response.get("Error", {})
        code, message = str(error.get("Code", "")), str(error.get("Message", "")).strip()
        detail = f"{code}: {message}" if message else code
        if code in _CREDENTIALS_REJECTED:
            return _Cause("rejected", f"the AWS credentials were rejected ({detail})", fatal=True)
        if code in _ACCESS_DENIED:
            return _Cause(f"denied {call}", f"access denied to acm:{call} ({detail}); the policy tlspath needs "
                                            "is in docs/certificates.md")
        if code in _THROTTLED:
            return _Cause("throttled", f"ACM throttled the requests even after retries ({detail})")
        if code == "ResourceNotFoundException":
            return _Cause("not found", "not found in ACM (deleted, or in another account?)")
        if code in ("InvalidArnException", "ValidationException"):
            return _Cause(f"invalid {code}", f"ACM rejected the ARN ({detail})")
        return _Cause(f"error {code}", f"acm:{call} failed ({detail})")
    return _Cause(f"error {type(exc).__name__}", f"acm:{call} failed ({type(exc).__name__}: {exc})")


def _warning(cause: _Cause, arns: list[str]) -> str:
    stays = "stays" if len(arns) == 1 else "stay"
    return f"--acm: {cause.text}; {_count(arns)} {stays} unresolved (I9513): {_some(arns)}"


def _count(arns: list[str], what: str = "certificate") -> str:
    return f"{len(arns)} {what}{'' if len(arns) == 1 else 's'}"


def _some(arns: list[str], shown: int = 3) -> str:
    return ", ".join(arns[:shown]) + (f" and {len(arns) - shown} more" if len(arns) > shown else "")


def _plain(value: Any) -> Any:
    """A DescribeCertificate value as JSON data: datetimes become ISO-8601 UTC strings."""
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
        return moment.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


# ---------------------------------------------------------------------------------------- snapshot


def _from_snapshot(path: str, arns: list[str]) -> tuple[dict[str, Record], list[str]]:
    records, warnings = read_snapshot(path)
    missing = [arn for arn in arns if arn not in records]
    if missing and not warnings:
        warnings.append(f"--acm-snapshot: {_count(missing)} not in {path} and stay{'s' if len(missing) == 1 else ''} "
                        f"unresolved (I9513): {_some(missing)}; refresh it with --acm --acm-snapshot {path}")
    return records, warnings


def write_snapshot(path: str, records: dict[str, Record]) -> list[str]:
    """Write what was fetched (replacing the file atomically); a failure is a warning."""
    document = {"format": SNAPSHOT_FORMAT, "version": SNAPSHOT_VERSION,
                "fetched_at": _plain(dt.datetime.now(dt.timezone.utc).replace(microsecond=0)),
                "certificates": dict(sorted(records.items()))}
    folder = os.path.dirname(os.path.abspath(path))
    try:
        with tempfile.NamedTemporaryFile("w", dir=folder, prefix=".tlspath-acm-", suffix=".json", delete=False,
                                         encoding="utf-8") as handle:
            json.dump(document, handle, indent=2)
            handle.write("\n")
        os.replace(handle.name, path)
    except OSError as exc:
        return [f"--acm-snapshot: cannot write {path} ({exc.strerror or exc})"]
    return []


def read_snapshot(path: str) -> tuple[dict[str, Record], list[str]]:
    """The records of a snapshot file; anything wrong with the file is one warning and no records."""
    try:
        document = json.loads(read_bounded(path, MAX_SNAPSHOT).decode("utf-8"))
    except Unreadable as exc:
        return {}, [f"--acm-snapshot: cannot read {path} ({exc}); certificates known only by ARN stay unresolved "
                    "(I9513)"]
    except (ValueError, RecursionError) as exc:
        return {}, [f"--acm-snapshot: {path} is not JSON ({exc}); certificates known only by ARN stay "
                    "unresolved (I9513)"]
    if not isinstance(document, dict) or document.get("format") != SNAPSHOT_FORMAT:
        return {}, [f"--acm-snapshot: {path} is not a tlspath ACM snapshot (no \"format\": \"{SNAPSHOT_FORMAT}\")"]
    if document.get("version") != SNAPSHOT_VERSION:
        return {}, [f"--acm-snapshot: {path} has version {document.get('version')!r}; this tlspath reads version "
                    f"{SNAPSHOT_VERSION} (refresh it with --acm --acm-snapshot {path})"]
    certificates = document.get("certificates")
    records = {arn: record for arn, record in (certificates.items() if isinstance(certificates, dict) else ())
               if _ACM_ARN.match(arn) and _well_formed(record)}
    skipped = len(certificates) - len(records) if isinstance(certificates, dict) else 0
    if skipped:
        return records, [f"--acm-snapshot: {path}: {skipped} malformed entr{'y' if skipped == 1 else 'ies'} "
                         "skipped"]
    return records, []


def _well_formed(record: Any) -> bool:
    """The one schema of a record, fetched or read from a snapshot: ``describe`` (the DescribeCertificate fields
    tlspath reads, strings, the names a list of strings) and optionally the PEM ``certificate`` and
    ``certificate_chain`` -- nothing else, each string and list of a size no real certificate comes near."""
    describe = record.get("describe") if isinstance(record, dict) else None
    if not isinstance(describe, dict) or not set(record) <= {"describe", "certificate", "certificate_chain"}:
        return False
    names = describe.get("SubjectAlternativeNames", [])
    strings = [describe.get(k, "") for k in _DESCRIBE_FIELDS if k != "SubjectAlternativeNames"]
    strings += [record.get(k, "") for k in ("certificate", "certificate_chain")]
    return (set(describe) <= set(_DESCRIBE_FIELDS) and isinstance(names, list) and len(names) <= MAX_NAMES
            and all(isinstance(text, str) and len(text) <= MAX_FIELD for text in [*strings, *names]))


# ------------------------------------------------------------------------------------ to the model

_SOURCES = {"AMAZON_ISSUED": CertificateSource.ACM_ISSUED, "PRIVATE": CertificateSource.ACM_PRIVATE,
            "IMPORTED": CertificateSource.ACM_IMPORTED}
_CURVES = {"prime256v1": "secp256r1"}  # ACM's curve names -> the names certificates (and linter.certs) use


def certificate_from_record(arn: str, record: Record, loc: Location) -> Certificate:
    """The certificate as the walk needs it, whether the record was fetched now or read from a snapshot."""
    describe = record["describe"]
    kind, status = describe.get("Type"), describe.get("Status")
    facts = _facts(kind, describe, record)
    if status not in _USABLE_STATUS:
        reason = Unknown(f"ACM reports the certificate as {status or 'without a status'}, not ISSUED, so what "
                         "the listener presents cannot be told", "validate, reissue or replace the certificate")
        facts = CertificateFacts(trust=reason, names=reason)
    domain = describe.get("DomainName")
    identifier = arn.rsplit("/", 1)[-1]
    return Certificate(key=f"arn:{arn}", name=f"{domain} ({identifier})" if domain else identifier, loc=loc,
                       source=_SOURCES.get(kind, CertificateSource.ARN), facts=facts, arn=arn, spelling=_ACM_SPELLING)


# A certificate in ACM, not in the files, is spelled as ACM's RequestCertificate API spells it.
_ACM_SPELLING = Spelling(paths={"trust": ("CertificateAuthorityArn",)})


def _facts(kind: Any, describe: dict, record: Record) -> CertificateFacts:
    if kind == "IMPORTED" and isinstance(record.get("certificate"), str):
        return facts_from_pem(record["certificate"], record.get("certificate_chain"))
    names = tuple(dict.fromkeys(describe.get("SubjectAlternativeNames") or
                                ([describe["DomainName"]] if describe.get("DomainName") else [])))
    common: dict[str, Any] = dict(
        names=names or Unknown("ACM reports no domain name for the certificate"),
        not_before=_moment(describe.get("NotBefore")), not_after=_moment(describe.get("NotAfter")),
        key=_key(describe.get("KeyAlgorithm")), issuer=describe.get("Issuer"))
    if kind == "AMAZON_ISSUED":
        return CertificateFacts(trust=Trust.PUBLIC, renews=True, **common)
    if kind == "PRIVATE":
        return CertificateFacts(trust=Trust.PRIVATE_CA, renews=True, **common)
    if kind == "IMPORTED":
        unknown = Unknown("the imported certificate's PEM could not be fetched, so its issuer and chain are not "
                          "known", "allow acm:GetCertificate (docs/certificates.md) and run --acm again")
        return CertificateFacts(trust=unknown, **common)
    return CertificateFacts(trust=Unknown(f"ACM reports certificate type {kind!r}, which tlspath does not know"),
                            **common)


def _moment(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return moment.astimezone(dt.timezone.utc) if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
    except (ValueError, OverflowError):  # a far offset pushes the moment past what Python's dates hold
        return None


def _key(algorithm: Any) -> str | None:
    """``RSA_2048`` -> ``RSA-2048``, ``EC_prime256v1`` -> ``EC-secp256r1``: the form PEM analysis gives."""
    if not isinstance(algorithm, str) or "_" not in algorithm:
        return None
    family, size = algorithm.split("_", 1)
    return f"{family}-{_CURVES.get(size, size)}"
