import io

import pytest
from django.core.management import call_command

from meerwaarde.analysis.models import OutcomePair, OutcomeSums
from meerwaarde.offers.tests.factories import InterventionTypeFactory
from meerwaarde.participants.models import Trajectory
from meerwaarde.places.tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db


def test_it_runs_a_tiny_benchmark_and_prints_the_table(shipped_instruments):
    PlaceFactory()
    for code in ("maatschappelijk-werk", "schuldhulpmaatje", "welzijn-op-recept"):
        InterventionTypeFactory(code=f"interventie-{code}")
    out = io.StringIO()
    call_command(
        "bench_outcomes",
        trajectories=300,
        organisations=3,
        months=3,
        repetitions=2,
        stdout=out,
    )
    text = out.getvalue()
    assert Trajectory.objects.count() == 300
    assert OutcomePair.objects.exists() and OutcomeSums.objects.exists()
    for line in ("één organisatie", "één soort interventie", "alles (300 trajecten)"):
        assert line in text
    assert "≤ 100 ms" in text and "≤ 500 ms" in text
    assert "dezelfde n en verandering: ja" in text
