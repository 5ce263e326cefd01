"""What each kind of import reads: its fields, by the export's column names.

A field's ``name`` is the column name the organisation export writes (meerwaarde/exports/tables),
so a file that came out of Meerwaarde maps itself. ``parser`` turns the text of a cell into a
value or raises ``ValueProblem`` with a Dutch message; an empty cell never reaches a parser.

Measurement rows carry their answers as extra columns, one per item, named by the item's code
(``e1``, ``s1`` ...): which codes count depends on the row's instrument, so they are not fields
here but are checked per row against the instrument's definition.
"""

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from meerwaarde.activities.constants import MAX_COUNT, ReferralDirection
from meerwaarde.measurements.constants import Moment
from meerwaarde.participants.constants import AgeBand, Gender, TrajectoryStatus

from .values import ValueProblem, parse_date, parse_decimal, parse_int


class ImportKind(models.TextChoices):
    OFFERS = "aanbod", gettext_lazy("Aanbod")
    MEASUREMENTS = "metingen", gettext_lazy("Trajecten met metingen")
    ACTIVITIES = "activiteiten", gettext_lazy("Activiteiten per maand")
    REFERRALS = "verwijzingen", gettext_lazy("Verwijzingen per maand")
    SIGNALS = "signalen", gettext_lazy("Vroegsignalen per maand")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: Promise | str
    required: bool
    description: Promise | str
    parser: Callable[[str], Any]


def parse_text(value: str) -> str:
    return " ".join(value.split())


def parse_count(value: str) -> int:
    number = parse_int(value)
    if number < 0:
        raise ValueProblem(_("Een aantal kan niet negatief zijn."))
    return number


def parse_positive_count(value: str) -> int:
    """A count of referrals or signals: a zero is no row (as in the form, where 0 is left out)."""
    number = parse_int(value)
    if not 1 <= number <= MAX_COUNT:
        raise ValueProblem(
            _("Vul een aantal in van 1 tot en met %(max)s; laat een rij met 0 weg.")
            % {"max": number_format(MAX_COUNT, force_grouping=True)}
        )
    return number


def parse_month(value: str) -> datetime.date:
    """Any day of the month, or "2025-03" / "03-2025"; the first of the month."""
    text = value.strip()
    parts = text.replace("/", "-").split("-")
    if len(parts) == 2 and all(part.isdigit() for part in parts):
        year, month = (parts[0], parts[1]) if len(parts[0]) == 4 else (parts[1], parts[0])
        try:
            return datetime.date(int(year), int(month), 1)
        except ValueError:
            raise ValueProblem(
                _("‘%(value)s’ is geen bestaande maand.") % {"value": text}
            ) from None
    return parse_date(value).replace(day=1)


def _folded(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()


def choice_parser(
    choices: type[models.TextChoices], aliases: dict[str, str] | None = None
) -> Callable[[str], str]:
    """A code as the export writes it, or its Dutch label ("Tussenmeting" for ``interim``)."""

    @functools.cache
    def known_in(language: str | None) -> dict[str, str]:
        # Per language: the labels are lazy translations; built once, not per row. The Dutch
        # labels always count, whatever the language of the page: the files are Dutch.
        known = {_folded(code): code for code in choices.values}
        known.update({_folded(str(label)): code for code, label in choices.choices})
        with translation.override("nl"):
            known.update({_folded(str(label)): code for code, label in choices.choices})
        known.update({_folded(alias): code for alias, code in (aliases or {}).items()})
        return known

    def parse(value: str) -> str:
        known = known_in(get_language())
        code = known.get(_folded(value))
        if code is None:
            raise ValueProblem(
                _("‘%(value)s’ is geen geldige waarde. Kies uit: %(options)s.")
                % {
                    "value": value.strip()[:40],
                    "options": ", ".join(str(label) for label in choices.labels),
                }
            )
        return code

    return parse


parse_moment = choice_parser(
    Moment,
    {
        "eind": Moment.END,
        "eindmeting": Moment.END,
        "tussen": Moment.INTERIM,
        "follow-up": Moment.FOLLOW_UP,
        "followup": Moment.FOLLOW_UP,
        "voormeting": Moment.INTAKE,
        "nulmeting": Moment.INTAKE,
    },
)
parse_direction = choice_parser(
    ReferralDirection,
    {
        "naar ons": ReferralDirection.IN,
        "inkomend": ReferralDirection.IN,
        "uit": ReferralDirection.OUT,
        "uitgaand": ReferralDirection.OUT,
        "doorverwezen": ReferralDirection.OUT,
    },
)
parse_age_band = choice_parser(AgeBand)
parse_gender = choice_parser(Gender)
parse_status = choice_parser(TrajectoryStatus)


def parse_codes(value: str) -> list[str]:
    """A list cell: codes or local names separated by commas or semicolons."""
    return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]


