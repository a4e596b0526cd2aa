"""Terraform's numbers, computed and written as Terraform does.

A Terraform number is a binary floating-point number of 512 bits (Go's ``big.Float``, rounding to nearest even):
``886 / 2`` is 443, written ``443``; ``0.1 + 0.2`` is written ``0.3``; but ``1.1 * 1.1`` is written
``1.2100000000000000…0001`` (156 digits), ``-7 % 3`` is -1 (the remainder keeps the dividend's sign) and
``-1 * 0`` is ``-0``. tlspath rounds every result as Terraform does and keeps it as the Python number whose
text is Terraform's: a whole number as an ``int``, any other as the ``float`` Python writes with exactly the
digits Terraform writes (so the value reads back as the same 512-bit number). A number Terraform writes in a
way no Python number is written -- 156 digits, ``0.00001``, ``-0``, ``+Inf`` -- is not kept: it is unknown,
never written the way Python would write it (a URI port ``443.0``, a host ``0.30000000000000004``).

Here too :func:`verb` and :func:`general` write a number for ``format()``'s ``%e``/``%f``/``%g`` and ``%v`` as Go's
``fmt`` writes a ``big.Float``.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

from linter.conditions import too_large
from linter.limits import MAX_NUMBER_BITS
from linter.model import Unknown
from linter.parse.terraform.values import EvalError, NotEvaluated

PRECISION = 512  # bits: terraform's numbers (cty.ParseNumberVal)

NUMBER_TOO_LARGE = too_large(f"a number of more than {MAX_NUMBER_BITS} bits")
_INFINITY = Unknown("the number is infinite in Terraform (a division by zero, tonumber(\"Inf\")), which no "
                    "argument takes", "fix the expression")
_NEGATIVE_ZERO = Unknown("the number is Terraform's negative zero, written '-0' (-1 * 0, -(0)), which tlspath "
                         "does not keep", "write 0")
_TEXT = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:(?:[eE][-+]?|[pP][-+]?)([0-9]+))?")  # big.ParseFloat's
_INFINITE_TEXT = re.compile(r"[-+]?[Ii]nf")
_SHORT = re.compile(r"-?[0-9]+\.[0-9]+")  # the usual decimal: no exponent
_EXPONENT = 400  # past 1e400 a written number is too large (1e999999 would be a million digits)

Digits = tuple[str, int]  # Go's decimal: the digits without trailing zeros, and where the point is (0.DIGITS x 10^n)


def value(number: float) -> Fraction:
    """The 512-bit number a kept number stands for: the one its text is Terraform's text of."""
    return rounded(Fraction(int(number)) if isinstance(number, int) else Fraction(float.__repr__(number)))


def rounded(exact: Fraction) -> Fraction:
    """``exact`` rounded to 512 significant bits, ties to even (``big.Float``'s ToNearestEven)."""
    if exact == 0:
        return exact
    size, denominator = abs(exact.numerator), exact.denominator
    shift = PRECISION - size.bit_length() + denominator.bit_length()  # size * 2^shift / denominator: 512 bits, or 513
    while True:
        mantissa, rest = divmod(size << shift if shift >= 0 else size, denominator if shift >= 0 else
                                denominator << -shift)
        if mantissa.bit_length() <= PRECISION:
            break
        shift -= 1
    divisor = denominator if shift >= 0 else denominator << -shift
    if 2 * rest > divisor or (2 * rest == divisor and mantissa & 1):
        mantissa += 1
    result = Fraction(mantissa, 1 << shift) if shift >= 0 else Fraction(mantissa << -shift)
    return result if exact > 0 else -result


def kept(number: Fraction, negative: bool = False) -> int | float:
    """A computed number, rounded to 512 bits, as tlspath keeps it (see the module docstring); raises
    :class:`NotEvaluated` when it is too large or Terraform writes it as no Python number is written.
    ``negative``: a zero result has the minus sign (Terraform's ``-0``)."""
    if number == 0:
        if negative:
            raise NotEvaluated(_NEGATIVE_ZERO)
        return 0
    if number.denominator == 1 and number.numerator.bit_length() <= PRECISION:
        return int(number)  # exact: Terraform writes its digits
    if not Fraction(1, 2 ** MAX_NUMBER_BITS) <= abs(number) < 2 ** MAX_NUMBER_BITS:
        raise NotEvaluated(NUMBER_TOO_LARGE)
    candidate = repr(float(number))
    if "e" not in candidate and rounded(Fraction(candidate)) == number:
        return float(candidate)  # it reads back as the number: no other text of 17 digits or fewer does
    written = text(number)
    if "." not in written:
        return int(written)
    approximation = float(written)
    if repr(approximation) != written:
        shown = written if len(written) <= 24 else f"{written[:12]}…{written[-6:]} ({len(written)} characters)"
        raise NotEvaluated(Unknown(f"a number Terraform writes as {shown}, which tlspath does not carry (it carries "
                                   "numbers of up to 17 digits, from 0.0001 on)", "write the number out"))
    return approximation


