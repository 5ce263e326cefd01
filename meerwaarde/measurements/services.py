"""Writes for measurements: record one, correct one. There is no withdraw: append-only.

Every write checks what a user can get wrong and raises a ValidationError with Dutch messages
keyed by field: ``moment``, ``measured_on``, ``instrument``, ``answer_field(key)`` per answer
(item code or goal id), or NON_FIELD_ERRORS. Inside its transaction each write then updates the
analysis storage (``analysis.services.outcomes_refresh``) and the audit log.
"""

import datetime
from collections.abc import Mapping

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meerwaarde.accounts.models import User
from meerwaarde.analysis.services import outcomes_refresh
from meerwaarde.instruments.models import Instrument
from meerwaarde.measurements.answers import (
    expected_keys,
    goals_of,
    normalise,
    score_answers,
    scores_for_storage,
)
from meerwaarde.measurements.constants import SINGLE_MOMENTS, Moment, answer_field
from meerwaarde.measurements.models import Measurement
from meerwaarde.participants.audit import audit_record
from meerwaarde.participants.constants import AuditAction
from meerwaarde.participants.models import Trajectory

Answers = Mapping[str, str | None]


class _Errors:
    """Collects Dutch messages per field, to report them all at once."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def _date_errors(
    trajectory: Trajectory, measured_on: datetime.date | None, errors: _Errors
) -> None:
    if measured_on is None:
        errors.add("measured_on", _("Vul de datum van de meting in."))
    elif measured_on < trajectory.start_date:
        errors.add(
            "measured_on",
            _("Een meting kan niet vóór de start van het traject (%(start)s) liggen.")
            % {"start": trajectory.start_date.strftime("%d-%m-%Y")},
        )
    elif measured_on > timezone.localdate():
        errors.add("measured_on", _("Een meting kan niet in de toekomst liggen."))


def _answer_errors(
    trajectory: Trajectory, instrument: Instrument, answers: Answers, errors: _Errors
) -> tuple[dict[str, str], dict[str, dict]]:
    definition = instrument.parsed
    goals = goals_of(trajectory)
    if definition.kind == "gas" and not goals:
        errors.add(
            NON_FIELD_ERRORS,
            _(
                "Dit traject heeft nog geen doelen. Stel eerst de doelen van het traject; "
                "daarna kunt u meten met Goal Attainment Scaling."
            ),
        )
        return {}, {}
    normalised = normalise(answers, expected_keys(definition, goals))
    result = score_answers(definition, goals, normalised)
    for key, message in result.errors.items():
        errors.add(answer_field(key), message)
    if result.is_valid and all(scale.value is None for scale in result.scales.values()):
        errors.add(
            NON_FIELD_ERRORS,
            _("Met deze antwoorden kan nog geen enkele score worden berekend. Vul meer vragen in."),
        )
    return normalised, scores_for_storage(result)


def _duplicate_errors(
    *,
    trajectory: Trajectory,
    instrument: Instrument,
    moment: str,
    measured_on: datetime.date,
    replacing: Measurement | None,
    errors: _Errors,
) -> None:
    current = Measurement.objects.filter(
        trajectory=trajectory, instrument=instrument, moment=moment, is_current=True
    )
    if replacing is not None:
        current = current.exclude(pk=replacing.pk)
    names = {"moment": str(Moment(moment).label).lower(), "instrument": instrument.name}
    if moment in SINGLE_MOMENTS and current.exists():
        errors.add(
            "moment",
            _(
                "Bij dit traject is al een %(moment)s met %(instrument)s vastgelegd. Klopt daar "
                "iets niet, corrigeer dan die meting."
            )
            % names,
        )
    elif current.filter(measured_on=measured_on).exists():
        errors.add(
            "measured_on",
            _(
                "Op deze datum is al een %(moment)s met %(instrument)s vastgelegd. Kies een "
                "andere datum, of corrigeer die meting."
            )
            % names,
        )


def measurement_validate(
    *,
    trajectory: Trajectory,
    instrument: Instrument,
    moment: str,
    measured_on: datetime.date | None,
    answers: Answers,
    replacing: Measurement | None = None,
) -> tuple[dict[str, str], dict[str, dict]]:
    """Every check of a new measurement (or of a correction of ``replacing``), without writing.

    Returns the answers as they will be stored and the scores; raises ValidationError with
    every problem at once. A correction keeps its instrument even when that has been
    deactivated since: the old measurement used it, so its correction may too.
    """
    errors = _Errors()
    usable = True
    if instrument.organisation_id not in (None, trajectory.organisation_id):
        errors.add(
            "instrument",
            _("Kies een meegeleverd instrument of een eigen instrument van uw organisatie."),
        )
        usable = False
    elif replacing is None and not instrument.is_active:
        errors.add(
            "instrument",
            _("Dit instrument is uitgezet en kan niet meer worden gekozen voor een nieuwe meting."),
        )
        usable = False
    if moment not in Moment.values:
        errors.add("moment", _("Kies het moment van de meting."))
    _date_errors(trajectory, measured_on, errors)
    normalised: dict[str, str] = {}
    scores: dict[str, dict] = {}
    if usable:
        normalised, scores = _answer_errors(trajectory, instrument, answers, errors)
        if moment in Moment.values and measured_on is not None:
            _duplicate_errors(
                trajectory=trajectory,
                instrument=instrument,
                moment=moment,
                measured_on=measured_on,
                replacing=replacing,
                errors=errors,
            )
    errors.raise_if_any()
    return normalised, scores


def _lock(trajectory: Trajectory) -> None:
    # Serialises writes per trajectory, so two people cannot both record its intake.
    list(Trajectory.objects.select_for_update().filter(pk=trajectory.pk).values_list("pk"))


@transaction.atomic
def measurement_record(
    *,
    trajectory: Trajectory,
    instrument: Instrument,
    moment: str,
    measured_on: datetime.date | None,
    answers: Answers,
    created_by: User | None,
) -> Measurement:
    """A new measurement (version 1) in the trajectory's organisation.

    The instrument is shipped or the organisation's own, and active; the date lies between the
    trajectory's start and today; a trajectory has one current intake and one current end
    measurement per instrument, and one interim or follow-up per instrument and date.
    """
    _lock(trajectory)
    normalised, scores = measurement_validate(
        trajectory=trajectory,
        instrument=instrument,
        moment=moment,
        measured_on=measured_on,
        answers=answers,
    )
    assert measured_on is not None  # checked above
    measurement = Measurement.objects.create(
        organisation_id=trajectory.organisation_id,
        trajectory=trajectory,
        instrument=instrument,
        moment=moment,
        measured_on=measured_on,
        answers=normalised,
        scores=scores,
        created_by=created_by,
    )
    outcomes_refresh(trajectory=trajectory)
    audit_record(
        user=created_by,
        organisation=trajectory.organisation,
        action=AuditAction.CREATE,
        obj=measurement,
    )
    return measurement


@transaction.atomic
def measurement_correct(
    *,
    measurement: Measurement,
    answers: Answers,
    measured_on: datetime.date | None,
    created_by: User | None,
) -> Measurement:
    """A new version of a current measurement that supersedes it; the old one only stops
    being current. Refuses an old version (correct the current one) and a correction that
    changes nothing.
    """
    trajectory = measurement.trajectory
    _lock(trajectory)
    old = Measurement.objects.select_related("instrument").get(pk=measurement.pk)
    if not old.is_current:
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("Deze versie is al gecorrigeerd. Corrigeer de huidige versie.")]},
            code="superseded",
        )
    normalised, scores = measurement_validate(
        trajectory=trajectory,
        instrument=old.instrument,
        moment=old.moment,
        measured_on=measured_on,
        answers=answers,
        replacing=old,
    )
    assert measured_on is not None  # checked above
    if normalised == old.answers and measured_on == old.measured_on:
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("Er is niets veranderd, dus er is geen nieuwe versie nodig.")]},
            code="unchanged",
        )
    # First out of the way: the constraints allow one current version.
    Measurement.objects.filter(pk=old.pk).update(is_current=False)
    measurement.is_current = False
    correction = Measurement.objects.create(
        organisation_id=old.organisation_id,
        trajectory=trajectory,
        instrument=old.instrument,
        moment=old.moment,
        measured_on=measured_on,
        answers=normalised,
        scores=scores,
        version=old.version + 1,
        supersedes=old,
        created_by=created_by,
    )
    outcomes_refresh(trajectory=trajectory)
    organisation = trajectory.organisation
    audit_record(user=created_by, organisation=organisation, action=AuditAction.UPDATE, obj=old)
    audit_record(
        user=created_by, organisation=organisation, action=AuditAction.CREATE, obj=correction
    )
    return correction
