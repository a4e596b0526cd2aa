"""How far tlspath goes with what the files ask it to compute.

Evaluation builds the strings and lists the files describe (Terraform functions, templates and ``for``
expressions; CloudFormation's ``Fn::Join``, ``Fn::Sub`` and ``Fn::Split``). A hostile or broken repository can
describe values far larger than any deployment uses, or work that never ends. Every builder checks these caps
*before* it allocates; past them the value is unknown ("too large") and a path through it is an unresolved hop
(I9513) -- never a hang, never an exhausted memory, never a guess. No real configuration comes near them.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_TEXT = 4 * 1024 * 1024  # characters in one string evaluation builds
MAX_ITEMS = 100_000  # elements of one list or map, or references and unknowns inside one string
MAX_WEIGHT = 16 * 1024 * 1024  # a Terraform value's size (about its bytes) with shared parts counted each time used
MAX_NUMBER_BITS = 1000  # numbers evaluation keeps: below 2^1000 and not closer to zero than 2^-1000 (Terraform rounds to 512 bits)
MAX_STEPS = 500_000  # evaluation steps for one Terraform root module or one CloudFormation template (a few seconds)

# Regular expressions written in the files (Terraform's replace(), regex(), regexall()): Terraform's RE2 runs in
# linear time, Python's engines may backtrack, so the pattern's compiled size, the text and the time are bounded.
MAX_PATTERN = 4096  # characters of a pattern
MAX_PATTERN_SIZE = 20_000  # atoms a pattern expands to, counted repetitions multiplied out (RE2: 1000 each)
MAX_REPEAT = 1000  # a counted repetition {n,m} (RE2's own limit)
MAX_REGEX_TEXT = 1024 * 1024  # characters a pattern is run on
REGEX_TIMEOUT = 0.5  # seconds one match or substitution may take
REGEX_STEPS = 50_000  # evaluation steps one regular-expression call costs (so a loop of them is bounded too)


@dataclass
class Budget:
    """The evaluation steps one module or template may still take.

    Runaway work (exponential references, loops over loops) spends it; once spent, every further evaluation
    is unknown at once, so the run finishes with the unresolved hops reported instead of hanging."""

    left: int = MAX_STEPS

    def spend(self, steps: int = 1) -> bool:
        """Take ``steps``; whether the budget still holds."""
        self.left -= steps
        return self.left >= 0

    @property
    def spent(self) -> bool:
        return self.left < 0


EXHAUSTED = (f"tlspath stopped evaluating here: the module or template takes more than {MAX_STEPS:,} evaluation "
             "steps (runaway references or loops)")
EXHAUSTED_SUPPLY = "simplify the expressions, or scan the module on its own"
