"""Writes for instruments: load the shipped ones; create, deactivate, reactivate own ones."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from meerwaarde.instruments.definition import DefinitionError, parse_definition, shipped_data
from meerwaarde.instruments.models import Instrument
from meerwaarde.instruments.selectors import outcome_domain_choices
from meerwaarde.organisations.models import Organisation

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
