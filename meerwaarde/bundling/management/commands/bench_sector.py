"""Benchmark of the sector view (issue 5): the whole page, warm, over the benchmark's data.

Generates what ``bench_outcomes`` generates (organisations, offers, trajectories with ZRM 2017
and Positieve Gezondheid measurements, a year of activity counts, the analysis storage), gives
the generated offers themes and target groups (the focus groups among them) so every breakdown
has rows, then times the public page and the analyst's page through the test client (the
middleware, the template, the suppression: everything a visitor waits for), and
``sector_figures`` alone. Beside it the same kind of figures in polars from the pairs in
memory: everything, and per province. ``scripts/bench-sector`` runs it on SQLite and
PostgreSQL.
"""

import datetime
import time
from functools import partial

import numpy as np
import polars as pl
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.utils import timezone

from meerwaarde.accounts.constants import PlatformRole
from meerwaarde.accounts.models import User
from meerwaarde.activities.generate import generate_activities
from meerwaarde.analysis.management.commands.bench_outcomes import (
    Command as OutcomesBench,
)
from meerwaarde.analysis.management.commands.bench_outcomes import (
    _percentiles,
    _time,
    load_pairs,
    polars_figures,
)
from meerwaarde.analysis.services import outcomes_rebuild
from meerwaarde.bundling.sector import FOCUS_GROUPS, SectorSelection, sector_figures
from meerwaarde.measurements.generate_bulk import BENCH_NOTE, bench_offers, bench_trajectories
from meerwaarde.offers.models import Offer
from meerwaarde.organisations.models import Organisation
from meerwaarde.participants.models import Trajectory
from meerwaarde.vocabulary.models import Concept

TARGET_MS = 1000.0
ANALYST = "sectoranalist-benchmark@meerwaarde.invalid"


def _nothing() -> None:
    pass


