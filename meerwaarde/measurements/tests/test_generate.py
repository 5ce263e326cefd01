import datetime
import io
from statistics import mean

import pytest
from django.core.management import call_command

from meerwaarde.analysis.models import CategoryMoves, OutcomePair, OutcomeSums
from meerwaarde.analysis.selectors import Selection, analysis_figures
from meerwaarde.instruments.scoring import score
from meerwaarde.measurements.answers import (
    expected_keys,
    goals_of,
    normalise,
    score_answers,
    scores_for_storage,
)
from meerwaarde.measurements.generate import generate_outcomes
from meerwaarde.measurements.models import Measurement
from meerwaarde.offers.tests.factories import InterventionTypeFactory, OfferFactory
from meerwaarde.organisations.models import Organisation
from meerwaarde.participants.models import AuditEvent, Goal, Participant, Trajectory
from meerwaarde.participants.pseudonyms import pseudonym_for
from meerwaarde.participants.tests.factories import OutcomeDomainFactory, ReferralSourceFactory

pytestmark = pytest.mark.django_db

END = datetime.date(2025, 12, 31)
KINDS = {
    "buddy": "interventie-maatjesproject",
    "debt": "interventie-schuldhulpmaatje",
    "social": "interventie-maatschappelijk-werk",
    "recipe": "interventie-welzijn-op-recept",
    "food": "interventie-voedselbank",
}


@pytest.fixture
def offers(org_a, org_b, shipped_instruments) -> dict[str, list]:
    """Two offers of each kind, one in A and one in B; the food bank measures nothing."""
    for code in ("huisarts", "wijkteam", "eigen-initiatief"):
        ReferralSourceFactory(code=f"verwijzer-{code}")
    for code in ("financien", "sociaal-netwerk", "geestelijke-gezondheid"):
        OutcomeDomainFactory(code=f"domein-{code}")
    found: dict[str, list] = {}
    for kind, code in KINDS.items():
        concept = InterventionTypeFactory(code=code)
        found[kind] = [
            OfferFactory(organisation=org, name=f"{kind} {org.slug}", intervention_type=concept)
            for org in (org_a, org_b)
        ]
    return found


def _generate(org_a, org_b, seed: int = 1, months: int = 24) -> dict[str, int]:
    return generate_outcomes(organisations=[org_a, org_b], end=END, months=months, seed=seed)


def _snapshot() -> list[tuple]:
    participants = Participant.objects.order_by("pseudonym").values_list(
        "organisation__slug", "pseudonym", "age_band", "gender"
    )
    trajectories = Trajectory.objects.order_by("participant__pseudonym").values_list(
        "participant__pseudonym",
        "offer__name",
        "start_date",
        "end_date",
        "status",
        "referral_source__code",
    )
    measurements = Measurement.objects.order_by(
        "trajectory__participant__pseudonym", "instrument__code", "moment", "version"
    ).values_list(
        "trajectory__participant__pseudonym",
        "instrument__code",
        "moment",
        "measured_on",
        "answers",
        "scores",
        "version",
        "is_current",
    )
    # GAS answers are keyed by goal id, which differs between runs: compare them as values.
    return [
        *participants,
        *trajectories,
        *((*m[:4], sorted(m[4].values()) if m[1] == "gas" else m[4], *m[5:]) for m in measurements),
    ]


def _forget_all() -> None:
    CategoryMoves.objects.all().delete()
    OutcomeSums.objects.all().delete()
    OutcomePair.objects.all().delete()
    Participant.objects.all().delete()


def test_it_is_deterministic_for_a_seed(offers, org_a, org_b):
    _generate(org_a, org_b, seed=7)
    first = _snapshot()
    assert first
    _forget_all()
    _generate(org_a, org_b, seed=7)
    assert _snapshot() == first
    _forget_all()
    _generate(org_a, org_b, seed=8)
    assert _snapshot() != first


def test_it_adds_nothing_the_second_time(offers, org_a, org_b):
    created = _generate(org_a, org_b)
    assert created["trajectories"] == Trajectory.objects.count() > 50
    assert _generate(org_a, org_b) == {
        "participants": 0,
        "trajectories": 0,
        "goals": 0,
        "measurements": 0,
    }
    assert created["measurements"] == Measurement.objects.count()


def test_it_stores_exactly_what_the_form_would_store(offers, org_a, org_b):
    _generate(org_a, org_b)
    measurements = Measurement.objects.select_related("instrument", "trajectory")
    assert measurements.count() > 100
    for measurement in measurements.prefetch_related("trajectory__goals"):
        definition = measurement.instrument.parsed
        goals = goals_of(measurement.trajectory)
        keys = expected_keys(definition, goals)
        assert sorted(measurement.answers) == sorted(keys)  # jsonb keeps no order
        assert measurement.answers == normalise(measurement.answers, keys)
        rescored = score_answers(definition, goals, measurement.answers)
        assert not rescored.errors
        assert measurement.scores == scores_for_storage(rescored)
        if definition.kind != "gas":
            assert measurement.scores == scores_for_storage(score(definition, measurement.answers))
        assert measurement.organisation_id == measurement.trajectory.organisation_id
        assert measurement.trajectory.start_date <= measurement.measured_on <= END


