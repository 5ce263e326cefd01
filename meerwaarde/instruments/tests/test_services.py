"""Loading the shipped instruments, and an organisation's own: create, deactivate, constraints."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from meerwaarde.instruments import services
from meerwaarde.instruments.models import Instrument
from meerwaarde.instruments.tests.factories import InstrumentFactory, wellbeing
from meerwaarde.vocabulary.services import concept_deprecate

pytestmark = pytest.mark.django_db


def test_it_loads_the_six_shipped_instruments_and_the_fixture_returns_them(shipped_instruments):
    assert sorted(shipped_instruments) == [
        "djg11-1",
        "djg6-1",
        "gas-1",
        "pg-1",
        "zrm-2013",
        "zrm-2017",
    ]
    zrm = shipped_instruments["zrm-2017"]
    assert zrm.organisation is None and zrm.is_active and zrm.name.startswith("Zelfredzaamheid")
    assert len(zrm.parsed.scales) == 13


def test_it_loads_idempotently_and_updates_a_changed_definition(shipped_instruments):
    djg6 = shipped_instruments["djg6-1"]
    changed = {**djg6.definition, "name": "Oude naam"}
    Instrument.objects.filter(pk=djg6.pk).update(definition=changed, name="Oude naam")
    assert services.instruments_load_shipped() == 6
    assert services.instruments_load_shipped() == 6
    assert Instrument.objects.count() == 6
    djg6.refresh_from_db()
    assert djg6.name == "De Jong Gierveld eenzaamheidsschaal (6 vragen)"
    assert djg6.definition["name"] == djg6.name


def test_it_loads_with_the_command_twice_without_duplicates(db, capsys):
    call_command("load_instruments")
    call_command("load_instruments")
    assert "6 meegeleverde instrumenten geladen." in capsys.readouterr().out
    assert Instrument.objects.filter(organisation__isnull=True).count() == 6


def test_it_keeps_a_shipped_code_and_version_unique(shipped_instruments):
    with pytest.raises(IntegrityError), transaction.atomic():
        Instrument.objects.create(code="djg6", version="1", name="Kopie", definition={})


def test_it_keeps_an_organisations_code_and_version_unique_but_not_across_organisations(
    org_a, org_b
):
    InstrumentFactory(organisation=org_a, code="eigen-x")
    InstrumentFactory(organisation=org_b, code="eigen-x")
    with pytest.raises(IntegrityError), transaction.atomic():
        InstrumentFactory(organisation=org_a, code="eigen-x")


def test_it_refuses_an_empty_code(org_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        InstrumentFactory(organisation=org_a, code="")


def test_it_creates_an_own_instrument_with_a_code_of_its_own(org_a, outcome_domains):
    first = services.instrument_create(organisation=org_a, definition=wellbeing(code="djg6"))
    second = services.instrument_create(organisation=org_a, definition=wellbeing())
    assert (first.code, first.version) == ("eigen-welbevinden", "1")
    assert second.code == "eigen-welbevinden-2"
    assert first.definition["code"] == first.code and first.parsed.code == first.code
    assert first.organisation == org_a and first.is_active


def test_it_refuses_an_own_instrument_with_an_outcome_domain_not_in_the_vocabulary(org_a, db):
    with pytest.raises(ValidationError) as raised:
        services.instrument_create(organisation=org_a, definition=wellbeing())
    assert raised.value.messages == [
        "Schaal ‘Welbevinden’: ‘domein-geestelijke-gezondheid’ is geen uitkomstdomein uit het "
        "vocabulaire."
    ]
    assert not Instrument.objects.exists()


def test_it_deactivates_and_reactivates_an_own_instrument(org_a):
    instrument = InstrumentFactory(organisation=org_a)
    services.instrument_deactivate(instrument=instrument)
    instrument.refresh_from_db()
    assert not instrument.is_active
    services.instrument_activate(instrument=instrument)
    instrument.refresh_from_db()
    assert instrument.is_active


def test_it_never_deactivates_a_shipped_instrument(shipped_instruments):
    with pytest.raises(ValidationError):
        services.instrument_deactivate(instrument=shipped_instruments["pg-1"])


def test_it_parses_a_stored_definition_once_per_version(org_a):
    instrument = InstrumentFactory(organisation=org_a)
    again = Instrument.objects.get(pk=instrument.pk)
    assert again.parsed is Instrument.objects.get(pk=instrument.pk).parsed
    again.name = "Andere naam"
    again.save()
    assert Instrument.objects.get(pk=instrument.pk).parsed is not instrument.parsed


def test_it_restores_an_own_instrument_with_its_code_and_version(org_a, outcome_domains):
    definition = wellbeing(code="eigen-welbevinden-3", version="2")

    instrument, created = services.instrument_restore(organisation=org_a, definition=definition)

    assert created and instrument.is_active and instrument.organisation == org_a
    assert (instrument.code, instrument.version) == ("eigen-welbevinden-3", "2")
    assert instrument.definition == definition


def test_it_restores_the_same_instrument_twice_as_one(org_a, outcome_domains):
    first, _created = services.instrument_restore(organisation=org_a, definition=wellbeing())

    again, created = services.instrument_restore(organisation=org_a, definition=wellbeing())

    assert (again, created) == (first, False)
    assert Instrument.objects.count() == 1


def test_it_refuses_to_restore_another_definition_under_an_existing_code_and_version(
    org_a, outcome_domains
):
    services.instrument_restore(organisation=org_a, definition=wellbeing())

    with pytest.raises(ValidationError) as raised:
        services.instrument_restore(organisation=org_a, definition=wellbeing(name="Anders"))

    assert "bestaat al in deze organisatie, met een andere definitie" in raised.value.messages[0]
    assert Instrument.objects.get().name == "Welbevinden"


def test_it_refuses_to_restore_an_instrument_under_a_shipped_code(org_a, outcome_domains):
    with pytest.raises(ValidationError) as raised:
        services.instrument_restore(organisation=org_a, definition=wellbeing(code="djg6"))

    assert raised.value.messages == ["De code van een eigen instrument begint met ‘eigen-’."]
    assert not Instrument.objects.exists()


def test_it_restores_an_instrument_whose_outcome_domain_was_retired(org_a, outcome_domains):
    retired = outcome_domains["domein-geestelijke-gezondheid"]
    concept_deprecate(
        concept=retired, replaced_by=outcome_domains["domein-eenzaamheid"], changed_by=None
    )

    instrument, created = services.instrument_restore(organisation=org_a, definition=wellbeing())

    assert created and instrument.parsed.scales[0].domain == retired.code