def _concepts_for_offers(seed: int) -> int:
    """One or two themes and up to two target groups per generated offer that has none; a
    third of the offers serves one of the focus groups. Returns the offers given concepts."""
    offers = list(
        Offer.objects.filter(organisation__description=BENCH_NOTE, themes__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    themes = list(Concept.objects.filter(scheme__code="themes").order_by("code"))
    groups = list(Concept.objects.filter(scheme__code="target_groups").order_by("code"))
    focus = [c for c in groups if any(c.code in g.target_groups for g in FOCUS_GROUPS)]
    if not offers or not themes or not groups:
        return 0
    rng = np.random.default_rng(seed + 5)
    theme_links, group_links = [], []
    for pk in offers:
        for i in rng.choice(len(themes), size=int(rng.integers(1, 3)), replace=False):
            theme_links.append(Offer.themes.through(offer_id=pk, concept_id=themes[int(i)].pk))
        chosen = {groups[int(i)].pk for i in rng.choice(len(groups), size=int(rng.integers(0, 3)))}
        if focus and rng.random() < 1 / 3:
            chosen.add(focus[int(rng.integers(len(focus)))].pk)
        group_links += [Offer.target_groups.through(offer_id=pk, concept_id=c) for c in chosen]
    Offer.themes.through.objects.bulk_create(theme_links, batch_size=5000)
    Offer.target_groups.through.objects.bulk_create(group_links, batch_size=5000)
    return len(offers)


def _province_baseline(pairs: pl.DataFrame, provinces: pl.DataFrame) -> pl.DataFrame:
    """polars: n, mean and SD of change per province × instrument × scale."""
    x1 = pl.col("start_value").fill_null(50.0)
    change = pl.col("end_value") - x1
    return (
        pairs.join(provinces, on="organisation_id")
        .group_by("province", "instrument_id", "scale")
        .agg(
            n=pl.len(),
            mean_change=change.mean(),
            sd_change=change.std(),
            improved=(pl.col("reliable_change") == 1).sum(),
            deteriorated=(pl.col("reliable_change") == -1).sum(),
        )
    )


class Command(BaseCommand):
    help = (
        "Meet de sectorpagina (Sociaal werk in beeld): genereert de trajecten van de benchmark "
        "van de uitkomsten en meet de hele pagina warm, met polars ernaast."
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
        parser.add_argument("--repetitions", type=int, default=20)
        parser.add_argument("--seed", type=int, default=1)

    def _generate(self, options: dict) -> None:
        out = self.stdout.write
        seed, months = options["seed"], options["months"]
        end = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
        bench = OutcomesBench()
        bench._setup()
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
                out(f"  {done:>9,} / {missing:,} trajecten ({time.perf_counter() - started:.0f} s)")

            measurements = bench_trajectories(
                offers=offers, trajectories=missing, end=end, months=months, seed=seed,
                progress=progress,
            )  # fmt: skip
            out(f"  {missing:,} trajecten, {measurements:,} metingen")
            records = generate_activities(
                organisations=organisations, months=months, end=end, seed=seed
            )
            out(f"  {records:,} maandtellingen activiteiten")
            bench._analyze()
            rebuilt = outcomes_rebuild()
            out(f"  outcomes_rebuild(): {rebuilt.pairs:,} paren, {rebuilt.sums:,} sommen")
        given = _concepts_for_offers(seed)
        if given:
            out(f"  {given:,} aanbod kreeg thema's en doelgroepen")
        bench._analyze()

    def handle(self, *args, **options) -> None:
        out = self.stdout.write
        vendor = connection.vendor
        out(f"Benchmark sectorpagina op {vendor}")
        self._generate(options)
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        public = Client()
        analyst = Client()
        user = User.objects.filter(email=ANALYST).first() or User.objects.create_user(
            ANALYST, None, full_name="Benchmark", platform_role=PlatformRole.SECTOR_ANALYST
        )
        analyst.force_login(user)
        trajectories = Trajectory.objects.count()

        def page(client: Client, url: str) -> None:
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: {response.status_code}")

        base = "/sociaal-werk-in-beeld/"
        pages = [
            ("openbaar, per provincie", partial(page, public, base)),
            ("openbaar, per plaats", partial(page, public, f"{base}?indeling=plaats")),
            ("openbaar, ouderen per thema",
             partial(page, public, f"{base}?focus=ouderen&indeling=thema")),
            ("sectoranalist, per soort", partial(page, analyst, "/sector/?indeling=soort")),
            ("API, per plaats", partial(page, public, "/api/v1/figures/?dimension=municipality")),
            ("sector_figures() alleen", partial(sector_figures, selection=SectorSelection())),
        ]  # fmt: skip
        repetitions = options["repetitions"]
        rows = [(label, _time(run, repetitions, _nothing)) for label, run in pages]

        started = time.perf_counter()
        pairs = load_pairs()
        load_s = time.perf_counter() - started
        provinces = pl.DataFrame(
            list(Organisation.objects.values_list("pk", "place__province")),
            schema={"organisation_id": pl.Int64, "province": pl.Utf8},
            orient="row",
        )
        baselines = [
            ("polars: alles", _time(partial(polars_figures, pairs), repetitions, _nothing)),
            (
                "polars: per provincie",
                _time(partial(_province_baseline, pairs, provinces), repetitions, _nothing),
            ),
        ]
        out(
            f"\n  {trajectories:,} trajecten, {pairs.height:,} paren; {repetitions} herhalingen "
            f"na één opwarmronde, ms; {vendor}"
        )
        out(f"  {'meting':<36} {'p50':>8} {'p95':>8}  doel p95")
        for label, samples in rows + baselines:
            p50, p95 = _percentiles(samples)
            verdict = ""
            if not label.startswith(("polars", "sector_figures")):
                verdict = f"≤ {TARGET_MS:.0f} ms " + (
                    "gehaald" if p95 <= TARGET_MS else "NIET gehaald"
                )
            out(f"  {label:<36} {p50:>8.1f} {p95:>8.1f}  {verdict}")
        out(
            "  pagina's: de hele aanvraag door de testclient (middleware, selectie, suppressie, "
            f"template); polars: dezelfde soort cijfers uit de paren in het geheugen (laden "
            f"{load_s:.1f} s, niet in de tijden)."
        )
