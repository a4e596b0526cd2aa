"""E9512 fires on private key material -- a whole PEM block in every form keys are written in -- and never on the
PEM header alone (a description of what a secret looks like, a boot script that checks a key it fetched)."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from conftest import line_of

_PEM, _TRADITIONAL, _PKCS8 = (serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                              serialization.PrivateFormat.PKCS8)
_PLAIN, _LOCKED = serialization.NoEncryption(), serialization.BestAvailableEncryption(b"passphrase")


def _keys() -> dict[str, str]:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    ec_key, ed_key = ec.generate_private_key(ec.SECP256R1()), ed25519.Ed25519PrivateKey.generate()
    return {
        "rsa-pkcs1": rsa_key.private_bytes(_PEM, _TRADITIONAL, _PLAIN).decode(),
        "ec-sec1": ec_key.private_bytes(_PEM, _TRADITIONAL, _PLAIN).decode(),
        "ed25519-pkcs8": ed_key.private_bytes(_PEM, _PKCS8, _PLAIN).decode(),
        "encrypted-pkcs8": ec_key.private_bytes(_PEM, _PKCS8, _LOCKED).decode(),
        "legacy-encrypted": rsa_key.private_bytes(_PEM, _TRADITIONAL, _LOCKED).decode(),
        "openssh": ed_key.private_bytes(_PEM, serialization.PrivateFormat.OpenSSH, _PLAIN).decode(),
    }


KEYS = _keys()


def template(user_data: str, description: str = "the backend's key") -> str:
    return json.dumps({"Parameters": {"KeySecret": {"Type": "String", "Description": description}},
                       "Resources": {"Web": {"Type": "AWS::EC2::Instance", "Properties": {
                           "ImageId": "ami-0c1b2d3e4f5a6b7c8", "UserData": {"Fn::Base64": user_data}}}}}, indent=2)


@pytest.mark.parametrize("form", sorted(KEYS))
def test_a_key_in_every_form_is_found_in_a_template(tlspath, write, tmp_path, form):
    assert "Proc-Type" in KEYS["legacy-encrypted"]  # the form with headers before its body
    path = write("t.json", template(f"#!/bin/bash\ncat > /etc/tls.key <<'EOF'\n{KEYS[form]}EOF\n"))
    finding, = tlspath(path, "--format", "json").findings
    assert (finding["rule"], finding["line"]) == ("E9512", line_of(path, "-----BEGIN"))


@pytest.mark.parametrize("form", ["rsa-pkcs1", "openssh"])
def test_a_key_written_with_escaped_line_breaks_is_found_in_terraform(tlspath, write, tmp_path, form):
    escaped = KEYS[form].replace("\n", "\\n")
    main = write("main.tf", f'resource "aws_iam_server_certificate" "c" {{\n  name        = "c"\n'
                            f'  private_key = "{escaped}"\n}}\n')
    finding, = tlspath(tmp_path, "--format", "json").findings
    assert (finding["rule"], finding["line"]) == ("E9512", line_of(main, "private_key"))


@pytest.mark.parametrize("script", [
    'grep -q -- "-----BEGIN PRIVATE KEY-----" /etc/tls.key || exit 1',
    "awk '/-----BEGIN EC PRIVATE KEY-----/{k=1} k' /etc/bundle.pem > /etc/tls.key",
    "printf '%s\\n' '-----BEGIN PRIVATE KEY-----' \"$KEY\" '-----END PRIVATE KEY-----' > /etc/tls.key",
    "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcN\n-----END RSA PRIVATE KEY-----",  # far too short
    f"-----BEGIN EC PRIVATE KEY-----\n{'A' * 80}\n-----END RSA PRIVATE KEY-----",  # no footer of its own
])
def test_the_header_without_key_material_is_not_a_key(tlspath, write, tmp_path, script):
    path = write("t.json", template(f"#!/bin/bash\n{script}\n",
                                    "Secrets Manager ARN of the key (starts with -----BEGIN PRIVATE KEY-----)"))
    run = tlspath(path, "--format", "json")
    assert run.code == 0 and run.findings == []


def test_a_key_assembled_from_a_variable_in_terraform_is_not_a_key_written_in_the_files(tlspath, write, tmp_path):
    write("main.tf", 'variable "key" {\n  description = "the PEM (-----BEGIN RSA PRIVATE KEY----- ...)"\n}\n\n'
                     'resource "aws_iam_server_certificate" "c" {\n  name        = "c"\n'
                     '  private_key = "-----BEGIN RSA PRIVATE KEY-----\\n${var.key}\\n-----END RSA PRIVATE KEY-----"\n}\n')
    assert tlspath(tmp_path, "--format", "json").findings == []
