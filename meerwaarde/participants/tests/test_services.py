"""The services: who may be registered with what, trajectories and their end, GAS goals, erasure,
and the audit log that follows each change."""

import datetime
import sys
import types
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meerwaarde.offers.constants import OfferStatus
from meerwaarde.offers.tests.factories import OfferFactory
from meerwaarde.participants import services
from meerwaarde.participants.constants import AgeBand, AuditAction, Gender, TrajectoryStatus
from meerwaarde.participants.models import AuditEvent, Goal, Participant, Trajectory
from meerwaarde.participants.pseudonyms import PseudonymKeyError, pseudonym_for
from meerwaarde.participants.services import GoalInput
from meerwaarde.participants.tests.factories import (
    GoalFactory,
    OutcomeDomainFactory,
    ParticipantFactory,
    TrajectoryFactory,
)
from meerwaarde.vocabulary.constants import ConceptStatus

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _register(org, user=None, reference="K-0173", **overrides):
    fields = {"age_band": AgeBand.SENIOR, **overrides}
    return services.participant_register(
        organisation=org, created_by=user, reference=reference, **fields
    )


def _messages(raised) -> dict[str, list[str]]:
    return raised.value.message_dict


# Registering ----------------------------------------------------------------------------------


def test_it_registers_a_participant_under_the_pseudonym_with_its_attributes(org_a, bob, concepts):
    participant, created = _register(
        org_a,
        bob,
        gender=Gender.FEMALE,
        postcode4="8011",
        target_groups=[concepts["ouderen"]],
    )
    assert created
    assert participant.pseudonym == pseudonym_for(organisation=org_a, reference="K-0173")
    assert (participant.age_band, participant.gender, participant.postcode4) == (
        "65-74",
        "female",
        "8011",
    )
    assert list(participant.target_groups.all()) == [concepts["ouderen"]]


def test_it_finds_the_same_participant_for_the_same_reference_however_typed(org_a, bob):
    first, _ = _register(org_a, bob, reference="K-0173")
    again, created = _register(org_a, bob, reference="  k-0173 ", age_band=AgeBand.ADULT)
    assert again == first and not created
    # Registering again changes nothing: attributes change through participant_update.
    assert Participant.objects.get().age_band == AgeBand.SENIOR


def test_it_keeps_the_same_reference_apart_in_two_organisations(org_a, org_b):
    in_a, _ = _register(org_a)
    in_b, created = _register(org_b)
    assert created and in_a != in_b and in_a.pseudonym != in_b.pseudonym


def test_it_refuses_a_bsn_and_reports_the_other_mistakes_at_once(org_a):
    with pytest.raises(ValidationError) as raised:
        _register(org_a, reference="123456782", age_band="", postcode4="80")
    errors = _messages(raised)
    assert "burgerservicenummer" in errors["reference"][0]
    assert errors["age_band"] == ["Kies een leeftijdsgroep."]
    assert errors["postcode4"] == ["Vul alleen de vier cijfers van de postcode in, zoals 8011."]
    assert not Participant.objects.exists()


@pytest.mark.parametrize("postcode", ["0123", "12345", "80ab", "8011 AB"])
def test_it_accepts_only_the_four_digits_of_a_postcode(org_a, postcode):
    with pytest.raises(ValidationError) as raised:
        _register(org_a, postcode4=postcode)
    assert list(_messages(raised)) == ["postcode4"]


def test_it_refuses_choices_that_are_not_in_the_lists(org_a, concepts):
    with pytest.raises(ValidationError) as raised:
        _register(
            org_a,
            age_band="40-50",
            gender="onbekend",
            target_groups=[concepts["eenzaamheid"]],
        )
    errors = _messages(raised)
    assert errors["age_band"] == ["Kies een leeftijdsgroep uit de lijst."]
    assert errors["gender"] == ["Kies een gender uit de lijst, of laat het leeg."]
    assert errors["target_groups"] == ["‘Eenzaamheid’ hoort niet in deze lijst."]


def test_it_refuses_a_target_group_that_is_no_longer_accepted(org_a, concepts):
    concepts["ouderen"].status = ConceptStatus.DRAFT
    concepts["ouderen"].save()
    with pytest.raises(ValidationError) as raised:
        _register(org_a, target_groups=[concepts["ouderen"]])
    assert "geen vastgesteld begrip meer" in _messages(raised)["target_groups"][0]


def test_it_refuses_to_register_without_the_organisations_key(org_a, real_keys):
    with pytest.raises(PseudonymKeyError):
        _register(org_a)


def test_it_logs_the_registration_without_the_reference(org_a, bob):
    participant, _ = _register(org_a, bob, reference="K-0173")
    event = AuditEvent.objects.get()
    assert (event.user, event.organisation, event.action) == (bob, org_a, AuditAction.CREATE)
    assert (event.object_type, event.object_id) == ("participant", participant.pk)