# Client reference or pseudonym: one of the two is required (checked by the engine).
CLIENT_REFERENCE = "clientnummer"
PSEUDONYM = "pseudoniem"

MEASUREMENT_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        CLIENT_REFERENCE,
        gettext_lazy("Cliëntnummer"),
        False,
        gettext_lazy(
            "Het eigen cliëntnummer van de organisatie. Het wordt bij het inlezen omgezet in "
            "een pseudoniem en nooit bewaard. Vul dit in of het pseudoniem."
        ),
        str,
    ),
    FieldSpec(
        PSEUDONYM,
        gettext_lazy("Pseudoniem"),
        False,
        gettext_lazy(
            "Het pseudoniem uit een export van Meerwaarde, in plaats van het cliëntnummer."
        ),
        parse_text,
    ),
    FieldSpec(
        "aanbod_naam",
        gettext_lazy("Aanbod"),
        True,
        gettext_lazy("De naam van het aanbod, of een eigen naam die eraan is gekoppeld."),
        parse_text,
    ),
    FieldSpec(
        "startdatum",
        gettext_lazy("Startdatum traject"),
        True,
        gettext_lazy("De dag waarop het traject begon."),
        parse_date,
    ),
    FieldSpec(
        "einddatum",
        gettext_lazy("Einddatum traject"),
        False,
        gettext_lazy("De dag waarop het traject eindigde; leeg zolang het loopt."),
        parse_date,
    ),
    FieldSpec(
        "status",
        gettext_lazy("Status traject"),
        False,
        gettext_lazy("Lopend, afgerond of voortijdig gestopt; met een einddatum is leeg afgerond."),
        parse_status,
    ),
    FieldSpec(
        "leeftijdsgroep",
        gettext_lazy("Leeftijdsgroep"),
        False,
        gettext_lazy("Nodig voor een deelnemer die nog niet in Meerwaarde staat."),
        parse_age_band,
    ),
    FieldSpec(
        "gender", gettext_lazy("Gender"), False, gettext_lazy("Mag leeg blijven."), parse_gender
    ),
    FieldSpec(
        "instrument_code",
        gettext_lazy("Meetinstrument"),
        True,
        gettext_lazy("De code van het meetinstrument, zoals djg6 of zrm."),
        parse_text,
    ),
    FieldSpec(
        "instrument_versie",
        gettext_lazy("Versie meetinstrument"),
        False,
        gettext_lazy("Nodig als het instrument in meer versies in gebruik is."),
        parse_text,
    ),
    FieldSpec(
        "moment",
        gettext_lazy("Moment"),
        True,
        gettext_lazy("Intake, tussenmeting, eindmeting of nameting."),
        parse_moment,
    ),
    FieldSpec(
        "datum",
        gettext_lazy("Datum meting"),
        True,
        gettext_lazy("De dag van de meting."),
        parse_date,
    ),
)

ACTIVITY_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "aanbod_naam",
        gettext_lazy("Aanbod"),
        True,
        gettext_lazy("De naam van het aanbod, of een eigen naam die eraan is gekoppeld."),
        parse_text,
    ),
    FieldSpec(
        "maand",
        gettext_lazy("Maand"),
        True,
        gettext_lazy("Een dag in de maand, of de maand als 2025-03."),
        parse_month,
    ),
    FieldSpec(
        "bijeenkomsten",
        gettext_lazy("Bijeenkomsten of contacten"),
        False,
        gettext_lazy("Leeg telt als 0."),
        parse_count,
    ),
    FieldSpec(
        "deelnemers_bereikt",
        gettext_lazy("Deelnemers bereikt"),
        False,
        gettext_lazy("Leeg telt als 0."),
        parse_count,
    ),
    FieldSpec(
        "nieuwe_deelnemers",
        gettext_lazy("Nieuwe deelnemers"),
        False,
        gettext_lazy("Leeg telt als 0."),
        parse_count,
    ),
    FieldSpec(
        "actieve_vrijwilligers",
        gettext_lazy("Actieve vrijwilligers"),
        False,
        gettext_lazy("Leeg telt als 0."),
        parse_count,
    ),
    FieldSpec(
        "uren_vrijwilligers",
        gettext_lazy("Uren van vrijwilligers"),
        False,
        gettext_lazy("Leeg telt als 0; een decimale komma mag."),
        parse_decimal,
    ),
)

