"""Reading one value as a Dutch spreadsheet writes it: decimal commas, dd-mm-jjjj dates.

Each parser takes the text as it stands in the file (surrounding spaces allowed) and returns
the value or raises ValueProblem with a Dutch message that names the value, so a per-row
message can say what was wrong. Never use these on client references: the message repeats
the value.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

# Longer than any number or date a spreadsheet writes; keeps int() and Decimal() cheap.
MAX_LENGTH = 40

# One separator is the decimal separator, whichever it is: Excel writes "3,5" in Dutch and
# "3.5" elsewhere. Grouping is only understood in the Dutch way ("1.234,5", "1.234.567"):
# "1,234.5" could mean either and is refused rather than guessed.
_NUMBER = re.compile(
    r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+|\d{1,3}(?:\.\d{3})+(?:,\d*)?)(?:[eE][+-]?\d{1,3})?"
)
# A time after the date is allowed and dropped: Excel adds "0:00" to a date it stored with one.
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?"
_DAY_FIRST = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})" + _TIME)
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME)
_TWO_DIGIT_YEAR = re.compile(r"\d{1,2}([-/.])\d{1,2}\1\d{2}")
_FORMULA_START = frozenset("=+-@\t\r")


class ValueProblem(ValueError):
    """A value that cannot be read; ``message`` is Dutch and meant for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _text(value: str) -> str:
    text = value.strip()
    if not text:
        raise ValueProblem(_("Er staat geen waarde."))
    if len(text) > MAX_LENGTH:
        raise ValueProblem(_("Deze waarde is langer dan %(max)s tekens.") % {"max": MAX_LENGTH})
    return text


def is_number(value: str) -> bool:
    return _NUMBER.fullmatch(value.strip()) is not None


def is_formula(value: str) -> bool:
    """A value a spreadsheet would run as a formula: it starts with = + - @ tab or CR.

    A number ("-3,5") is not a formula, nor a lone "-" (a common way to write "nothing").
    """
    return (
        value[:1] in _FORMULA_START and value.strip() not in {"-", "+", ""} and not is_number(value)
    )


def parse_decimal(value: str) -> Decimal:
    """ "3,5", "3.5", "-2", "1.234,5" → Decimal; exponents as Excel writes them ("1,5E+3")."""
    text = _text(value)
    if not _NUMBER.fullmatch(text):
        raise ValueProblem(
            _("‘%(value)s’ is geen getal. Schrijf een getal als 12 of 3,5.") % {"value": text}
        )
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif text.count(".") > 1:
        text = text.replace(".", "")
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only what Decimal reads
        raise ValueProblem(_("‘%(value)s’ is geen getal.") % {"value": value.strip()}) from None


def parse_int(value: str) -> int:
    """A whole number; "3,0" is 3, "3,5" is refused."""
    number = parse_decimal(value)
    if number != number.to_integral_value():
        raise ValueProblem(_("‘%(value)s’ is geen geheel getal.") % {"value": value.strip()})
    return int(number)


def parse_date(value: str) -> datetime.date:
    """dd-mm-jjjj, d-m-jjjj, dd/mm/jjjj, dd.mm.jjjj or jjjj-mm-dd; a time after it is dropped."""
    text = _text(value)
    if match := _DAY_FIRST.fullmatch(text):
        day, month, year = int(match[1]), int(match[3]), int(match[4])
    elif match := _ISO.fullmatch(text):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    elif _TWO_DIGIT_YEAR.fullmatch(text):
        raise ValueProblem(
            _(
                "In ‘%(value)s’ heeft het jaar twee cijfers. Schrijf het jaar met vier cijfers, "
                "bijvoorbeeld 31-12-2025."
            )
            % {"value": text}
        )
    else:
        raise ValueProblem(
            _("‘%(value)s’ is geen datum. Schrijf een datum als 31-12-2025 of 2025-12-31.")
            % {"value": text}
        )
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueProblem(_("‘%(value)s’ is geen bestaande datum.") % {"value": text}) from None