def test_it_updates_the_attributes_but_never_the_pseudonym(org_a, bob, concepts):
    participant, _ = _register(org_a, bob)
    pseudonym = participant.pseudonym
    services.participant_update(
        participant=participant,
        changed_by=bob,
        age_band=AgeBand.ELDERLY,
        gender=Gender.UNDISCLOSED,
        postcode4="",
        target_groups=[concepts["mantelzorgers"]],
    )
    participant.refresh_from_db()
    assert (participant.age_band, participant.gender, participant.pseudonym) == (
        "75+",
        "undisclosed",
        pseudonym,
    )
    assert list(participant.target_groups.all()) == [concepts["mantelzorgers"]]
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE).count() == 1


def test_it_refuses_an_update_with_a_bad_postcode(org_a):
    participant, _ = _register(org_a)
    with pytest.raises(ValidationError) as raised:
        services.participant_update(participant=participant, age_band="27-44", postcode4="abcd")
    assert list(_messages(raised)) == ["postcode4"]


# Erasing --------------------------------------------------------------------------------------


def test_it_erases_a_participant_and_everything_of_theirs_by_reference(org_a, alice):
    participant, _ = _register(org_a, reference="K-0173")
    trajectory = TrajectoryFactory(participant=participant)
    GoalFactory(trajectory=trajectory)
    other, _ = _register(org_a, reference="K-0174")

    assert services.participant_erase(organisation=org_a, reference=" k-0173", erased_by=alice)

    assert list(Participant.objects.all()) == [other]
    assert not Trajectory.objects.exists() and not Goal.objects.exists()
    event = AuditEvent.objects.get(action=AuditAction.DELETE)
    assert (event.user, event.object_type, event.object_id) == (
        alice,
        "participant",
        participant.pk,
    )


def test_it_takes_the_trajectories_out_of_the_analysis_before_erasing(org_a, monkeypatch):
    participant, _ = _register(org_a, reference="K-0173")
    trajectories = TrajectoryFactory.create_batch(2, participant=participant)
    TrajectoryFactory(participant__organisation=org_a)  # someone else's: stays counted
    forgotten = []

    def outcomes_forget(*, trajectories):
        # Called before the delete, while the rows still exist.
        forgotten.extend(Trajectory.objects.filter(pk__in=[t.pk for t in trajectories]))

    fake = types.ModuleType("meerwaarde.analysis.services")
    fake.outcomes_forget = outcomes_forget
    monkeypatch.setitem(sys.modules, "meerwaarde.analysis.services", fake)

    services.participant_erase(organisation=org_a, reference="K-0173")

    assert sorted(t.pk for t in forgotten) == sorted(t.pk for t in trajectories)


def test_it_erases_nothing_for_an_unknown_reference_or_in_another_organisation(org_a, org_b):
    _register(org_a, reference="K-0173")
    assert services.participant_erase(organisation=org_b, reference="K-0173") is False
    assert services.participant_erase(organisation=org_a, reference="K-9999") is False
    assert Participant.objects.count() == 1


def test_it_refuses_to_erase_by_a_bsn(org_a):
    with pytest.raises(ValidationError) as raised:
        services.participant_erase(organisation=org_a, reference="123456782")
    assert "burgerservicenummer" in _messages(raised)["reference"][0]


# Trajectories ---------------------------------------------------------------------------------


@pytest.fixture
def participant(org_a):
    return ParticipantFactory(organisation=org_a)


@pytest.fixture
def offer(org_a):
    return OfferFactory(organisation=org_a, name="Maatjes Zwolle")


def _start(org, participant, offer, **overrides):
    fields = {"start_date": TODAY, **overrides}
    return services.trajectory_start(
        organisation=org, created_by=None, participant=participant, offer=offer, **fields
    )


def test_it_starts_a_running_trajectory(org_a, bob, participant, offer, concepts):
    trajectory = services.trajectory_start(
        organisation=org_a,
        created_by=bob,
        participant=participant,
        offer=offer,
        start_date=TODAY,
        referral_source=concepts["huisarts"],
    )
    assert trajectory.status == TrajectoryStatus.ACTIVE and trajectory.end_date is None
    assert trajectory.organisation == org_a and trajectory.created_by == bob
    event = AuditEvent.objects.get()
    assert (event.action, event.object_type, event.object_id) == (
        "create",
        "trajectory",
        trajectory.pk,
    )


def test_it_refuses_another_organisations_offer(org_a, org_b, participant):
    with pytest.raises(ValidationError) as raised:
        _start(org_a, participant, OfferFactory(organisation=org_b))
    assert _messages(raised)["offer"] == ["Kies een aanbod van uw eigen organisatie."]


def test_it_refuses_an_archived_offer(org_a, participant):
    with pytest.raises(ValidationError) as raised:
        _start(org_a, participant, OfferFactory(organisation=org_a, status=OfferStatus.ARCHIVED))
    assert "gearchiveerd" in _messages(raised)["offer"][0]


def test_it_refuses_a_second_running_trajectory_in_the_same_offer(org_a, participant, offer):
    _start(org_a, participant, offer)
    with pytest.raises(ValidationError) as raised:
        _start(org_a, participant, offer)
    assert "al een lopend traject" in _messages(raised)["offer"][0]


