import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from meerwaarde.activities.constants import ReferralDirection
from meerwaarde.activities.models import ActivityRecord, EarlySignalCount, ReferralCount
from meerwaarde.activities.services import activity_record_delete, activity_record_save
from meerwaarde.activities.tests.factories import (
    ActivityRecordFactory,
    EarlySignalCountFactory,
    ReferralCountFactory,
)
from meerwaarde.vocabulary.constants import ConceptStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def save(org_a, offer_a, bob, today):
    """activity_record_save for A's offer in March 2025, with valid defaults to override."""

    def run(**overrides):
        fields = {
            "organisation": org_a,
            "offer": offer_a,
            "month": datetime.date(2025, 3, 1),
            "recorded_by": bob,
            "meetings_held": 12,
            "participants_reached": 30,
            "new_participants": 6,
            "active_volunteers": 4,
            "volunteer_hours": Decimal("22.5"),
            "referrals_in": {},
            "referrals_out": {},
            "early_signals": {},
            "today": today,
        }
        fields.update(overrides)
        return activity_record_save(**fields)

    return run


def _messages(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict


# Saving and correcting ---------------------------------------------------------------------


def test_it_saves_a_month_with_its_referrals_and_signals(save, sources, themes, bob):
    record = save(
        month=datetime.date(2025, 3, 17),
        referrals_in={sources["huisarts"]: 3, sources["wijkteam"]: 0},
        referrals_out={sources["wijkteam"]: 2},
        early_signals={themes["armoede-schulden"]: 4, themes["eenzaamheid"]: None},
    )
    record.refresh_from_db()
    assert record.month == datetime.date(2025, 3, 1)
    assert (record.meetings_held, record.participants_reached, record.new_participants) == (
        12,
        30,
        6,
    )
    assert record.volunteer_hours == Decimal("22.5")
    assert record.recorded_by == bob
    # Zero and empty counts are no rows.
    assert sorted(record.referrals.values_list("direction", "source__code", "count")) == [
        ("in", "verwijzer-huisarts", 3),
        ("out", "verwijzer-wijkteam", 2),
    ]
    assert list(record.early_signals.values_list("theme__code", "count")) == [
        ("thema-armoede-schulden", 4)
    ]


def test_it_replaces_the_whole_month_on_a_second_save(save, sources, themes, alice):
    first = save(
        referrals_in={sources["huisarts"]: 3, sources["politie"]: 1},
        early_signals={themes["armoede-schulden"]: 4},
    )
    second = save(
        recorded_by=alice,
        participants_reached=40,
        referrals_in={sources["wijkteam"]: 5},
        referrals_out={sources["huisarts"]: 1},
        early_signals={},
    )
    assert second.pk == first.pk
    assert ActivityRecord.objects.count() == 1
    second.refresh_from_db()
    assert second.participants_reached == 40 and second.recorded_by == alice
    assert sorted(ReferralCount.objects.values_list("direction", "source__code", "count")) == [
        ("in", "verwijzer-wijkteam", 5),
        ("out", "verwijzer-huisarts", 1),
    ]
    assert not EarlySignalCount.objects.exists()


def test_it_keeps_other_months_and_offers_apart(save):
    save(month=datetime.date(2025, 3, 1))
    save(month=datetime.date(2025, 4, 1))
    assert ActivityRecord.objects.count() == 2


def test_it_allows_the_current_month(save, today):
    assert save(month=today).month == datetime.date(2025, 6, 1)


def test_it_reads_a_volunteer_free_month_without_hours(save):
    record = save(active_volunteers=0, volunteer_hours=0)
    assert record.volunteer_hours == 0


# Validation ----------------------------------------------------------------------------


def test_it_refuses_another_organisations_offer(save, offer_b):
    with pytest.raises(ValidationError) as caught:
        save(offer=offer_b)
    assert _messages(caught.value)["offer"] == ["Dit aanbod hoort niet bij uw organisatie."]
    assert not ActivityRecord.objects.exists()


def test_it_refuses_a_month_in_the_future(save):
    with pytest.raises(ValidationError) as caught:
        save(month=datetime.date(2025, 7, 1))
    assert _messages(caught.value)["month"] == [
        "Een maand in de toekomst kan nog niet worden ingevuld."
    ]


def test_it_refuses_more_new_participants_than_reached(save):
    with pytest.raises(ValidationError) as caught:
        save(participants_reached=5, new_participants=6)
    assert _messages(caught.value) == {
        "new_participants": ["Er kunnen niet meer nieuwe deelnemers zijn dan deelnemers bereikt."]
    }


def test_it_names_every_count_out_of_bounds(save):
    with pytest.raises(ValidationError) as caught:
        save(meetings_held=-1, participants_reached=100_001, active_volunteers=None)
    messages = _messages(caught.value)
    assert messages["meetings_held"] == ["Vul een aantal in van 0 tot en met 100.000."]
    assert messages["participants_reached"] == ["Vul een aantal in van 0 tot en met 100.000."]
    assert messages["active_volunteers"] == ["Vul een aantal in."]
    # No comparison with a count that is itself wrong.
    assert "new_participants" not in messages


def test_it_wants_volunteers_for_volunteer_hours(save):
    with pytest.raises(ValidationError) as caught:
        save(active_volunteers=0, volunteer_hours=Decimal("3.0"))
    assert _messages(caught.value)["active_volunteers"] == [
        "Er zijn uren van vrijwilligers ingevuld: vul ook in hoeveel vrijwilligers actief waren."
    ]


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        (Decimal("2.25"), "Vul de uren in met hoogstens één cijfer achter de komma."),
        (Decimal("-1"), "Vul een aantal uren in van 0 tot en met 100.000."),
        ("veel", "Vul het aantal uren in, bijvoorbeeld 12,5."),
    ],
)
def test_it_checks_the_volunteer_hours(save, hours, message):
    with pytest.raises(ValidationError) as caught:
        save(volunteer_hours=hours)
    assert _messages(caught.value)["volunteer_hours"] == [message]


