"""How the user's file spells a resource's fields, so messages and fixes use the user's own words.

A Terraform user is told to set ``integration_target`` and ``protocol = "TLS"``, a CloudFormation user
``IntegrationTarget`` and ``Protocol: TLS``. Each front end records, on every resource it builds, the keys each
model field was read from (the same keys it locates the field by) and the syntax of the file; a rule then says
``listener.spelling.setting("protocol", "TLS")`` and never learns which format it speaks to.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

Setting = str | bool | int
KeyPath = tuple[str | int, ...]  # keys inside the resource; an integer step marks a Terraform block

_PLAIN_YAML = re.compile(r"[A-Za-z_/][\w./:*-]*")
_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}
_HCL_IDENTIFIER = re.compile(r"[A-Za-z_][\w]*")


class Syntax(enum.Enum):
    YAML = "yaml"  # CloudFormation YAML, OpenAPI YAML: Protocol: TLS
    JSON = "json"  # CloudFormation JSON, OpenAPI JSON: "Protocol": "TLS"
    HCL = "hcl"  # Terraform: protocol = "TLS"


@dataclass(frozen=True)
class Spelling:
    """The syntax of the file a resource was read from, and the keys each of its fields was read from.

    ``paths`` is keyed by model field (or certificate fact: ``trust`` is ``CertificateAuthorityArn`` for a
    requested ACM certificate). A resource no front end read (a certificate looked up in ACM) spells only
    what its source records. ``values`` holds, for a field the file writes in words of its own, how it writes
    each model value (a load balancer's ``scheme`` "internal" is Terraform's ``internal = true``).
    """

    syntax: Syntax = Syntax.YAML
    paths: Mapping[str, KeyPath] = field(default_factory=dict)
    values: Mapping[str, Mapping[Setting, Setting]] = field(default_factory=dict)

    def has(self, field_name: str) -> bool:
        """Whether the resource, as the user writes it, has the field (a CloudFormation Method has no TLS
        settings: only an OpenAPI body can hold them)."""
        return field_name in self.paths

    def name(self, field_name: str) -> str:
        """The user's own key for a field: ``IntegrationTarget``, ``integration_target``,
        ``insecureSkipVerification`` (the model's name for a field the front end did not spell)."""
        keys = [step for step in self.paths.get(field_name, (field_name,)) if isinstance(step, str)]
        return keys[-1]

    def setting(self, field_name: str, value: Setting) -> str:
        """The field set to ``value`` as the user writes it: ``Protocol: TLS``, ``protocol = "TLS"``,
        ``tls_config { insecure_skip_verification = true }``."""
        path = self.paths.get(field_name, (field_name,))
        value = self.values.get(field_name, {}).get(value, value)
        if self.syntax is Syntax.HCL:
            return _hcl(path, value)
        keys = [step for step in path if isinstance(step, str)]
        nested = _yaml_value(value) if self.syntax is Syntax.YAML else json.dumps(value)
        for key in reversed(keys[1:]):
            nested = f"{{{_key(key, self.syntax)}: {nested}}}"
        return f"{_key(keys[0], self.syntax)}: {nested}"

    def value(self, field_name: str, value: Setting) -> str:
        """``value`` as the file writes it for the field: ``"TLS"`` in HCL and JSON, ``TLS`` in YAML."""
        value = self.values.get(field_name, {}).get(value, value)
        return _yaml_value(value) if self.syntax is Syntax.YAML else json.dumps(value)


def _key(key: str, syntax: Syntax) -> str:
    return key if syntax is Syntax.YAML else json.dumps(key)


def _yaml_value(value: Setting) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) or (_PLAIN_YAML.fullmatch(value) and value.lower() not in _YAML_WORDS):
        return str(value)
    return json.dumps(value)


def _hcl(path: KeyPath, value: Setting) -> str:
    """``tls_config { insecure_skip_verification = true }`` where a key names a block (an integer step follows
    it), ``"x-amazon-apigateway-integration" = { tlsConfig = { ... } }`` where it names an object."""
    keys = [(step, isinstance(after, int)) for step, after in zip(path, (*path[1:], None)) if isinstance(step, str)]
    (innermost, _), outer = keys[-1], keys[:-1]
    text = f"{_hcl_key(innermost)} = {json.dumps(value)}"
    for key, block in reversed(outer):
        text = f"{_hcl_key(key)} {{ {text} }}" if block else f"{_hcl_key(key)} = {{ {text} }}"
    return text


def _hcl_key(key: str) -> str:
    return key if _HCL_IDENTIFIER.fullmatch(key) else json.dumps(key)
