"""--acm and --acm-snapshot: certificates known only by ARN, looked up in ACM (read-only) or read from a
snapshot; failures are one warning line per cause and the run goes on.

ACM semantics come from a real moto server on 127.0.0.1 reached over HTTP through AWS_ENDPOINT_URL (as a
user's own endpoint override would be). Error causes that moto cannot produce on demand (throttling, access
denied) come from a few lines of HTTP server on 127.0.0.1 speaking ACM's JSON protocol. Nothing here leaves
the loopback interface or needs AWS credentials.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from conftest import ROOT, line_of
from pki import issue, private_ca
from tls_stack import HOST, api_path, stack

moto_server = pytest.importorskip("moto.server")

REGION = "eu-west-1"
ACCOUNT = "123456789012"


def template(*arns: str, host: str = HOST, sni: str | None = None, unused: str | None = None,
             second: str | None = None) -> str:
    """The test stack, its listener presenting ``arns`` (default certificate first); ``sni`` adds one through
    AWS::ElasticLoadBalancingV2::ListenerCertificate; ``unused`` sits on a public ALB no API Gateway path
    reaches; ``second`` is presented by a second API's own NLB."""
    extra = ""
    if sni:
        extra += f"""
  ExtraCertificate:
    Type: AWS::ElasticLoadBalancingV2::ListenerCertificate
    Properties:
      ListenerArn: !Ref Listener
      Certificates: [{{CertificateArn: {sni}}}]
"""
    if unused:
        extra += f"""
  PublicAlb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {{Type: application, Subnets: [subnet-0a1b2c3d, subnet-0e5f6a7b]}}
  PublicListener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref PublicAlb
      Protocol: HTTPS
      Port: 443
      Certificates: [{{CertificateArn: {unused}}}]
      DefaultActions: [{{Type: forward, TargetGroupArn: !Ref Targets}}]
"""
    paths = [api_path(*arns, host=host)] + ([api_path(second, suffix="2")] if second else [])
    return stack(*paths, resources=extra)


def arn_of(identifier: str, region: str = REGION) -> str:
    return f"arn:aws:acm:{region}:{ACCOUNT}:certificate/{identifier}"


def warnings_of(run) -> list[str]:
    return [line for line in run.err.splitlines() if line.startswith("tlspath: warning:")]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# ------------------------------------------------------------------------------------------ fixtures