def test_it_refuses_a_start_in_the_future_and_a_referral_source_from_another_list(
    org_a, participant, offer, concepts
):
    with pytest.raises(ValidationError) as raised:
        _start(
            org_a,
            participant,
            offer,
            start_date=TODAY + datetime.timedelta(days=1),
            referral_source=concepts["ouderen"],
        )
    errors = _messages(raised)
    assert errors["start_date"] == ["Een traject kan niet in de toekomst beginnen."]
    assert errors["referral_source"] == ["‘Ouderen’ hoort niet in deze lijst."]


def test_it_will_not_start_a_trajectory_for_another_organisations_participant(org_b, offer):
    with pytest.raises(ValueError):
        _start(org_b, ParticipantFactory(organisation=offer.organisation), offer)


def test_it_ends_a_trajectory_as_completed_or_stopped(org_a, bob, participant, offer):
    trajectory = _start(org_a, participant, offer, start_date=TODAY - datetime.timedelta(days=60))
    services.trajectory_end(
        trajectory=trajectory, end_date=TODAY, status=TrajectoryStatus.STOPPED, changed_by=bob
    )
    trajectory.refresh_from_db()
    assert (trajectory.status, trajectory.end_date) == ("stopped", TODAY)
    assert AuditEvent.objects.filter(action="update", user=bob).exists()
    # A new trajectory in the same offer may start once the old one has ended.
    assert _start(org_a, participant, offer).is_active


@pytest.mark.parametrize(
    ("end_offset", "status", "field", "message"),
    [
        (-31, "completed", "end_date", "De einddatum kan niet vóór de startdatum"),
        (1, "completed", "end_date", "De einddatum kan niet in de toekomst liggen."),
        (0, "active", "status", "Kies of het traject is afgerond of voortijdig is gestopt."),
    ],
)
def test_it_refuses_an_end_that_does_not_fit(org_a, end_offset, status, field, message):
    trajectory = TrajectoryFactory(
        participant__organisation=org_a, start_date=TODAY - datetime.timedelta(days=30)
    )
    with pytest.raises(ValidationError) as raised:
        services.trajectory_end(
            trajectory=trajectory,
            end_date=TODAY + datetime.timedelta(days=end_offset),
            status=status,
        )
    assert _messages(raised)[field][0].startswith(message)


def test_it_refuses_to_end_a_trajectory_twice(org_a):
    trajectory = TrajectoryFactory(participant__organisation=org_a)
    services.trajectory_end(trajectory=trajectory, end_date=TODAY, status="completed")
    with pytest.raises(ValidationError) as raised:
        services.trajectory_end(trajectory=trajectory, end_date=TODAY, status="completed")
    assert raised.value.messages == ["Dit traject is al afgesloten."]


# GAS goals ------------------------------------------------------------------------------------


def test_it_sets_goals_in_order_and_keeps_the_unchanged_ones(org_a, bob, concepts):
    trajectory = TrajectoryFactory(participant__organisation=org_a)
    first = services.goals_set(
        trajectory=trajectory,
        goals=[GoalInput(concepts["eenzaamheid"]), (concepts["financien"], "2")],
        changed_by=bob,
    )
    assert [(g.position, g.domain, g.weight) for g in first] == [
        (1, concepts["eenzaamheid"], Decimal("1.00")),
        (2, concepts["financien"], Decimal("2.00")),
    ]
    second = services.goals_set(
        trajectory=trajectory, goals=[(concepts["eenzaamheid"], Decimal("1.5"))]
    )
    assert second[0].pk == first[0].pk and second[0].weight == Decimal("1.50")
    assert list(trajectory.goals.all()) == second
    assert AuditEvent.objects.filter(action="update", object_type="trajectory").count() == 2


def test_it_refuses_goals_that_do_not_fit(org_a, concepts):
    trajectory = TrajectoryFactory(participant__organisation=org_a)
    with pytest.raises(ValidationError) as raised:
        services.goals_set(
            trajectory=trajectory,
            goals=[
                (concepts["eenzaamheid"], 0),
                (concepts["ouderen"], 1),
                (concepts["financien"], 11),
            ],
        )
    errors = _messages(raised)
    assert errors["weight"] == [
        "Doel 1: het gewicht is een getal groter dan 0 en hooguit 10.",
        "Doel 3: het gewicht is een getal groter dan 0 en hooguit 10.",
    ]
    assert errors["domain"] == ["‘Ouderen’ hoort niet in deze lijst."]
    assert not Goal.objects.exists()


def test_it_refuses_more_than_five_goals_and_goals_of_an_ended_trajectory(org_a):
    trajectory = TrajectoryFactory(participant__organisation=org_a)
    domains = [OutcomeDomainFactory() for _ in range(6)]
    with pytest.raises(ValidationError, match="hooguit 5 doelen"):
        services.goals_set(trajectory=trajectory, goals=[(d, 1) for d in domains])
    services.trajectory_end(trajectory=trajectory, end_date=TODAY, status="completed")
    with pytest.raises(ValidationError, match="afgesloten traject liggen vast"):
        services.goals_set(trajectory=trajectory, goals=[(domains[0], 1)])
