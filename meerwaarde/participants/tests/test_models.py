"""The database's own guard: the named constraints hold even when a service is bypassed."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from meerwaarde.participants.models import AuditEvent
from meerwaarde.participants.tests.factories import (
    GoalFactory,
    ParticipantFactory,
    TrajectoryFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 1)


def _violates(constraint: str, make) -> None:
    with pytest.raises(IntegrityError) as raised, transaction.atomic():
        make()
    # SQLite names a failed CHECK; PostgreSQL names every constraint.
    message = str(raised.value)
    assert constraint in message or "UNIQUE" in message


@pytest.mark.parametrize(
    ("constraint", "fields"),
    [
        ("trajectory_end_after_start", {"end_date": DAY - datetime.timedelta(days=1)}),
        ("trajectory_finished_has_end_date", {"status": "completed", "end_date": None}),
        ("trajectory_active_has_no_end_date", {"status": "active", "end_date": DAY}),
        ("trajectory_status_valid", {"status": "weg", "end_date": DAY}),
    ],
)
def test_it_keeps_trajectory_dates_and_status_consistent(constraint, fields):
    base = {"start_date": DAY, "status": "completed", "end_date": DAY}
    _violates(constraint, lambda: TrajectoryFactory(**{**base, **fields}))


def test_it_allows_one_running_trajectory_per_participant_and_offer():
    first = TrajectoryFactory()
    _violates(
        "trajectory_one_active_per_participant_and_offer",
        lambda: TrajectoryFactory(participant=first.participant, offer=first.offer),
    )


def test_it_allows_one_participant_per_pseudonym_in_an_organisation():
    first = ParticipantFactory()
    _violates(
        "participant_pseudonym_unique_per_organisation",
        lambda: ParticipantFactory(organisation=first.organisation, pseudonym=first.pseudonym),
    )
    ParticipantFactory(pseudonym=first.pseudonym)  # another organisation: fine


@pytest.mark.parametrize(
    ("constraint", "fields"),
    [
        ("participant_pseudonym_64_chars", {"pseudonym": "abc"}),
        ("participant_age_band_valid", {"age_band": "40-50"}),
        ("participant_gender_valid", {"gender": "onbekend"}),
        ("participant_postcode4_four_digits", {"postcode4": "0999"}),
        ("participant_postcode4_four_digits", {"postcode4": "123"}),
    ],
)
def test_it_keeps_participant_attributes_in_their_lists(constraint, fields):
    _violates(constraint, lambda: ParticipantFactory(**fields))


def test_it_requires_a_positive_goal_weight_and_one_goal_per_position():
    _violates("goal_weight_positive", lambda: GoalFactory(weight=0))
    goal = GoalFactory(position=1)
    _violates(
        "goal_position_unique_per_trajectory",
        lambda: GoalFactory(trajectory=goal.trajectory, position=1),
    )


def test_it_never_changes_an_audit_event(org_a):
    event = AuditEvent.objects.create(organisation=org_a, action="view", object_type="x")
    with pytest.raises(ValueError, match="append-only"):
        event.save()


def test_it_shows_a_participant_by_the_short_pseudonym_only():
    participant = ParticipantFactory(pseudonym="0123456789abcdef" * 4)
    assert str(participant) == "Deelnemer 01234567"
