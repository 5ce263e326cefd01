"""Writes for participants, trajectories and GAS goals; each one audit-logged.

Every function checks the rules a user can break and raises a ValidationError with Dutch
messages per field; the database constraints are the second line. A client reference is only
ever turned into a pseudonym here: it goes into no message, log line or row.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from meerwaarde.accounts.models import User
from meerwaarde.offers.constants import OfferStatus
from meerwaarde.offers.models import Offer
from meerwaarde.organisations.models import Organisation
from meerwaarde.participants import pseudonyms
from meerwaarde.participants.audit import audit_record
from meerwaarde.participants.constants import (
    CONCEPT_SCHEMES,
    FINISHED_STATUSES,
    MAX_GOAL_WEIGHT,
    MAX_GOALS,
    AgeBand,
    AuditAction,
    Gender,
    TrajectoryStatus,
)
from meerwaarde.participants.models import Goal, Participant, Trajectory, postcode4_validator
from meerwaarde.vocabulary.constants import ConceptStatus
from meerwaarde.vocabulary.models import Concept


@dataclass(frozen=True)
class GoalInput:
    domain: Concept
    weight: Decimal = Decimal(1)


class _Errors:
    """Collects Dutch messages per field, to report them all at once."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def _check_concept(field: str, concept: Concept, errors: _Errors) -> None:
    if concept.scheme.code != CONCEPT_SCHEMES[field]:
        errors.add(
            field, _("‘%(label)s’ hoort niet in deze lijst.") % {"label": concept.pref_label_nl}
        )
    elif concept.status != ConceptStatus.ACCEPTED:
        errors.add(
            field,
            _("‘%(label)s’ is geen vastgesteld begrip meer; kies een ander.")
            % {"label": concept.pref_label_nl},
        )


def _clean_attributes(
    *, age_band: str, gender: str, postcode4: str, target_groups: Iterable[Concept], errors: _Errors
) -> tuple[str, list[Concept]]:
    """Checks the attributes; returns the cleaned postcode and the target groups as a list."""
    if not age_band:
        errors.add("age_band", _("Kies een leeftijdsgroep."))
    elif age_band not in AgeBand.values:
        errors.add("age_band", _("Kies een leeftijdsgroep uit de lijst."))
    if gender and gender not in Gender.values:
        errors.add("gender", _("Kies een gender uit de lijst, of laat het leeg."))
    postcode4 = (postcode4 or "").strip()
    if postcode4:
        try:
            postcode4_validator(postcode4)
        except ValidationError as error:
            errors.add("postcode4", error.messages[0])
    groups = list(target_groups)
    for concept in groups:
        _check_concept("target_groups", concept, errors)
    return postcode4, groups


@transaction.atomic
def participant_register(
    *,
    organisation: Organisation,
    created_by: User | None,
    reference: str,
    age_band: str,
    gender: str = "",
    postcode4: str = "",
    target_groups: Iterable[Concept] = (),
) -> tuple[Participant, bool]:
    """The participant with this client reference, registered first if new: (participant, created).

    An existing participant is returned as it is; its attributes change with
    ``participant_update``. Raises PseudonymKeyError when the organisation has no key.
    """
    errors = _Errors()
    try:
        pseudonym = pseudonyms.pseudonym_for(organisation=organisation, reference=reference)
    except ValidationError as error:
        errors.add("reference", error.messages[0])
        pseudonym = ""
    if pseudonym:
        existing = Participant.objects.filter(
            organisation=organisation, pseudonym=pseudonym
        ).first()
        if existing is not None:
            return existing, False
    postcode4, groups = _clean_attributes(
        age_band=age_band,
        gender=gender,
        postcode4=postcode4,
        target_groups=target_groups,
        errors=errors,
    )
    errors.raise_if_any()
    try:
        # A colleague may register the same client at the same moment: the constraint decides.
        with transaction.atomic():
            participant = Participant.objects.create(
                organisation=organisation,
                pseudonym=pseudonym,
                age_band=age_band,
                gender=gender,
                postcode4=postcode4,
            )
    except IntegrityError:
        return Participant.objects.get(organisation=organisation, pseudonym=pseudonym), False
    participant.target_groups.set(groups)
    audit_record(
        user=created_by, organisation=organisation, action=AuditAction.CREATE, obj=participant
    )
    return participant, True


