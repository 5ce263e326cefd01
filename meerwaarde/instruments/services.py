"""Writes for instruments: load the shipped ones; create, restore, deactivate, reactivate own
ones."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from meerwaarde.instruments.definition import DefinitionError, parse_definition, shipped_data
from meerwaarde.instruments.models import Instrument
from meerwaarde.instruments.selectors import outcome_domain_choices
from meerwaarde.organisations.models import Organisation
from meerwaarde.vocabulary.models import Concept

OWN_PREFIX = "eigen-"
OWN_VERSION = "1"


@transaction.atomic
def instruments_load_shipped() -> int:
    """Create or update the shipped instruments from their files; returns how many there are.

    Idempotent: an existing code and version gets the file's definition and name, so a
    corrected file reaches the database. Raises DefinitionError for a broken file.
    """
    count = 0
    for data in shipped_data():
        definition = parse_definition(data)
        instrument = Instrument.objects.filter(
            organisation__isnull=True, code=definition.code, version=definition.version
        ).first()
        if instrument is None:
            instrument = Instrument(
                organisation=None, code=definition.code, version=definition.version
            )
        if (
            instrument.pk is None
            or instrument.definition != data
            or instrument.name != definition.name
        ):
            instrument.name = definition.name
            instrument.definition = data
            instrument.is_active = True
            instrument.save()
        count += 1
    return count


def _free_code(organisation: Organisation, name: str) -> str:
    base = OWN_PREFIX + (slugify(name)[:40].strip("-") or "instrument")
    taken = set(
        Instrument.objects.filter(organisation=organisation, code__startswith=base).values_list(
            "code", flat=True
        )
    )
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    return code


@transaction.atomic
def instrument_create(*, organisation: Organisation, definition: dict) -> Instrument:
    """An organisation's own instrument from a definition (as the builder makes it).

    The code (``eigen-<name>``) and version are assigned here, so an own instrument never
    takes the code of a shipped one. Raises ValidationError with the parser's Dutch messages.
    """
    data = {
        **definition,
        "code": _free_code(organisation, str(definition.get("name", ""))),
        "version": OWN_VERSION,
    }
    try:
        # Own scales may use the outcome domains accepted in the curated vocabulary.
        domains = {code for code, _label in outcome_domain_choices()}
        parsed = parse_definition(data, domains=domains)
    except DefinitionError as error:
        raise ValidationError(error.messages, code="invalid_definition") from error
    return Instrument.objects.create(
        organisation=organisation,
        code=parsed.code,
        version=parsed.version,
        name=parsed.name,
        definition=data,
    )


@transaction.atomic
def instrument_restore(*, organisation: Organisation, definition: dict) -> tuple[Instrument, bool]:
    """An own instrument as an export holds it, its code and version kept so that the export's
    measurements find it; returns ``(instrument, created)``, active when created.

    The same code and version with the same definition is that instrument (a second restore
    adds nothing); with another definition it is refused, as a used definition is never
    edited. The code must be an own one (``eigen-``), so it never takes a shipped one's. Its
    outcome domains may be any of the vocabulary's, retired ones included: the instrument had
    them. Raises ValidationError with Dutch messages.
    """
    code, version = definition.get("code"), definition.get("version")
    if not isinstance(code, str) or not code.startswith(OWN_PREFIX):
        raise ValidationError(
            _("De code van een eigen instrument begint met ‘%(prefix)s’.") % {"prefix": OWN_PREFIX},
            code="not_own",
        )
    existing = Instrument.objects.filter(
        organisation=organisation, code=code, version=version
    ).first()
    if existing is not None:
        if existing.definition != definition:
            raise ValidationError(
                _(
                    "Het eigen instrument ‘%(code)s’ versie %(version)s bestaat al in deze "
                    "organisatie, met een andere definitie. Een definitie wordt nooit "
                    "gewijzigd, dus dit instrument kan hier niet worden teruggezet."
                )
                % {"code": code, "version": version},
                code="other_definition",
            )
        return existing, False
    domains = set(
        Concept.objects.filter(scheme__code="outcome_domains").values_list("code", flat=True)
    )
    try:
        parsed = parse_definition(definition, domains=domains)
    except DefinitionError as error:
        raise ValidationError(error.messages, code="invalid_definition") from error
    instrument = Instrument.objects.create(
        organisation=organisation,
        code=parsed.code,
        version=parsed.version,
        name=parsed.name,
        definition=definition,
    )
    return instrument, True


def _own(instrument: Instrument) -> None:
    if instrument.is_shipped:
        raise ValidationError(
            _("Een meegeleverd instrument kan niet worden uitgezet."), code="shipped"
        )


@transaction.atomic
def instrument_deactivate(*, instrument: Instrument) -> Instrument:
    """Out of the choice for new measurements; its measurements keep pointing at it."""
    _own(instrument)
    instrument.is_active = False
    instrument.save(update_fields=["is_active", "updated_at"])
    return instrument


@transaction.atomic
def instrument_activate(*, instrument: Instrument) -> Instrument:
    _own(instrument)
    instrument.is_active = True
    instrument.save(update_fields=["is_active", "updated_at"])
    return instrument
