"""W9518: the listener's ACM certificate may not be issued when the listener needs it."""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import Certificate, Issuance
from linter.path import TO_LISTENER, Path, Role, TlsAtListener
from linter.rule import Rule, Settings, Violation


class CertificateNotIssued(Rule):
    """
    ## What it does
    Finds a public ACM certificate on the listener where API Gateway's TLS session ends that may still be
    waiting for validation when the listener needs it:

    * in Terraform, the listener uses `aws_acm_certificate.x.arn` (DNS or EMAIL validation) and no
      `aws_acm_certificate_validation` names the certificate, so nothing in the apply waits for ACM to
      issue it;
    * in Terraform, an `aws_acm_certificate_validation` names the certificate, but the listener takes
      `aws_acm_certificate.x.arn` and nothing orders it after the validation -- neither its `certificate_arn`
      (read from the validation's `certificate_arn`, directly or through locals and module outputs) nor a
      `depends_on` (its own, a module call's, or one of what it reads). Where the files cannot tell the order
      (a module that cannot be read on the way; in plan JSON, a local or a module output), nothing is claimed;
    * in either format, the certificate's DNS validation records are written to a **private** hosted zone
      (one associated with VPCs, or looked up with `private_zone = true`).

    A CloudFormation certificate without `HostedZoneId` is not a finding: the stack waits until someone adds
    the DNS record, a legitimate way to work.

    ## Why is this bad?
    A public certificate is usable only once ACM has validated the domain and issued it. Terraform creates the
    listener as soon as the certificate resource exists, while it is still `PENDING_VALIDATION`, unless an
    `aws_acm_certificate_validation` waits for issuance in between (the documented pattern). And ACM validates
    through public DNS: records in a private hosted zone are invisible to it, so the certificate stays
    pending until validation times out, and the listener -- and every request API Gateway sends to it --
    never gets a certificate. (Which error the listener's creation fails with is not documented.)

    ## Example
    ```hcl
    resource "aws_acm_certificate" "api" {
      domain_name       = "api.example.com"
      validation_method = "DNS"
    }

    resource "aws_lb_listener" "tls" {
      protocol        = "TLS"
      certificate_arn = aws_acm_certificate.api.arn   # nothing waits for issuance
    }
    ```

    ## How to fix
    Add an `aws_acm_certificate_validation` for the certificate (with the validation records' FQDNs) and
    take the listener's `certificate_arn` from its `certificate_arn`. Write DNS validation records to the
    domain's public hosted zone.

    ## Sources
    aws-tls-path.md §6.1, §6.3, §6.4, candidate check 24: [S45] [S46b] [S59] [S60] (that a listener's creation
    fails on a pending certificate is UNVERIFIED, hence a warning)
    """

    id = "W9518"
    tags = ("certificate", "validation")
    title = "The listener's ACM certificate may not be issued when the listener needs it"
    fix = ("Wait for the certificate's issuance before the listener uses it, and write DNS validation records to the "
           "public hosted zone")
    needs = TO_LISTENER | {Role.CERTIFICATE}
    sources = ("https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/acm_certificate_validation",
               "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-certificatemanager-certificate.html",
               "https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html")

    def check_path(self, path: Path, settings: Settings) -> Iterator[Violation]:
        tls = path.tls_at_listener
        if tls is None:
            return
        for certificate in tls.certificates:
            issuance = certificate.issuance
            if issuance is None:
                continue
            if issuance.private_zone is not None:
                yield _private_zone(path, tls, certificate, issuance)
            elif issuance.awaited is False:
                yield _not_awaited(path, tls, certificate, issuance)
            elif tls.listener.key in issuance.unordered:
                yield _not_waiting(path, tls, certificate, issuance)


def _private_zone(path: Path, tls: TlsAtListener, certificate: Certificate, issuance: Issuance) -> Violation:
    return Violation(
        f"the DNS validation records of certificate '{certificate.name}' (listener '{tls.listener.name}', "
        f"{path.integration_name}) go to private hosted zone '{issuance.private_zone}', which only answers inside "
        "its VPCs; ACM validates through public DNS and never sees them, so the certificate is never issued",
        certificate, at=issuance.private_zone_at,
        fix=(f"Write the validation records of '{certificate.name}' to the public hosted zone of its domain, "
             f"not to '{issuance.private_zone}'"))


def _not_awaited(path: Path, tls: TlsAtListener, certificate: Certificate, issuance: Issuance) -> Violation:
    method = certificate.spelling.setting("issuance", issuance.method or "")
    return Violation(
        f"certificate '{certificate.name}' ({method}) is used by listener '{tls.listener.name}' "
        f"({path.integration_name}), but no aws_acm_certificate_validation names it: nothing waits for ACM to "
        "issue it, and the listener may be created while it is still PENDING_VALIDATION",
        certificate, "issuance",
        fix=(f"Add an aws_acm_certificate_validation with certificate_arn = {certificate.name}.arn (and the "
             f"validation records' FQDNs), and set {tls.listener.spelling.name('certificates')} of listener "
             f"'{tls.listener.name}' to its certificate_arn"))


def _not_waiting(path: Path, tls: TlsAtListener, certificate: Certificate, issuance: Issuance) -> Violation:
    listener, field_name = tls.listener, tls.listener.spelling.name("certificates")
    address, instance = issuance.validation_address, issuance.validation_instance
    assert address is not None and instance is not None  # Issuance: no unordered listener without a validation
    return Violation(
        f"listener '{listener.name}' ({path.integration_name}) takes certificate '{certificate.name}' itself, and "
        f"nothing orders it after {address}, which waits for ACM to issue the certificate: terraform "
        "creates both at once, and the listener may be created while the certificate is still PENDING_VALIDATION",
        listener, "certificates",
        fix=(f"Set {field_name} of listener '{listener.name}' to {instance}.certificate_arn (or add "
             f"depends_on = [{address}] to it)"))