@transaction.atomic
def participant_update(
    *,
    participant: Participant,
    changed_by: User | None = None,
    age_band: str,
    gender: str = "",
    postcode4: str = "",
    target_groups: Iterable[Concept] = (),
) -> Participant:
    """Change the attributes; the pseudonym never changes (it is the client reference's)."""
    errors = _Errors()
    postcode4, groups = _clean_attributes(
        age_band=age_band,
        gender=gender,
        postcode4=postcode4,
        target_groups=target_groups,
        errors=errors,
    )
    errors.raise_if_any()
    participant.age_band = age_band
    participant.gender = gender
    participant.postcode4 = postcode4
    participant.save(update_fields=["age_band", "gender", "postcode4", "updated_at"])
    participant.target_groups.set(groups)
    audit_record(
        user=changed_by,
        organisation=participant.organisation,
        action=AuditAction.UPDATE,
        obj=participant,
    )
    return participant


@transaction.atomic
def participant_erase(
    *, organisation: Organisation, reference: str, erased_by: User | None = None
) -> bool:
    """Erase the participant with this client reference and everything of theirs (their
    trajectories, goals and measurements); False when the organisation has no such participant.

    DESIGN.md section 4: an organisation can erase one participant by client reference. The audit
    log keeps that participant number N was erased, by whom and when; bundled figures already
    published stay as they are.
    """
    try:
        pseudonym = pseudonyms.pseudonym_for(organisation=organisation, reference=reference)
    except ValidationError as error:
        raise ValidationError({"reference": error.messages}) from None
    participant = Participant.objects.filter(organisation=organisation, pseudonym=pseudonym).first()
    if participant is None:
        return False
    _forget_outcomes(Trajectory.objects.filter(participant=participant))
    audit_record(
        user=erased_by, organisation=organisation, action=AuditAction.DELETE, obj=participant
    )
    participant.delete()
    return True


def _forget_outcomes(trajectories: QuerySet[Trajectory]) -> None:
    """Take the trajectories out of the analysis storage before they go, in this transaction
    (docs/dev/outcomes-contracts.md, "From measurements to figures")."""
    try:
        # Imported here: the analysis services import these models.
        from meerwaarde.analysis.services import outcomes_forget
    except ModuleNotFoundError as error:
        # The apps of issue 4 are built side by side: until the analysis app has its services
        # there is nothing stored to forget. Drop this guard once it has.
        if error.name != "meerwaarde.analysis.services":
            raise
        return
    outcomes_forget(trajectories=trajectories)


@transaction.atomic
def trajectory_start(
    *,
    organisation: Organisation,
    created_by: User | None,
    participant: Participant,
    offer: Offer,
    start_date: datetime.date,
    referral_source: Concept | None = None,
) -> Trajectory:
    """A new, running trajectory of the participant in one of the organisation's offers."""
    errors = _Errors()
    if participant.organisation_id != organisation.pk:
        # Not a user error: a view passed another organisation's participant.
        raise ValueError("The participant belongs to another organisation.")
    if offer.organisation_id != organisation.pk:
        errors.add("offer", _("Kies een aanbod van uw eigen organisatie."))
    elif offer.status == OfferStatus.ARCHIVED:
        errors.add("offer", _("Dit aanbod is gearchiveerd; kies een aanbod dat nog loopt."))
    elif Trajectory.objects.filter(
        participant=participant, offer=offer, status=TrajectoryStatus.ACTIVE
    ).exists():
        errors.add(
            "offer",
            _(
                "Deze deelnemer heeft al een lopend traject bij dit aanbod. Sluit dat eerst af, "
                "of open het om metingen toe te voegen."
            ),
        )
    if start_date is None:
        errors.add("start_date", _("Vul de startdatum in."))
    elif start_date > timezone.localdate():
        errors.add("start_date", _("Een traject kan niet in de toekomst beginnen."))
    if referral_source is not None:
        _check_concept("referral_source", referral_source, errors)
    errors.raise_if_any()
    trajectory = Trajectory.objects.create(
        organisation=organisation,
        participant=participant,
        offer=offer,
        start_date=start_date,
        referral_source=referral_source,
        status=TrajectoryStatus.ACTIVE,
        created_by=created_by,
    )
    audit_record(
        user=created_by, organisation=organisation, action=AuditAction.CREATE, obj=trajectory
    )
    return trajectory