def parse(written: str) -> int | float:
    """A number written as text, as terraform reads it (a literal, ``tonumber()``, a string used as a number):
    digits with an optional sign, point and exponent -- no spaces, no ``0x``."""
    if written.isdigit() and len(written) <= 150:  # below 2^512: exact
        return int(written)
    if _SHORT.fullmatch(written) and len(written.strip("+-0.").replace(".", "")) <= 15:
        approximation = float(written)  # 15 digits read back from a float: Terraform writes them, no fewer
        if approximation and "e" not in repr(approximation):
            return int(approximation) if approximation.is_integer() else approximation
    if _INFINITE_TEXT.fullmatch(written):
        raise NotEvaluated(_INFINITY)
    match = _TEXT.fullmatch(written)
    if match is None:
        raise EvalError(f"'{written}' is not a number")
    if len(written) > 300 or int(match.group(1) or 0) > _EXPONENT:
        raise NotEvaluated(NUMBER_TOO_LARGE)
    head, _, binary = written.lower().partition("p")
    number = Fraction(head) * Fraction(2) ** int(binary or 0)
    return kept(rounded(number), negative=written.startswith("-"))


def negate(number: float) -> int | float:
    if number == 0:
        raise NotEvaluated(_NEGATIVE_ZERO)
    return -number


def operate(operator: str, left: float, right: float) -> int | float | bool:
    """``left OPERATOR right`` for an arithmetic or comparison operator, as ``cty`` computes it."""
    a, b = value(left), value(right)
    if operator in ("<", ">", "<=", ">="):
        return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[operator]
    if operator == "+":
        return kept(rounded(a + b))
    if operator == "-":
        return kept(rounded(a - b))
    negative = (a < 0) != (b < 0)  # the sign of a zero product or quotient
    if operator == "*":
        return kept(rounded(a * b), negative=negative)
    if operator == "/":
        if b == 0:
            if a == 0:
                raise EvalError("division of zero by zero")
            raise NotEvaluated(_INFINITY)
        return kept(rounded(a / b), negative=negative)
    if b == 0:
        return left  # cty's Modulo: x % 0 is x
    whole = math.trunc(rounded(a / b))  # the quotient's integer part, toward zero
    return kept(rounded(a - rounded(b * whole)))


# --------------------------------------------------------------------------- writing (Go's big.Float.Text)


def text(number: Fraction) -> str:
    """Terraform's text of a number (``big.Float.Text('f', -1)``): the shortest decimal that reads back as the
    same number, without an exponent."""
    if number == 0:
        return "0"
    digits = _shortest(abs(number))
    return ("-" if number < 0 else "") + _fixed(digits, max(len(digits[0]) - digits[1], 0))


def verb(number: float, letter: str, flags: str, width: int | None, places: int | None) -> str:
    """``format()``'s ``%e``, ``%E``, ``%f``, ``%F``, ``%g``, ``%G`` of a number (``places``: the precision), as Go's
    ``fmt`` writes a 512-bit ``big.Float``."""
    exact = value(number)
    digits = _exact_digits(abs(exact))
    letter = "f" if letter == "F" else letter
    if letter in "gG" and places is None:
        body = _general_shortest(exact, "E" if letter == "G" else "e")
    else:
        places = 6 if places is None else places
        if letter in "eE":
            body = _scientific(_round(digits, 1 + places), places, letter)
        elif letter == "f":
            body = _fixed(_round(digits, digits[1] + places), places)
        else:
            body = _general(_round(digits, places or 1), places or 1, "E" if letter == "G" else "e")
    sign = "-" if exact < 0 else "+" if "+" in flags else " " if " " in flags else ""
    return padded(sign, body, flags, width)


def padded(head: str, body: str, flags: str, width: int | None) -> str:
    """``head + body`` (a sign, a base prefix; the digits) filled to ``width`` as Go's fmt fills a number:
    spaces on the right with ``-`` (which turns ``0`` off), zeros after the head with ``0``, spaces on the left
    otherwise."""
    fill = max(0, (width or 0) - len(head) - len(body))
    if "-" in flags:
        return head + body + " " * fill
    if "0" in flags:
        return head + "0" * fill + body
    return " " * fill + head + body