@pytest.fixture
def aws_env(monkeypatch, tmp_path):
    """An AWS environment with nothing of the developer's: fake keys, no profile or config, no IMDS."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")  # not the ARNs' region: tlspath must use theirs


@pytest.fixture(scope="module")
def moto_url():
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def acm(moto_url, aws_env, monkeypatch):
    """A boto3 ACM client on a freshly reset moto server, and AWS_ENDPOINT_URL pointing tlspath there."""
    import boto3

    urllib.request.urlopen(urllib.request.Request(f"{moto_url}/moto-api/reset", method="POST")).read()
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_url)
    return boto3.client("acm", region_name=REGION)


def import_certificate(acm, issued, chain: str | None = None) -> str:
    extra = {"CertificateChain": chain.encode()} if chain else {}
    return acm.import_certificate(Certificate=issued.pem.encode(), PrivateKey=issued.key_pem.encode(),
                                  **extra)["CertificateArn"]


def fresh(common_name: str = HOST, **options):
    """A certificate valid now (ACM refuses to import one that is not)."""
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    return issue(common_name, sans=(common_name,), not_before=now - dt.timedelta(days=1),
                 not_after=now + dt.timedelta(days=200), **options)


@pytest.fixture
def scan(tlspath, write):
    def run(text: str, *args: str):
        path = write("stack.yaml", text)
        return tlspath(str(path), "--format", "json", *args), path

    return run


# ------------------------------------------------------------------------------------ ACM verdicts


def test_imported_self_signed_certificate_is_untrusted(acm, scan):
    arn = import_certificate(acm, fresh())
    run, path = scan(template(arn), "--acm")
    assert warnings_of(run) == []
    assert (run.code, run.ids()) == (1, ["E9501"])
    finding = run.findings[0]
    assert finding["message"].startswith(f"imported ACM certificate '{HOST} ({arn.rsplit('/', 1)[-1]})' on "
                                         "listener 'Listener' is self-signed")
    assert finding["line"] == line_of(path, "Certificates:")  # where the ARN is written
    assert finding["trace"][-1]["role"] == "certificate"


def test_imported_certificate_is_judged_on_its_real_body(acm, scan):
    """GetCertificate's PEM, not DescribeCertificate's summary: the private chain is what gives E9501."""
    root, intermediate = private_ca()
    now = dt.datetime.now(dt.timezone.utc)
    leaf = issue(HOST, issuer=intermediate, sans=(HOST,), not_before=now - dt.timedelta(days=1),
                 not_after=now + dt.timedelta(days=200))
    arn = import_certificate(acm, leaf, intermediate.pem + root.pem)
    run, _ = scan(template(arn), "--acm")
    assert run.ids() == ["E9501"] and "issued by a private CA" in run.findings[0]["message"]


def test_amazon_issued_certificate_with_matching_names_is_clean(acm, scan, monkeypatch):
    import moto.settings

    monkeypatch.setattr(moto.settings, "ACM_VALIDATION_WAIT", -1)  # validated at once
    arn = acm.request_certificate(DomainName=HOST, SubjectAlternativeNames=[HOST, "www.example.com"],
                                  ValidationMethod="DNS")["CertificateArn"]
    run, _ = scan(template(arn), "--acm")
    assert (run.code, run.findings, warnings_of(run)) == (0, [], [])
    without, _ = scan(template(arn))
    assert without.ids() == ["I9513"]  # the same template, not looked up


def test_amazon_issued_certificate_for_another_name(acm, scan, monkeypatch):
    import moto.settings

    monkeypatch.setattr(moto.settings, "ACM_VALIDATION_WAIT", -1)
    arn = acm.request_certificate(DomainName="other.example.com", ValidationMethod="DNS")["CertificateArn"]
    run, path = scan(template(arn), "--acm")
    assert run.ids() == ["E9503"]
    assert run.findings[0]["line"] == line_of(path, "Uri:")


def test_private_ca_certificate_is_untrusted(acm, scan):
    authority = f"arn:aws:acm-pca:{REGION}:{ACCOUNT}:certificate-authority/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    arn = acm.request_certificate(DomainName=HOST, CertificateAuthorityArn=authority)["CertificateArn"]
    run, _ = scan(template(arn), "--acm")
    assert run.ids() == ["E9501"]
    assert run.findings[0]["message"].startswith(f"ACM private-CA certificate '{HOST} (")
    assert "issued by a private CA" in run.findings[0]["message"]


def test_certificate_pending_validation_is_not_judged(acm, scan):
    arn = acm.request_certificate(DomainName=HOST, ValidationMethod="DNS")["CertificateArn"]  # moto: pending 60 s
    run, _ = scan(template(arn), "--acm")
    assert run.ids() == ["I9513"]
    assert "ACM reports the certificate as PENDING_VALIDATION" in run.findings[0]["message"]


def test_sni_list_certificates_are_looked_up_too(acm, scan, monkeypatch):
    import moto.settings

    monkeypatch.setattr(moto.settings, "ACM_VALIDATION_WAIT", -1)
    default = acm.request_certificate(DomainName="default.example.com", ValidationMethod="DNS")["CertificateArn"]
    matching = import_certificate(acm, fresh())
    run, _ = scan(template(default, sni=matching), "--acm")
    # the SNI certificate covers the host, so it is the one judged; on a REST API it is only on the SNI list (I9523)
    assert run.ids() == ["E9501", "I9523"]
    assert HOST in run.findings[0]["message"]


# ------------------------------------------------------------------------------------------ snapshot


def test_snapshot_round_trip_needs_neither_credentials_nor_network(acm, scan, tmp_path, monkeypatch):
    self_signed = import_certificate(acm, fresh())
    authority = f"arn:aws:acm-pca:{REGION}:{ACCOUNT}:certificate-authority/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    private = acm.request_certificate(DomainName="www.example.com", CertificateAuthorityArn=authority)["CertificateArn"]
    snapshot = tmp_path / "acm.json"
    text = template(self_signed, sni=private)
    fetched, _ = scan(text, "--acm", "--acm-snapshot", str(snapshot))
    document = json.loads(snapshot.read_text())
    assert document["format"] == "tlspath-acm-snapshot" and document["version"] == 1
    assert sorted(document["certificates"]) == sorted([self_signed, private])
    entry = document["certificates"][self_signed]
    assert entry["describe"]["Type"] == "IMPORTED" and entry["certificate"].startswith("-----BEGIN CERTIFICATE-----")
    assert "certificate" not in document["certificates"][private]  # GetCertificate only for IMPORTED ones
    assert "PRIVATE KEY" not in snapshot.read_text()

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{closed_port()}")
    _no_network(monkeypatch)
    replayed, _ = scan(text, "--acm-snapshot", str(snapshot))
    assert warnings_of(replayed) == []
    assert replayed.findings == fetched.findings and replayed.code == fetched.code == 1
    assert [f["rule"] for f in replayed.findings] == ["E9501"]


def test_hand_written_snapshot_in_the_documented_format(scan, tmp_path, monkeypatch):
    """docs/certificates.md documents the format: a snapshot written by hand (or by another tool) works."""
    _no_network(monkeypatch)
    arn = arn_of("4a3b2c1d-0e9f-8a7b-6c5d-4e3f2a1b0c9d")
    snapshot = tmp_path / "acm.json"
    snapshot.write_text(json.dumps({"format": "tlspath-acm-snapshot", "version": 1, "certificates": {arn: {
        "describe": {"Type": "AMAZON_ISSUED", "Status": "EXPIRED", "DomainName": HOST,
                     "SubjectAlternativeNames": [HOST], "KeyAlgorithm": "RSA_4096",
                     "NotBefore": "2025-01-01T00:00:00Z", "NotAfter": "2026-01-01T00:00:00Z"}}}}))
    run, _ = scan(template(arn), "--acm-snapshot", str(snapshot), "--at", "2026-06-01")
    assert run.ids() == ["E9504", "W9514"]
    assert "expired on 2026-01-01" in next(f["message"] for f in run.findings if f["rule"] == "E9504")
    assert "RSA-4096" in next(f["message"] for f in run.findings if f["rule"] == "W9514")


@pytest.mark.parametrize("content, expected", [
    (None, "cannot read"),
    ("{not json", "is not JSON"),
    ('{"certificates": {}}', "is not a tlspath ACM snapshot"),
    ('{"format": "tlspath-acm-snapshot", "version": 99, "certificates": {}}', "has version 99"),
])
def test_unusable_snapshot_is_a_warning_not_an_error(scan, tmp_path, monkeypatch, content, expected):
    _no_network(monkeypatch)
    snapshot = tmp_path / "acm.json"
    if content is not None:
        snapshot.write_text(content)
    run, _ = scan(template(arn_of("0a0b0c0d-1111-2222-3333-444455556666")), "--acm-snapshot", str(snapshot))
    assert (run.code, run.ids(), run.report["errors"]) == (0, ["I9513"], [])
    warning, = warnings_of(run)
    assert expected in warning and str(snapshot) in warning


def test_malformed_snapshot_entries_are_skipped(scan, tmp_path, monkeypatch):
    _no_network(monkeypatch)
    good, odd = arn_of("0a0b0c0d-1111-2222-3333-444455556666"), arn_of("0a0b0c0d-1111-2222-3333-777788889999")
    snapshot = tmp_path / "acm.json"
    snapshot.write_text(json.dumps({"format": "tlspath-acm-snapshot", "version": 1, "certificates": {
        good: {"describe": {"Type": "AMAZON_ISSUED", "Status": "ISSUED", "DomainName": HOST}},
        odd: {"describe": {"Type": ["IMPORTED"], "SubjectAlternativeNames": HOST, "NotAfter": 1}}}}))
    run, _ = scan(template(good, sni=odd), "--acm-snapshot", str(snapshot))
    assert warnings_of(run) == [f"tlspath: warning: --acm-snapshot: {snapshot}: 1 malformed entry skipped"]
    assert run.ids() == ["I9513"] and odd in run.findings[0]["message"]
    assert run.report["errors"] == [] and "Traceback" not in run.err


def test_arn_missing_from_the_snapshot_is_named(scan, tmp_path, monkeypatch):
    _no_network(monkeypatch)
    snapshot = tmp_path / "acm.json"
    snapshot.write_text('{"format": "tlspath-acm-snapshot", "version": 1, "certificates": {}}')
    arn = arn_of("0a0b0c0d-1111-2222-3333-444455556666")
    run, _ = scan(template(arn), "--acm-snapshot", str(snapshot))
    assert warnings_of(run) == [f"tlspath: warning: --acm-snapshot: 1 certificate not in {snapshot} and stays "
                                f"unresolved (I9513): {arn}; refresh it with --acm --acm-snapshot {snapshot}"]
    assert run.ids() == ["I9513"]


# ------------------------------------------------------------------------------------------ failures


def test_unreachable_endpoint_is_one_warning_and_the_hop_stays_unresolved(aws_env, scan, monkeypatch):
    port = closed_port()
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
    arns = [arn_of(f"0a0b0c0d-1111-2222-3333-00000000000{i}") for i in range(3)]
    run, _path = scan(template(arns[0], sni=arns[1]), "--acm")
    assert (run.code, run.report["errors"]) == (0, [])
    assert run.ids() == ["I9513", "I9513"]
    assert all("could not be looked up in ACM: cannot reach the ACM endpoint" in f["message"] for f in run.findings)
    assert all("--acm-snapshot" in f["fix"] for f in run.findings)  # not "run with --acm" again
    warning, = warnings_of(run)
    assert warning.startswith(f"tlspath: warning: --acm: cannot reach the ACM endpoint http://127.0.0.1:{port} ")
    assert "2 certificates stay unresolved (I9513)" in warning
    assert "Traceback" not in run.err


def test_failed_refresh_leaves_the_snapshot_as_it_was(aws_env, scan, tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{closed_port()}")
    snapshot = tmp_path / "acm.json"
    before = '{"format": "tlspath-acm-snapshot", "version": 1, "certificates": {}}'
    snapshot.write_text(before)
    run, _ = scan(template(arn_of("0a0b0c0d-1111-2222-3333-444455556666")), "--acm", "--acm-snapshot", str(snapshot))
    cause, kept = warnings_of(run)
    assert "cannot reach the ACM endpoint" in cause
    assert kept == f"tlspath: warning: --acm-snapshot: {snapshot} is left as it was, since ACM could not be asked"
    assert snapshot.read_text() == before


def test_no_credentials_is_one_warning(aws_env, scan, monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{closed_port()}")
    run, _ = scan(template(arn_of("0a0b0c0d-1111-2222-3333-444455556666")), "--acm")
    warning, = warnings_of(run)
    assert "--acm: no usable AWS credentials (Unable to locate credentials)" in warning
    assert (run.code, run.ids()) == (0, ["I9513"])


def test_unknown_profile_is_one_warning(aws_env, scan):
    run, _ = scan(template(arn_of("0a0b0c0d-1111-2222-3333-444455556666")), "--acm", "--profile", "nope")
    warning, = warnings_of(run)
    assert "The config profile (nope) could not be found" in warning
    assert (run.code, run.ids()) == (0, ["I9513"])


def test_iam_certificate_arns_are_not_asked_of_acm(aws_env, scan, fake_acm):
    iam = f"arn:aws:iam::{ACCOUNT}:server-certificate/orders-2026"
    run, _ = scan(template(iam), "--acm")
    warning, = warnings_of(run)
    assert "1 IAM server certificate known only by ARN stays unresolved (I9513)" in warning
    assert fake_acm.calls == []


class FakeAcm(BaseHTTPRequestHandler):
    """ACM's JSON protocol, answering from ``answers[(operation, arn)]`` and counting every call."""

    answers: ClassVar[dict] = {}
    calls: ClassVar[list] = []

    def do_POST(self):
        operation = self.headers.get("X-Amz-Target", "").rsplit(".", 1)[-1]
        arn = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}").get("CertificateArn")
        type(self).calls.append((operation, arn))
        status, body = type(self).answers.get((operation, arn), (400, {"__type": "ResourceNotFoundException",
                                                                         "message": "Could not find certificate"}))
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture
def fake_acm(aws_env, monkeypatch):
    handler = type("Handler", (FakeAcm,), {"answers": {}, "calls": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{server.server_address[1]}")
    yield handler
    server.shutdown()
    server.server_close()


def _detail(arn: str, kind: str = "IMPORTED") -> dict:
    now = dt.datetime.now(dt.timezone.utc).timestamp()
    return {"Certificate": {"CertificateArn": arn, "Type": kind, "Status": "ISSUED", "DomainName": HOST,
                            "SubjectAlternativeNames": [HOST], "KeyAlgorithm": "RSA_2048",
                            "NotBefore": now - 86400, "NotAfter": now + 200 * 86400}}


def test_access_denied_and_throttling_are_one_warning_per_cause(scan, fake_acm):
    denied = [arn_of(f"0a0b0c0d-1111-2222-3333-00000000000{i}") for i in (1, 2)]
    throttled = arn_of("0a0b0c0d-1111-2222-3333-000000000003")
    for arn in denied:
        fake_acm.answers[("DescribeCertificate", arn)] = (400, {
            "__type": "AccessDeniedException", "message": "User is not authorized to perform: acm:DescribeCertificate"})
    fake_acm.answers[("DescribeCertificate", throttled)] = (400, {"__type": "ThrottlingException",
                                                                  "message": "Rate exceeded"})
    run, _ = scan(template(denied[0], sni=denied[1], second=throttled), "--acm")
    assert (run.code, run.report["errors"]) == (0, [])
    assert sorted(warnings_of(run)) == sorted([
        "tlspath: warning: --acm: access denied to acm:DescribeCertificate (AccessDeniedException: User is not "
        "authorized to perform: acm:DescribeCertificate); the policy tlspath needs is in docs/certificates.md; "
        f"2 certificates stay unresolved (I9513): {denied[0]}, {denied[1]}",
        "tlspath: warning: --acm: ACM throttled the requests even after retries (ThrottlingException: Rate "
        f"exceeded); 1 certificate stays unresolved (I9513): {throttled}",
    ])
    assert set(run.ids()) == {"I9513"}
    assert fake_acm.calls.count(("DescribeCertificate", throttled)) == 3  # botocore's standard retry mode


def test_get_certificate_denied_keeps_what_describe_said(scan, fake_acm):
    arn = arn_of("0a0b0c0d-1111-2222-3333-444455556666")
    fake_acm.answers[("DescribeCertificate", arn)] = (200, _detail(arn))
    fake_acm.answers[("GetCertificate", arn)] = (400, {"__type": "AccessDeniedException", "message": "no"})
    run, _ = scan(template(arn, host="other.example.com"), "--acm")
    warning, = warnings_of(run)
    assert "access denied to acm:GetCertificate (AccessDeniedException: no)" in warning
    assert run.ids() == ["E9503", "I9513"]  # the names are known from DescribeCertificate; the issuer is not
    assert "PEM could not be fetched" in next(f["message"] for f in run.findings if f["rule"] == "I9513")


def test_each_arn_is_fetched_once_and_only_arns_on_paths(scan, fake_acm):
    shared = arn_of("0a0b0c0d-1111-2222-3333-444455556666")
    unused = arn_of("0a0b0c0d-1111-2222-3333-777788889999")
    fake_acm.answers[("DescribeCertificate", shared)] = (200, _detail(shared, "AMAZON_ISSUED"))
    run, _ = scan(template(shared, sni=shared, unused=unused, second=shared), "--acm")
    assert (run.findings, warnings_of(run)) == ([], [])
    assert fake_acm.calls == [("DescribeCertificate", shared)]


# ------------------------------------------------------------------------------- off by default


def _no_network(monkeypatch) -> list:
    """Make every outgoing connection fail loudly, and record the attempts."""
    attempts: list = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError(f"network call attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_without_acm_no_network_call_happens(aws_env, scan, monkeypatch):
    attempts = _no_network(monkeypatch)
    run, _path = scan(template(arn_of("0a0b0c0d-1111-2222-3333-444455556666")))
    assert attempts == [] and warnings_of(run) == []
    assert (run.code, run.ids()) == (0, ["I9513"])
    assert "run with --acm to look it up" in run.findings[0]["fix"]


@pytest.mark.parametrize("extra", [[], ["--acm-snapshot", "SNAPSHOT"]])
def test_boto3_is_not_imported_without_acm(tmp_path, extra):
    path = tmp_path / "stack.yaml"
    path.write_text(template(arn_of("0a0b0c0d-1111-2222-3333-444455556666")))
    snapshot = tmp_path / "acm.json"
    snapshot.write_text('{"format": "tlspath-acm-snapshot", "version": 1, "certificates": {}}')
    args = [str(path), "--format", "json", *[str(snapshot) if a == "SNAPSHOT" else a for a in extra]]
    code = (f"import json, sys\nfrom linter.cli import main\ncode = main({args!r})\n"
            "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore', 's3transfer'))\n"
            "print(json.dumps(loaded), file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stderr.strip().splitlines()[-1]) == []
    assert json.loads(result.stdout)["findings"][0]["rule"] == "I9513"


def test_acm_imports_boto3_only_when_asked(tmp_path):
    """The same probe sees boto3 with --acm, so the test above can fail."""
    path = tmp_path / "stack.yaml"
    path.write_text(template(arn_of("0a0b0c0d-1111-2222-3333-444455556666")))
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ENDPOINT_URL=f"http://127.0.0.1:{closed_port()}", AWS_EC2_METADATA_DISABLED="true",
               AWS_CONFIG_FILE=str(tmp_path / "none"), AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"))
    code = (f"import sys\nfrom linter.cli import main\nmain([{str(path)!r}, '--acm', '--format', 'json'])\n"
            "print('boto3' in sys.modules, file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env,
                            timeout=60)
    assert result.stderr.strip().splitlines()[-1] == "True"
    assert "no usable AWS credentials" in result.stderr
