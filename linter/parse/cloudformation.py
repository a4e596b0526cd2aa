"""CloudFormation (incl. SAM and CDK output) to the neutral model.

Reads templates decoded by tlspath's loader (nodes with marks, :mod:`linter.parse.documents`) and builds one
:class:`~linter.model.Model` per template. cfn-lint's decoded nodes have the same shape but fewer marks (none
on strings made by a tag, no block-scalar flag); lines then fall back to the nearest enclosing node.
``Fn::ImportValue`` is resolved against the exports of every template in the same run that may be in the same
account and region (a CDK stage's environment), so a path may cross stacks.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from linter.conditions import branch_over, branches
from linter.discover import discover
from linter.evidence import find_evidence, offset_of, script_text
from linter.findings import InputError, reported
from linter.frontend import (
    Built, Candidate, Claims, Document, FrontEndSettings, judged_in, read_on_their_own, undeclared,
)
from linter.model import (
    AddressAssociation, Certificate, CertificateSource, Choice, DnsRecord, ElasticIp, EndpointService,
    HttpApiIntegration, InboundRule, Interpolated,
    InlinePrivateKey, Issuance, Listener, ListenerCertificate, LoadBalancer, Location, Model, Placement, Reference,
    Resource, RestIntegration, SecurityGroup, Shared, Stage, Suppression, Target, TargetAttachment, TargetGroup, TargetKind, TlsEvidence,
    UNKNOWN_PART, VALUE_FROM, Unknown, UnreadableDefinition, VpcLink, WebSocketIntegration,
    as_items, define, first_unknown, known_str, registrations,
    route_words, step_into,
)
from linter.names import shown
from linter.frontend import inside
from linter.parse import cfn_init
from linter.parse.documents import (
    ParseError, Position, key_line, key_position, line_of, load_document, position, read_text, syntax_of, written_at,
)
from linter.parse.ecs import load_balanced_container
from linter.parse.foreach import LOOP
from linter.parse.intrinsics import STACK_NAME, EvaluationError, Evaluator, as_deployed, sub_variables
from linter.parse.openapi import ApiKind, definition_not_scanned, definition_unparsed, quick_create, read_integrations, undeclared_api_kind
from linter.parse.parameters import FILE, SAM_ENVIRONMENT, GivenText, ParameterSource, apply, beside, read_sources
from linter.parse.suppression_syntax import ENTRY, in_entries
from linter.secrets import find_private_keys
from linter.spelling import Spelling, Syntax

_RESOURCE_TYPE = re.compile(r"^(AWS|Alexa|Custom)::|^Custom::")
_TEMPLATE_HINT = re.compile(r"AWSTemplateFormatVersion|[\"']?Type[\"']?\s*:\s*[\"']?(AWS|Custom)::")

# What ``Ref`` returns for the types the walk follows (everything else: its physical id).
_REF_ATTRIBUTE = {
    "AWS::ApiGateway::VpcLink": "id",
    "AWS::ApiGatewayV2::VpcLink": "id",
    "AWS::IAM::ServerCertificate": "name",
    "AWS::EC2::Instance": "id",
    "AWS::AutoScaling::AutoScalingGroup": "name",
    "AWS::ApiGateway::Resource": "id",
    "AWS::Route53::RecordSet": "fqdn",  # the record's domain name
    "AWS::EC2::EIP": "public_ip",  # the address
}


@dataclass(frozen=True)
class CloudFormationSettings:
    """What the user gave the CloudFormation front end besides the templates: parameter values
    (``--parameter``, ``--parameters-file`` and the configuration's), in the order that decides which wins
    (:mod:`linter.parse.parameters`)."""

    parameters: tuple[ParameterSource, ...] = ()
    sam_environment: str = SAM_ENVIRONMENT  # the samconfig environment read (the configuration's sam-config-env)
    alone: bool = False  # a named template without the templates that import or nest it (cfn-lint's one at a time)


class CloudFormation:
    """The CloudFormation front end: YAML and JSON templates wherever they are, recognised by content."""

    claims = Claims(documents=("*.yaml", "*.yml", "*.json", "*.template"))

    def may_read(self, text: str) -> bool:
        return looks_like_template(text)

    def reads(self, document: Document) -> bool:
        return is_template(document.data)

    def build(self, folders: list[Candidate], documents: Iterable[Document], settings: FrontEndSettings) -> Built:
        own = settings.of(CloudFormationSettings)
        return build_models(_templates(documents, own.alone), own)


def _templates(documents: Iterable[Document], alone: bool) -> Iterator[TemplateDocument]:
    """The documents as templates, one at a time: none is held while the next is read -- then the templates of
    the Git work trees of those named on the command line that import their exports or nest them (a pre-commit
    hook's changed exporting stack or nested child), so each is judged where it takes effect."""
    named: list[tuple[Candidate, list[bytes]]] = []
    seen: set[str] = set()
    for document in documents:
        seen.add(os.path.realpath(document.candidate.path))
        if document.candidate.explicit:
            named.append((document.candidate, _export_fragments(document.data)))
        template = TemplateDocument(document.candidate.path, document.data, document.candidate.root,
                                    imports="ImportValue" in document.text)
        del document
        yield template
        del template
    yield from () if alone else _related(named, seen)


def _related(named: list[tuple[Candidate, list[bytes]]], seen: set[str]) -> Iterator[TemplateDocument]:
    """The templates of the named templates' work trees that nest one of them (their text names its path from
    their folder: ``TemplateURL: ./nested/api.yaml``) or import one of its exports (their text has
    ``ImportValue`` and a written part of an export's name). Every other file of the tree is read as bytes once
    and let go; the nested stacks and imports themselves are resolved as in any run. A related file that does
    not parse is left to a scan of the tree."""
    for tree in dict.fromkeys(judged_in(candidate) for candidate, _ in named):
        files = [os.path.abspath(c.path) for c, _ in named if judged_in(c) == tree]
        exports = [fragment for c, fragments in named if judged_in(c) == tree for fragment in fragments]
        for candidate in discover([tree], [CloudFormation.claims]).documents:
            if os.path.realpath(candidate.path) in seen:
                continue
            try:
                with open(candidate.path, "rb") as handle:
                    head = handle.read()
            except OSError:
                continue
            folder = os.path.dirname(os.path.abspath(candidate.path))
            if not (any(os.path.relpath(file, folder).replace(os.sep, "/").encode() in head for file in files) or (
                    b"ImportValue" in head and any(fragment in head for fragment in exports))):
                continue
            seen.add(os.path.realpath(candidate.path))
            try:
                text = read_text(candidate.path)
                data = load_document(text, candidate.path)
            except ParseError:
                continue
            if is_template(data):
                yield TemplateDocument(candidate.path, data, tree, imports="ImportValue" in text)


def _export_fragments(template: Any) -> list[bytes]:
    """The longest written part of each export name of a template (``-vpc-link`` of
    ``!Sub "network-${Environment}-vpc-link"``): what an importing template's text holds too."""
    outputs = template.get("Outputs") if isinstance(template, dict) else None
    found = []
    for output in (outputs.values() if isinstance(outputs, dict) else ()):
        export = output.get("Export") if isinstance(output, dict) else None
        name = export.get("Name") if isinstance(export, dict) else None
        parts = [part for text, _ in _strings(name, 0, 0) for part in re.split(r"\$\{[^}]*\}", text) if len(part) >= 3]
        if parts:
            found.append(max(parts, key=len).encode())
    return found



class _Given:
    """The parameter values given from outside the templates, applied to each template as it arrives -- below
    them, the SAM configuration ``sam deploy`` reads beside a template. A value CloudFormation would refuse is
    an input error at the parameter's declaration; a name given on the command line that no scanned template
    declares is a warning (a typo never silently does nothing)."""

    def __init__(self, settings: CloudFormationSettings):
        self._environment = settings.sam_environment
        self._values = read_sources(settings.parameters, settings.sam_environment)
        self.read = {source.text for source in settings.parameters if source.kind == FILE}  # and those beside
        self._beside_errors: list[InputError] = []  # a SAM configuration beside a template that cannot be read
        self._problems: list[InputError] = []  # values the templates' declarations refuse
        self._declared: list[tuple[str, frozenset[str]]] = []  # per template file: the parameters it declares

    @property
    def errors(self) -> list[InputError]:
        return [*self._beside_errors, *(InputError(file, line, message) for file, line, message in self._values.errors),
                *self._problems]

    def apply(self, document: TemplateDocument) -> dict:
        """The values given for the template's parameters."""
        found = beside(document.file, document.root)
        configured = None
        if found is not None:
            self.read.add(found.text)
            configured = read_sources((found,), self._environment)
            self._beside_errors.extend(InputError(file, line, message) for file, line, message in configured.errors)
        declared = document.template.get("Parameters")
        declared = declared if isinstance(declared, dict) else {}
        applied = apply(document.file, declared, [*(configured.given if configured else ()), *self._values.given])
        self._problems.extend(InputError(document.file, key_line(declared, name), message)
                              for name, message in applied.problems)
        self._declared.append((document.file, applied.declared))
        return applied.values

    def warnings(self) -> list[str]:
        if not self._declared:
            return []
        unused: dict[ParameterSource, list[str]] = {}
        for given in self._values.given:
            if not given.source.configured and not any(given.name in declared and given.applies_to(file)
                                                       for file, declared in self._declared):
                unused.setdefault(given.source, []).append(given.name)
        return [undeclared(f"{source.flag} {source.text if source.kind == FILE else names[0]}",
                           f"template{f' ({source.template})' if source.template else ''}", "parameter", names)
                for source, names in unused.items()]


def looks_like_template(text: str) -> bool:
    """Whether text was meant to be a CloudFormation template (then its errors are reported; a broken Helm
    chart or workflow is not our business)."""
    return bool(_TEMPLATE_HINT.search(text))


def is_template(document: Any) -> bool:
    """Whether a loaded YAML/JSON document is a CloudFormation template (and not a workflow, a manifest,
    package.json ...)."""
    if not isinstance(document, dict):
        return False
    if "AWSTemplateFormatVersion" in document:
        return True
    resources = document.get("Resources")
    return isinstance(resources, dict) and any(
        (isinstance(r, dict) and isinstance(r.get("Type"), str) and _RESOURCE_TYPE.match(r["Type"]))
        or str(key).startswith(LOOP) for key, r in resources.items())


@dataclass(frozen=True)
class TemplateDocument:
    """A decoded template and the file it came from, as the user named it."""

    file: str
    template: dict
    root: str | None  # the scanned folder: local files outside it are never read
    imports: bool = True  # cheap text test: may it import exports (then it is built once every export is known)?


# ------------------------------------------------------------------------------------------ the run


class _Exports:
    """``Outputs.*.Export.Name`` of every template in the run, evaluated on demand in their own template.

    Exports belong to one account and region: an import is resolved among the exports of its own stack's
    environment (a CDK stage's ``manifest.json``), so two stages deployed to different accounts may export the
    same name. Where the environment is unknown on either side, any export of the name may be meant; two
    exports of one name in one environment cannot both be deployed, so which one is meant is not known.

    An export named after its own stack (``!Sub "${AWS::StackName}-VpcLinkId"``, the common idiom) matches an
    import whose name fits the pattern, when exactly one template of the run exports such a name. An export
    named after a value only known at deploy time (``!Sub "network-${Environment}-vpc-link"``, the parameter
    without a Default) is said to be the one an import may mean, never taken for it.
    """

    def __init__(self) -> None:
        self._table: dict[str, list[tuple[_Stack, Any]]] = {}
        self._patterns: list[tuple[re.Pattern[str], _Stack, Any]] = []
        self._open: list[tuple[re.Pattern[str], _Stack, str, Unknown]] = []  # names with a value only deployed
        self._resolving: set[tuple[str, Placement]] = set()
        self._resolved: dict[tuple[str, Placement], Any] = {}  # each import evaluated once per environment
        self.secrets: set[str] = set()  # NoEcho parameter values of every template: an export may carry one
        self.arriving = False  # True while a template is built before every template's exports are known
        self._imported: set[int] = set()  # the export values (by node) an import of the run evaluated

    def register(self, stack: _Stack) -> bool:
        """Record the stack's exports; whether it exports anything (then it is kept, to evaluate them)."""
        exported = False
        outputs = stack.evaluator.outputs
        for output in (outputs.values() if isinstance(outputs, dict) else ()):
            export = output.get("Export") if isinstance(output, dict) else None
            if not isinstance(export, dict) or "Value" not in output:
                continue
            name = stack.evaluator.value(export.get("Name"))
            if (text := known_str(name)) is not None:
                self._table.setdefault(text, []).append((stack, output["Value"]))
                exported = True
            elif isinstance(name, Interpolated) and STACK_NAME in name.parts and all(
                    isinstance(p, str) or p == STACK_NAME for p in name.parts):
                self._patterns.append((_stack_named(name.parts), stack, output["Value"]))
                exported = True
            elif isinstance(name, Interpolated) and (gap := first_unknown(name)) is not None:
                pattern = re.compile("".join(re.escape(p) if isinstance(p, str) else ".+" for p in name.parts))
                self._open.append((pattern, stack, _as_written(export.get("Name")) or shown(name), gap))
                exported = True
        return exported

    def exporters(self) -> Iterator[_Stack]:
        """The templates the run keeps for their exports: what an import refers to is declared in one of them."""
        kept = {id(stack): stack for entries in self._table.values() for stack, _ in entries}
        kept.update((id(stack), stack) for _, stack, _ in self._patterns)
        return iter(kept.values())

    def resolve(self, name: str, where: Placement) -> Any:
        """The value an import of ``name`` gets in a stack placed at ``where``."""
        if self.arriving:
            raise _Arriving(name)
        key = (name, _environment(where))
        if key not in self._resolved:
            self._resolved[key] = self._resolve(name, where)
        return self._resolved[key]

    def _resolve(self, name: str, where: Placement) -> Any:
        named = self._table.get(name, [])
        stack_named = [(stack, node) for pattern, stack, node in self._patterns if pattern.fullmatch(name)]
        elsewhere: list[_Stack] = []
        for found in (named, stack_named):
            same = [(stack, node) for stack, node in found if _same_place(stack.placement, where) is True]
            maybe = [(stack, node) for stack, node in found if _same_place(stack.placement, where) is None]
            elsewhere += [stack for stack, _ in found if _same_place(stack.placement, where) is False]
            if len(same) > 1:  # CloudFormation refuses a second export of a name in one account and region
                return Unknown(f"'{name}' is exported by several templates in {_place(where)} ({_files(same)}), "
                               "where an account and region hold one export of a name",
                               "scan only the stacks deployed together")
            if found is stack_named and not same and len(maybe) > 1:
                return Unknown(f"export '{name}' matches the stack-named exports of several templates "
                               f"({_files(maybe)})", "scan only the stacks deployed together")
            if same or maybe:  # an export whose environment is unknown may be the one meant (the first, as ever)
                return self._value(name, where, *(same or maybe)[0])
        if elsewhere:
            places = ", ".join(sorted({f"{stack.file} ({_place(stack.placement)})" for stack in elsewhere}))
            return Unknown(f"no scanned template in {_place(where)} exports '{name}'; exports belong to one account "
                           f"and region, and only templates elsewhere export it: {places}",
                           f"scan the template that exports '{name}' in {_place(where)} together with this one")
        return self._not_exported(name)

    def _value(self, name: str, where: Placement, stack: _Stack, node: Any) -> Any:
        key = (name, _environment(where))
        if key in self._resolving:
            return Unknown(f"export '{name}' refers to itself", "break the cycle: an export cannot be computed from itself")
        self._resolving.add(key)
        self._imported.add(id(node))
        try:
            return stack.evaluator.value(node)
        finally:
            self._resolving.discard(key)


    def unimported(self, stack: _Stack) -> Iterator[tuple[Reference, Shared]]:
        """What the stack exports that no scanned template imports, when it is a resource's identity (its Ref,
        ARN or id, not its DNS name): stacks not scanned may import it and add to the resource."""
        outputs = stack.evaluator.outputs
        for output_name, output in (outputs.items() if isinstance(outputs, dict) else ()):
            export = output.get("Export") if isinstance(output, dict) else None
            if not isinstance(export, dict) or "Value" not in output or id(output["Value"]) in self._imported:
                continue
            condition = known_str(output.get("Condition"))
            if condition and stack.evaluator.condition(condition) is False:
                continue
            try:
                value = stack.evaluator.value(output["Value"])
            except EvaluationError:
                continue  # the template's own build says what cannot be evaluated
            if isinstance(value, Reference) and value.attribute in _IDENTITY:
                name = known_str(stack.evaluator.value(export.get("Name"))) or _as_written(export.get("Name")) \
                    or f"the export of output {output_name}"
                where = stack.loc(key_line(outputs, output_name))
                yield value, Shared(f"exported as '{name}' ({where}), which no scanned template imports",
                                    f"the stacks that import '{name}'")

    def _not_exported(self, name: str) -> Unknown:
        """No export is certainly ``name``; one whose name depends on a value only known at deploy time may be."""
        candidates = [(stack, written, gap) for pattern, stack, written, gap in self._open if pattern.fullmatch(name)]
        if not candidates:
            return Unknown(f"no scanned template exports '{name}'",
                           "scan the template that exports it together with this one")
        stack, written, gap = candidates[0]
        return Unknown(f"no scanned template certainly exports '{name}': {stack.file} exports '{written}', whose name "
                       f"is only known at deploy time ({gap.reason})", f"in {stack.file}: {gap.supply}")


def _environment(placement: Placement) -> Placement:
    """Where a stack is, without what says so: the part of a placement exports are scoped by."""
    return Placement(placement.region, placement.account)


def _same_place(one: Placement, other: Placement) -> bool | None:
    """Whether two stacks are in the same account and region: ``None`` when either side's is not known."""
    pairs = ((one.account, other.account), (one.region, other.region))
    if any(a is not None and b is not None and a != b for a, b in pairs):
        return False
    return True if all(a is not None and b is not None for a, b in pairs) else None


def _files(exports: list[tuple[_Stack, Any]]) -> str:
    return ", ".join(sorted({stack.file for stack, _ in exports}))


def _place(placement: Placement) -> str:
    """An environment as the CDK writes it: ``aws://111122223333/eu-west-1``."""
    return f"aws://{placement.account or 'unknown-account'}/{placement.region or 'unknown-region'}"


class _Arriving(BaseException):
    """A template built as it arrives imports an export: it waits until every template's exports are known.
    Not an :class:`Exception`: no guard that makes a template's failure an input error may take it."""


def _as_written(node: Any) -> str | None:
    """An export name as the template writes it, when it is one ``Fn::Sub`` text."""
    sub = node.get("Fn::Sub") if isinstance(node, dict) and len(node) == 1 else None
    sub = sub[0] if isinstance(sub, list) and sub else sub
    return sub if isinstance(sub, str) else None


def _stack_named(parts: tuple) -> re.Pattern[str]:
    """The export names a name written with ``${AWS::StackName}`` stands for: every occurrence is the same
    stack name (at most 128 characters), so the match stays linear however often the name repeats it."""
    pieces, named = [], False
    for part in parts:
        if isinstance(part, str):
            pieces.append(re.escape(part))
        else:
            pieces.append("(?P=stack)" if named else "(?P<stack>[A-Za-z][-A-Za-z0-9]{0,127})")
            named = True
    return re.compile("".join(pieces))


class _Stack:
    """One template being evaluated -- a scanned file, or a nested stack instantiated by its parent with the
    parent's parameter values (its resources then get keys of their own, apart from the file's own scan)."""

    def __init__(self, document: TemplateDocument, exports: _Exports, namespace: str | None = None,
                 parameter_values: dict | None = None, lineage: tuple[str, ...] = (),
                 placement: Placement | None = None, how_to_give: Callable[[str], str] | None = None,
                 errors: list[InputError] | None = None, read: set[str] | None = None):
        self.document = document
        self.errors = [] if errors is None else errors  # files it reads that do not parse (its nested stacks' too)
        self.read = set() if read is None else read  # the files it opens besides its own (its nested stacks' too)
        self.file = document.file
        self.placement = placement or _cdk_environment(document, self.read)  # a nested stack is where its parent is
        self.namespace = namespace or document.file
        self.lineage = (*lineage, os.path.realpath(document.file))
        self._exports = exports
        self._children: dict[str, _Stack | Unknown] = {}
        self.parameter_values = parameter_values or {}
        self.evaluator = Evaluator(document.template, self.key, _ref_attribute,
                                   functools.partial(exports.resolve, where=self.placement),
                                   self.nested_output, parameter_values, how_to_give, exports.secrets)

    def key(self, logical: str) -> str:
        return f"{self.namespace}#{logical}"

    def logical(self, value: Any) -> str | None:
        """The logical id a reference points to, when it is a resource of this template."""
        if isinstance(value, Reference) and value.key.startswith(self.namespace + "#"):
            return value.key[len(self.namespace) + 1:]
        return None

    def declared(self, value: Any) -> tuple[_Stack, str] | None:
        """The template and logical id a reference points to: a resource of this template, or -- through an
        import -- of another scanned one."""
        for stack in (self, *self._exports.exporters()):
            if (logical := stack.logical(value)) is not None:
                return stack, logical
        return None

    def loc(self, line: int | None, column: int | None = None) -> Location:
        return Location(self.file, line, column)

    @functools.cached_property
    def declarations(self) -> dict[str, tuple[int, int | None]]:
        """The lines each resource's declaration spans: from its logical id to the line before the next thing
        written after it (a resource, or the section after Resources); the last one to the end of the file.
        Resources that start on one line (minified JSON) have none: which of them holds a place is unknown."""
        template = self.document.template
        resources = template.get("Resources") if isinstance(template, dict) else None
        if not isinstance(resources, dict):
            return {}
        starts = sorted((line, str(logical)) for logical in resources if (line := key_line(resources, logical)))
        sections = [line for key in template if (line := key_line(template, key)) is not None]
        shared = {line for line, count in Counter(line for line, _ in starts).items() if count > 1}
        found: dict[str, tuple[int, int | None]] = {}
        for index, (line, logical) in enumerate(starts):
            if line in shared:
                continue
            following = [start for start, _ in starts[index + 1:index + 2]] + [at for at in sections if at > line]
            found[logical] = (line, min(following) - 1 if following else None)
        return found

    @property
    def syntax(self) -> Syntax:
        return syntax_of(self.file)

    def raw(self, logical: str) -> dict:
        resource = self.evaluator.resources.get(logical)
        properties = resource.get("Properties") if isinstance(resource, dict) else None
        return properties if isinstance(properties, dict) else {}

    def child(self, logical: str) -> _Stack | Unknown:
        """The nested stack a resource declares (``AWS::CloudFormation::Stack`` with a local TemplateURL, SAM
        ``AWS::Serverless::Application`` with a local Location, a CDK NestedStack's template asset), read inside
        the scanned tree only."""
        if logical not in self._children:
            self._children[logical] = self._load_child(logical)
        return self._children[logical]

    def _load_child(self, logical: str) -> _Stack | Unknown:
        declaration = self.evaluator.resources.get(logical)
        kind = declaration.get("Type") if isinstance(declaration, dict) else None
        source = {"AWS::CloudFormation::Stack": "TemplateURL", "AWS::Serverless::Application": "Location"}.get(str(kind))
        if source is None:
            return Unknown(f"'{logical}' is not a nested stack",
                           "read Outputs.* of an AWS::CloudFormation::Stack or AWS::Serverless::Application")
        written = known_str(self.evaluator.value(self.raw(logical).get(source)))
        local = written if written is not None and "://" not in written else None
        asset = None if local is not None else cdk_asset(declaration, source)
        where = local or asset
        if where is None:
            return Unknown(f"nested stack '{logical}' lives at {written or 'a computed location'}, not in the "
                           "scanned files", "scan the nested template together with this one")
        path = self.local_file(where, f"nested stack '{logical}' ({where})", asset is not None)
        if isinstance(path, Unknown):
            return path
        if os.path.realpath(path) in self.lineage:
            return Unknown(f"nested stack '{logical}' ({where}) nests itself",
                           f"point the TemplateURL of '{logical}' at a template that does not lead back to this one")
        if len(self.lineage) > 8:
            return Unknown(f"nested stack '{logical}' ({where}) is nested more than 8 levels deep, which tlspath "
                           "does not follow", "scan the deeper template on its own")
        try:
            text = read_text(path)
            template = load_document(text, path)
        except ParseError as exc:
            return Unknown(f"nested stack '{logical}' ({where}) cannot be read: {exc.message}", "fix that template")
        if not is_template(template):
            return Unknown(f"nested stack '{logical}' ({where}) is not a CloudFormation template",
                           f"point {source} at the nested CloudFormation template")
        parameters = self.evaluator.value(self.raw(logical).get("Parameters") or {})
        declared = template.get("Parameters") if isinstance(template.get("Parameters"), dict) else {}
        given = {name: as_deployed(name, declared.get(name), value)
                 for name, value in (parameters.items() if isinstance(parameters, dict) else ())}
        document = TemplateDocument(path, template, self.document.root)
        return _Stack(document, self._exports, f"{path}@{self.key(logical)}", given, self.lineage, self.placement,
                      lambda name: f"pass it in Parameters of '{logical}' ({self.file})", self.errors, self.read)

    def local_file(self, relative: str, subject: str, asset: bool) -> str | Unknown:
        """The path of a file a template names (a nested template, an OpenAPI definition) relative to its own
        folder -- or, for a CDK asset, the file ``cdk synth`` wrote beside it -- when it lies inside the scanned
        tree: nothing outside it is read. ``subject`` names the file for people."""
        path = os.path.normpath(os.path.join(os.path.dirname(self.file), relative))
        root = os.path.realpath(self.document.root or os.path.dirname(self.file))
        if not inside(path, root):
            return Unknown(f"{subject} lies outside the scanned tree and is not read", "scan the folder that holds it")
        if asset and not os.path.isfile(path):
            return Unknown(f"{subject} is the CDK asset file its Metadata aws:asset:path names, which is not in the "
                           "scanned tree", "run cdk synth and scan the cdk.out folder it writes (the asset file is "
                           "written beside this template)")
        self.read.add(path)  # the caller reads it next
        return path

    def nested_files(self) -> set[str]:
        """The files of every nested stack this stack (or a stack nested in it) instantiated."""
        files: set[str] = set()
        for child in self._children.values():
            if isinstance(child, _Stack):
                files.add(os.path.realpath(child.file))
                files.update(child.nested_files())
        return files

    def nested_output(self, logical: str, output: str) -> Any:
        """``!GetAtt Nested.Outputs.Name``: the output's value, evaluated inside the nested stack."""
        child = self.child(logical)
        if isinstance(child, Unknown):
            return child
        outputs = child.evaluator.outputs
        declared = outputs.get(output) if isinstance(outputs, dict) else None
        if not isinstance(declared, dict) or "Value" not in declared:
            return Unknown(f"nested stack '{logical}' has no output '{output}'",
                           f"add output '{output}' to the nested template, or read one it has")
        return child.evaluator.value(declared["Value"])


def cdk_asset(declaration: Any, property_name: str) -> str | None:
    """The file of the cloud assembly that a resource's ``property_name`` is uploaded from, in CDK output:
    ``cdk synth`` writes a computed S3 location into the property (a nested stack's ``TemplateURL``, a
    SpecRestApi's ``BodyS3Location``) and names the local file in ``Metadata`` (``aws:asset:path``, relative to
    the template's folder, with ``aws:asset:property``); ``cdk deploy`` uploads that file there as it is."""
    metadata = declaration.get("Metadata") if isinstance(declaration, dict) else None
    if not isinstance(metadata, dict) or metadata.get("aws:asset:property") != property_name:
        return None
    path = metadata.get("aws:asset:path")
    return path if isinstance(path, str) and path else None


_CDK_ENVIRONMENT = re.compile(r"aws://(?P<account>[^/]*)/(?P<region>[^/]*)")


def _cdk_environment(document: TemplateDocument, read: set[str]) -> Placement:
    """A CDK stack's account and region, from the cloud assembly's ``manifest.json`` next to its template
    (``"environment": "aws://111122223333/eu-west-1"``; added to ``read``); ``unknown-account`` and
    ``unknown-region`` say nothing."""
    folder = os.path.dirname(document.file)
    manifest = os.path.join(folder, "manifest.json")
    if not os.path.isfile(manifest) or not inside(manifest, os.path.realpath(document.root or folder)):
        return Placement()
    read.add(manifest)
    try:
        assembly = load_document(read_text(manifest), manifest)
    except ParseError:
        return Placement()
    artifacts = assembly.get("artifacts") if isinstance(assembly, dict) else None
    for artifact in artifacts.values() if isinstance(artifacts, dict) else ():
        if not isinstance(artifact, dict) or not isinstance(artifact.get("properties"), dict):
            continue
        environment = _CDK_ENVIRONMENT.fullmatch(str(artifact.get("environment")))
        if environment and artifact["properties"].get("templateFile") == os.path.basename(document.file):
            region, account = (None if part.startswith("unknown-") else part
                               for part in (environment["region"], environment["account"]))
            return Placement(region, account, "the CDK stack's environment",
                             Location(manifest, *key_position(artifact, "environment")))
    return Placement()


_IDENTITY = frozenset({"arn", "id", "GroupId"})  # what another stack attaches listeners or rules by (not dns_name)


def _ref_attribute(resource_type: str) -> str:
    return _REF_ATTRIBUTE.get(resource_type, "arn")


def build_models(documents: Iterable[TemplateDocument],
                 settings: CloudFormationSettings = CloudFormationSettings()) -> Built:
    """One model per template, with the parameter values given from outside for its file; ImportValue resolves
    across all of them.

    Templates arrive one at a time (a scan parses each as it is asked for), and each is built as it arrives
    and let go, so a run holds one parsed template at a time -- except those the run's imports need: a
    template that exports is kept until the end (an import evaluates the export in its own template), and
    one that imports (its text says so, or an import turns up while it is built: a nested stack's, an
    included file's) is built once every template's exports are known, as if all had been read first."""
    exports = _Exports()
    given = _Given(settings)
    read = given.read  # and the files the stacks open
    registering: list[InputError] = []
    built: list[_Built] = []
    waiting: list[tuple[int, _Stack]] = []
    for document in documents:
        stack = _Stack(document, exports, parameter_values=given.apply(document), read=read)
        exported = False
        with reported(registering, stack.file):
            try:
                exported = exports.register(stack)
            except EvaluationError as exc:
                registering.append(InputError(stack.file, None, str(exc)))
        built.append(_Built(stack.file))
        if document.imports or not _build_arriving(built[-1], stack, exports):
            waiting.append((len(built) - 1, stack if document.imports else _Stack(
                document, exports, parameter_values=stack.parameter_values, read=read)))
        if exported:
            built[-1].exporter = stack  # imports may still load nested stacks into it
        del document, stack  # not held while the next template is read
    for slot, stack in waiting:
        _build_one(built[slot], stack)
    for each in built:  # every import of the run is resolved: what no scanned template imports is shared
        if each.exporter is not None and each.model is not None:
            with reported(each.errors, each.file):
                _shared(each.model, exports.unimported(each.exporter))
    calls: dict[str, set[str]] = {}
    for each in built:
        if each.model is not None:
            calls.setdefault(os.path.realpath(each.file), set()).update(each.nested_files())
    alone = set(read_on_their_own(calls))
    models = [each.model if os.path.realpath(each.file) in alone else _file_level(each.model)
              for each in built if each.model is not None]
    errors = list(dict.fromkeys([*given.errors, *registering, *(error for each in built for error in each.errors)]))
    return Built(models, errors, len(built), given.warnings(), read)


@dataclass
class _Built:
    """What building one template gave: its model (``None`` when it could not be built), its errors, and the
    nested stacks it instantiated (those loaded into the stack that evaluates its exports count too)."""

    file: str
    model: Model | None = None
    errors: list[InputError] = dataclasses.field(default_factory=list)
    nested: set[str] = dataclasses.field(default_factory=set)
    exporter: _Stack | None = None

    def nested_files(self) -> set[str]:
        return self.nested | (self.exporter.nested_files() if self.exporter is not None else set())


def _build_arriving(built: _Built, stack: _Stack, exports: _Exports) -> bool:
    """Build a template before the rest of the run has arrived; whether that was possible (it imports nothing
    -- else what was built so far is dropped, and it is built again at the end)."""
    exports.arriving = True
    try:
        _build_one(built, stack)
    except _Arriving:
        built.model, built.errors, built.nested = None, [], set()
        return False
    finally:
        exports.arriving = False
    return True


def _build_one(built: _Built, stack: _Stack) -> None:
    with reported(built.errors, stack.file):  # one template must never hide the findings of another
        try:
            built.model = _build(stack)
        except EvaluationError as exc:
            built.errors.append(InputError(stack.file, None, str(exc)))
    built.errors.extend(stack.errors)
    built.nested = stack.nested_files()
    if built.model is not None:
        with reported(built.errors, stack.file):
            _shared(built.model, _published(stack))


def _published(stack: _Stack) -> Iterator[tuple[Reference, Shared]]:
    """What the template writes to an SSM parameter when it is a resource's identity: the CDK's way to hand a
    load balancer to other stacks without an export's lock. Any stack may read the parameter (``{{resolve:ssm:..}}``,
    an ``AWS::SSM::Parameter::Value`` parameter) and add to the resource, and no scanned file says which does."""
    resources = stack.evaluator.resources
    for logical, declaration in resources.items():
        if not isinstance(declaration, dict) or declaration.get("Type") != "AWS::SSM::Parameter":
            continue
        properties = declaration.get("Properties")
        if not isinstance(properties, dict) or "Value" not in properties:
            continue
        try:
            value = stack.evaluator.value(properties["Value"])
            name = known_str(stack.evaluator.value(properties.get("Name"))) or f"of resource {logical}"
        except EvaluationError:
            continue  # the template's own build says what cannot be evaluated
        if isinstance(value, Reference) and value.attribute in _IDENTITY:
            where = stack.loc(key_line(resources, logical))
            yield value, Shared(f"published in SSM parameter '{name}' ({where})",
                                f"the stacks that read SSM parameter '{name}'")


def _shared(model: Model, exported: Iterable[tuple[Reference, Shared]]) -> None:
    """Mark the load balancers and security groups the template hands to stacks not scanned."""
    for reference, shared in exported:
        if isinstance(model.resources.get(reference.key), (LoadBalancer, SecurityGroup)):
            model.shared.setdefault(reference.key, shared)


def _file_level(model: Model) -> Model:
    """A nested template its parent instantiates in the same run is judged through the parent, with the
    parameter values it is given; read alone, those values would be missing. What does not depend on them --
    private keys written in the file -- is still reported from the file itself."""
    return Model(model.source, {key: r for key, r in model.resources.items() if isinstance(r, InlinePrivateKey)},
                 secrets=model.secrets)


def _build(stack: _Stack) -> Model:
    model = Model(stack.file, secrets=stack.evaluator.secrets)
    _build_into(model, stack)
    return model


def _build_into(model: Model, stack: _Stack) -> None:
    """The stack's resources, then those of its nested stacks (with the values it passes them)."""
    resources = stack.evaluator.resources
    for logical, declaration in resources.items():
        if not isinstance(declaration, dict):
            continue
        condition = known_str(declaration.get("Condition"))
        truth = stack.evaluator.condition(condition) if condition else True
        if truth is False:
            continue
        child = stack.child(str(logical)) if declaration.get("Type") in _NESTED_STACKS else None
        if isinstance(child, _Stack):
            _build_into(model, child)
        builder = _BUILDERS.get(str(declaration.get("Type")))
        if builder is None:
            model.unfollow(stack.key(str(logical)), str(declaration.get("Type")))
            continue
        properties = stack.evaluator.value(declaration.get("Properties") or {})
        if not isinstance(properties, dict):
            continue
        ctx = _Resource(stack, str(logical), properties, declaration, None if truth is True else condition)
        for resource in builder(ctx):
            model.add(resource)
    for loop in stack.evaluator.loops.unexpanded:
        if loop.makes & _FOLLOWED:
            model.add(UnreadableDefinition(key=stack.key(loop.loop), name=loop.loop, loc=stack.loc(*loop.position),
                                           field_name=loop.loop, unknown=Unknown(
                                               f"the resources it makes ({', '.join(sorted(loop.makes & _FOLLOWED))}) "
                                               f"cannot be checked: {loop.unknown.reason}", loop.unknown.supply)))
    for name, formula in stack.evaluator.formulas().items():
        define(model.conditions, name, formula)
    if stack.namespace == stack.file:  # a nested instance shares its file's text: report keys once
        model.suppressions.extend(suppression for logical, declaration in resources.items()
                                  if isinstance(declaration, dict)
                                  for suppression in _suppressions(stack, str(logical), declaration))
        for found in find_private_keys(stack.document.template):
            model.add(InlinePrivateKey(key=stack.key(f"{found.owner}/{found.field}"), name=found.owner,
                                       loc=stack.loc(found.line, found.column), field_name=found.field))


# ------------------------------------------------------------------------------------- per resource


class _Resource:
    """One resource being translated: evaluated properties plus where each was written."""

    def __init__(self, stack: _Stack, logical: str, properties: dict, declaration: dict, condition: str | None):
        self.stack, self.logical, self.properties = stack, logical, properties
        self.declaration, self.condition = declaration, condition
        self.key = stack.key(logical)
        self.loc = stack.loc(*key_position(stack.evaluator.resources, logical))

    @functools.cached_property
    def suppressions(self) -> tuple[Suppression, ...]:
        """Its suppressions, read once: every model object made of the resource (a target group and each of its
        targets) carries them."""
        return _suppressions(self.stack, self.logical, self.declaration)

    def get(self, *path: Any) -> Any:
        """A nested property value (``None`` when absent); choices are followed into both branches."""
        value: Any = self.properties
        for step in path:
            value = step_into(value, step)
        return value

    def at(self, *path: Any) -> Location:
        """Where a nested property was written: the line and column of its key (or list item) in the template
        as written, else in the evaluated properties (whose intrinsic results carry no marks), else the closest
        enclosing place."""
        place = position(self.declaration.get("Properties"))
        place = place if place[0] else (self.loc.line, self.loc.column)
        nodes: tuple[Any, ...] = (self.declaration.get("Properties"), self.properties)
        for step in path:
            found = next((f for f in (_position_of_step(node, step) for node in nodes) if f[0]), None)
            if found is None:
                break
            place = found
            nodes = tuple(step_into(node, step) for node in nodes)
        return self.stack.loc(*place)

    def spans(self, **fields: tuple) -> dict[str, Location]:
        return {name: self._given_into(self.at(*path), path) for name, path in fields.items()
                if self.get(*path) is not None}

    def _given_into(self, loc: Location, path: tuple) -> Location:
        """``loc``, saying which parameters given from outside the template (``--parameter``, a parameters
        file) the property reads -- a finding there is fixed in that value, not in the template."""
        node = self.declaration.get("Properties")
        for step in path:
            node = step_into(node, step)
        given = [f"parameter '{name}', {value.source}" for name in _parameters_read(node)
                 if isinstance(value := self.stack.parameter_values.get(name), GivenText)]
        return dataclasses.replace(loc, note=VALUE_FROM + " and ".join(given)) if given else loc

    def common(self, **fields: tuple) -> dict:
        """The fields every resource has; ``fields`` maps model fields to the properties they are read from."""
        return dict(key=self.key, name=self.logical, loc=self.loc, spans=self.spans(**fields),
                    condition=self.condition, suppressions=self.suppressions,
                    spelling=Spelling(self.stack.syntax, fields), placement=self.stack.placement,
                    construct=_construct(self.declaration))


def _construct(declaration: dict) -> str:
    """The CDK construct path of a resource in CDK output (``Metadata: aws:cdk:path``), without the
    ``/Resource`` step of the L1 resource an L2 construct wraps: what the user wrote in the CDK app."""
    metadata = declaration.get("Metadata")
    path = metadata.get("aws:cdk:path") if isinstance(metadata, dict) else None
    return path.removesuffix("/Resource") if isinstance(path, str) else ""


def _parameters_read(node: Any) -> list[str]:
    """The names a property written as ``Ref`` or ``Fn::Sub`` reads (``${Name}``, ``${Resource.Attribute}``)."""
    if not isinstance(node, dict) or len(node) != 1:
        return []
    ((function, argument),) = node.items()
    if function == "Ref":
        return [argument] if isinstance(argument, str) else []
    text = argument[0] if function == "Fn::Sub" and isinstance(argument, list) and argument else argument
    return [name for _, _, name in sub_variables(text)] if function == "Fn::Sub" and isinstance(text, str) else []


def _suppressions(stack: _Stack, logical: str, declaration: dict) -> tuple[Suppression, ...]:
    """``Metadata: tlspath: ignore: [{rule, reason, expires}]`` (:mod:`linter.parse.suppression_syntax`), and
    cfn-lint's ``Metadata: cfn-lint: config: ignore_checks: [...]`` -- honoured by tlspath too, so one
    annotation silences a rule in both tools (it asks for no reason: cfn-lint's convention has none)."""
    metadata = declaration.get("Metadata")
    if not isinstance(metadata, dict):
        return ()

    def locate(node: Any) -> Location:
        place = position(node)
        return stack.loc(*(place if place[0] else key_position(metadata, "tlspath")))

    found: list[Suppression] = []
    own = metadata.get("tlspath")
    if isinstance(own, dict):
        found.extend(Suppression("", locate(key), logical, problem=f"Metadata tlspath: '{key}' is no key (known: "
                                 "ignore)", written_as=ENTRY.form) for key in own if key != "ignore")
        if "ignore" in own:
            found.extend(in_entries(own["ignore"], locate, logical, "Metadata tlspath ignore"))
    elif own is not None:
        found.append(Suppression("", locate(own), logical, problem="Metadata tlspath must be a mapping with an "
                                 "'ignore' list", written_as=ENTRY.form))
    checks: Any = metadata
    for key in ("cfn-lint", "config", "ignore_checks"):
        checks = checks.get(key) if isinstance(checks, dict) else None
    if isinstance(checks, list):
        found.extend(Suppression(check.upper(), locate(check), logical, cfn_lint=True)
                     for check in checks if isinstance(check, str))
    lines = stack.declarations.get(logical)
    return tuple(dataclasses.replace(suppression, declaration=lines) for suppression in found)


def _position_of_step(node: Any, step: Any) -> Position:
    if isinstance(node, dict) and step in node:
        return key_position(node, step)
    if isinstance(node, list) and isinstance(step, int) and step < len(node):
        return position(node[step])
    return None, None


# ------------------------------------------------------------------------------------------ builders


def _method(ctx: _Resource) -> Iterator[Resource]:
    if ctx.get("Integration") is None:
        return
    fields = {name: ("Integration", source) for name, source in (
        ("integration_type", "Type"), ("connection_type", "ConnectionType"), ("connection_id", "ConnectionId"),
        ("uri", "Uri"), ("integration_target", "IntegrationTarget"))}
    yield RestIntegration(
        **ctx.common(**fields), route=route_words(known_str(ctx.get("HttpMethod")),
                                                  _resource_path(ctx.stack, ctx.get("ResourceId"))),
        api=ctx.get("RestApiId"), **{name: ctx.get(*path) for name, path in fields.items()})


def _resource_path(stack: _Stack, resource_id: Any, depth: int = 0) -> str:
    """``/orders/{id}`` from a chain of AWS::ApiGateway::Resource parents, for people reading findings."""
    logical = stack.logical(resource_id)
    declaration = stack.evaluator.resources.get(logical) if logical else None
    if logical is None or not isinstance(declaration, dict) or declaration.get("Type") != "AWS::ApiGateway::Resource" \
            or depth > 50:
        return "/"
    raw = stack.raw(logical)
    part = known_str(stack.evaluator.value(raw.get("PathPart"))) or UNKNOWN_PART
    parent = _resource_path(stack, stack.evaluator.value(raw.get("ParentId")), depth + 1)
    return parent.rstrip("/") + "/" + part


def _api_definition(ctx: _Resource) -> Iterator[Resource]:
    kind: ApiKind = "http" if ctx.declaration.get("Type") in ("AWS::ApiGatewayV2::Api", "AWS::Serverless::HttpApi") \
        else "rest"
    if ctx.declaration.get("Type") == "AWS::ApiGatewayV2::Api" and ctx.get("Target") is not None:
        yield from quick_create(ctx.common(integration_uri=("Target",)), ctx.get("Target"), ctx.get("RouteKey"),
                                ctx.get("ProtocolType"))
    if ctx.declaration.get("Type") in _SAM_APIS:  # SAM creates the API's stage (StageName) with its variables
        yield Stage(**{**ctx.common(variables=(_SAM_APIS[ctx.declaration["Type"]],)), "key": f"{ctx.key}#stage"},
                    api=Reference(ctx.key, "id"), stage_name=ctx.get("StageName"),
                    variables=ctx.get(_SAM_APIS[ctx.declaration["Type"]]))
    body_key = "Body" if "Body" in ctx.properties else "DefinitionBody"
    body = ctx.get(body_key)
    if isinstance(body, dict):
        yield from read_integrations(body, api=ctx.logical, key=ctx.key, kind=kind, owner=ctx.common(),
                                     locate=lambda node, key: ctx.stack.loc(*key_position(node, key)),
                                     syntax=ctx.stack.syntax)
        return
    yield from _named_definition(ctx, body_key, kind)


_SAM_APIS = {"AWS::Serverless::Api": "Variables", "AWS::Serverless::HttpApi": "StageVariables"}


def _stage(ctx: _Resource) -> Iterator[Resource]:
    variables = "Variables" if ctx.declaration.get("Type") == "AWS::ApiGateway::Stage" else "StageVariables"
    yield Stage(**ctx.common(variables=(variables,)), api=ctx.get("RestApiId") or ctx.get("ApiId"),
                stage_name=ctx.get("StageName"), variables=ctx.get(variables))


def _named_definition(ctx: _Resource, body_key: str, kind: ApiKind) -> Iterator[Resource]:
    """An API definition the template names instead of holding it: a local file is read (inside the scanned
    tree) -- ``AWS::Include``'s, a ``DefinitionUri`` or ``BodyS3Location`` path (which ``sam deploy`` and ``aws
    cloudformation package`` upload as it is), the CDK asset file of a ``BodyS3Location`` -- and one in S3, or
    only known at deploy time, is an I9513 of the API: its integrations cannot be seen, whatever they are."""
    include = _include_location(ctx.stack.raw(ctx.logical).get(body_key))
    if include is not None and not include.startswith("s3://"):  # inserted before intrinsics: evaluate them
        yield from _local_definition(ctx, include, body_key, kind, ctx.stack.evaluator.value)
        return
    if include is not None:
        yield _in_s3(ctx, body_key, include, "the AWS::Include Location", body_key)
        return
    for field_name in ("BodyS3Location", "DefinitionUri"):
        value = ctx.get(field_name)
        if value is None:
            continue
        asset = cdk_asset(ctx.declaration, field_name)
        inline = "Body" if field_name == "BodyS3Location" else "DefinitionBody"
        if asset is not None:
            yield from _local_definition(ctx, asset, field_name, kind, _as_uploaded, asset=True)
        elif isinstance(value, str) and not value.startswith("s3://"):
            yield from _local_definition(ctx, value, field_name, kind, _as_uploaded)
        elif (location := _s3_location(value, ctx.stack.raw(ctx.logical).get(field_name))) is not None:
            yield _in_s3(ctx, field_name, location, field_name, inline)
        else:
            yield _unreadable(ctx, field_name, definition_not_scanned(
                field_name, f"inline it as {inline}, or name a file in the scanned tree in {field_name}"))
        return
    if body_key in ctx.properties:
        body = ctx.get(body_key)
        yield _unreadable(ctx, body_key, definition_not_scanned(
            body_key, "inline the OpenAPI body, or point it at a file in the scanned tree",
            body if isinstance(body, Unknown) else None))


def _in_s3(ctx: _Resource, field_name: str, location: str, names_file: str, inline: str) -> UnreadableDefinition:
    """The I9513 of an API whose definition is uploaded to S3 (``location``): the scan cannot read it, and the
    same file kept in the tree can be -- ``names_file`` is where the template would name its local path."""
    return _unreadable(ctx, field_name, Unknown(
        f"the API definition in {field_name} is in S3 ({location}), not in the scanned files, so its private "
        "integrations cannot be checked", f"keep the definition uploaded to {location} in the scanned tree and name "
        f"its local path in {names_file} (aws cloudformation package and sam deploy upload it), or inline it as {inline}"))


def _s3_location(value: Any, written: Any) -> str | None:
    """``s3://bucket/key`` of an S3 location written as a URI or as ``{Bucket, Key}``; a part only known at
    deploy time is shown as the template writes it (``${AWS::AccountId}`` in a ``Fn::Sub``). ``None`` when the
    value is no S3 location at all."""
    if isinstance(value, str):
        return value if value.startswith("s3://") else None
    if not isinstance(value, dict) or "Bucket" not in value:
        return None
    written = written if isinstance(written, dict) else {}
    bucket, key = (known_str(value.get(part)) or _as_written(written.get(part)) or "<deploy-time value>"
                   for part in ("Bucket", "Key"))
    return f"s3://{bucket}/{key}"


def _include_location(raw: Any) -> str | None:
    """The ``Location`` of ``Fn::Transform: {Name: AWS::Include, Parameters: {Location: ...}}``: a local file,
    or an ``s3://`` URI."""
    transform = raw.get("Fn::Transform") if isinstance(raw, dict) else None
    if not isinstance(transform, dict) or transform.get("Name") != "AWS::Include":
        return None
    parameters = transform.get("Parameters")
    location = parameters.get("Location") if isinstance(parameters, dict) else None
    return location if isinstance(location, str) else None


def _as_uploaded(document: Any) -> Any:
    """A definition file ``sam deploy``, ``aws cloudformation package`` or ``cdk deploy`` uploads: as it is,
    no intrinsic function evaluated (unlike an ``AWS::Include``'s)."""
    return document


def _unreadable(ctx: _Resource, field_name: str, unknown: Unknown) -> UnreadableDefinition:
    common = {**ctx.common(), "key": f"{ctx.key}/{field_name}", "spans": {field_name: ctx.at(field_name)}}
    return UnreadableDefinition(**common, field_name=field_name, unknown=unknown)


def _local_definition(ctx: _Resource, relative: str, field_name: str, kind: ApiKind,
                      evaluate: Callable[[Any], Any], asset: bool = False) -> Iterator[Resource]:
    """An OpenAPI file named by the template (or by its CDK asset metadata): read it, but only inside the
    scanned tree."""
    path = ctx.stack.local_file(relative, f"'{relative}'", asset)
    if isinstance(path, Unknown):
        yield _unreadable(ctx, field_name, path)
        return
    try:
        text = read_text(path)
    except ParseError as exc:
        yield _unreadable(ctx, field_name, Unknown(f"'{relative}' cannot be read: {exc.message}", "fix the OpenAPI file"))
        return
    try:
        body = evaluate(load_document(text, path))
    except ParseError as exc:  # broken input, like a broken template: an input error at the file's own line
        ctx.stack.errors.append(InputError(path, exc.line, exc.message))
        yield _unreadable(ctx, field_name, definition_unparsed(field_name, Location(path, exc.line)))
        return
    yield from read_integrations(body, api=ctx.logical, key=ctx.key, kind=kind, owner=ctx.common(),
                                 locate=lambda node, key: Location(path, *key_position(node, key)),
                                 syntax=syntax_of(path))


def _http_integration(ctx: _Resource) -> Iterator[Resource]:
    api = ctx.stack.declared(ctx.get("ApiId"))
    if _api_protocol(api) == "WEBSOCKET":
        yield _websocket_integration(ctx)
        return
    fields = {"integration_type": ("IntegrationType",), "connection_type": ("ConnectionType",),
              "connection_id": ("ConnectionId",), "integration_uri": ("IntegrationUri",),
              "server_name_to_verify": ("TlsConfig", "ServerNameToVerify")}
    kind = None if api is not None else undeclared_api_kind(ctx.get("IntegrationUri"), "IntegrationUri", "ApiId",
                                                            "ProtocolType")
    yield HttpApiIntegration(**ctx.common(**fields, tls_config=("TlsConfig",)),
                             tls_config=ctx.get("TlsConfig") is not None, api_kind=kind, api=ctx.get("ApiId"),
                             **{name: ctx.get(*path) for name, path in fields.items()})


def _api_protocol(api: tuple[_Stack, str] | None) -> str | None:
    """The ProtocolType (upper-case) of the AWS::ApiGatewayV2::Api an integration's ApiId references -- in this
    template, or in the scanned template whose export it imports (``api``: that template and the logical id);
    ``None`` when no scanned template declares the API or its protocol is not known (read as an HTTP API)."""
    if api is None:
        return None
    stack, logical = api
    declaration = stack.evaluator.resources.get(logical)
    if not isinstance(declaration, dict) or declaration.get("Type") != "AWS::ApiGatewayV2::Api":
        return None
    protocol = known_str(stack.evaluator.value(stack.raw(logical).get("ProtocolType")))
    return protocol.upper() if protocol is not None else None


def _websocket_integration(ctx: _Resource) -> WebSocketIntegration:
    fields = {"integration_type": ("IntegrationType",), "connection_type": ("ConnectionType",),
              "connection_id": ("ConnectionId",), "uri": ("IntegrationUri",)}
    return WebSocketIntegration(**ctx.common(**fields), route="", api=ctx.get("ApiId"), **{name: ctx.get(*path) for name, path in fields.items()})


def _vpc_link_v1(ctx: _Resource) -> Iterator[Resource]:
    targets = ctx.get("TargetArns")
    single = isinstance(targets, list) and len(targets) == 1  # then point at the one target itself
    yield VpcLink(**ctx.common(targets=("TargetArns", 0) if single else ("TargetArns",)), version=1,
                  targets=tuple(targets) if isinstance(targets, list) else _unknown_list(targets, "TargetArns"))


def _unknown_list(value: Any, what: str) -> Unknown:
    return value if isinstance(value, Unknown) else Unknown(f"{what} is only known at deploy time",
                                                                   f"write {what} out, or reference the resources")


def _vpc_link_v2(ctx: _Resource) -> Iterator[Resource]:
    yield VpcLink(**ctx.common(security_groups=("SecurityGroupIds",)), version=2,
                  security_groups=ctx.get("SecurityGroupIds"))


def _endpoint_service(ctx: _Resource) -> Iterator[Resource]:
    yield EndpointService(**ctx.common(load_balancers=("NetworkLoadBalancerArns",)),
                          load_balancers=tuple(as_items(ctx.get("NetworkLoadBalancerArns"))))


def _load_balancer(ctx: _Resource) -> Iterator[Resource]:
    lb_type, scheme = ctx.get("Type"), ctx.get("Scheme")
    fields = {"security_groups": ("SecurityGroups",),
              "private_link_inbound": ("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic",)}
    yield LoadBalancer(**ctx.common(lb_type=("Type",), scheme=("Scheme",), **fields),
                       lb_type="application" if lb_type is None else lb_type,
                       scheme="internet-facing" if scheme is None else scheme,
                       **{name: ctx.get(*path) for name, path in fields.items()})


def _security_group(ctx: _Resource) -> Iterator[Resource]:
    yield SecurityGroup(**ctx.common(inbound=("SecurityGroupIngress",)))
    for index in range(len(as_items(ctx.get("SecurityGroupIngress")))):
        yield _inbound_rule(ctx, Reference(ctx.key), ("SecurityGroupIngress", index),
                            key=f"{ctx.key}/SecurityGroupIngress/{index}", loc=ctx.at("SecurityGroupIngress", index))


def _security_group_ingress(ctx: _Resource) -> Iterator[Resource]:
    group = ctx.get("GroupId")
    yield _inbound_rule(ctx, ctx.get("GroupName") if group is None else group, ())


def _inbound_rule(ctx: _Resource, group: Any, at: tuple, **where: Any) -> InboundRule:
    """An inbound rule written inside a security group (``at`` its entry) or as a resource of its own."""
    fields = {"protocol": (*at, "IpProtocol"), "from_port": (*at, "FromPort"), "to_port": (*at, "ToPort")}
    return InboundRule(**{**ctx.common(**fields), **where}, group=group,
                       **{name: ctx.get(*path) for name, path in fields.items()},
                       peer_groups=_written(ctx, at, "SourceSecurityGroupId", "SourceSecurityGroupName"),
                       peer_ranges=_written(ctx, at, "CidrIp", "CidrIpv6", "SourcePrefixListId"))


def _written(ctx: _Resource, at: tuple, *keys: str) -> tuple:
    """The values of those of the keys (under ``at``) that are written."""
    return tuple(value for value in (ctx.get(*at, key) for key in keys) if value is not None)


def _listener(ctx: _Resource) -> Iterator[Resource]:
    certificates = _certificate_arns(ctx.get("Certificates"))
    yield Listener(**ctx.common(load_balancer=("LoadBalancerArn",), protocol=("Protocol",), port=("Port",),
                                ssl_policy=("SslPolicy",), certificates=("Certificates",),
                                target_groups=("DefaultActions",)),
                   load_balancer=ctx.get("LoadBalancerArn"), protocol=ctx.get("Protocol"), port=ctx.get("Port"),
                   ssl_policy=ctx.get("SslPolicy"), certificates=certificates,
                   target_groups=tuple(_forward_targets(ctx)))


def _forward_targets(ctx: _Resource) -> Iterator[Any]:
    for action in _positions(ctx.get("DefaultActions")):
        if isinstance(action, Choice):
            yield step_into(action, "TargetGroupArn")  # an action a condition chooses (or removes)
            continue
        if not isinstance(action, dict):
            yield action
            continue
        if action.get("TargetGroupArn") is not None:
            yield action["TargetGroupArn"]
        forward = action.get("ForwardConfig")
        for group in as_items(forward.get("TargetGroups") if isinstance(forward, dict) else None):
            yield group.get("TargetGroupArn") if isinstance(group, dict) else group


def _listener_certificate(ctx: _Resource) -> Iterator[Resource]:
    certificates = _certificate_arns(ctx.get("Certificates"))
    yield ListenerCertificate(**ctx.common(listener=("ListenerArn",), certificates=("Certificates",)),
                              listener=ctx.get("ListenerArn"), certificates=certificates)


def _certificate_arns(value: Any) -> tuple[Any, ...]:
    """The ``CertificateArn`` of each entry of a ``Certificates`` list (a condition may choose an entry, or the
    whole list)."""
    return tuple(entry if isinstance(entry, (Unknown, Reference, str)) else step_into(entry, "CertificateArn")
                 for entry in _positions(value))


def _positions(value: Any) -> list[Any]:
    """A list property as its entries, where a condition may choose the whole list (``!If [HasCert, [...],
    !Ref AWS::NoValue]``): each position is then a choice between what the two lists hold there, ``None``
    where one of them holds nothing."""
    if not isinstance(value, Choice):
        return as_items(value)
    when_true, when_false = _positions(value.if_true), _positions(value.if_false)
    size = max(len(when_true), len(when_false))
    return [Choice(value.condition, *pair) for pair in zip(when_true + [None] * (size - len(when_true)),
                                                           when_false + [None] * (size - len(when_false)))]


def _target_group(ctx: _Resource) -> Iterator[Resource]:
    fields = {"protocol": ("Protocol",), "port": ("Port",), "target_type": ("TargetType",),
              "health_check_protocol": ("HealthCheckProtocol",)}
    values = {name: ctx.get(*path) for name, path in fields.items()}
    values["target_type"] = values["target_type"] or "instance"
    yield TargetGroup(**ctx.common(**fields), **values)
    for index, target in enumerate(as_items(ctx.get("Targets"))):
        if isinstance(target, dict):
            yield TargetAttachment(key=f"{ctx.key}/Targets/{index}", name=ctx.logical,
                                   loc=ctx.at("Targets", index), condition=ctx.condition,
                                   suppressions=ctx.suppressions, target_group=Reference(ctx.key), target=target.get("Id"))


def _instance(ctx: _Resource) -> Iterator[Resource]:
    evidence = _first(lambda: _boot_evidence(ctx.stack, ctx.stack.raw(ctx.logical), ("UserData",)),
                      lambda: _launch_template_evidence(ctx.stack, ctx.get("LaunchTemplate")))
    yield Target(**ctx.common(), kind=TargetKind.INSTANCE, tls_evidence=evidence)


_RESOLVING = ("A", "AAAA", "CNAME")  # record types a host name resolves through


def _record_set(ctx: _Resource) -> Iterator[Resource]:
    yield from _records(ctx, ())


def _record_set_group(ctx: _Resource) -> Iterator[Resource]:
    for index, _ in enumerate(as_items(ctx.get("RecordSets"))):
        yield from _records(ctx, ("RecordSets", index))


def _records(ctx: _Resource, at: tuple) -> Iterator[DnsRecord]:
    """A record set (or an entry of a group) that a host name can resolve through: its name and what it points
    at -- an alias target's DNS name, else its resource records -- and whether its zone is private."""
    kind = known_str(ctx.get(*at, "Type"))
    if kind is not None and kind.upper() not in _RESOLVING:
        return
    alias = ctx.get(*at, "AliasTarget", "DNSName")
    targets = (alias,) if alias is not None else tuple(as_items(ctx.get(*at, "ResourceRecords")))
    fields = {"domain_name": (*at, "Name"), "targets": (*at, "AliasTarget") if alias is not None else
              (*at, "ResourceRecords")}
    common = ctx.common(**fields)
    if at:
        common.update(key=f"{ctx.key}/{'/'.join(map(str, at))}", loc=ctx.at(*at),
                      name=f"{ctx.logical} {known_str(ctx.get(*at, 'Name')) or at[-1]}")
    zone = ctx.stack.logical(ctx.get(*at, "HostedZoneId")) or _by_name(
        ctx.stack, "AWS::Route53::HostedZone", "Name", ctx.get(*at, "HostedZoneName"))
    private = zone is not None and bool(as_items(ctx.stack.evaluator.value(ctx.stack.raw(zone).get("VPCs"))))
    name = ctx.get(*at, "Name")
    yield DnsRecord(**common, domain_name=name, record_name=name, targets=targets, private_zone=private)


def _elastic_ip(ctx: _Resource) -> Iterator[Resource]:
    yield ElasticIp(**ctx.common(instance=("InstanceId",)), instance=ctx.get("InstanceId"))


def _address_association(ctx: _Resource) -> Iterator[Resource]:
    address = ctx.get("AllocationId") if ctx.get("AllocationId") is not None else ctx.get("EIP")
    yield AddressAssociation(**ctx.common(instance=("InstanceId",)), address=address, instance=ctx.get("InstanceId"))


def _auto_scaling_group(ctx: _Resource) -> Iterator[Resource]:
    template = ctx.get("LaunchTemplate") or ctx.get("MixedInstancesPolicy", "LaunchTemplate",
                                                    "LaunchTemplateSpecification")
    configuration = ctx.stack.logical(ctx.get("LaunchConfigurationName"))
    evidence = _first(lambda: _launch_template_evidence(ctx.stack, template),
                      lambda: configuration and _boot_evidence(ctx.stack, ctx.stack.raw(configuration), ("UserData",)))
    target = Target(**ctx.common(), kind=TargetKind.AUTO_SCALING_GROUP, tls_evidence=evidence)
    yield target
    yield from registrations(target, ctx.get("TargetGroupARNs"), "TargetGroupARNs", ctx.at, lambda arn: arn)


def _launch_template_evidence(stack: _Stack, specification: Any) -> TlsEvidence | None:
    if not isinstance(specification, dict):
        return None
    logical = stack.logical(specification.get("LaunchTemplateId")) or _by_name(
        stack, "AWS::EC2::LaunchTemplate", "LaunchTemplateName", specification.get("LaunchTemplateName"))
    if logical is None:
        return None
    return _boot_evidence(stack, stack.raw(logical), ("LaunchTemplateData", "UserData"))


def _by_name(stack: _Stack, resource_type: str, name_property: str, name: Any) -> str | None:
    if isinstance(name, Reference):
        return stack.logical(name)
    wanted = known_str(name)
    for logical, declaration in stack.evaluator.resources.items():
        if (isinstance(declaration, dict) and declaration.get("Type") == resource_type and wanted is not None
                and known_str(stack.evaluator.value(stack.raw(logical).get(name_property))) == wanted):
            return str(logical)
    return None


def _ecs_service(ctx: _Resource) -> Iterator[Resource]:
    """An ECS service: its evidence is the commands of the container its load balancers send traffic to."""
    task = ctx.stack.logical(ctx.get("TaskDefinition"))
    raw = ctx.stack.raw(task) if task else {}
    containers = ctx.stack.evaluator.value(raw.get("ContainerDefinitions"))
    served = load_balanced_container(containers, ctx.get("LoadBalancers"), "Name", "ContainerName")
    evidence = None if served is None else _first(*(lambda field_name=field_name: _script_evidence(
        ctx.stack, raw, ("ContainerDefinitions", served, field_name)) for field_name in ("EntryPoint", "Command")))
    target = Target(**ctx.common(), kind=TargetKind.ECS_SERVICE, tls_evidence=evidence)
    yield target
    yield from registrations(target, ctx.get("LoadBalancers"), "LoadBalancers", ctx.at,
                             lambda entry: entry.get("TargetGroupArn") if isinstance(entry, dict) else entry)


def _script_evidence(stack: _Stack, raw: Any, path: tuple) -> Any:
    """Self-signed certificate generation in a script property -- judged on the evaluated script, so a
    command in a branch a condition rules out does not count (an undecided one gives a choice) -- located at
    the command's line in the template as written."""
    node = _node_at(raw, path)
    if node is None:
        return None
    written = list(_strings(node, line_of(node) or 0, 0))
    return branch_over([stack.evaluator.value(node)],
                       lambda script: _evidence_in(_script_text(script[0]), written, stack.loc(*position(node))))


def _boot_evidence(stack: _Stack, raw: Any, path: tuple) -> Any:
    """Evidence in a boot script (UserData) and in what its cfn-init calls apply from the
    ``AWS::CloudFormation::Init`` metadata of a resource of this template, judged as the one script the instance
    runs: the files cfn-init writes as here-documents, its commands as lines -- so a command counts only where it
    runs, and a certificate obtained in one part leaves a self-made one in the other unproven."""
    node = _node_at(raw, path)
    if node is None:
        return None
    script = stack.evaluator.value(node)
    steps = list({id(step.node): step for text in branches(script) for call in cfn_init.calls(_script_text(text))
                  for step in _init_steps(stack, call)}.values())
    if not steps:
        return _script_evidence(stack, raw, path)
    where = {id(step.node): index for index, step in enumerate(steps, start=1)}

    def judged(values: list[Any]) -> TlsEvidence | None:
        run = [step for call in cfn_init.calls(_script_text(values[0])) for step in _init_steps(stack, call)]
        text = "\n".join([_script_text(values[0]), *(_step_text(step, values[where[id(step.node)]]) for step in run)])
        written = [string for part in (node, *(step.node for step in run))
                   for string in _strings(part, line_of(part) or 0, 0)]
        return _evidence_in(text, written, stack.loc(*position(node)))

    return branch_over([script, *(stack.evaluator.value(step.node) for step in steps)], judged)


_WRITTEN_FILE = "TLSPATH_CFN_INIT_FILE"  # the end of a file cfn-init writes, in the script it amounts to


def _init_steps(stack: _Stack, call: cfn_init.Call) -> list[cfn_init.Step]:
    """What one cfn-init call does, when the files say which resource's metadata and which configsets."""
    if call.resource is None or call.configsets is None:
        return []
    resource = stack.evaluator.resources.get(call.resource)
    metadata = resource.get("Metadata") if isinstance(resource, dict) else None
    init = metadata.get("AWS::CloudFormation::Init") if isinstance(metadata, dict) else None
    return cfn_init.steps(init, call.configsets)


def _step_text(step: cfn_init.Step, value: Any) -> str:
    """One thing cfn-init does, as the lines of a shell script that do the same."""
    if step.path is None:
        return _script_text(value)
    return f"cat > {step.path} <<'{_WRITTEN_FILE}'\n{_script_text(value)}\n{_WRITTEN_FILE}"


def _node_at(raw: Any, path: tuple) -> Any:
    node = raw
    for step in path:
        node = step_into(node, step)
        if node is None:
            return None
    return node


def _evidence_in(text: str, written: list[tuple[str, int]], fallback: Location) -> TlsEvidence | None:
    """The command found in the evaluated script, at the line of the string that writes it (its text
    before evaluation: ``${Name}`` and all), else at the script property."""
    found = find_evidence(text)
    if found is None:
        return None
    sign = found[0]
    for source, enclosing in written:
        offset = offset_of(sign, source)
        if offset is not None:
            line, column = written_at(source, offset)
            return TlsEvidence(sign, Location(fallback.file, line or enclosing, column))
    return TlsEvidence(sign, fallback)


def _script_text(value: Any) -> str:
    """The literal text of an evaluated script (a string, a ``Sub`` with unknowns, a command list)."""
    if isinstance(value, list):
        return " ".join(_script_text(item) for item in value)
    return script_text(value)


def _first(*candidates: Callable[[], Any]) -> Any:
    """The first evidence found (``None`` is none; a choice counts as found)."""
    for candidate in candidates:
        found = candidate()
        if found is not None:
            return found
    return None


def _strings(node: Any, line: int, depth: int) -> Iterator[tuple[str, int]]:
    """Every string under a node, with its line (or the nearest enclosing node's, where it has none)."""
    line = line_of(node) or line
    if depth > 50:
        return
    if isinstance(node, str):
        yield node, line
    elif isinstance(node, (dict, list)):
        for value in node.values() if isinstance(node, dict) else node:
            yield from _strings(value, line, depth + 1)


def _acm_certificate(ctx: _Resource) -> Iterator[Resource]:
    from linter.certs import requested_facts

    source, facts = requested_facts(ctx.get("CertificateAuthorityArn"),
                                    [ctx.get("DomainName"), *as_items(ctx.get("SubjectAlternativeNames"))],
                                    ctx.get("KeyAlgorithm"))
    yield Certificate(**ctx.common(trust=("CertificateAuthorityArn",), names=("DomainName",), key=("KeyAlgorithm",),
                                   issuance=("ValidationMethod",)),
                      source=source, facts=facts, issuance=_issuance(ctx))


def _issuance(ctx: _Resource) -> Issuance | None:
    """A public certificate's issuance: the stack waits for it (``ValidationMethod`` defaults to EMAIL)."""
    if ctx.get("CertificateAuthorityArn") is not None:
        return None
    written = ctx.get("ValidationMethod")
    method = "EMAIL" if written is None else (known_str(written) or "").upper() or None
    zone = _private_validation_zone(ctx) if method == "DNS" else None
    return Issuance(method, True, *zone) if zone else Issuance(method, True)


def _private_validation_zone(ctx: _Resource) -> tuple[str, Location] | None:
    """With DNS validation CloudFormation writes the records to the hosted zone a ``DomainValidationOptions``
    entry names: a private zone of this stack (one with ``VPCs``) is where public DNS never looks."""
    for index, option in enumerate(as_items(ctx.get("DomainValidationOptions"))):
        logical = ctx.stack.logical(option.get("HostedZoneId")) if isinstance(option, dict) else None
        zone = ctx.stack.evaluator.resources.get(logical) if logical else None
        if logical and isinstance(zone, dict) and zone.get("Type") == "AWS::Route53::HostedZone":
            properties = ctx.stack.evaluator.value(ctx.stack.raw(logical))
            if as_items(step_into(properties, "VPCs")):
                name = known_str(step_into(properties, "Name")) or logical
                return name, ctx.at("DomainValidationOptions", index, "HostedZoneId")
    return None


def _iam_server_certificate(ctx: _Resource) -> Iterator[Resource]:
    from linter.certs import uploaded_facts

    facts = uploaded_facts(ctx.get("CertificateBody"), ctx.get("CertificateChain"),
                           "write the PEM in the template (the private key belongs in a secret store)")
    yield Certificate(**ctx.common(trust=("CertificateBody",), chain=("CertificateChain",)),
                      source=CertificateSource.IAM, facts=facts)


_NESTED_STACKS = ("AWS::CloudFormation::Stack", "AWS::Serverless::Application")

_BUILDERS: dict[str, Callable[[_Resource], Iterator[Resource]]] = {
    "AWS::ApiGateway::Method": _method,
    "AWS::ApiGateway::RestApi": _api_definition,
    "AWS::Serverless::Api": _api_definition,
    "AWS::ApiGatewayV2::Api": _api_definition,
    "AWS::Serverless::HttpApi": _api_definition,
    "AWS::ApiGatewayV2::Integration": _http_integration,
    "AWS::ApiGateway::Stage": _stage,
    "AWS::ApiGatewayV2::Stage": _stage,
    "AWS::ApiGateway::VpcLink": _vpc_link_v1,
    "AWS::ApiGatewayV2::VpcLink": _vpc_link_v2,
    "AWS::ElasticLoadBalancingV2::LoadBalancer": _load_balancer,
    "AWS::EC2::VPCEndpointService": _endpoint_service,
    "AWS::EC2::SecurityGroup": _security_group,
    "AWS::EC2::SecurityGroupIngress": _security_group_ingress,
    "AWS::ElasticLoadBalancingV2::Listener": _listener,
    "AWS::ElasticLoadBalancingV2::ListenerCertificate": _listener_certificate,
    "AWS::ElasticLoadBalancingV2::TargetGroup": _target_group,
    "AWS::EC2::Instance": _instance,
    "AWS::EC2::EIP": _elastic_ip,
    "AWS::EC2::EIPAssociation": _address_association,
    "AWS::Route53::RecordSet": _record_set,
    "AWS::Route53::RecordSetGroup": _record_set_group,
    "AWS::AutoScaling::AutoScalingGroup": _auto_scaling_group,
    "AWS::ECS::Service": _ecs_service,
    "AWS::CertificateManager::Certificate": _acm_certificate,
    "AWS::IAM::ServerCertificate": _iam_server_certificate,
}
_FOLLOWED = frozenset({*_BUILDERS, *_NESTED_STACKS})  # the resource types a path may run through
