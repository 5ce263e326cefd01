import datetime
import random

import pytest
from django.core.management import call_command
from django.db import transaction

from meerwaarde.analysis.constants import Scope
from meerwaarde.analysis.models import CategoryMoves, OutcomePair, OutcomeSums
from meerwaarde.analysis.services import (
    outcomes_forget,
    outcomes_rebuild,
    outcomes_rebuild_sums,
    outcomes_refresh,
    outcomes_refresh_many,
)
from meerwaarde.analysis.tests.factories import djg6_answers
from meerwaarde.measurements.models import Measurement
from meerwaarde.offers.models import Offer
from meerwaarde.offers.signals import offer_changed
from meerwaarde.offers.tests.factories import InterventionTypeFactory
from meerwaarde.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _key(r) -> tuple:
    return (
        r.scope,
        r.organisation_id,
        r.offer_id,
        r.intervention_type_id,
        r.month,
        r.instrument_id,
        r.scale,
    )


def _sums() -> dict:
    return {
        _key(r): (
            r.n,
            r.sum_x1,
            r.sum_x1_sq,
            r.sum_x2,
            r.sum_x2_sq,
            r.sum_d,
            r.sum_d_sq,
            r.improved,
            r.deteriorated,
        )
        for r in OutcomeSums.objects.all()
    }


def _moves() -> dict:
    return {
        (*_key(r), r.from_category, r.to_category): r.count for r in CategoryMoves.objects.all()
    }


def _pairs() -> list:
    return sorted(
        OutcomePair.objects.values_list(
            "trajectory_id",
            "organisation_id",
            "offer_id",
            "intervention_type_id",
            "month",
            "instrument_id",
            "scale",
            "start_value",
            "end_value",
            "start_category",
            "end_category",
            "reliable_change",
        )
    )


def _state() -> tuple:
    return _pairs(), _sums(), _moves()


def _assert_equals_rebuild() -> None:
    pairs, sums, moves = _state()
    outcomes_rebuild()
    rebuilt_pairs, rebuilt_sums, rebuilt_moves = _state()
    assert pairs == rebuilt_pairs
    assert moves == rebuilt_moves
    assert sums.keys() == rebuilt_sums.keys()
    for key, values in sums.items():
        # Whole-number scores sum exactly; PG marks with decimals to rounding of the last bit.
        assert values == pytest.approx(rebuilt_sums[key], rel=1e-12, abs=1e-9), key


def test_it_pairs_the_intake_and_end_on_every_scale(outcomes):
    offer = outcomes.offer()
    trajectory = outcomes.loneliness(offer, 5, 2)

    pairs = {p.scale: p for p in OutcomePair.objects.filter(trajectory=trajectory)}
    assert set(pairs) == {"total", "emotional", "social"}
    total = pairs["total"]
    assert (total.start_value, total.end_value) == (5.0, 2.0)
    assert (total.start_category, total.end_category) == ("ernstig-eenzaam", "matig-eenzaam")
    # RCI = −3 / (√2 · 1.6 · √0.28) = −2.5: reliable, and lower is better.
    assert total.reliable_change == 1
    assert total.month == outcomes.day(1).replace(day=1)
    assert total.offer_id == offer.pk
    assert total.intervention_type_id == offer.intervention_type_id
    assert total.organisation_id == offer.organisation_id


def test_it_fills_all_three_scopes(outcomes):
    offer = outcomes.offer()
    outcomes.loneliness(offer, 5, 2)

    rows = OutcomeSums.objects.filter(scale="total")
    assert {r.scope for r in rows} == set(Scope.values)
    for row in rows:
        assert (row.n, row.sum_x1, row.sum_x2, row.sum_d, row.sum_d_sq) == (1, 5, 2, -3, 9)
        assert (row.improved, row.deteriorated) == (1, 0)
    offer_row = rows.get(scope=Scope.OFFER)
    assert (offer_row.organisation_id, offer_row.offer_id) == (offer.organisation_id, offer.pk)
    assert offer_row.intervention_type_id is None
    type_row = rows.get(scope=Scope.INTERVENTION_TYPE)
    assert type_row.intervention_type_id == offer.intervention_type_id
    assert type_row.offer_id is None
    assert type_row.organisation_id is None
    assert CategoryMoves.objects.filter(from_category="ernstig-eenzaam").count() == 3


