"""E9512: private key material written into the template."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import InlinePrivateKey, Model
from linter.rule import Rule, Settings, Violation


class InlinePrivateKeyMaterial(Rule):
    """
    ## What it does
    Finds PEM private keys written into infrastructure code -- a whole key: the `-----BEGIN ... PRIVATE
    KEY-----` line, a base64 body as long as a real key's and the matching `-----END` line, in PKCS#1, SEC1,
    PKCS#8 (plain or encrypted), OpenSSH or legacy encrypted PEM form -- in a `PrivateKey` property, a
    parameter default, a boot script, a Terraform literal or heredoc. Reported whether or not an API Gateway
    path uses the key. The header alone (a description of the secret, a script that checks a key it fetched)
    is not a key.

    ## Why is this bad?
    Everyone who can read the repository, its forks, CI logs and the deployed template can impersonate the
    server. The key must be rotated.

    ## Example
    ```yaml
    ServerCertificate:
      Type: AWS::IAM::ServerCertificate
      Properties:
        PrivateKey: |
          -----BEGIN RSA PRIVATE KEY-----
          MIIEowIBAAKCAQEA39vikF/N1QaI2kMSWbGJq+NnR4Wce9Od871BPmk9PNRIrewR
          ...
          -----END RSA PRIVATE KEY-----
    ```

    ## How to fix
    Rotate the key, remove it from the code and its history, and pass it at deploy time: a dynamic reference
    (`{{resolve:secretsmanager:...}}`), a `NoEcho` parameter, or an ACM-issued certificate that needs no key
    at all. In Terraform, `tls_private_key` generates one without committing it.

    ## Sources
    aws-tls-path.md §6.5: [S47] [S61]
    """

    id = "E9512"
    tags = ("secrets",)
    security_severity = 9.1  # a private key in source control is a compromised key
    title = "Private key material in the template"
    fix = ("Rotate the key, remove it from the code and its history, and supply it at deploy time from a secret "
           "store (CloudFormation: a {{resolve:secretsmanager:...}} dynamic reference; Terraform: a sensitive "
           "variable or a secrets data source) -- or use an ACM-issued certificate, which needs no key")
    sources = ("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html",)

    def check_model(self, model: Model, settings: Settings) -> Iterator[Violation]:
        for key in model.of_type(InlinePrivateKey):
            yield Violation(f"private key material in {key.field_name} of '{key.name}'", key)
