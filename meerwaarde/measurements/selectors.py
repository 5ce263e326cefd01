"""Tenant-scoped reads of measurements; another organisation's measurement is a 404."""

from django.db.models import QuerySet
from django.http import Http404

from meerwaarde.measurements.models import Measurement
from meerwaarde.organisations.models import Organisation
from meerwaarde.participants.models import Trajectory


def measurement_get(*, organisation: Organisation, pk: int) -> Measurement:
    """One measurement (any version) with its trajectory, participant, goals and instrument."""
    measurement = (
        Measurement.objects.filter(organisation=organisation, pk=pk)
        .select_related("trajectory__participant", "trajectory__offer", "instrument", "created_by")
        .prefetch_related("trajectory__goals__domain")
        .first()
    )
    if measurement is None:
        raise Http404
    return measurement


def measurements_for_trajectory(*, trajectory: Trajectory) -> QuerySet[Measurement]:
    """The trajectory's current measurements, oldest first."""
    return (
        Measurement.objects.filter(
            organisation_id=trajectory.organisation_id, trajectory=trajectory, is_current=True
        )
        .select_related("instrument", "created_by")
        .order_by("measured_on", "created_at", "pk")
    )


def measurement_history(*, measurement: Measurement) -> list[Measurement]:
    """Every version of the measurement's chain of corrections, newest first.

    One query: a chain never leaves its trajectory, instrument and moment, so those rows are
    read and the chain is followed in memory.
    """
    rows = list(
        Measurement.objects.filter(
            organisation_id=measurement.organisation_id,
            trajectory_id=measurement.trajectory_id,
            instrument_id=measurement.instrument_id,
            moment=measurement.moment,
        ).select_related("created_by", "instrument")
    )
    by_pk = {row.pk: row for row in rows}
    successor = {row.supersedes_id: row for row in rows if row.supersedes_id is not None}
    first = by_pk.get(measurement.pk, measurement)
    while first.supersedes_id in by_pk:
        first = by_pk[first.supersedes_id]
    chain = [first]
    while chain[-1].pk in successor:
        chain.append(successor[chain[-1].pk])
    return chain[::-1]


def current_version_of(*, measurement: Measurement) -> Measurement:
    """The newest version of the measurement's chain (the measurement itself when current)."""
    if measurement.is_current:
        return measurement
    return measurement_history(measurement=measurement)[0]
