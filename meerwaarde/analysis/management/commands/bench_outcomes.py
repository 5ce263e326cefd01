"""Benchmark of the outcome figures on the current database (issue 4, item 5).

Generates organisations, offers and a million trajectories with ZRM 2017 and Positieve
Gezondheid intake and end measurements (``measurements.generate_bulk``), a year of activity
counts per offer, rebuilds the analysis storage (timed), then times ``analysis_figures`` warm
for one typical organisation, one intervention type across all organisations, and everything.
Beside it, the same figures in polars from the pairs in a data frame already in memory.
``scripts/bench-outcomes`` runs it on SQLite and on PostgreSQL.
"""

import datetime
import json
import statistics
import time
from collections.abc import Callable
from functools import partial
from io import BytesIO
from pathlib import Path

import numpy as np
import polars as pl
from django.core.management.base import BaseCommand
from django.db import connection
from django.db.models import Count, QuerySet
from django.utils import timezone
from scipy import stats as scipy_stats

from meerwaarde.activities.generate import generate_activities
from meerwaarde.analysis import selectors
from meerwaarde.analysis.models import OutcomePair
from meerwaarde.analysis.selectors import Selection, analysis_figures
from meerwaarde.analysis.services import outcomes_rebuild
from meerwaarde.instruments.models import Instrument
from meerwaarde.instruments.services import instruments_load_shipped
from meerwaarde.measurements.generate_bulk import BENCH_NOTE, bench_offers, bench_trajectories
from meerwaarde.organisations.models import Organisation
from meerwaarde.participants.models import Trajectory
from meerwaarde.places.models import Place
from meerwaarde.vocabulary.models import Concept

TARGETS_MS = {"organisation": 100.0, "everything": 500.0}
PAIR_COLUMNS = {
    "organisation_id": pl.Int64,
    "intervention_type_id": pl.Int64,
    "month": pl.Date,
    "instrument_id": pl.Int64,
    "scale": pl.Utf8,
    "start_value": pl.Float64,
    "end_value": pl.Float64,
    "start_category": pl.Utf8,
    "end_category": pl.Utf8,
    "reliable_change": pl.Int8,
}


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), statistics.quantiles(ordered, n=20, method="inclusive")[18]


def _time(run: Callable[[], object], repetitions: int, before: Callable[[], None]) -> list[float]:
    run()  # warm-up
    samples = []
    for _ in range(repetitions):
        before()
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _nothing() -> None:
    pass


# The polars baseline ----------------------------------------------------------------------


def load_pairs() -> pl.DataFrame:
    """Every pair as one row (trajectory × scale), read once from ``OutcomePair``."""
    table = connection.ops.quote_name(OutcomePair._meta.db_table)
    select = f"SELECT {', '.join(PAIR_COLUMNS)} FROM {table}"  # noqa: S608
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = BytesIO()
            with cursor.cursor.copy(f"COPY ({select}) TO STDOUT (FORMAT csv)") as copy:
                for data in copy:
                    buffer.write(data)
            buffer.seek(0)
            frame = pl.read_csv(
                buffer, has_header=False, new_columns=list(PAIR_COLUMNS), schema=PAIR_COLUMNS
            )
        else:
            cursor.execute(select)
            parts = []
            while rows := cursor.fetchmany(200_000):
                parts.append(pl.DataFrame(rows, schema=PAIR_COLUMNS, orient="row"))
            frame = pl.concat(parts) if parts else pl.DataFrame(schema=PAIR_COLUMNS)
    return frame.with_columns(
        pl.col("scale", "start_category", "end_category").fill_null("").cast(pl.Categorical)
    )