def test_it_measures_each_offer_with_the_instruments_that_fit_it(offers, org_a, org_b):
    _generate(org_a, org_b)

    def used(kind: str) -> set[str]:
        return set(
            Measurement.objects.filter(trajectory__offer__in=offers[kind]).values_list(
                "instrument__code", flat=True
            )
        )

    assert used("buddy") == {"djg11"}
    assert used("debt") == {"zrm"}
    assert used("social") == {"zrm", "gas"}
    assert used("recipe") == {"djg6", "pg"}
    assert not Trajectory.objects.filter(offer__in=offers["food"]).exists()
    goals = Goal.objects.filter(trajectory__offer__in=offers["social"])
    per_trajectory = {t: goals.filter(trajectory=t).count() for t in {g.trajectory for g in goals}}
    assert set(per_trajectory.values()) == {1, 2, 3}
    assert {float(w) for w in goals.values_list("weight", flat=True)} == {1.0, 2.0, 3.0}


def test_it_looks_like_a_real_year(offers, org_a, org_b):
    _generate(org_a, org_b)
    statuses = list(Trajectory.objects.values_list("status", flat=True))
    assert statuses.count("completed") > statuses.count("active") > statuses.count("stopped") > 0
    moments = list(Measurement.objects.values_list("moment", flat=True))
    assert moments.count("intake") > moments.count("end") > moments.count("interim") > 0
    assert Trajectory.objects.exclude(referral_source=None).count() > 0.8 * len(statuses)
    # Some answers are missing, some domains not assessed; a few measurements were corrected.
    answers = [a for m in Measurement.objects.values_list("answers", flat=True) for a in m.values()]
    assert "" in answers and "na" in answers
    corrections = Measurement.objects.filter(version=2)
    assert corrections.exists()
    for correction in corrections.select_related("supersedes"):
        assert correction.is_current and not correction.supersedes.is_current
        assert correction.supersedes.version == 1
        assert correction.supersedes.answers != correction.answers
    assert Measurement.objects.filter(is_current=False).count() == corrections.count()


def _changes(offers, code: str, scale: str) -> list[float]:
    return [
        end - start
        for start, end in OutcomePair.objects.filter(
            offer__in=offers, instrument__code=code, scale=scale
        ).values_list("start_value", "end_value")
    ]


def test_effects_differ_by_intervention_as_intended(offers, org_a, org_b):
    _generate(org_a, org_b)
    # Buddy projects: loneliness (DJG 11, SD 2.9) down by about half an SD.
    lonely = _changes(offers["buddy"], "djg11", "total")
    assert len(lonely) > 20
    assert -0.8 * 2.9 < mean(lonely) < -0.25 * 2.9
    # Debt help: Financiën improves most, and more than under social work.
    debt = {s: mean(_changes(offers["debt"], "zrm", s)) for s in ("financien", "huisvesting")}
    social = mean(_changes(offers["social"], "zrm", "financien"))
    assert debt["financien"] > 0.5 and debt["financien"] > 3 * abs(debt["huisvesting"])
    assert debt["financien"] > social > 0
    # Welzijn op recept: loneliness down a little, Positieve Gezondheid up.
    assert mean(_changes(offers["recipe"], "djg6", "total")) < 0
    assert mean(_changes(offers["recipe"], "pg", "meedoen")) > 0
    # GAS: individual support mostly reaches its goals.
    gas = OutcomePair.objects.filter(offer__in=offers["social"], instrument__code="gas")
    assert mean(gas.values_list("end_value", flat=True)) > 51
    # And a few get worse.
    assert OutcomePair.objects.filter(reliable_change=-1).exists()
    assert any(change > 0 for change in lonely)


def test_no_client_reference_is_stored_only_pseudonyms(offers, org_a, org_b):
    _generate(org_a, org_b)
    for model in (Participant, Trajectory, Goal, Measurement, AuditEvent, OutcomePair):
        for row in model.objects.values():
            assert "demo-" not in str(row), model
    # The pseudonyms are those of the synthetic references demo-1, demo-2, ...
    first = {pseudonym_for(organisation=org_a, reference=f"demo-{n}") for n in range(1, 11)}
    stored = set(Participant.objects.filter(organisation=org_a).values_list("pseudonym", flat=True))
    assert first <= stored


def test_the_analysis_shows_figures_for_an_organisation(offers, org_a, org_b):
    _generate(org_a, org_b, months=12)
    figures = analysis_figures(selection=Selection(organisation=org_a))
    codes = {i.code for i in figures.instruments}
    assert codes == {"djg11", "djg6", "zrm", "pg"}
    assert all(scale.n > 0 for i in figures.instruments for scale in i.scales)
    assert figures.gas and figures.gas[0].n > 0
    assert OutcomePair.objects.filter(organisation=org_b).exists()


def test_the_demo_shows_outcomes_for_a_demo_organisation(db):
    call_command("load_places", verbosity=0)
    call_command("load_vocabulary", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    zwolle = Organisation.objects.get(name="Welzijn Zwolle")
    figures = analysis_figures(selection=Selection(organisation=zwolle))
    assert figures.has_outcomes and figures.has_activity
    buddies = next(i for i in figures.instruments if i.code == "djg11")
    assert buddies.scales[0].result.mean_change < 0
    assert not Participant.objects.filter(organisation=zwolle, trajectories=None).exists()
