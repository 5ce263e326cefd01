"""Recording and correcting measurements: validation in Dutch per answer, the version chain,
the rules of the moments, the analysis refresh and the audit log."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict

from meerwaarde.instruments.tests.factories import InstrumentFactory
from meerwaarde.measurements import services
from meerwaarde.measurements.constants import Moment, answer_field
from meerwaarde.measurements.models import Measurement
from meerwaarde.participants.models import AuditEvent
from meerwaarde.participants.tests.factories import GoalFactory, TrajectoryFactory

from .conftest import DJG6_FINE, DJG6_LONELY, TODAY, zrm
from .factories import MeasurementFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _record(trajectory, instrument, *, moment=Moment.INTAKE, on=None, answers=None, user=None):
    return services.measurement_record(
        trajectory=trajectory,
        instrument=instrument,
        moment=moment,
        measured_on=on or trajectory.start_date,
        answers=DJG6_LONELY if answers is None else answers,
        created_by=user,
    )


def _errors(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def test_it_records_a_measurement_with_its_scores_and_categories(trajectory, instruments, bob):
    measurement = _record(trajectory, instruments["djg6-1"], user=bob)

    assert (measurement.version, measurement.is_current, measurement.supersedes) == (1, True, None)
    assert measurement.organisation == trajectory.organisation
    assert measurement.created_by == bob
    assert measurement.answers == DJG6_LONELY
    assert measurement.scores == {
        "total": {"value": 6.0, "category": "ernstig-eenzaam"},
        "emotional": {"value": 3.0, "category": ""},
        "social": {"value": 3.0, "category": ""},
    }


def test_it_stores_every_answer_as_text_and_a_missing_one_as_empty(trajectory, instruments):
    answers = {**DJG6_LONELY, "s3": None}
    measurement = _record(trajectory, instruments["djg6-1"], answers=answers)
    measurement.refresh_from_db()
    assert measurement.answers["s3"] == ""
    assert measurement.scores["total"]["value"] == 5.0  # one missing answer is allowed
    assert measurement.scores["social"]["value"] is None  # the social scale allows none


def test_it_gives_a_dutch_message_for_each_wrong_answer(trajectory, instruments):
    answers = {**DJG6_LONELY, "e1": "misschien", "s2": "na", "extra": "ja"}
    with pytest.raises(ValidationError) as excinfo:
        _record(trajectory, instruments["djg6-1"], answers=answers)
    errors = _errors(excinfo)
    assert errors[answer_field("e1")] == ["Kies een van de antwoorden: nee, min of meer, ja."]
    assert "Niet beoordeeld" in errors[answer_field("s2")][0]
    assert errors[answer_field("extra")] == ["Deze vraag hoort niet bij het instrument."]
    assert not Measurement.objects.exists()


def test_it_checks_numbers_against_the_items_range(trajectory, instruments):
    answers = zrm("3", financien="6", huisvesting="2,5", werk_opleiding="na")
    with pytest.raises(ValidationError) as excinfo:
        _record(trajectory, instruments["zrm-2017"], answers=answers)
    errors = _errors(excinfo)
    assert set(errors) == {answer_field("financien"), answer_field("huisvesting")}
    assert "6 valt daarbuiten" in errors[answer_field("financien")][0]
    assert "geen heel getal" in errors[answer_field("huisvesting")][0]


def test_it_refuses_answers_that_give_no_score_at_all(trajectory, instruments):
    with pytest.raises(ValidationError) as excinfo:
        _record(trajectory, instruments["zrm-2017"], answers=zrm("na"))
    assert "geen enkele score" in _errors(excinfo)[NON_FIELD_ERRORS][0]


def test_it_refuses_a_date_before_the_start_of_the_trajectory_or_in_the_future(
    trajectory, instruments
):
    for on, message in [
        (trajectory.start_date - DAY, "vóór de start van het traject"),
        (TODAY + DAY, "in de toekomst"),
    ]:
        with pytest.raises(ValidationError) as excinfo:
            _record(trajectory, instruments["djg6-1"], on=on)
        assert message in _errors(excinfo)["measured_on"][0]
    assert _record(trajectory, instruments["djg6-1"], on=TODAY).measured_on == TODAY


def test_it_refuses_an_unknown_moment(trajectory, instruments):
    with pytest.raises(ValidationError) as excinfo:
        _record(trajectory, instruments["djg6-1"], moment="halverwege")
    assert _errors(excinfo)["moment"] == ["Kies het moment van de meting."]


def test_it_refuses_an_instrument_of_another_organisation(trajectory, org_b, instruments):
    foreign = InstrumentFactory(organisation=org_b)
    with pytest.raises(ValidationError) as excinfo:
        _record(trajectory, foreign, answers={"v1": "3", "v2": "3", "v3": "3"})
    assert "instrument" in _errors(excinfo)


def test_it_accepts_the_organisations_own_active_instrument_only(trajectory, org_a):
    own = InstrumentFactory(organisation=org_a)
    answers = {"v1": "4", "v2": "2", "v3": "5"}
    measurement = _record(trajectory, own, answers=answers)
    assert measurement.scores == {"totaal": {"value": 4.33, "category": "voldoende"}}

    retired = InstrumentFactory(organisation=org_a, is_active=False)
    with pytest.raises(ValidationError) as excinfo:
        _record(trajectory, retired, answers=answers)
    assert "uitgezet" in _errors(excinfo)["instrument"][0]


def test_it_keeps_one_current_intake_and_end_but_allows_interims_on_other_dates(
    trajectory, instruments
):
    djg = instruments["djg6-1"]
    _record(trajectory, djg, moment=Moment.INTAKE)
    _record(trajectory, djg, moment=Moment.END, on=TODAY)
    for moment in (Moment.INTAKE, Moment.END):
        with pytest.raises(ValidationError) as excinfo:
            _record(trajectory, djg, moment=moment, on=TODAY - 2 * DAY)
        assert "corrigeer dan die meting" in _errors(excinfo)["moment"][0]

    _record(trajectory, djg, moment=Moment.INTERIM, on=TODAY - 10 * DAY)
    _record(trajectory, djg, moment=Moment.INTERIM, on=TODAY - 5 * DAY)
    with pytest.raises(ValidationError) as excinfo:
        _record(trajectory, djg, moment=Moment.INTERIM, on=TODAY - 5 * DAY)
    assert "Op deze datum is al een tussenmeting" in _errors(excinfo)["measured_on"][0]
    # Another instrument has its own intake.
    _record(trajectory, instruments["zrm-2017"], answers=zrm("2"))
    assert Measurement.objects.filter(is_current=True).count() == 5


def test_the_database_also_allows_one_current_intake(trajectory):
    first = MeasurementFactory(trajectory=trajectory)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeasurementFactory(trajectory=trajectory, instrument=first.instrument)


def test_it_corrects_with_a_new_version_and_leaves_the_old_one_as_it_was(
    trajectory, instruments, bob, carol
):
    old = _record(trajectory, instruments["djg6-1"], user=bob)
    before = model_to_dict(Measurement.objects.get(pk=old.pk))

    new = services.measurement_correct(
        measurement=old, answers=DJG6_FINE, measured_on=old.measured_on + DAY, created_by=carol
    )

    assert (new.version, new.supersedes, new.is_current, new.created_by) == (2, old, True, carol)
    assert (new.trajectory, new.instrument, new.moment) == (trajectory, old.instrument, old.moment)
    assert new.scores["total"] == {"value": 0.0, "category": "niet-eenzaam"}
    after = model_to_dict(Measurement.objects.get(pk=old.pk))
    assert after.pop("is_current") is False
    before.pop("is_current")
    assert after == before
    assert old.is_current is False  # the caller's object follows

    third = services.measurement_correct(
        measurement=new, answers=DJG6_LONELY, measured_on=new.measured_on, created_by=bob
    )
    assert (third.version, third.supersedes) == (3, new)
    assert list(Measurement.objects.filter(is_current=True).values_list("version", flat=True)) == [
        3
    ]


def test_it_refuses_to_correct_a_version_that_was_already_corrected(trajectory, instruments):
    old = _record(trajectory, instruments["djg6-1"])
    stale = Measurement.objects.get(pk=old.pk)  # read before the correction, still "current"
    services.measurement_correct(
        measurement=old, answers=DJG6_FINE, measured_on=old.measured_on, created_by=None
    )
    with pytest.raises(ValidationError) as excinfo:
        services.measurement_correct(
            measurement=stale, answers=DJG6_FINE, measured_on=old.measured_on, created_by=None
        )
    assert "al gecorrigeerd" in _errors(excinfo)[NON_FIELD_ERRORS][0]
    assert Measurement.objects.count() == 2


def test_it_refuses_a_correction_that_changes_nothing(trajectory, instruments):
    old = _record(trajectory, instruments["djg6-1"])
    with pytest.raises(ValidationError) as excinfo:
        services.measurement_correct(
            measurement=old, answers=DJG6_LONELY, measured_on=old.measured_on, created_by=None
        )
    assert "niets veranderd" in _errors(excinfo)[NON_FIELD_ERRORS][0]


def test_it_validates_a_correction_like_a_new_measurement(trajectory, instruments):
    old = _record(trajectory, instruments["djg6-1"])
    _record(trajectory, instruments["djg6-1"], moment=Moment.INTERIM, on=TODAY)
    interim = Measurement.objects.get(moment=Moment.INTERIM)
    with pytest.raises(ValidationError) as excinfo:
        services.measurement_correct(
            measurement=old,
            answers={**DJG6_FINE, "e1": "vaak"},
            measured_on=trajectory.start_date - DAY,
            created_by=None,
        )
    assert set(_errors(excinfo)) == {answer_field("e1"), "measured_on"}
    # Moving an interim onto the date of another interim is refused too.
    services.measurement_record(
        trajectory=trajectory,
        instrument=instruments["djg6-1"],
        moment=Moment.INTERIM,
        measured_on=TODAY - DAY,
        answers=DJG6_FINE,
        created_by=None,
    )
    with pytest.raises(ValidationError) as excinfo:
        services.measurement_correct(
            measurement=interim, answers=DJG6_FINE, measured_on=TODAY - DAY, created_by=None
        )
    assert "measured_on" in _errors(excinfo)


def test_a_stored_measurement_cannot_be_changed_or_deleted(trajectory):
    measurement = MeasurementFactory(trajectory=trajectory)
    measurement.answers = {"v1": "1", "v2": "1", "v3": "1"}
    with pytest.raises(ValueError, match="append-only"):
        measurement.save()
    with pytest.raises(ValueError, match="append-only"):
        measurement.delete()


def test_measurements_go_with_their_participant(trajectory, instruments):
    old = _record(trajectory, instruments["djg6-1"])
    services.measurement_correct(
        measurement=old, answers=DJG6_FINE, measured_on=old.measured_on, created_by=None
    )
    trajectory.participant.delete()
    assert not Measurement.objects.exists()


def test_it_writes_an_audit_event_for_every_write(trajectory, instruments, bob):
    old = _record(trajectory, instruments["djg6-1"], user=bob)
    new = services.measurement_correct(
        measurement=old, answers=DJG6_FINE, measured_on=old.measured_on, created_by=bob
    )
    events = set(
        AuditEvent.objects.filter(object_type="measurement").values_list(
            "action", "object_id", "user", "organisation"
        )
    )
    org = trajectory.organisation_id
    assert events == {
        ("create", old.pk, bob.pk, org),
        ("update", old.pk, bob.pk, org),
        ("create", new.pk, bob.pk, org),
    }


def test_it_refreshes_the_analysis_after_every_write(trajectory, instruments, monkeypatch):
    refreshed = []

    def outcomes_refresh(*, trajectory):
        # Called inside the write, when the new version is already the current one.
        refreshed.append(
            list(trajectory.measurements.filter(is_current=True).values_list("version", flat=True))
        )

    monkeypatch.setattr(services, "outcomes_refresh", outcomes_refresh)

    old = _record(trajectory, instruments["djg6-1"])
    services.measurement_correct(
        measurement=old, answers=DJG6_FINE, measured_on=old.measured_on, created_by=None
    )
    assert refreshed == [[1], [2]]


def test_it_does_not_refresh_or_audit_a_refused_write(trajectory, instruments, monkeypatch):
    monkeypatch.setattr(
        services, "outcomes_refresh", lambda **kwargs: pytest.fail("refreshed a refused write")
    )
    with pytest.raises(ValidationError):
        _record(trajectory, instruments["djg6-1"], answers={"e1": "vaak"})
    assert not AuditEvent.objects.filter(object_type="measurement").exists()


# Goal Attainment Scaling ------------------------------------------------------------------


def test_it_scores_gas_per_goal_with_the_goals_weights(trajectory, instruments):
    heavy = GoalFactory(trajectory=trajectory, position=1, weight=Decimal("3"))
    light = GoalFactory(trajectory=trajectory, position=2, weight=Decimal("1"))
    measurement = _record(
        trajectory,
        instruments["gas-1"],
        moment=Moment.END,
        on=TODAY,
        answers={str(heavy.pk): "2", str(light.pk): "-1"},
    )
    # T = 50 + 10·(3·2 + 1·−1) / √(0.7·(9+1) + 0.3·4²) = 50 + 50/√11.8
    assert measurement.scores == {"t": {"value": 64.56, "category": "beter-dan-verwacht"}}
    assert measurement.answers == {str(heavy.pk): "2", str(light.pk): "-1"}


def test_it_needs_every_goal_scored_and_no_other(trajectory, org_a, instruments):
    goal = GoalFactory(trajectory=trajectory, position=1)
    other = GoalFactory(trajectory=TrajectoryFactory(participant__organisation=org_a))
    with pytest.raises(ValidationError) as excinfo:
        _record(trajectory, instruments["gas-1"], answers={str(goal.pk): "1", str(other.pk): "0"})
    assert _errors(excinfo) == {
        answer_field(str(other.pk)): ["Dit doel hoort niet bij het traject."]
    }
    GoalFactory(trajectory=trajectory, position=2)
    with pytest.raises(ValidationError) as excinfo:
        _record(trajectory, instruments["gas-1"], answers={str(goal.pk): "1"})
    assert "geen enkele score" in _errors(excinfo)[NON_FIELD_ERRORS][0]


def test_it_refuses_gas_without_goals(trajectory, instruments):
    with pytest.raises(ValidationError) as excinfo:
        _record(trajectory, instruments["gas-1"], answers={})
    assert "nog geen doelen" in _errors(excinfo)[NON_FIELD_ERRORS][0]


def test_an_intake_and_an_end_reach_the_analysis_storage(trajectory, instruments):
    from meerwaarde.analysis.models import OutcomePair

    intake = _record(trajectory, instruments["djg6-1"])
    _record(trajectory, instruments["djg6-1"], moment=Moment.END, on=TODAY, answers=DJG6_FINE)
    pairs = OutcomePair.objects.filter(trajectory=trajectory)
    assert pairs.get(scale="total").start_value == 6 and pairs.get(scale="total").end_value == 0

    services.measurement_correct(
        measurement=intake,
        answers={**DJG6_LONELY, "e1": "nee"},
        measured_on=intake.measured_on,
        created_by=None,
    )
    assert pairs.get(scale="total").start_value == 5