@transaction.atomic
def trajectory_end(
    *,
    trajectory: Trajectory,
    end_date: datetime.date,
    status: str,
    changed_by: User | None = None,
) -> Trajectory:
    """Close a running trajectory as completed (afgerond) or stopped early (voortijdig gestopt)."""
    errors = _Errors()
    if not trajectory.is_active:
        errors.add(NON_FIELD_ERRORS, _("Dit traject is al afgesloten."))
    if status not in FINISHED_STATUSES:
        errors.add("status", _("Kies of het traject is afgerond of voortijdig is gestopt."))
    if end_date is None:
        errors.add("end_date", _("Vul de einddatum in."))
    elif end_date < trajectory.start_date:
        errors.add(
            "end_date",
            _("De einddatum kan niet vóór de startdatum (%(start)s) liggen.")
            % {"start": trajectory.start_date.strftime("%d-%m-%Y")},
        )
    elif end_date > timezone.localdate():
        errors.add("end_date", _("De einddatum kan niet in de toekomst liggen."))
    errors.raise_if_any()
    trajectory.end_date = end_date
    trajectory.status = status
    trajectory.save(update_fields=["end_date", "status", "updated_at"])
    audit_record(
        user=changed_by,
        organisation=trajectory.organisation,
        action=AuditAction.UPDATE,
        obj=trajectory,
    )
    return trajectory


def _weight(value: object) -> Decimal | None:
    try:
        weight = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return weight if weight.is_finite() else None


@transaction.atomic
def goals_set(
    *,
    trajectory: Trajectory,
    goals: Sequence[GoalInput | tuple[Concept, Decimal | float | int]],
    changed_by: User | None = None,
) -> list[Goal]:
    """Replace the trajectory's GAS goals by ``goals``, in order (position 1, 2, ...).

    A goal whose position and domain stay the same keeps its row (and id), only its weight
    follows: scores recorded against it stay attached.
    """
    errors = _Errors()
    if not trajectory.is_active:
        errors.add(NON_FIELD_ERRORS, _("De doelen van een afgesloten traject liggen vast."))
    if len(goals) > MAX_GOALS:
        errors.add(NON_FIELD_ERRORS, _("Stel hooguit %(max)s doelen.") % {"max": MAX_GOALS})
    cleaned: list[tuple[int, Concept, Decimal]] = []
    for position, given in enumerate(goals, start=1):
        domain, raw_weight = (given.domain, given.weight) if isinstance(given, GoalInput) else given
        _check_concept("domain", domain, errors)
        weight = _weight(raw_weight)
        if weight is None or not 0 < weight <= MAX_GOAL_WEIGHT:
            errors.add(
                "weight",
                _("Doel %(n)s: het gewicht is een getal groter dan 0 en hooguit %(max)s.")
                % {"n": position, "max": MAX_GOAL_WEIGHT},
            )
            continue
        cleaned.append((position, domain, weight.quantize(Decimal("0.01"))))
    errors.raise_if_any()
    existing: dict[int, Goal] = {goal.position: goal for goal in trajectory.goals.all()}
    kept: list[Goal] = []
    for position, domain, weight in cleaned:
        old = existing.pop(position, None)
        if old is not None and old.domain_id == domain.pk:
            if old.weight != weight:
                old.weight = weight
                old.save(update_fields=["weight"])
            kept.append(old)
            continue
        if old is not None:
            old.delete()
        kept.append(
            Goal.objects.create(
                trajectory=trajectory, domain=domain, weight=weight, position=position
            )
        )
    for left_over in existing.values():
        left_over.delete()
    audit_record(
        user=changed_by,
        organisation=trajectory.organisation,
        action=AuditAction.UPDATE,
        obj=trajectory,
    )
    return kept
