"""The invariants the database holds itself, by their constraint names."""

import pytest
from django.db import IntegrityError, transaction

from meerwaarde.programmes.constants import ActivityMeasure, DataSource
from meerwaarde.programmes.models import ProgrammePartner, ResultLink
from meerwaarde.programmes.tests.factories import (
    ManualValueFactory,
    NodeTargetFactory,
    ProgrammeFactory,
    ResultNodeFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _refused(make, name: str) -> None:
    # PostgreSQL names every constraint; SQLite names check constraints, and unique ones by
    # their columns.
    with (
        pytest.raises(IntegrityError, match=f"{name}|UNIQUE constraint failed"),
        transaction.atomic(),
    ):
        make()


@pytest.mark.parametrize(
    ("years", "constraint"),
    [
        ((2025, 2025), "programme_several_years"),
        ((1990, 1995), "programme_years_plausible"),
        ((2025, 2035), "programme_at_most_ten_years"),
    ],
)
def test_a_programme_runs_several_plausible_years_at_most_ten(years, constraint):
    # SQLite names the failed constraint; PostgreSQL too.
    _refused(lambda: ProgrammeFactory(start_year=years[0], end_year=years[1]), constraint)


def test_a_programme_of_exactly_ten_years_is_fine():
    assert ProgrammeFactory(start_year=2025, end_year=2034).years[-1] == 2034


def test_a_node_binding_matches_its_source():
    _refused(
        lambda: ResultNodeFactory(source=DataSource.ACTIVITY),
        "resultnode_binding_matches_source",
    )
    _refused(
        lambda: ResultNodeFactory(activity_measure=ActivityMeasure.MEETINGS),
        "resultnode_binding_matches_source",
    )
    assert ResultNodeFactory(source=DataSource.ACTIVITY, activity_measure=ActivityMeasure.MEETINGS)


def test_a_baseline_has_both_value_and_year():
    _refused(lambda: ResultNodeFactory(baseline_value=3), "resultnode_baseline_complete")


def test_one_target_and_one_manual_value_per_node_and_year():
    target = NodeTargetFactory()
    _refused(
        lambda: NodeTargetFactory(node=target.node, year=target.year), "nodetarget_one_per_year"
    )
    manual = ManualValueFactory()
    _refused(
        lambda: ManualValueFactory(node=manual.node, year=manual.year), "manualvalue_one_per_year"
    )


def test_a_manual_value_needs_its_source():
    _refused(lambda: ManualValueFactory(source=""), "manualvalue_source_required")


def test_a_link_never_points_at_itself_and_a_partner_is_named_once():
    node = ResultNodeFactory()
    _refused(lambda: ResultLink.objects.create(source=node, target=node), "resultlink_not_self")
    programme = node.programme
    ProgrammePartner.objects.create(programme=programme, name="Gemeente", kind="municipality")
    _refused(
        lambda: ProgrammePartner.objects.create(programme=programme, name="Gemeente", kind="ggd"),
        "programmepartner_name_once",
    )