def test_it_waits_for_both_moments(outcomes):
    trajectory = outcomes.trajectory(outcomes.offer())
    outcomes.record(trajectory, outcomes.djg6, "intake", djg6_answers(4), outcomes.day(6))
    assert not OutcomePair.objects.exists()
    assert not OutcomeSums.objects.exists()

    outcomes.record(trajectory, outcomes.djg6, "end", djg6_answers(1), outcomes.day(1))
    assert OutcomePair.objects.count() == 3


def test_it_skips_a_scale_missing_on_either_side(outcomes):
    trajectory = outcomes.trajectory(outcomes.offer())
    answers = djg6_answers(4) | {"s1": ""}  # the social subscale needs all three of its items
    outcomes.record(trajectory, outcomes.djg6, "intake", answers, outcomes.day(6))
    outcomes.record(trajectory, outcomes.djg6, "end", djg6_answers(1), outcomes.day(1))

    assert set(OutcomePair.objects.values_list("scale", flat=True)) == {"total", "emotional"}


def test_it_does_not_pair_measurements_of_different_instruments(outcomes):
    trajectory = outcomes.trajectory(outcomes.offer())
    outcomes.record(trajectory, outcomes.djg6, "intake", djg6_answers(4), outcomes.day(6))
    outcomes.record(trajectory, outcomes.pg, "end", {"zingeving": "7"}, outcomes.day(1))

    assert not OutcomePair.objects.exists()


def test_it_follows_a_correction(outcomes):
    trajectory = outcomes.trajectory(outcomes.offer())
    outcomes.record(trajectory, outcomes.djg6, "intake", djg6_answers(5), outcomes.day(6))
    end = outcomes.record(trajectory, outcomes.djg6, "end", djg6_answers(2), outcomes.day(1))

    outcomes.correct(end, djg6_answers(6), outcomes.day(3))

    row = OutcomeSums.objects.get(scope=Scope.ALL, scale="total")
    assert (row.n, row.sum_x2, row.improved, row.deteriorated) == (1, 6, 0, 0)
    assert row.month == outcomes.day(3).replace(day=1)
    # The old month's rows fell to n = 0 and are gone.
    assert not OutcomeSums.objects.filter(month=outcomes.day(1).replace(day=1)).exists()
    assert CategoryMoves.objects.get(scope=Scope.ALL).to_category == "ernstig-eenzaam"


def test_it_changes_nothing_when_nothing_changed(outcomes, django_assert_max_num_queries):
    trajectory = outcomes.loneliness(outcomes.offer(), 5, 2)
    before = _state()

    # A savepoint and its release, the lock, the offer, measurements, instruments and pairs.
    with django_assert_max_num_queries(7):
        outcomes_refresh(trajectory=trajectory)

    assert _state() == before


def test_it_pairs_gas_with_only_an_end(outcomes):
    trajectory = outcomes.trajectory(outcomes.offer())
    outcomes.gas_end(trajectory, [1, 0])

    pair = OutcomePair.objects.get()
    assert (pair.scale, pair.start_value, pair.reliable_change) == ("t", None, None)
    assert pair.end_value == pytest.approx(50 + 10 / (1.4 + 0.3 * 4) ** 0.5, abs=0.005)
    assert pair.end_category == "beter-dan-verwacht"
    row = OutcomeSums.objects.get(scope=Scope.ALL)
    # The start of a GAS pair is the expected outcome, T = 50.
    assert (row.sum_x1, row.sum_x1_sq) == (50, 2500)
    assert row.sum_d == pytest.approx(pair.end_value - 50)
    move = CategoryMoves.objects.get(scope=Scope.ALL)
    assert (move.from_category, move.to_category) == ("", "beter-dan-verwacht")


def test_it_forgets_trajectories(outcomes):
    offer = outcomes.offer()
    kept = outcomes.loneliness(offer, 5, 2)
    only_kept = _state()
    gone = [outcomes.loneliness(offer, 4, 4), outcomes.loneliness(offer, 3, 1)]

    outcomes_forget(trajectories=type(kept).objects.filter(pk__in=[t.pk for t in gone]))

    assert _state() == only_kept


def test_it_forgets_everything_down_to_no_rows(outcomes):
    trajectories = [outcomes.loneliness(outcomes.offer(), 5, 2) for _ in range(3)]
    outcomes.gas_end(trajectories[0], [2])

    assert outcomes_forget(trajectories=trajectories) == 10

    assert not OutcomePair.objects.exists()
    assert not OutcomeSums.objects.exists()
    assert not CategoryMoves.objects.exists()