_MONTH_OF_OFFER: tuple[FieldSpec, ...] = ACTIVITY_FIELDS[:2]  # aanbod_naam, maand

# One count per row, as the export's tables ``verwijzingen`` and ``signalen`` hold them.
REFERRAL_FIELDS: tuple[FieldSpec, ...] = (
    *_MONTH_OF_OFFER,
    FieldSpec(
        "richting",
        gettext_lazy("Richting"),
        True,
        gettext_lazy("in: verwezen naar ons; out: door ons doorverwezen."),
        parse_direction,
    ),
    FieldSpec(
        "verwijzer",
        gettext_lazy("Verwijzer"),
        True,
        gettext_lazy("Code of naam uit de woordenlijst, of een eigen naam die eraan is gekoppeld."),
        parse_text,
    ),
    FieldSpec(
        "aantal",
        gettext_lazy("Aantal verwijzingen"),
        True,
        gettext_lazy("1 of meer; een verwijzer zonder verwijzingen blijft weg."),
        parse_positive_count,
    ),
)

SIGNAL_FIELDS: tuple[FieldSpec, ...] = (
    *_MONTH_OF_OFFER,
    FieldSpec(
        "thema",
        gettext_lazy("Thema"),
        True,
        gettext_lazy("Code of naam uit de woordenlijst, of een eigen naam die eraan is gekoppeld."),
        parse_text,
    ),
    FieldSpec(
        "aantal",
        gettext_lazy("Aantal signalen"),
        True,
        gettext_lazy("1 of meer; een thema zonder signalen blijft weg."),
        parse_positive_count,
    ),
)

OFFER_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "aanbod_naam",
        gettext_lazy("Naam van het aanbod"),
        True,
        gettext_lazy("De naam van het aanbod bij de organisatie."),
        parse_text,
    ),
    FieldSpec(
        "soort_interventie",
        gettext_lazy("Soort interventie"),
        True,
        gettext_lazy("Code uit de woordenlijst, of een eigen naam die eraan is gekoppeld."),
        parse_text,
    ),
    FieldSpec(
        "beschrijving",
        gettext_lazy("Beschrijving"),
        True,
        gettext_lazy("Wat het aanbod is en doet."),
        str.strip,
    ),
    FieldSpec(
        "themas",
        gettext_lazy("Thema's"),
        False,
        gettext_lazy("Codes of gekoppelde eigen namen, gescheiden door komma's."),
        parse_codes,
    ),
    FieldSpec(
        "doelgroepen",
        gettext_lazy("Doelgroepen"),
        False,
        gettext_lazy("Codes of gekoppelde eigen namen, gescheiden door komma's."),
        parse_codes,
    ),
    FieldSpec(
        "plaats_geonameid",
        gettext_lazy("Plaats (GeoNames-nummer)"),
        False,
        gettext_lazy("Het nummer van de plaats bij GeoNames; of vul de plaatsnaam in."),
        parse_int,
    ),
    FieldSpec(
        "plaats",
        gettext_lazy("Plaats"),
        False,
        gettext_lazy("De naam van de plaats waar het aanbod wordt gegeven."),
        parse_text,
    ),
)

FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    ImportKind.OFFERS: OFFER_FIELDS,
    ImportKind.MEASUREMENTS: MEASUREMENT_FIELDS,
    ImportKind.ACTIVITIES: ACTIVITY_FIELDS,
    ImportKind.REFERRALS: REFERRAL_FIELDS,
    ImportKind.SIGNALS: SIGNAL_FIELDS,
}


def fields_for(kind: str) -> dict[str, FieldSpec]:
    return {spec.name: spec for spec in FIELDS[kind]}