def polars_figures(pairs: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Per instrument × scale: n, means, mean change with its 95% t interval, d_z, reliable
    change shares with Wilson intervals; and the category moves. Pairs without a start value
    (GAS) start at the expected T of 50, as the storage does."""
    x1 = pl.col("start_value").fill_null(50.0)
    change = pl.col("end_value") - x1
    scales = (
        pairs.group_by("instrument_id", "scale")
        .agg(
            n=pl.len(),
            mean_start=x1.mean(),
            mean_end=pl.col("end_value").mean(),
            sd_start=x1.std(),
            sd_end=pl.col("end_value").std(),
            mean_change=change.mean(),
            sd_change=change.std(),
            improved=(pl.col("reliable_change") == 1).sum(),
            deteriorated=(pl.col("reliable_change") == -1).sum(),
        )
        .sort("instrument_id", "scale")
    )
    moves = (
        pairs.filter(
            (pl.col("end_category") != "")
            & (pl.col("start_value").is_null() | (pl.col("start_category") != ""))
        )
        .group_by("instrument_id", "scale", "start_category", "end_category")
        .agg(count=pl.len())
    )
    n = scales["n"].to_numpy().astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):  # n = 1 or no spread: nan, as None
        return _with_intervals(scales, n), moves


def _with_intervals(scales: pl.DataFrame, n: np.ndarray) -> pl.DataFrame:
    half = (
        scipy_stats.t.ppf(0.975, np.maximum(n - 1, 1)) * scales["sd_change"].to_numpy() / np.sqrt(n)
    )
    z = float(scipy_stats.norm.ppf(0.975))
    columns = {
        "ci_low": scales["mean_change"].to_numpy() - half,
        "ci_high": scales["mean_change"].to_numpy() + half,
        "d_z": scales["mean_change"].to_numpy() / scales["sd_change"].to_numpy(),
    }
    for name in ("improved", "deteriorated"):
        k = scales[name].to_numpy()
        centre = (k + z * z / 2) / (n + z * z)
        width = z * np.sqrt(k * (n - k) / n + z * z / 4) / (n + z * z)
        columns[f"{name}_share"] = k / n
        columns[f"{name}_low"] = np.maximum(0, centre - width)
        columns[f"{name}_high"] = np.minimum(1, centre + width)
    return scales.with_columns(**{k: pl.Series(v) for k, v in columns.items()})


def _polars_for(pairs: pl.DataFrame, condition: pl.Expr | None) -> tuple:
    """The selection's figures, its filter included, as a dashboard on a data frame would."""
    return polars_figures(pairs if condition is None else pairs.filter(condition))


# The command ------------------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Meet de resultaten: genereert trajecten met ZRM- en Positieve Gezondheid-metingen, "
        "bouwt de opslag van de analyse en meet analysis_figures, met polars ernaast."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--trajectories", type=int, default=1_000_000)
        parser.add_argument(
            "--organisations",
            type=int,
            default=None,
            help="Standaard 300 bij een miljoen trajecten, naar rato bij minder (minstens 5).",
        )
        parser.add_argument("--months", type=int, default=24)
        parser.add_argument("--repetitions", type=int, default=30)
        parser.add_argument("--seed", type=int, default=1)

    def _setup(self) -> None:
        from meerwaarde.places.services import places_load
        from meerwaarde.vocabulary.services import vocabulary_load

        if not Place.objects.exists():
            places_load()
        if not Concept.objects.filter(scheme__code="intervention_types").exists():
            vocabulary_path = Path(__file__).resolve().parents[3] / "vocabulary" / "data"
            vocabulary_load(
                data=json.loads((vocabulary_path / "vocabulary.json").read_text(encoding="utf-8"))
            )
        if not Instrument.objects.filter(organisation__isnull=True, code="zrm").exists():
            instruments_load_shipped()

    def _analyze(self) -> None:
        if connection.vendor == "postgresql":
            # What autovacuum does soon after a bulk load; without it the planner guesses.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    def handle(self, *args, **options) -> None:
        out = self.stdout.write
        vendor, seed, months = connection.vendor, options["seed"], options["months"]
        end = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
        out(f"Benchmark resultaten op {vendor}")
        self._setup()
        wanted = options["organisations"] or max(5, round(options["trajectories"] * 3e-4))
        offers = bench_offers(organisations=wanted, seed=seed)
        organisations = Organisation.objects.filter(description=BENCH_NOTE)
        missing = (
            options["trajectories"]
            - Trajectory.objects.filter(organisation__in=organisations).count()
        )
        if missing > 0:
            started = time.perf_counter()

            def progress(done: int) -> None:
                seconds = time.perf_counter() - started
                out(f"  {done:>9,} / {missing:,} trajecten ({seconds:.0f} s)")

            measurements = bench_trajectories(
                offers=offers,
                trajectories=missing,
                end=end,
                months=months,
                seed=seed,
                progress=progress,
            )
            generated_s = time.perf_counter() - started
            out(f"  {missing:,} trajecten, {measurements:,} metingen in {generated_s:.1f} s")
            started = time.perf_counter()
            records = generate_activities(
                organisations=organisations, months=months, end=end, seed=seed
            )
            activity_s = time.perf_counter() - started
            out(f"  {records:,} maandtellingen activiteiten in {activity_s:.1f} s")
            self._analyze()
            started = time.perf_counter()
            rebuilt = outcomes_rebuild()
            rebuild_s = time.perf_counter() - started
            out(
                f"  outcomes_rebuild(): {rebuilt.pairs:,} paren, {rebuilt.sums:,} sommen, "
                f"{rebuilt.moves:,} verschuivingen in {rebuild_s:.1f} s"
            )
            self._analyze()

        selections = _selections(organisations)
        started = time.perf_counter()
        pairs = load_pairs()
        load_s = time.perf_counter() - started
        out(f"  polars: {pairs.height:,} paren in het geheugen geladen in {load_s:.1f} s")

        # Private helpers of the selectors, to show where the time goes; gone, not measured.
        cache = getattr(selectors, "_paired_result", None)
        activity = getattr(selectors, "_activity", None)
        clear = cache.cache_clear if cache is not None else _nothing
        repetitions = options["repetitions"]
        rows, agree = [], True
        for label, target_key, selection, condition in selections:
            frame = pairs if condition is None else pairs.filter(condition)
            agree &= _same(analysis_figures(selection=selection), polars_figures(frame)[0])
            figures = partial(analysis_figures, selection=selection)
            samples = {
                "warm": _time(figures, repetitions, _nothing),
                "activity": _time(partial(activity, selection), repetitions, _nothing)
                if activity is not None
                else [0.0],
                "cold": _time(figures, repetitions, clear),
                "polars": _time(partial(_polars_for, pairs, condition), repetitions, _nothing),
            }
            rows.append((label, samples, TARGETS_MS.get(target_key or "")))

        out(f"\n  {repetitions} herhalingen na één opwarmronde, ms; {vendor}")
        out(
            f"  {'selectie':<36} {'figures p50':>11} {'p95':>6}  {'activiteit':>10}"
            f"  {'zonder cache':>12} {'p95':>6}  {'polars p50':>10} {'p95':>6}  doel p95"
        )
        for label, samples, target in rows:
            w50, w95 = _percentiles(samples["warm"])
            a50, _a95 = _percentiles(samples["activity"])
            c50, c95 = _percentiles(samples["cold"])
            b50, b95 = _percentiles(samples["polars"])
            verdict = (
                ""
                if target is None
                else f"≤ {target:.0f} ms " + ("gehaald" if w95 <= target else "NIET gehaald")
            )
            out(
                f"  {label:<36} {w50:>11.1f} {w95:>6.1f}  {a50:>10.1f}"
                f"  {c50:>12.1f} {c95:>6.1f}  {b50:>10.1f} {b95:>6.1f}  {verdict}"
            )
        out(
            "  figures: analysis_figures() warm, met de activiteit (waarvan activiteit: p50 van "
            "die tellingen alleen); zonder cache: ook de statistiek (het d_z-interval) opnieuw; "
            f"polars: dezelfde cijfers uit de paren in het geheugen (laden {load_s:.1f} s, niet "
            "in de tijden)."
        )
        same = "ja" if agree else "NEE"
        out(f"  polars en analysis_figures geven dezelfde n en verandering: {same}")


def _selections(organisations: QuerySet[Organisation]) -> list[tuple]:
    """(label, target, Selection, polars filter): the organisation with the median number of
    trajectories, the intervention type with the most, and everything."""
    counts = sorted(
        Trajectory.objects.filter(organisation__in=organisations)
        .values_list("organisation")
        .annotate(n=Count("pk"))
        .values_list("n", "organisation"),
    )
    typical_n, typical_id = counts[len(counts) // 2]
    typical = Organisation.objects.get(pk=typical_id)
    largest = (
        Trajectory.objects.filter(organisation__in=organisations)
        .values_list("offer__intervention_type")
        .annotate(n=Count("pk"))
        .order_by("-n", "offer__intervention_type")
    )
    type_id, type_n = largest[0]
    kind = Concept.objects.select_related("scheme").get(pk=type_id)
    total = sum(n for n, _pk in counts)
    return [
        (f"één organisatie ({typical_n:,} trajecten)", "organisation",
         Selection(organisation=typical), pl.col("organisation_id") == typical.pk),
        (f"één soort interventie ({type_n:,})", None,
         Selection(intervention_type=kind), pl.col("intervention_type_id") == kind.pk),
        (f"alles ({total:,} trajecten)", "everything", Selection(), None),
    ]  # fmt: skip


def _same(figures: selectors.Figures, baseline: pl.DataFrame) -> bool:
    """Whether both give the same n and mean change per instrument and scale."""
    ours = {
        (i.instrument_id, s.code): (s.n, s.result.mean_change)
        for i in figures.instruments
        for s in i.scales
    }
    ours.update({(g.instrument_id, "t"): (g.n, g.result.mean_change) for g in figures.gas})
    theirs = {
        (row["instrument_id"], row["scale"]): (row["n"], row["mean_change"])
        for row in baseline.iter_rows(named=True)
    }
    return ours.keys() == theirs.keys() and all(
        ours[k][0] == theirs[k][0] and (ours[k][1] is None or abs(ours[k][1] - theirs[k][1]) < 1e-6)
        for k in ours
    )
