"""--probe: the certificate a backend behind a TCP (pass-through) listener presents, read over TLS 1.2 from
servers these tests start on 127.0.0.1 (--probe-resolve pins the verified host name there) and judged like a
certificate in the files. Without --probe no socket opens at all."""

from __future__ import annotations

import socket

import pytest

import linter.probe
from pki import AT, issue, pem_bundle, private_ca
from bounded import tlspath_bounded
from tls_servers import LOOPBACK, SilentServer, TlsServer, TricklingServer, refused_port
from tls_stack import HOST, api_path, stack

AT_ARG = ("--at", AT.date().isoformat())


def pass_through(port: int, *, paths: int = 1) -> str:
    """REST API -> VPC link -> NLB with a TCP listener on ``port`` -> targets: TLS ends at the backend, whose
    certificate the template cannot show. ``paths`` APIs, each through its own NLB to the same endpoint."""
    return stack(*(api_path(port=port, suffix=str(n) if n else "") for n in range(paths)), targets="TCP")


@pytest.fixture
def probe(tlspath, write, tmp_path):
    """Scan the pass-through template for ``port`` with --probe pinned to 127.0.0.1 (and extra arguments)."""

    def run(port: int, *args: str, paths: int = 1):
        path = write("stack.yaml", pass_through(port, paths=paths))
        return tlspath(str(path), "--format", "json", *AT_ARG, "--probe", "--probe-resolve",
                       f"{HOST}:{port}:{LOOPBACK}", *args)

    return run


@pytest.fixture
def trusted_root(tmp_path):
    """A root passed with --trust-store, standing in for a public CA (tests cannot sign with a real one's key)."""
    root, intermediate = private_ca("Example Public Root")
    store = tmp_path / "trust-store.pem"
    store.write_text(root.pem)
    return intermediate, ("--trust-store", str(store))


def by_rule(run, rule: str) -> list[dict]:
    return [f for f in run.findings if f["rule"] == rule]


def test_a_self_signed_backend_is_seen_and_rejected(probe, tmp_path):
    leaf = issue(HOST, sans=(HOST,))
    with TlsServer(tmp_path, leaf.pem, leaf.key_pem) as server:
        run = probe(server.port)
    assert server.server_names == [HOST]  # SNI = the verified host name
    assert run.ids() == ["E9501", "W9502"]
    untrusted = by_rule(run, "E9501")[0]
    assert untrusted["message"].startswith(f"the certificate seen at {HOST}:{server.port} is self-signed")
    assert "API Gateway (OrdersGet (GET /)) rejects it" in untrusted["message"]
    assert untrusted["trace"][-1]["role"] == "certificate"
    assert untrusted["line"] == next(f for f in run.findings if f["rule"] == "W9502")["line"]  # the TCP listener


def test_the_whole_presented_chain_is_read(probe, tmp_path, trusted_root):
    intermediate, store = trusted_root
    leaf = issue(HOST, issuer=intermediate, sans=(HOST,))
    with TlsServer(tmp_path, pem_bundle(leaf, intermediate), leaf.key_pem) as server:
        complete = probe(server.port, *store)
    assert complete.ids() == ["W9502"]  # trusted: the intermediate came with the leaf
    with TlsServer(tmp_path, leaf.pem, leaf.key_pem) as server:
        chainless = probe(server.port, *store)
    assert chainless.ids() == ["E9505", "W9502"]
    assert (f"the certificate seen at {HOST}:{server.port} is issued by a CA but no certificate chain is given"
            in by_rule(chainless, "E9505")[0]["message"])


@pytest.mark.parametrize("presented", ["root before intermediate", "intermediate twice"])
def test_a_chain_presented_out_of_order_is_built_as_api_gateway_builds_it(probe, tmp_path, presented):
    """Java's TLS client builds the path from the certificates the server sent, in any order, repeated or not;
    only an imported chain (IAM, ACM) must link in the order written."""
    root, intermediate = private_ca("Example Public Root")
    (tmp_path / "trust-store.pem").write_text(root.pem)
    leaf = issue(HOST, issuer=intermediate, sans=(HOST,))
    chain = {"root before intermediate": (root, intermediate), "intermediate twice": (intermediate, intermediate)}
    with TlsServer(tmp_path, pem_bundle(leaf, *chain[presented]), leaf.key_pem) as server:
        run = probe(server.port, "--trust-store", str(tmp_path / "trust-store.pem"))
    assert run.ids() == ["W9502"]  # trusted: not 'a chain that does not link to it' (E9505)


