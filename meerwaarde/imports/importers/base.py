"""What every kind's importer shares: a mapped row, its outcome, parsing by field spec,
and finding the organisation's offers by name."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple, Protocol

from django.utils.translation import gettext as _

from meerwaarde.accounts.models import User
from meerwaarde.offers.models import Offer
from meerwaarde.organisations.models import Organisation

from ..fields import FieldSpec
from ..models import OFFERS_SCHEME, ConceptMapping, normalise_name
from ..values import ValueProblem


class MappedRow(NamedTuple):
    """A row by field name (for measurements also by item code), values as in the file."""

    number: int
    values: dict[str, str]


@dataclass
class RowOutcome:
    status: Literal["created", "updated", "present", ""] = ""
    # (field name or item code, Dutch message); the engine names the file's column.
    problems: list[tuple[str, str]] = field(default_factory=list)

    def add(self, name: str, message: str) -> None:
        self.problems.append((name, message))


class Importer(Protocol):
    def __init__(
        self, *, organisation: Organisation, user: User | None, column_map: Mapping[str, str]
    ) -> None: ...

    def process(self, rows: list[MappedRow]) -> list[RowOutcome]:
        """The outcome of each row, in order; the good rows are written."""

    def finish(self) -> None:
        """After the last batch."""


def parse_fields(
    specs: Mapping[str, FieldSpec], row: MappedRow, outcome: RowOutcome
) -> dict[str, Any]:
    """The row's field values parsed; an empty cell is None (a problem when required)."""
    parsed: dict[str, Any] = {}
    for name, spec in specs.items():
        text = row.values.get(name)
        if text is None or not text.strip():
            parsed[name] = None
            if spec.required:
                outcome.add(name, _("Vul %(label)s in.") % {"label": str(spec.label).lower()})
            continue
        try:
            parsed[name] = spec.parser(text)
        except ValueProblem as problem:
            parsed[name] = None
            outcome.add(name, problem.message)
    return parsed


class OfferNames:
    """The organisation's offers by name, and by the local names mapped to them.

    Only this organisation's offers: another organisation's offer of the same name is unknown.
    """

    def __init__(self, organisation: Organisation) -> None:
        self.by_name: dict[str, Offer] = {}
        offers = Offer.objects.filter(organisation=organisation).only(
            "pk", "name", "status", "organisation_id", "intervention_type_id"
        )
        for offer in offers:
            self.by_name.setdefault(normalise_name(offer.name), offer)
        mapped = ConceptMapping.objects.filter(
            organisation=organisation, scheme=OFFERS_SCHEME
        ).select_related("offer")
        for mapping in mapped:
            if mapping.offer is not None:
                self.by_name.setdefault(mapping.normalised_name, mapping.offer)

    def get(self, name: str) -> Offer | None:
        return self.by_name.get(normalise_name(name))

    def add(self, offer: Offer) -> None:
        self.by_name.setdefault(normalise_name(offer.name), offer)

    @staticmethod
    def unknown_message(name: str) -> str:
        return _(
            "Onbekend aanbod ‘%(name)s’. Gebruik de naam van een aanbod van uw organisatie, "
            "of koppel deze naam eerst aan een aanbod."
        ) % {"name": name[:100]}