def test_it_moves_pairs_when_an_offer_changes_intervention_type(outcomes):
    offer = outcomes.offer()
    outcomes.loneliness(offer, 5, 2)
    old_type, new_type = offer.intervention_type, InterventionTypeFactory()

    offer.intervention_type = new_type
    offer.save()
    offer_changed.send(sender=Offer, offer=offer)

    assert set(OutcomePair.objects.values_list("intervention_type_id", flat=True)) == {new_type.pk}
    types = OutcomeSums.objects.filter(scope=Scope.INTERVENTION_TYPE)
    assert set(types.values_list("intervention_type_id", flat=True)) == {new_type.pk}
    assert not CategoryMoves.objects.filter(intervention_type=old_type).exists()
    _assert_equals_rebuild()


def test_it_takes_a_deleted_organisations_share_out_of_every_scope(outcomes):
    other = OrganisationFactory()
    kept = outcomes.loneliness(outcomes.offer(), 5, 2)
    outcomes.loneliness(outcomes.offer(organisation=other), 1, 4)
    outcomes_forget(trajectories=[kept])
    without = _state()
    outcomes.loneliness(outcomes.offer(), 5, 2)

    outcomes.organisation.delete()

    _pairs, sums, moves = _state()
    assert (sums, moves) == (without[1], without[2])
    _assert_equals_rebuild()


def test_it_rebuilds_with_the_command(outcomes):
    outcomes.loneliness(outcomes.offer(), 5, 2)
    OutcomeSums.objects.all().delete()

    call_command("rebuild_outcomes", verbosity=0)

    assert OutcomeSums.objects.count() == 9
    _assert_equals_rebuild()


def test_it_rebuilds_the_sums_from_pairs_alone(outcomes):
    outcomes.loneliness(outcomes.offer(), 5, 2)
    outcomes.gas_end(outcomes.trajectory(outcomes.offer()), [-1, 2])
    before = _state()
    CategoryMoves.objects.all().delete()
    OutcomeSums.objects.all().delete()

    result = outcomes_rebuild_sums()

    assert (result.pairs, result.sums, result.moves) == (4, 12, 6)
    assert _state() == before


# After any sequence of writes the sums equal a rebuild --------------------------------------


def _random_answers(rng: random.Random, instrument, trajectory) -> dict[str, str]:
    code = instrument.code
    if code == "djg6":
        total = rng.randint(0, 6)
        answers = djg6_answers(total)
        if rng.random() < 0.2:
            answers[rng.choice(list(answers))] = ""
        return answers
    if code == "zrm":
        return {
            item.code: rng.choice(["1", "2", "3", "4", "5", "5", "na", ""])
            for item in instrument.parsed.items
        } | {"financien": str(rng.randint(1, 5))}
    # Positieve Gezondheid: marks with decimals, so sums are not whole numbers.
    return {
        item.code: rng.choice(
            ["", str(rng.randint(0, 10)), f"{rng.randint(0, 9)},{rng.randint(1, 9)}"]
        )
        for item in instrument.parsed.items
    } | {"zingeving": "6,5"}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_it_keeps_the_sums_equal_to_a_rebuild_after_any_writes(outcomes, seed):
    rng = random.Random(seed)
    organisations = [outcomes.organisation, OrganisationFactory()]
    types = [InterventionTypeFactory(), InterventionTypeFactory()]
    offers = [
        outcomes.offer(organisation=organisations[i % 2], intervention_type=types[i % 2])
        for i in range(3)
    ]
    instruments = [outcomes.djg6, outcomes.zrm, outcomes.pg]
    trajectories = [outcomes.trajectory(rng.choice(offers)) for _ in range(8)]

    for _step in range(45):
        trajectory = rng.choice(trajectories)
        roll = rng.random()
        if roll < 0.06 and len(trajectories) > 2:
            outcomes_forget(trajectories=[trajectory])
            trajectory.delete()
            trajectories.remove(trajectory)
            trajectories.append(outcomes.trajectory(rng.choice(offers)))
            continue
        if roll < 0.1:
            offer = rng.choice(offers)
            offer.intervention_type = rng.choice([*types, InterventionTypeFactory()])
            offer.save()
            offer_changed.send(sender=Offer, offer=offer)
            continue
        if roll < 0.15:
            goals = trajectory.goals.exists()
            if (
                not goals
                and not Measurement.objects.filter(
                    trajectory=trajectory, instrument=outcomes.gas
                ).exists()
            ):
                outcomes.gas_end(trajectory, [rng.randint(-2, 2) for _ in range(rng.randint(1, 3))])
            continue
        instrument = rng.choice(instruments)
        moment = rng.choice(["intake", "end"])
        on = outcomes.day(rng.randint(0, 14), rng.randint(1, 28))
        current = Measurement.objects.filter(
            trajectory=trajectory, instrument=instrument, moment=moment, is_current=True
        ).first()
        answers = _random_answers(rng, instrument, trajectory)
        try:
            if current is None:
                outcomes.record(trajectory, instrument, moment, answers, on)
            else:
                outcomes.correct(current, answers, on)
        except Exception as error:  # an unscorable or unchanged answer set is refused
            if error.__class__.__name__ != "ValidationError":
                raise

    assert OutcomePair.objects.exists()
    _assert_equals_rebuild()


