"""Tenant-scoped reads of participants and trajectories; another organisation's is a 404.

Every function takes the organisation: there is no way to read a participant without one.
"""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from meerwaarde.offers.constants import OfferStatus
from meerwaarde.offers.models import Offer
from meerwaarde.organisations.models import Organisation
from meerwaarde.participants import pseudonyms
from meerwaarde.participants.constants import TrajectoryStatus
from meerwaarde.participants.models import AuditEvent, Participant, Trajectory
from meerwaarde.vocabulary.models import Concept


def participant_list(
    *,
    organisation: Organisation,
    age_band: str | None = None,
    target_group: Concept | None = None,
    offer: Offer | None = None,
) -> QuerySet[Participant]:
    """Newest first, each with ``active_trajectories`` (a count); ``offer`` keeps those with a
    running trajectory in it."""
    participants = (
        Participant.objects.filter(organisation=organisation)
        .prefetch_related("target_groups")
        .annotate(
            active_trajectories=Count(
                "trajectories", filter=Q(trajectories__status=TrajectoryStatus.ACTIVE)
            )
        )
    )
    if age_band:
        participants = participants.filter(age_band=age_band)
    if target_group is not None:
        participants = participants.filter(target_groups=target_group)
    if offer is not None:
        running = Trajectory.objects.filter(
            organisation=organisation, offer=offer, status=TrajectoryStatus.ACTIVE
        )
        participants = participants.filter(pk__in=running.values("participant_id"))
    return participants.order_by("-created_at", "-pk")


def participant_get(*, organisation: Organisation, pk: int) -> Participant:
    """One participant with their target groups and trajectories (newest first)."""
    participant = (
        Participant.objects.filter(organisation=organisation, pk=pk)
        .prefetch_related(
            "target_groups",
            Prefetch(
                "trajectories",
                queryset=Trajectory.objects.select_related("offer", "referral_source").order_by(
                    "-start_date", "-pk"
                ),
            ),
        )
        .first()
    )
    if participant is None:
        raise Http404
    return participant


def participant_find(*, organisation: Organisation, reference: str) -> Participant | None:
    """The organisation's participant with this client reference, or None.

    Raises ValidationError for a reference that may not be used (empty, too long, a BSN) and
    PseudonymKeyError when the organisation has no key.
    """
    pseudonym = pseudonyms.pseudonym_for(organisation=organisation, reference=reference)
    return Participant.objects.filter(organisation=organisation, pseudonym=pseudonym).first()


def trajectory_get(*, organisation: Organisation, pk: int) -> Trajectory:
    """One trajectory with its participant, offer and goals."""
    trajectory = (
        Trajectory.objects.filter(organisation=organisation, pk=pk)
        .select_related("participant", "offer", "referral_source", "created_by")
        .prefetch_related("goals__domain")
        .first()
    )
    if trajectory is None:
        raise Http404
    return trajectory


def trajectory_list(
    *, organisation: Organisation, status: str | None = None
) -> QuerySet[Trajectory]:
    """The organisation's trajectories, for other apps (measurements, analysis)."""
    trajectories = Trajectory.objects.filter(organisation=organisation).select_related(
        "participant", "offer"
    )
    if status:
        trajectories = trajectories.filter(status=status)
    return trajectories


def offers_for_new_trajectory(*, organisation: Organisation) -> QuerySet[Offer]:
    """What a trajectory can be in: the organisation's offers that are not archived."""
    return (
        Offer.objects.filter(organisation=organisation)
        .exclude(status=OfferStatus.ARCHIVED)
        .order_by("name", "pk")
    )


def offers_with_running_trajectories(*, organisation: Organisation) -> QuerySet[Offer]:
    """For the list's filter: offers in which someone currently takes part."""
    running = Trajectory.objects.filter(organisation=organisation, status=TrajectoryStatus.ACTIVE)
    return Offer.objects.filter(
        organisation=organisation, pk__in=running.values("offer_id")
    ).order_by("name", "pk")


def audit_event_list(*, organisation: Organisation) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(organisation=organisation).select_related("user")
