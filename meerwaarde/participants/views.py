"""Participants and trajectories of one organisation.

Workers and up see and record (VIEW_PARTICIPANTS, RECORD_MEASUREMENTS); erasing a participant is
for organisation admins. Another organisation's participant or trajectory is a 404 (the
selectors). A client reference only ever arrives in a POST body: never in a URL, a message, a
log line or the page, except in its own field when the form comes back to be checked.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meerwaarde.accounts.permissions import Perm, has_org_perm
from meerwaarde.core.forms import apply_validation_error
from meerwaarde.measurements.display import trajectory_overview
from meerwaarde.organisations.models import Membership
from meerwaarde.organisations.selectors import membership_get_for_user
from meerwaarde.participants import selectors, services
from meerwaarde.participants.audit import audit_record
from meerwaarde.participants.constants import AuditAction
from meerwaarde.participants.forms import (
    ErasureForm,
    ParticipantFilterForm,
    ParticipantForm,
    ReferenceForm,
    TrajectoryEndForm,
    TrajectoryForm,
    goal_formset,
    participant_initial,
)
from meerwaarde.participants.models import Participant, Trajectory
from meerwaarde.participants.pseudonyms import PseudonymKeyError

PAGE_SIZE = 25


def _membership(request: HttpRequest, slug: str, perm: Perm) -> Membership:
    return membership_get_for_user(user=request.user, slug=slug, perm=perm)


@login_required
@require_GET
def participant_list(request: HttpRequest, slug: str) -> HttpResponse:
    membership = _membership(request, slug, Perm.VIEW_PARTICIPANTS)
    organisation = membership.organisation
    filters = ParticipantFilterForm(
        request.GET,
        offers=selectors.offers_with_running_trajectories(organisation=organisation),
    )
    filters.is_valid()
    criteria = filters.cleaned_data
    participants = selectors.participant_list(
        organisation=organisation,
        age_band=criteria.get("leeftijd") or None,
        target_group=criteria.get("doelgroep"),
        offer=criteria.get("aanbod"),
    )
    page = Paginator(participants, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "participants/list.html",
        {
            "organisation": organisation,
            "page": page,
            "filters": filters,
            "filtered": any(criteria.values()),
            "can_record": has_org_perm(membership.role, Perm.RECORD_MEASUREMENTS),
            "can_erase": has_org_perm(membership.role, Perm.EDIT_ORGANISATION),
        },
    )


@login_required
@sensitive_post_parameters("reference")
@never_cache
@require_http_methods(["GET", "POST"])
def find(request: HttpRequest, slug: str) -> HttpResponse:
    """Deelnemer zoeken of registreren: a known reference opens the participant; an unknown one
    offers to register, with the attributes."""
    membership = _membership(request, slug, Perm.VIEW_PARTICIPANTS)
    organisation = membership.organisation
    can_record = has_org_perm(membership.role, Perm.RECORD_MEASUREMENTS)
    reference_form = ReferenceForm(request.POST if request.method == "POST" else None)
    registering = can_record and request.POST.get("actie") == "registreren"
    # What was typed for a registration comes back with any error, even one in the reference.
    participant_form = ParticipantForm(request.POST) if registering else None
    not_found = False
    key_error = ""
    if request.method == "POST" and reference_form.is_valid():
        reference = reference_form.cleaned_data["reference"]
        try:
            participant = selectors.participant_find(organisation=organisation, reference=reference)
        except ValidationError as error:
            reference_form.add_error("reference", error)
        except PseudonymKeyError as error:
            key_error = str(error)
        else:
            if participant is not None:
                messages.success(request, _("Deelnemer gevonden."))
                return redirect("participants:detail", slug=slug, pk=participant.pk)
            not_found = True
            if participant_form is not None:
                if participant_form.is_valid():
                    try:
                        participant, _created = services.participant_register(
                            organisation=organisation,
                            created_by=request.user,
                            reference=reference,
                            **participant_form.service_fields(),
                        )
                    except ValidationError as error:
                        apply_validation_error(participant_form, error)
                    else:
                        messages.success(request, _("De deelnemer is geregistreerd."))
                        return redirect("participants:detail", slug=slug, pk=participant.pk)
            elif can_record:
                participant_form = ParticipantForm()
    return render(
        request,
        "participants/find.html",
        {
            "organisation": organisation,
            "reference_form": reference_form,
            "participant_form": participant_form,
            "not_found": not_found,
            "key_error": key_error,
            "can_record": can_record,
        },
    )


def _render_participant(
    request: HttpRequest, membership: Membership, participant: Participant
) -> HttpResponse:
    audit_record(
        user=request.user,
        organisation=membership.organisation,
        action=AuditAction.VIEW,
        obj=participant,
    )
    return render(
        request,
        "participants/detail.html",
        {
            "organisation": membership.organisation,
            "participant": participant,
            "trajectories": participant.trajectories.all(),
            "can_record": has_org_perm(membership.role, Perm.RECORD_MEASUREMENTS),
        },
    )


@login_required
@require_GET
def detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = _membership(request, slug, Perm.VIEW_PARTICIPANTS)
    participant = selectors.participant_get(organisation=membership.organisation, pk=pk)
    return _render_participant(request, membership, participant)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = _membership(request, slug, Perm.RECORD_MEASUREMENTS)
    participant = selectors.participant_get(organisation=membership.organisation, pk=pk)
    form = ParticipantForm(
        request.POST if request.method == "POST" else None,
        initial=participant_initial(participant),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_update(
                participant=participant, changed_by=request.user, **form.service_fields()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("De gegevens van de deelnemer zijn opgeslagen."))
            return redirect("participants:detail", slug=slug, pk=participant.pk)
    return render(
        request,
        "participants/edit.html",
        {"organisation": membership.organisation, "participant": participant, "form": form},
    )


@login_required
@sensitive_post_parameters("reference")
@never_cache
@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest, slug: str) -> HttpResponse:
    """Erase one participant and everything of theirs, found by client reference."""
    membership = _membership(request, slug, Perm.EDIT_ORGANISATION)
    form = ErasureForm(request.POST if request.method == "POST" else None)
    key_error = ""
    if request.method == "POST" and form.is_valid():
        try:
            erased = services.participant_erase(
                organisation=membership.organisation,
                reference=form.cleaned_data["reference"],
                erased_by=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        except PseudonymKeyError as error:
            key_error = str(error)
        else:
            if erased:
                messages.success(
                    request, _("De deelnemer en al zijn of haar gegevens zijn gewist.")
                )
                return redirect("participants:list", slug=slug)
            form.add_error(
                "reference",
                _("Uw organisatie heeft geen deelnemer met dit cliëntnummer. Er is niets gewist."),
            )
    return render(
        request,
        "participants/erase.html",
        {"organisation": membership.organisation, "form": form, "key_error": key_error},
    )


@login_required
@require_http_methods(["GET", "POST"])
def trajectory_create(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = _membership(request, slug, Perm.RECORD_MEASUREMENTS)
    organisation = membership.organisation
    participant = selectors.participant_get(organisation=organisation, pk=pk)
    form = TrajectoryForm(
        request.POST if request.method == "POST" else None,
        offers=selectors.offers_for_new_trajectory(organisation=organisation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            trajectory = services.trajectory_start(
                organisation=organisation,
                created_by=request.user,
                participant=participant,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Het traject is gestart."))
            return redirect("participants:trajectory_detail", slug=slug, pk=trajectory.pk)
    return render(
        request,
        "participants/trajectory_form.html",
        {"organisation": organisation, "participant": participant, "form": form},
    )


def _render_trajectory(
    request: HttpRequest,
    membership: Membership,
    trajectory: Trajectory,
    *,
    end_form: TrajectoryEndForm | None = None,
) -> HttpResponse:
    can_record = has_org_perm(membership.role, Perm.RECORD_MEASUREMENTS)
    if end_form is None and can_record and trajectory.is_active:
        end_form = TrajectoryEndForm()
    audit_record(
        user=request.user,
        organisation=membership.organisation,
        action=AuditAction.VIEW,
        obj=trajectory,
    )
    return render(
        request,
        "participants/trajectory_detail.html",
        {
            "organisation": membership.organisation,
            "trajectory": trajectory,
            "participant": trajectory.participant,
            "goals": trajectory.goals.all(),
            "end_form": end_form,
            "can_record": can_record,
            "measurement_overview": trajectory_overview(trajectory=trajectory),
        },
    )


@login_required
@require_GET
def trajectory_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = _membership(request, slug, Perm.VIEW_PARTICIPANTS)
    trajectory = selectors.trajectory_get(organisation=membership.organisation, pk=pk)
    return _render_trajectory(request, membership, trajectory)


@login_required
@require_POST
def trajectory_end(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = _membership(request, slug, Perm.RECORD_MEASUREMENTS)
    trajectory = selectors.trajectory_get(organisation=membership.organisation, pk=pk)
    form = TrajectoryEndForm(request.POST)
    if form.is_valid():
        try:
            services.trajectory_end(
                trajectory=trajectory, changed_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Het traject is afgesloten."))
            return redirect("participants:trajectory_detail", slug=slug, pk=trajectory.pk)
    trajectory.refresh_from_db(fields=["status", "end_date"])
    return _render_trajectory(request, membership, trajectory, end_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def goals(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The GAS goals of a trajectory: up to five domains, each with a weight."""
    membership = _membership(request, slug, Perm.RECORD_MEASUREMENTS)
    trajectory = selectors.trajectory_get(organisation=membership.organisation, pk=pk)
    formset = goal_formset(
        request.POST if request.method == "POST" else None, trajectory=trajectory
    )
    errors: list[str] = []
    if request.method == "POST" and formset.is_valid():
        try:
            services.goals_set(
                trajectory=trajectory, goals=formset.goals(), changed_by=request.user
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("De doelen zijn opgeslagen."))
            return redirect("participants:trajectory_detail", slug=slug, pk=trajectory.pk)
    return render(
        request,
        "participants/goals.html",
        {
            "organisation": membership.organisation,
            "trajectory": trajectory,
            "participant": trajectory.participant,
            "formset": formset,
            "errors": errors,
        },
    )
