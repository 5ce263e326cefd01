"""What an exported table is: its file name, its columns with a Dutch description each, and
how its rows are read from one organisation's data.

The column names are the import's field names (docs/dev/import-export-contracts.md), so they
are fixed identifiers and never translated; the descriptions are Dutch and translated. No
column is called just "naam": the import refuses such a column as a person's name.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meerwaarde.organisations.models import Organisation

Row = tuple[Any, ...]


class Kind(models.TextChoices):
    """What a column holds; the writers turn it into a CSV text or an Excel cell."""

    TEXT = "text", gettext_lazy("tekst")
    INTEGER = "integer", gettext_lazy("geheel getal")
    DECIMAL = "decimal", gettext_lazy("getal (decimale komma)")
    DATE = "date", gettext_lazy("datum (jjjj-mm-dd)")
    DATETIME = "datetime", gettext_lazy("datum en tijd (ISO 8601)")
    BOOLEAN = "boolean", gettext_lazy("ja of nee")
    CODE = "code", gettext_lazy("code")
    CODES = "codes", gettext_lazy("codes, gescheiden door komma's")


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    description: Promise | str
    # The fixed list a CODE column draws from: its values and labels go into the description.
    choices: type[models.TextChoices] | None = None

    def describe(self) -> str:
        text = str(self.description)
        if self.choices is None:
            return text
        values = "; ".join(f"{value} ({label})" for value, label in self.choices.choices)
        return text + " " + _("Mogelijke waarden: %(values)s.") % {"values": values}


@dataclass(frozen=True)
class Table:
    """One file of the export (one sheet in Excel).

    ``source`` reads the organisation's items and nothing else: every table's tenancy is
    there. ``rows`` turns a batch of items into rows in column order (a batch, so that a
    table can fetch what it needs for the batch in one query).
    """

    name: str
    description: Promise | str
    columns: tuple[Column, ...]
    source: Callable[[Organisation], QuerySet[Any]]
    rows: Callable[[Sequence[Any]], Iterable[Row]]

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns]


def each(row: Callable[[Any], Row]) -> Callable[[Sequence[Any]], Iterator[Row]]:
    """``rows`` for a table with one row per item."""

    def rows(batch: Sequence[Any]) -> Iterator[Row]:
        return map(row, batch)

    return rows


def codes(items: Iterable[Any], attribute: str = "code") -> str:
    """A list cell: the codes of prefetched concepts (or other values), sorted, comma-separated."""
    return ", ".join(str(value) for value in sorted(getattr(item, attribute) for item in items))