def general(number: float) -> str:
    """``format()``'s ``%v`` of a number (``big.Float.Text('g', -1)``): ``443``, ``1e+06``, ``1.2e-05``."""
    exact = value(number)
    return ("-" if exact < 0 else "") + _general_shortest(exact, "e")


def _general_shortest(exact: Fraction, exponent_letter: str) -> str:
    digits = _shortest(abs(exact)) if exact else ("", 0)
    return _general(digits, len(digits[0]), exponent_letter, shortest=True)


def _general(digits: Digits, places: int, exponent_letter: str, shortest: bool = False) -> str:
    """``%g``: ``%e`` for an exponent below -4 or from the precision on (6 when shortest), else ``%f``."""
    limit = places
    if limit > len(digits[0]) and len(digits[0]) >= digits[1]:
        limit = len(digits[0])
    if shortest:
        limit = 6
    exponent = digits[1] - 1
    if exponent < -4 or exponent >= limit:
        return _scientific(digits, min(places, len(digits[0])) - 1, exponent_letter)
    if places > digits[1]:
        places = len(digits[0])
    return _fixed(digits, max(places - digits[1], 0))


def _exact_digits(number: Fraction) -> Digits:
    """The exact decimal of a non-negative binary number (Go's ``decimal.init``)."""
    if number == 0:
        return "", 0
    twos = number.denominator.bit_length() - 1  # the denominator is a power of two
    whole = str(number.numerator * 5 ** twos)
    return whole.rstrip("0"), len(whole) - twos


def _shortest(number: Fraction) -> Digits:
    """The fewest digits that read back as ``number`` (Go's ``roundShortest``), for a 512-bit ``number`` > 0."""
    digits = _exact_digits(number)
    numerator, twos = number.numerator, number.denominator.bit_length() - 1
    shift = numerator.bit_length() - (PRECISION + 1)  # a mantissa of 513 bits: its last bit is half an ulp
    mantissa = numerator >> shift if shift > 0 else numerator << -shift
    lower = _exact_digits(Fraction(mantissa - 1) * Fraction(2) ** (shift - twos))[0]
    upper = _exact_digits(Fraction(mantissa + 1) * Fraction(2) ** (shift - twos))[0]
    inclusive = mantissa & 2 == 0  # the mantissa is even: ties round to it, so the bounds read back as it
    for i, digit in enumerate(digits[0]):
        low = lower[i] if i < len(lower) else "0"
        high = upper[i] if i < len(upper) else "0"
        down = low != digit or (inclusive and i + 1 == len(lower))
        up = digit != high and (inclusive or ord(digit) + 1 < ord(high) or i + 1 < len(upper))
        if down and up:
            return _round(digits, i + 1)
        if down:
            return _round_down(digits, i + 1)
        if up:
            return _round_up(digits, i + 1)
    return digits


def _round(digits: Digits, count: int) -> Digits:
    """``digits`` rounded to ``count`` digits, half to even (Go's ``decimal.round``)."""
    mantissa = digits[0]
    if count < 0 or count >= len(mantissa):
        return digits
    half = mantissa[count] == "5" and count + 1 == len(mantissa)
    up = (count > 0 and int(mantissa[count - 1]) % 2 == 1) if half else mantissa[count] >= "5"
    return _round_up(digits, count) if up else _round_down(digits, count)


def _round_down(digits: Digits, count: int) -> Digits:
    kept_digits = digits[0][:count].rstrip("0")
    return (kept_digits, digits[1]) if kept_digits else ("", 0)


def _round_up(digits: Digits, count: int) -> Digits:
    mantissa = digits[0][:count].rstrip("9")
    if not mantissa:
        return "1", digits[1] + 1
    return mantissa[:-1] + chr(ord(mantissa[-1]) + 1), digits[1]


def _digit(digits: Digits, position: int) -> str:
    return digits[0][position] if 0 <= position < len(digits[0]) else "0"


def _fixed(digits: Digits, places: int) -> str:
    """Go's ``fmtF``: the digits before the point (zeros to the point), then ``places`` after it."""
    mantissa, point = digits
    whole = (mantissa[:point] + "0" * (point - len(mantissa))) if point > 0 else "0"
    return whole + ("." + "".join(_digit(digits, point + i) for i in range(places)) if places > 0 else "")


def _scientific(digits: Digits, places: int, letter: str) -> str:
    """Go's ``fmtE``: one digit, ``places`` after the point, the exponent with at least two digits."""
    exponent = digits[1] - 1 if digits[0] else 0
    fraction = "." + "".join(_digit(digits, i) for i in range(1, places + 1)) if places > 0 else ""
    return f"{_digit(digits, 0)}{fraction}{letter}{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
