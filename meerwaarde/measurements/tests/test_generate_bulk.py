import datetime

import pytest

from meerwaarde.instruments.scoring import score
from meerwaarde.measurements.answers import expected_keys, scores_for_storage
from meerwaarde.measurements.generate_bulk import BENCH_NOTE, bench_offers, bench_trajectories
from meerwaarde.measurements.models import Measurement
from meerwaarde.offers.tests.factories import InterventionTypeFactory
from meerwaarde.participants.models import Participant, Trajectory
from meerwaarde.places.tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db

END = datetime.date(2025, 12, 31)


@pytest.fixture
def offers(shipped_instruments):
    PlaceFactory()
    for code in ("maatschappelijk-werk", "schuldhulpmaatje", "maatjesproject", "voedselbank"):
        InterventionTypeFactory(code=f"interventie-{code}")
    return bench_offers(organisations=4, seed=3)


def test_it_makes_organisations_with_a_few_offers_each_once(offers):
    assert {o.organisation.description for o in offers} == {BENCH_NOTE}
    assert len({o.organisation_id for o in offers}) == 4
    assert 8 <= len(offers) <= 16
    assert bench_offers(organisations=4, seed=3) == offers


def test_it_stores_what_the_form_would_store(offers):
    written = bench_trajectories(offers=offers, trajectories=400, end=END, months=6, seed=1)
    assert Trajectory.objects.count() == Participant.objects.count() == 400
    measurements = Measurement.objects.select_related("instrument", "trajectory")
    assert measurements.count() == written >= 800
    for measurement in measurements:
        definition = measurement.instrument.parsed
        assert definition.key in ("zrm-2017", "pg-1")
        assert sorted(measurement.answers) == sorted(expected_keys(definition, []))
        assert measurement.scores == scores_for_storage(score(definition, measurement.answers))
        trajectory = measurement.trajectory
        assert trajectory.start_date <= measurement.measured_on <= trajectory.end_date <= END
        assert measurement.organisation_id == trajectory.organisation_id
    # Every trajectory has an intake and an end measurement of each of its instruments.
    for trajectory in Trajectory.objects.prefetch_related("measurements"):
        moments = sorted(m.moment for m in trajectory.measurements.all())
        assert moments in (["end", "intake"], ["end", "end", "intake", "intake"])
    answers = [a for m in measurements for a in m.answers.values()]
    assert "" in answers and "na" in answers


def test_it_is_deterministic_for_a_seed(offers):
    def snapshot() -> list:
        return list(
            Measurement.objects.order_by("pk").values_list(
                "trajectory__offer_id", "instrument__code", "moment", "measured_on", "answers"
            )
        )

    bench_trajectories(offers=offers, trajectories=100, end=END, months=6, seed=5)
    first = snapshot()
    Participant.objects.all().delete()
    bench_trajectories(offers=offers, trajectories=100, end=END, months=6, seed=5)
    assert snapshot() == first
