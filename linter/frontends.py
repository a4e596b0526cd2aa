"""The front ends a run asks, in this order (a document goes to the first that reads it).

Adding an input format is one line here plus its folder under ``linter/parse/`` (:mod:`linter.frontend` says
what a front end is).
"""

from __future__ import annotations

from linter.frontend import FrontEnd
from linter.parse.cloudformation import CloudFormation
from linter.parse.terraform import Terraform

FRONT_ENDS: tuple[FrontEnd, ...] = (CloudFormation(), Terraform())
