"""Recognising Terraform plan JSON (``terraform show -json plan.out``) by content, cheaply."""

from __future__ import annotations


def is_plan(document: object) -> bool:
    return isinstance(document, dict) and "format_version" in document and "planned_values" in document