def test_an_expired_backend_certificate(probe, tmp_path, trusted_root):
    import datetime as dt

    intermediate, store = trusted_root
    leaf = issue(HOST, issuer=intermediate, sans=(HOST,), not_after=dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc))
    with TlsServer(tmp_path, pem_bundle(leaf, intermediate), leaf.key_pem) as server:
        run = probe(server.port, *store)
    assert run.ids() == ["E9504", "W9502"]
    assert f"the certificate seen at {HOST}:{server.port} expired on 2026-03-01" in by_rule(run, "E9504")[0]["message"]


def test_a_backend_certificate_for_another_name(probe, tmp_path, trusted_root):
    intermediate, store = trusted_root
    leaf = issue("other.example.com", issuer=intermediate, sans=("other.example.com",))
    with TlsServer(tmp_path, pem_bundle(leaf, intermediate), leaf.key_pem) as server:
        run = probe(server.port, *store)
    assert run.ids() == ["E9503", "W9502"]
    assert (f"API Gateway (OrdersGet (GET /)) verifies host '{HOST}', but the certificate seen at "
            f"{HOST}:{server.port} covers other.example.com") in by_rule(run, "E9503")[0]["message"]


def test_each_endpoint_is_probed_once_for_every_path_to_it(probe, tmp_path):
    leaf = issue(HOST, sans=(HOST,))
    with TlsServer(tmp_path, leaf.pem, leaf.key_pem) as server:
        run = probe(server.port, paths=3)
    assert server.accepted == 1
    assert len(by_rule(run, "E9501")) == 3  # one per TCP listener passing TLS through to it


def test_a_port_that_refuses_is_a_warning_and_an_unresolved_hop(probe):
    port = refused_port()
    run = probe(port)
    assert run.code == 1 and run.report["errors"] == []
    assert run.err == (f"tlspath: warning: --probe: cannot read the certificate of {HOST}:{port} (connection "
                       "refused); its path stays unresolved (I9513)\n")
    assert run.ids() == ["I9513", "W9502"]
    assert (f"OrdersGet (GET /): cannot resolve the certificate: --probe could not read the certificate at "
            f"{HOST}:{port}: connection refused") == by_rule(run, "I9513")[0]["message"]


def test_a_server_that_never_answers_costs_bounded_time(probe, monkeypatch):
    monkeypatch.setattr(linter.probe, "HANDSHAKE_TIMEOUT", 0.5)
    with SilentServer() as server:
        run = probe(server.port)
    assert f"cannot read the certificate of {HOST}:{server.port} (no TLS answer within 0.5 s)" in run.err
    assert run.ids() == ["I9513", "W9502"]


def test_a_server_that_trickles_its_handshake_costs_bounded_time(write):
    """A byte every 0.2 s would never trip a per-read timeout: the handshake as a whole is what is bounded."""
    with TricklingServer() as server:
        path = write("stack.yaml", pass_through(server.port))
        run = tlspath_bounded(path, "--format", "json", *AT_ARG, "--probe", "--probe-resolve",
                              f"{HOST}:{server.port}:{LOOPBACK}", wall=60,
                              setup="import linter.probe\nlinter.probe.HANDSHAKE_TIMEOUT = 1.0")
    assert f"{HOST}:{server.port} (no TLS answer within 1 s)" in run.err
    assert run.ids() == ["I9513", "W9502"]


def test_the_overall_deadline_bounds_every_endpoint(probe, monkeypatch):
    monkeypatch.setattr(linter.probe, "DEADLINE", 0.0)
    run = probe(refused_port())
    assert "(the --probe deadline of 0 s passed before it was tried)" in run.err


