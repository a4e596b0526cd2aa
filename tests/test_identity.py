"""A finding's identity -- integration, listener, certificate shown, resource and field, never lines -- is what
baselines, SARIF fingerprints and GitLab fingerprints key on: it survives edits that move lines and changes
when the path itself changes."""

from __future__ import annotations

from conftest import SAMPLES, edit

HEADLINE = SAMPLES / "cloudformation" / "bad" / "e9501-tcp-to-self-signed-backend.yaml"
PRIVATE_CA = SAMPLES / "cloudformation" / "bad" / "e9501-private-ca-certificate.yaml"


def _only(tlspath, template) -> dict:
    finding, = tlspath(template, "--format", "json").findings
    return finding


def test_identity_names_the_path_and_the_resource(tlspath):
    assert _only(tlspath, HEADLINE)["identity"] == {
        "integration": "OrdersGet (GET /orders)", "listener": "OrdersListener", "certificate": "",
        "subject": "OrdersFleet", "field": "", "conditions": ""}
    assert _only(tlspath, PRIVATE_CA)["identity"]["certificate"] == "LedgerCertificate"


def test_identity_survives_moved_lines_and_follows_renames(tlspath, tmp_path):
    template = tmp_path / "orders.yaml"
    original = HEADLINE.read_text()
    template.write_text(original)
    before = _only(tlspath, template)
    template.write_text(edit(original, {"Resources:\n": "Resources:\n  # moved\n  #\n  #\n"}))
    moved = _only(tlspath, template)
    assert moved["line"] == before["line"] + 3 and moved["identity"] == before["identity"]
    template.write_text(original.replace("OrdersListener", "FrontListener"))
    assert _only(tlspath, template)["identity"]["listener"] == "FrontListener"