def test_it_keeps_rows_unique_per_key(outcomes):
    outcomes.loneliness(outcomes.offer(), 5, 2)
    outcomes.loneliness(outcomes.offer(), 5, 2)

    assert OutcomeSums.objects.filter(scope=Scope.ALL).count() == 3
    assert OutcomeSums.objects.get(scope=Scope.ALL, scale="total").n == 2
    assert (
        OutcomeSums.objects.filter(scope=Scope.OFFER, month=datetime.date.today().replace(day=1))
        .exclude(n__gt=0)
        .count()
        == 0
    )


@pytest.mark.parametrize("seed", [4, 5])
def test_a_batched_refresh_catches_up_with_writes_that_skipped_the_refresh(
    outcomes, seed, monkeypatch
):
    rng = random.Random(seed)
    offers = [
        outcomes.offer(intervention_type=InterventionTypeFactory()),
        outcomes.offer(organisation=OrganisationFactory()),
    ]
    instruments = [outcomes.djg6, outcomes.zrm, outcomes.pg]
    trajectories = [outcomes.trajectory(rng.choice(offers)) for _ in range(6)]

    def write(steps: int) -> None:
        for _step in range(steps):
            trajectory = rng.choice(trajectories)
            instrument = rng.choice(instruments)
            moment = rng.choice(["intake", "end"])
            on = outcomes.day(rng.randint(0, 14), rng.randint(1, 28))
            current = Measurement.objects.filter(
                trajectory=trajectory, instrument=instrument, moment=moment, is_current=True
            ).first()
            answers = _random_answers(rng, instrument, trajectory)
            try:
                if current is None:
                    outcomes.record(trajectory, instrument, moment, answers, on)
                else:
                    outcomes.correct(current, answers, on)
            except Exception as error:
                if error.__class__.__name__ != "ValidationError":
                    raise

    write(20)
    # Writes that leave the storage behind (as a bulk insert does): new pairs, changed
    # pairs, pairs that go when a correction leaves a scale unscored.
    monkeypatch.setattr("meerwaarde.measurements.services.outcomes_refresh", lambda **kw: None)
    write(30)
    monkeypatch.undo()
    assert _state() != _rebuilt_state()

    outcomes_refresh_many(trajectory_ids=[t.pk for t in trajectories])

    _assert_equals_rebuild()


def _rebuilt_state() -> tuple:
    with transaction.atomic():
        outcomes_rebuild()
        state = _state()
        transaction.set_rollback(True)
    return state


def test_a_batched_refresh_reads_a_few_times_whatever_the_number_of_trajectories(
    outcomes, django_assert_max_num_queries
):
    offer = outcomes.offer()
    trajectories = [outcomes.loneliness(offer, 5, i % 4) for i in range(12)]
    OutcomePair.objects.all().delete()
    OutcomeSums.objects.all().delete()
    CategoryMoves.objects.all().delete()

    # Four reads, the pairs in, the sums and moves in per scope, the zero rows out.
    with django_assert_max_num_queries(16):
        outcomes_refresh_many(trajectory_ids=[t.pk for t in trajectories])

    _assert_equals_rebuild()
    # Nothing changed: the four reads inside their savepoint.
    with django_assert_max_num_queries(6):
        outcomes_refresh_many(trajectory_ids=[t.pk for t in trajectories])