def test_a_tls13_only_backend_fails_the_tls12_handshake(probe, tmp_path):
    leaf = issue(HOST, sans=(HOST,))
    with TlsServer(tmp_path, leaf.pem, leaf.key_pem, tls13_only=True) as server:
        run = probe(server.port)
    assert f"cannot read the certificate of {HOST}:{server.port} (the TLS 1.2 handshake failed (" in run.err
    assert run.ids() == ["I9513", "W9502"]


def test_without_probe_no_socket_opens(tlspath, write, monkeypatch):
    """Every connect fails loudly: a run without --probe (on the samples too) never notices."""
    def refuse(*args, **kwargs):
        raise AssertionError("a socket was opened without --probe")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    path = write("stack.yaml", pass_through(443))
    run = tlspath(str(path), "--format", "json", *AT_ARG)
    assert (run.code, run.ids(), run.err) == (1, ["W9502"], "")
    samples = tlspath("samples", "--format", "json", *AT_ARG, "--fail-level", "none")
    assert (samples.code, samples.report["errors"]) == (0, [])


@pytest.mark.parametrize("args, message", [
    (["--probe-resolve", f"{HOST}:443:127.0.0.1"], "--probe-resolve goes with --probe"),
    (["--probe", "--probe-resolve", f"{HOST}:443"], "not HOST:PORT:ADDRESS"),
    (["--probe", "--probe-resolve", f"{HOST}:https:127.0.0.1"], "not HOST:PORT:ADDRESS"),
])
def test_probe_usage_errors(tlspath, args, message):
    run = tlspath("samples", *args)
    assert run.code == 2 and message in run.err.splitlines()[-1]


def test_what_path_validation_refuses_below_the_root_is_judged_in_a_presented_chain(probe, tmp_path):
    """The same judgement as a chain in the files: an expired intermediate (E9504) and a leaf made for clients
    (E9522), each naming the certificate seen at HOST:PORT."""
    import datetime as dt

    from cryptography.x509.oid import ExtendedKeyUsageOID

    root, _ = private_ca("Example Public Root")
    (tmp_path / "trust-store.pem").write_text(root.pem)
    old = issue("Example Old Issuing CA", issuer=root, ca=True, slot=4,
                not_after=dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc))
    leaf = issue(HOST, issuer=old, sans=(HOST,), purposes=(ExtendedKeyUsageOID.CLIENT_AUTH,))
    with TlsServer(tmp_path, pem_bundle(leaf, old), leaf.key_pem) as server:
        run = probe(server.port, "--trust-store", str(tmp_path / "trust-store.pem"))
    assert run.ids() == ["E9504", "E9522", "W9502"]
    seen = f"the certificate seen at {HOST}:{server.port}"
    assert by_rule(run, "E9504")[0]["message"] == (f"the intermediate 'Example Old Issuing CA' in the chain of {seen} "
                                                   "expired on 2026-03-01; API Gateway (OrdersGet (GET /)) rejects "
                                                   "the chain")
    assert by_rule(run, "E9522")[0]["message"].startswith(f"{seen} is not for TLS servers: its extended key usage "
                                                          "allows clientAuth, not serverAuth")


