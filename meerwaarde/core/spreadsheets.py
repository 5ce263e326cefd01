"""Text that goes into a spreadsheet cell without ever running as a formula.

Shared by every CSV and Excel file the platform writes (the dashboard's CSV, reports,
exports): a cell that Excel or LibreOffice would read as a formula ("=HYPERLINK(...)",
"+31 6 ...", "@SUM(...)") gets a leading apostrophe; a number, signed or not, stays a number.
"""

import re

# Numbers as the platform writes them: 1.234 (a thousands point), 12,3 (a decimal comma),
# +0,4 (a sign on changes), 45% (a share); also a plain -12.5 with a decimal point.
DUTCH_NUMBER = re.compile(
    r"^(?P<sign>[+-]?)(?P<int>\d{1,3}(?:\.\d{3})*|\d+)(?:,(?P<dec>\d+))?(?P<pct>%?)$"
)
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")

_FORMULA_START = ("=", "@", "\t", "\r")
_SIGNS = ("+", "-")


def neutralise(text: str) -> str:
    """``text`` with a leading apostrophe when a spreadsheet would run it as a formula.

    A sign starts a formula too ("+31 6 1234 5678" is one), unless the whole text is a number.
    """
    first = text[:1]
    if first in _FORMULA_START:
        return "'" + text
    if first in _SIGNS and not (DUTCH_NUMBER.match(text) or _PLAIN_NUMBER.match(text)):
        return "'" + text
    return text
