"""One run: discover files, load and classify them, build models with each front end, analyse.

Format-specific work ends here: what leaves is findings, input errors and counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from linter.discover import Candidate, discover
from linter.engine import analyse
from linter.findings import InputError, ScanResult
from linter.parse.cloudformation import TemplateDocument, build_models, is_template
from linter.parse.documents import ParseError, load_document, read_text
from linter.parse.terraform import TerraformSettings
from linter.parse.tfplan import is_plan
from linter.rule import Settings

if TYPE_CHECKING:
    from linter.acm import AcmSettings

_TEMPLATE_HINT = re.compile(r"AWSTemplateFormatVersion|[\"']?Type[\"']?\s*:\s*[\"']?(AWS|Custom)::")
_PLAN_HINT = '"planned_values"'


@dataclass(frozen=True)
class Options:
    """What a run is asked to do beyond the paths."""

    settings: Settings
    terraform: TerraformSettings = TerraformSettings()
    acm: AcmSettings | None = None  # None: certificates known only by ARN stay unresolved (no network)
    ignore: tuple[str, ...] = ()  # rule ids or id prefixes not to run (--ignore)


@dataclass
class _Loaded:
    templates: list[TemplateDocument] = field(default_factory=list)
    plans: list[tuple[Candidate, dict]] = field(default_factory=list)  # Terraform plan JSON documents
    errors: list[InputError] = field(default_factory=list)


def looks_like_template(text: str) -> bool:
    """Whether unreadable text was meant to be a CloudFormation template (then its errors are reported;
    a broken Helm chart or workflow is not our business)."""
    return bool(_TEMPLATE_HINT.search(text))


def _worth_parsing(text: str) -> bool:
    """Whether text may hold a template or a Terraform plan. The rest -- a multi-megabyte package-lock.json
    that a pre-commit hook hands over -- is never parsed."""
    return looks_like_template(text) or _PLAN_HINT in text


def _head(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            return handle.read(65536).decode("utf-8", "replace")
    except OSError:
        return ""


def _load(candidates: list[Candidate]) -> _Loaded:
    loaded = _Loaded()
    for candidate in candidates:
        try:
            text = read_text(candidate.path)
        except ParseError as exc:
            if candidate.explicit or looks_like_template(_head(candidate.path)):
                loaded.errors.append(InputError(candidate.path, exc.line, exc.message))
            continue
        if not _worth_parsing(text):
            continue
        try:
            document = load_document(text, candidate.path)
        except ParseError as exc:
            if looks_like_template(text):
                loaded.errors.append(InputError(candidate.path, exc.line, exc.message))
            continue
        if is_template(document):
            mentions = "vpclink" in text.lower() or "vpc_link" in text.lower()
            loaded.templates.append(TemplateDocument(candidate.path, document, mentions, candidate.root))
        elif is_plan(document):
            loaded.plans.append((candidate, document))
    return loaded


def scan(paths: list[str], options: Options) -> ScanResult:
    inputs = discover(paths)
    errors = [InputError(path, None, "no such file or directory") for path in inputs.missing]
    loaded = _load(inputs.documents)
    errors.extend(loaded.errors)
    models, cfn_errors = build_models(loaded.templates)
    errors.extend(cfn_errors)
    files = len(loaded.templates)
    if inputs.terraform_modules or loaded.plans:
        from linter.parse.terraform import build_models as build_terraform_models

        terraform = build_terraform_models(inputs.terraform_modules, loaded.plans,
                                             options.terraform)
        models.extend(terraform.models)
        errors.extend(terraform.errors)
        files += terraform.files
    warnings: list[str] = []
    lookup = None
    if options.acm is not None:
        from linter.acm import certificate_lookup

        lookup, acm_warnings = certificate_lookup(models, options.acm)
        warnings.extend(acm_warnings)
    from linter.rules import catalogue

    rules = [rule for rule in catalogue() if not rule.id.startswith(options.ignore)]
    analysis = analyse(models, rules, options.settings, lookup)
    errors.extend(analysis.errors)
    return ScanResult(analysis.findings, tuple(errors), files, len(analysis.paths), tuple(warnings))