def test_a_probed_certificate_is_shown_where_it_was_seen_never_as_a_file(tlspath, write, tmp_path):
    """The certificate a server presented is in no file: text hops say where it was seen, SARIF code flows name
    the endpoint as a logical location (no artifact under %SRCROOT%), mermaid/dot draw it outside every file's
    group. The finding itself stays at the TCP listener in the template."""
    import json

    import jsonschema
    from conftest import SHARED

    leaf = issue(HOST, sans=(HOST,))
    with TlsServer(tmp_path, leaf.pem, leaf.key_pem) as server:
        seen = f"{HOST}:{server.port}"
        path = write("stack.yaml", pass_through(server.port))
        args = ("--at", AT.date().isoformat(), "--probe", "--probe-resolve", f"{seen}:{LOOPBACK}")
        text, sarif, mermaid, report = (tlspath(str(path), "--format", form, *args).out
                                        for form in ("text", "sarif", "mermaid", "json"))
    assert f"->  certificate {seen} (seen at {seen})" in text
    finding = json.loads(report)["findings"][0]
    assert finding["trace"][-1] == {"role": "certificate", "resource": seen, "file": "", "line": None,
                                    "column": None, "seen_at": seen}
    assert finding["trace"][0]["seen_at"] is None
    assert finding["file"] == str(path)  # reported at the listener that passes TLS through
    document = json.loads(sarif)
    schema = SHARED / "schemas" / "sarif-schema-2.1.0.json"
    if schema.exists():
        jsonschema.Draft4Validator(json.loads(schema.read_text())).validate(document)
    last = document["runs"][0]["results"][0]["codeFlows"][0]["threadFlows"][0]["locations"][-1]["location"]
    assert last == {"logicalLocations": [{"name": seen, "fullyQualifiedName": f"https://{seen}", "kind": "resource"}],
                    "message": {"text": f"certificate {seen} (seen at {seen})"}}
    assert seen not in json.dumps([r["locations"] for r in document["runs"][0]["results"]])
    group_end = mermaid.index("  end\n")
    assert f"seen at {seen}" in mermaid[group_end:] and seen not in mermaid[:group_end]


def test_a_resolver_that_never_answers_is_bounded_by_the_connect_timeout(write):
    """getaddrinfo has no timeout of its own: a silent resolver is left behind, the run goes on."""
    path = write("stack.yaml", pass_through(443))
    run = tlspath_bounded(path, "--format", "json", *AT_ARG, "--probe", wall=60, setup=(
        "import socket, time, linter.probe\n"
        "linter.probe.CONNECT_TIMEOUT = 0.5\n"
        "socket.getaddrinfo = lambda *args, **kwargs: time.sleep(3600)"))
    assert run.err == (f"tlspath: warning: --probe: cannot read the certificate of {HOST}:443 (the name does not "
                       "resolve within 0.5 s); its path stays unresolved (I9513)\n")
    assert run.ids() == ["I9513", "W9502"]


def test_a_pass_through_host_on_the_probers_own_machine_is_not_probed(tlspath, write, tmp_path):
    """Behind a VPC link the URI host may be private, but a template never points --probe at the machine it
    runs on (loopback) or its metadata service (link-local); --probe-resolve, given by the person running, may."""
    leaf = issue(HOST, sans=(HOST,))
    with TlsServer(tmp_path, leaf.pem, leaf.key_pem) as server:
        path = write("stack.yaml", stack(api_path(host=LOOPBACK, port=server.port), targets="TCP"))
        run = tlspath(str(path), "--format", "json", *AT_ARG, "--probe")
        assert server.accepted == 0
    assert run.err == (f"tlspath: warning: --probe: {LOOPBACK}:{server.port} not probed: {LOOPBACK} is a loopback "
                       "address, which API Gateway cannot reach; its path stays unresolved (I9513)\n")
    assert run.ids() == ["I9513", "W9502"] and run.code == 1


def test_a_private_address_behind_a_vpc_link_is_probed_only_when_pinned(tlspath, write, monkeypatch):
    """A template (a pull request) must not make --probe open connections inside the runner's network -- a port
    scan of it, read from which warning comes back; --probe-resolve, given by the person running, may."""
    def refuse(*args, **kwargs):
        raise AssertionError("--probe connected to a private address no one pinned")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    path = write("stack.yaml", stack(api_path(host="10.0.3.7", port=6379), targets="TCP"))
    run = tlspath(str(path), "--format", "json", *AT_ARG, "--probe")
    assert run.err == ("tlspath: warning: --probe: 10.0.3.7:6379 not probed: 10.0.3.7 is a private address; pin it "
                       "with --probe-resolve HOST:PORT:ADDRESS to probe it from inside the network; its path stays "
                       "unresolved (I9513)\n")
    assert run.ids() == ["I9513", "W9502"] and run.code == 1
