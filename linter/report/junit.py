"""JUnit XML, for CI systems that show test reports (GitLab's ``artifacts:reports:junit``, Jenkins, Azure
DevOps): a testsuite per file, a testcase per finding.

A finding at or above the fail level is a ``<failure>``; one below it is ``<skipped>`` (reported, not
failing the run); a file that could not be analysed is a ``<failure type="input error">`` (the JUnit schema
CI tools validate against -- Jenkins xunit's junit-10.xsd -- has no ``<error>``). The document is built with
ElementTree, which escapes markup; input text is made inert first, so no control character (which XML 1.0
cannot carry at all) reaches it. File paths are relative to the repository root.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import groupby

from linter.findings import Finding, InputError, ScanResult
from linter.report import ReportSettings
from linter.report.escape import visible
from linter.report.text import hop
from linter.rule import SEVERITY


def _shown(file: str, settings: ReportSettings) -> str:
    return visible(settings.anchored(file) or file)


def _case(finding: Finding, settings: ReportSettings) -> ET.Element:
    file = _shown(finding.file, settings)
    at = f" (line {finding.line})" if finding.line else ""
    case = ET.Element("testcase", name=visible(f"{finding.rule} {finding.resource}{at}"), classname=file)
    body = "\n".join([visible(finding.message), *(f"{'path: ' if i == 0 else '  -> '}{hop(step, finding.file)}"
                                                   for i, step in enumerate(finding.trace)),
                      f"fix: {visible(finding.fix)}"])
    failing = SEVERITY[finding.level] >= SEVERITY.get(settings.fail_level, len(SEVERITY))  # "none": nothing
    outcome = ET.SubElement(case, "failure" if failing else "skipped", type=finding.rule,
                            message=visible(f"{finding.level}: {finding.title}"))
    outcome.text = body
    return case


def _error_case(error: InputError, settings: ReportSettings) -> ET.Element:
    case = ET.Element("testcase", name="input error", classname=_shown(error.file, settings))
    ET.SubElement(case, "failure", type="input error", message=visible(str(error)))
    return case


def _suite(file: str, cases: list[ET.Element], settings: ReportSettings) -> ET.Element:
    suite = ET.Element("testsuite", name=_shown(file, settings), file=_shown(file, settings), tests=str(len(cases)),
                       failures=str(sum(case.find("failure") is not None for case in cases)),
                       errors="0",
                       skipped=str(sum(case.find("skipped") is not None for case in cases)), time="0")
    suite.extend(cases)
    return suite


def render(result: ScanResult, settings: ReportSettings) -> str:
    by_file: dict[str, list[ET.Element]] = {}
    for error in result.errors:
        by_file.setdefault(error.file, []).append(_error_case(error, settings))
    for file, findings in groupby(result.findings, key=lambda f: f.file):
        by_file.setdefault(file, []).extend(_case(finding, settings) for finding in findings)
    suites = [_suite(file, cases, settings) for file, cases in sorted(by_file.items())]
    root = ET.Element("testsuites", name="tlspath", tests=str(sum(int(s.get("tests", 0)) for s in suites)),
                      failures=str(sum(int(s.get("failures", 0)) for s in suites)),
                      errors="0", time="0")
    root.extend(suites)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
