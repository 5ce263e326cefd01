"""Numbers as the page, the summaries and the CSV show them: Dutch, with a decimal comma."""

import datetime

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from meerwaarde.bundling.suppression import HIDDEN, Hidden

MISSING = "–"


def num(value: float | int | Hidden | None, decimals: int = 1) -> str:
    """12,3; whole counts without decimals and with a thousands point (1.234)."""
    if value is HIDDEN:
        return str(HIDDEN)
    if value is None:
        return MISSING
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    rounded = round(value, decimals) + 0.0  # + 0.0: no "-0,0"
    return number_format(rounded, decimal_pos=decimals, force_grouping=True)


def signed(value: float | Hidden | None, decimals: int = 1) -> str:
    """+0,4 or -1,3: a change always shows its direction."""
    if value is HIDDEN:
        return str(HIDDEN)
    if value is None:
        return MISSING
    text = num(value, decimals)
    return text if text.startswith("-") or text == num(0.0, decimals) else f"+{text}"


def pct(proportion: float | Hidden | None) -> str:
    if proportion is HIDDEN:
        return str(HIDDEN)
    if proportion is None:
        return MISSING
    return f"{num(proportion * 100, 0)}%"


def month_label(month: datetime.date) -> str:
    return date_format(month, "F Y")


def short_month(month: datetime.date) -> str:
    return date_format(month, "M Y")


def uncertain_note(n: int, small: bool) -> str:
    return _("onzeker (minder dan 20 deelnemers)") if small else ""
