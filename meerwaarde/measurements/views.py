"""Measurements of an organisation's trajectories: record, see, correct, and the history.

Workers and up see (VIEW_PARTICIPANTS) and record (RECORD_MEASUREMENTS). Another
organisation's trajectory, measurement or own instrument is a 404 (the selectors). The entry
form works without JavaScript ("Bereken scores" re-renders with the scores); with htmx a
change posts to ``preview``, which scores on the server and fills the live region.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meerwaarde.accounts.permissions import Perm, has_org_perm
from meerwaarde.instruments.models import Instrument
from meerwaarde.instruments.selectors import instrument_get, instrument_list_for
from meerwaarde.measurements import selectors, services
from meerwaarde.measurements.answers import goals_of, normalise, score_answers
from meerwaarde.measurements.constants import ANSWER_PREFIX, Moment, answer_field
from meerwaarde.measurements.display import (
    ScoreRow,
    answer_rows,
    changed_answers,
    score_rows,
)
from meerwaarde.measurements.forms import AnswerSheet, MeasurementForm, StartForm
from meerwaarde.measurements.models import Measurement
from meerwaarde.organisations.models import Membership
from meerwaarde.organisations.selectors import membership_get_for_user
from meerwaarde.participants.audit import audit_record
from meerwaarde.participants.constants import AuditAction
from meerwaarde.participants.models import Trajectory
from meerwaarde.participants.selectors import trajectory_get

CALCULATE = "berekenen"


def _membership(request: HttpRequest, slug: str, perm: Perm) -> Membership:
    return membership_get_for_user(user=request.user, slug=slug, perm=perm)


def _suggested_moment(trajectory: Trajectory) -> str:
    current = selectors.measurements_for_trajectory(trajectory=trajectory)
    if not current.filter(moment=Moment.INTAKE).exists():
        return Moment.INTAKE
    return Moment.INTERIM if trajectory.is_active else Moment.END


def _preview(sheet: AnswerSheet, instrument: Instrument, goals) -> dict:
    """What the live region shows: the scores, or why there are none yet."""
    answers = sheet.answers()
    if not any(value for value in answers.values()):
        return {"state": "empty"}
    result = score_answers(instrument.parsed, goals, normalise(answers, list(answers)))
    errors = {**result.errors, **sheet.conflicts}
    if errors:
        by_key = {entry.key: entry for entry in sheet.entries}
        return {
            "state": "errors",
            "errors": [(by_key[k], message) for k, message in errors.items() if k in by_key],
        }
    scores = {code: {"value": s.value, "category": s.category} for code, s in result.scales.items()}
    return {"state": "scores", "rows": score_rows(instrument, scores)}


def _apply(error: ValidationError, form: MeasurementForm, sheet: AnswerSheet) -> None:
    """A service's messages on the form and the sheet; the form's own messages go first."""
    for name, messages_ in error.message_dict.items():
        if name.startswith(ANSWER_PREFIX):
            sheet.add_errors({name: messages_})
        elif name in form.fields:
            if not form.has_error(name):
                form.add_error(name, messages_)
        else:
            form.add_error(None, messages_)


def _entry_page(
    request: HttpRequest,
    *,
    membership: Membership,
    trajectory: Trajectory,
    instrument: Instrument,
    measurement: Measurement | None = None,
    moment: str = "",
) -> HttpResponse:
    """The entry page of a new measurement, or of a correction of ``measurement``."""
    organisation = membership.organisation
    goals = goals_of(trajectory)
    data = request.POST if request.method == "POST" else None
    correction = measurement is not None
    initial = (
        {"measured_on": measurement.measured_on} if measurement is not None else {"moment": moment}
    )
    form = MeasurementForm(data, initial=initial, correction=correction)
    sheet = AnswerSheet(
        instrument.parsed,
        goals,
        data=data,
        initial=measurement.answers if measurement is not None else None,
    )
    calculated = data is not None and data.get("actie") == CALCULATE
    saved: Measurement | None = None
    if data is not None and not calculated:
        form.is_valid()
        answers = sheet.answers()
        values = {
            "answers": answers,
            "measured_on": form.cleaned_data.get("measured_on"),
            "created_by": request.user,
        }
        try:
            if form.errors or sheet.conflicts:
                services.measurement_validate(
                    trajectory=trajectory,
                    instrument=instrument,
                    moment=measurement.moment if measurement else form.data.get("moment", ""),
                    measured_on=values["measured_on"],
                    answers=answers,
                    replacing=measurement,
                )
            elif measurement is not None:
                saved = services.measurement_correct(measurement=measurement, **values)
            else:
                saved = services.measurement_record(
                    trajectory=trajectory,
                    instrument=instrument,
                    moment=form.cleaned_data["moment"],
                    **values,
                )
        except ValidationError as error:
            _apply(error, form, sheet)
        sheet.add_errors({answer_field(k): [m] for k, m in sheet.conflicts.items()})
        if saved is not None:
            messages.success(
                request,
                _("De correctie is opgeslagen als versie %(version)s.") % {"version": saved.version}
                if correction
                else _("De meting is opgeslagen."),
            )
            return redirect("measurements:detail", slug=organisation.slug, pk=saved.pk)
    elif calculated:
        result = score_answers(instrument.parsed, goals, normalise(sheet.answers(), []))
        sheet.add_errors({answer_field(k): [m] for k, m in result.errors.items()})
        sheet.add_errors({answer_field(k): [m] for k, m in sheet.conflicts.items()})
    return render(
        request,
        "measurements/form.html",
        {
            "organisation": organisation,
            "trajectory": trajectory,
            "participant": trajectory.participant,
            "instrument": instrument,
            "definition": instrument.parsed,
            "measurement": measurement,
            "form": form,
            "sheet": sheet,
            "goals": goals,
            # The error summary already links to each bad answer; the region need not repeat.
            "preview": {"state": "blocked"}
            if sheet.invalid
            else _preview(sheet, instrument, goals),
            "calculated": calculated,
            "has_errors": bool(form.errors or sheet.invalid),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, slug: str, trajectory_pk: int) -> HttpResponse:
    """Step one (GET without an instrument) chooses instrument and moment; step two the rest."""
    membership = _membership(request, slug, Perm.RECORD_MEASUREMENTS)
    organisation = membership.organisation
    trajectory = trajectory_get(organisation=organisation, pk=trajectory_pk)
    if request.method == "POST":
        pk = request.POST.get("instrument", "")
        if not pk.isdigit():
            return redirect("measurements:create", slug=slug, trajectory_pk=trajectory.pk)
        instrument = instrument_get(organisation=organisation, pk=int(pk))
        return _entry_page(
            request, membership=membership, trajectory=trajectory, instrument=instrument
        )
    start = StartForm(
        request.GET if "instrument" in request.GET else None,
        instruments=instrument_list_for(organisation=organisation),
        initial={"moment": request.GET.get("moment") or _suggested_moment(trajectory)},
    )
    if start.is_bound and start.is_valid():
        return _entry_page(
            request,
            membership=membership,
            trajectory=trajectory,
            instrument=start.cleaned_data["instrument"],
            moment=start.cleaned_data["moment"],
        )
    return render(
        request,
        "measurements/start.html",
        {
            "organisation": organisation,
            "trajectory": trajectory,
            "participant": trajectory.participant,
            "form": start,
        },
    )


@login_required
@require_POST
def preview(request: HttpRequest, slug: str, trajectory_pk: int) -> HttpResponse:
    """htmx fragment: the scores of the posted answers, computed on the server; saves nothing."""
    membership = _membership(request, slug, Perm.RECORD_MEASUREMENTS)
    organisation = membership.organisation
    trajectory = trajectory_get(organisation=organisation, pk=trajectory_pk)
    pk = request.POST.get("instrument", "")
    instrument = instrument_get(organisation=organisation, pk=int(pk) if pk.isdigit() else 0)
    goals = goals_of(trajectory)
    sheet = AnswerSheet(instrument.parsed, goals, data=request.POST)
    return render(
        request,
        "measurements/_scores.html",
        {"preview": _preview(sheet, instrument, goals), "instrument": instrument},
    )


def _audit_view(request: HttpRequest, membership: Membership, measurement: Measurement) -> None:
    audit_record(
        user=request.user,
        organisation=membership.organisation,
        action=AuditAction.VIEW,
        obj=measurement,
    )


@login_required
@require_GET
def detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = _membership(request, slug, Perm.VIEW_PARTICIPANTS)
    measurement = selectors.measurement_get(organisation=membership.organisation, pk=pk)
    _audit_view(request, membership, measurement)
    trajectory = measurement.trajectory
    return render(
        request,
        "measurements/detail.html",
        {
            "organisation": membership.organisation,
            "measurement": measurement,
            "trajectory": trajectory,
            "participant": trajectory.participant,
            "answers": answer_rows(measurement, goals_of(trajectory)),
            "scores": score_rows(measurement.instrument, measurement.scores),
            "current": selectors.current_version_of(measurement=measurement),
            "can_record": has_org_perm(membership.role, Perm.RECORD_MEASUREMENTS),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def correct(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = _membership(request, slug, Perm.RECORD_MEASUREMENTS)
    measurement = selectors.measurement_get(organisation=membership.organisation, pk=pk)
    if not measurement.is_current:
        messages.error(request, _("Deze versie is al gecorrigeerd. Corrigeer de huidige versie."))
        return redirect("measurements:detail", slug=slug, pk=measurement.pk)
    return _entry_page(
        request,
        membership=membership,
        trajectory=measurement.trajectory,
        instrument=measurement.instrument,
        measurement=measurement,
    )


@login_required
@require_GET
def history(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Every version of a measurement, newest first, with what each correction changed."""
    membership = _membership(request, slug, Perm.VIEW_PARTICIPANTS)
    measurement = selectors.measurement_get(organisation=membership.organisation, pk=pk)
    _audit_view(request, membership, measurement)
    trajectory = measurement.trajectory
    goals = goals_of(trajectory)
    versions = selectors.measurement_history(measurement=measurement)
    rows = []
    for newer, older in zip(versions, [*versions[1:], None], strict=True):
        scores: list[ScoreRow] = score_rows(newer.instrument, newer.scores)
        changes = changed_answers(newer, older, goals) if older is not None else []
        moved = older is not None and older.measured_on != newer.measured_on
        rows.append({"version": newer, "scores": scores, "changes": changes, "moved": moved})
    return render(
        request,
        "measurements/history.html",
        {
            "organisation": membership.organisation,
            "measurement": measurement,
            "trajectory": trajectory,
            "participant": trajectory.participant,
            "rows": rows,
        },
    )