def test_it_refuses_concepts_from_the_wrong_list_or_not_accepted(save, sources, themes):
    with pytest.raises(ValidationError) as caught:
        save(
            referrals_in={themes["eenzaamheid"]: 2, sources["oud"]: 1},
            referrals_out={sources["huisarts"]: -2, sources["eigen-initiatief"]: 1},
            early_signals={sources["huisarts"]: 1},
        )
    messages = _messages(caught.value)
    assert messages["referrals_in"] == [
        "‘Eenzaamheid’ hoort niet in deze lijst.",
        "‘Oude verwijzer’ is geen vastgesteld begrip; kies een ander.",
    ]
    assert messages["referrals_out"] == [
        "Huisarts: vul een aantal in van 0 tot en met 100.000.",
        "Naar ‘Eigen initiatief’ kan niemand worden doorverwezen.",
    ]
    assert messages["early_signals"] == ["‘Huisarts’ hoort niet in deze lijst."]


def test_it_keeps_a_concept_that_was_deprecated_after_the_month_counted_it(save, sources, themes):
    save(referrals_in={sources["politie"]: 2})
    sources["politie"].status = ConceptStatus.DEPRECATED
    sources["politie"].replaced_by = sources["wijkteam"]
    sources["politie"].save()
    record = save(referrals_in={sources["politie"]: 3})
    assert record.referrals.get().count == 3
    with pytest.raises(ValidationError):
        save(month=datetime.date(2025, 4, 1), referrals_in={sources["politie"]: 1})


def test_it_deletes_a_month_with_its_rows(save, sources, themes):
    record = save(referrals_in={sources["huisarts"]: 3}, early_signals={themes["eenzaamheid"]: 1})
    activity_record_delete(record=record)
    assert not ActivityRecord.objects.exists()
    assert not ReferralCount.objects.exists() and not EarlySignalCount.objects.exists()


# The database's own guards -----------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"month": datetime.date(2025, 1, 2)},
        {"participants_reached": 3, "new_participants": 4},
        {"meetings_held": -1},
        {"volunteer_hours": Decimal("-0.5")},
        {"active_volunteers": 0, "volunteer_hours": Decimal("1.0")},
    ],
    ids=["month-first-day", "new-within-reached", "not-negative", "hours", "hours-volunteers"],
)
def test_it_has_database_constraints_on_the_record(offer_a, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityRecordFactory(offer=offer_a, **fields)


def test_it_has_one_record_per_offer_and_month(offer_a):
    ActivityRecordFactory(offer=offer_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityRecordFactory(offer=offer_a)


def test_it_has_database_constraints_on_referrals_and_signals(offer_a, sources, themes):
    record = ActivityRecordFactory(offer=offer_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferralCountFactory(record=record, source=sources["huisarts"], count=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferralCountFactory(record=record, source=sources["huisarts"], direction="up")
    ReferralCountFactory(record=record, source=sources["huisarts"])
    # The same source the other way is another row.
    ReferralCountFactory(record=record, source=sources["huisarts"], direction=ReferralDirection.OUT)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferralCountFactory(record=record, source=sources["huisarts"])
    with pytest.raises(IntegrityError), transaction.atomic():
        EarlySignalCountFactory(record=record, theme=themes["eenzaamheid"], count=0)
    EarlySignalCountFactory(record=record, theme=themes["eenzaamheid"])
    with pytest.raises(IntegrityError), transaction.atomic():
        EarlySignalCountFactory(record=record, theme=themes["eenzaamheid"])
