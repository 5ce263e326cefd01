"""Benchmark of the sociale kaart on the current database (issue 3, part 6).

Generates realistic offers, rebuilds the index (timed), then measures ``search()`` inside the
process and the full results page through Django's test client, each over varied queries it
has not seen before, in a process warmed by other queries; then ``search()`` again with empty
caches ("koud"). ``scripts/bench`` runs it on SQLite and on PostgreSQL.
"""

import json
import random
import statistics
import time
from pathlib import Path
from urllib.parse import urlencode

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, reverse

from meerwaarde.directory.index import rebuild_index
from meerwaarde.directory.search import store
from meerwaarde.directory.search.service import search
from meerwaarde.directory.search.types import PROXIMITY_CHOICES_KM, SearchParams
from meerwaarde.offers.models import Offer
from meerwaarde.places.models import Place
from meerwaarde.vocabulary.models import Concept

QUERIES_FILE = Path(__file__).resolve().parents[2] / "data" / "relevance_queries.json"
TARGETS_MS = {"sqlite": 10.0, "postgresql": 20.0, "page": 60.0}


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 6:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1 :] if rng.random() < 0.5 else word[:i] + word[i] + word[i:]


def bench_queries(n: int, seed: int = 7) -> list[tuple[SearchParams, str]]:
    """``n`` realistic searches: what professionals type (the relevance set's queries, the
    vocabulary's labels and synonyms, misspellings, nothing), with and without a place,
    sometimes with filters. Returns (params, place label or "")."""
    rng = random.Random(seed)
    texts = [q["q"] for q in json.loads(QUERIES_FILE.read_text(encoding="utf-8"))]
    for label, synonyms in Concept.objects.filter(
        scheme__code__in=("intervention_types", "themes", "target_groups")
    ).values_list("pref_label_nl", "synonyms"):
        texts.append(label.lower())
        texts.extend(s.lower() for s in (synonyms or [])[:2])
    themes = list(Concept.objects.filter(scheme__code="themes").values_list("code", flat=True))
    places = list(Place.objects.order_by("-population")[:300])
    weights = [max(p.population, 1) ** 0.5 for p in places]
    result = []
    for i in range(n):
        kind = i % 10
        q = rng.choice(texts)
        if kind == 9:
            q = " ".join(_typo(rng, w) for w in q.split())
        if kind == 7:
            q = ""
        place = rng.choices(places, weights)[0] if kind not in (4, 5, 8) else None
        extra: dict = {}
        if kind in (6, 8):
            choice = rng.randrange(3)
            if choice == 0:
                extra["free_only"] = True
            elif choice == 1:
                extra["walk_in_only"] = True
            else:
                extra["themes"] = (rng.choice(themes),)
        params = SearchParams(
            q=q,
            lat=place.latitude if place else None,
            lon=place.longitude if place else None,
            proximity_km=rng.choice((5, 10, 10, 10, 25, 50)),
            **extra,
        )
        result.append((params, place.label if place else ""))
    return result


def _page_url(base: str, params: SearchParams, place_label: str) -> str:
    query: dict[str, str] = {"q": params.q}
    if place_label:
        query["plaats"] = place_label
        if params.proximity_km in PROXIMITY_CHOICES_KM:
            query["afstand"] = str(params.proximity_km)
    if params.free_only:
        query["gratis"] = "1"
    if params.walk_in_only:
        query["zonder_verwijzing"] = "1"
    if params.themes:
        query["thema"] = params.themes[0]
    return f"{base}?{urlencode(query)}"


def _percentiles(samples: list[float]) -> tuple[float, float, float, float]:
    ordered = sorted(samples)
    q = statistics.quantiles(ordered, n=100, method="inclusive")
    return ordered[len(ordered) // 2], q[94], q[98], ordered[-1]


class Command(BaseCommand):
    help = (
        "Meet de sociale kaart: genereert aanbod, bouwt de zoekindex en meet zoektijden "
        "(in het proces en als hele pagina) op de huidige database."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--offers", type=int, default=100_000)
        parser.add_argument("--queries", type=int, default=300)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--no-generate", action="store_true", help="Gebruik het aanbod dat er al is."
        )

    def handle(self, *args, **options) -> None:
        from meerwaarde.offers.generate import generate_offers
        from meerwaarde.places.services import places_load
        from meerwaarde.vocabulary.services import vocabulary_load

        out = self.stdout.write
        vendor = connection.vendor
        out(f"Benchmark sociale kaart op {vendor}")
        if not Place.objects.exists():
            places_load()
        if not Concept.objects.exists():
            vocabulary_path = Path(__file__).resolve().parents[3] / "vocabulary" / "data"
            vocabulary_load(
                data=json.loads((vocabulary_path / "vocabulary.json").read_text(encoding="utf-8"))
            )
        missing = options["offers"] - Offer.objects.count()
        if missing > 0 and not options["no_generate"]:
            started = time.perf_counter()
            generate_offers(missing, seed=options["seed"])
            out(f"  {missing} aanbiedingen gegenereerd in {time.perf_counter() - started:.1f} s")
            if vendor == "postgresql":
                # What autovacuum does soon after a bulk load; without it the planner guesses
                # row counts and a page of results waits on parallel workers.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
        total = Offer.objects.count()

        started = time.perf_counter()
        rebuild_index()
        build_s = time.perf_counter() - started
        out(f"  zoekindex van {total} aanbiedingen gebouwd in {build_s:.1f} s")

        store.clear()
        started = time.perf_counter()
        search(SearchParams())
        load_s = time.perf_counter() - started
        out(f"  geheugenindex geladen (eerste zoekvraag) in {load_s:.2f} s")

        queries = bench_queries(options["queries"])
        # Warm-up on other queries (another seed): caches fill only with what real traffic
        # would share with the measured queries, words and places.
        for params, _label in bench_queries(options["queries"], seed=99):
            search(params)
        samples, cold = [], []
        for params, _label in queries:
            started = time.perf_counter()
            search(params)
            samples.append((time.perf_counter() - started) * 1000)
        rows = [("search()", samples, TARGETS_MS.get(vendor))]
        try:
            base = reverse("directory:search")
        except NoReverseMatch:
            base = ""
        if base:
            # The page measured as search() is: on queries it has not seen (another seed),
            # in a process warmed by others (the first requests also load templates).
            client = Client(SERVER_NAME="localhost")
            for params, label in bench_queries(20, seed=99):
                client.get(_page_url(base, params, label))
            pages, statuses = [], set()
            for params, label in bench_queries(options["queries"], seed=11):
                started = time.perf_counter()
                response = client.get(_page_url(base, params, label))
                pages.append((time.perf_counter() - started) * 1000)
                statuses.add(response.status_code)
            rows.append((f"pagina {base} (HTTP {sorted(statuses)})", pages, TARGETS_MS["page"]))
        else:
            out("  De resultatenpagina (directory:search) bestaat nog niet: niet gemeten.")
        # Cold last, as it empties the caches: no cached postings or circles before each
        # search, as the first searches after a restart.
        current = store.current()
        for params, _label in queries:
            current.postings_cache.clear()
            current.circle_cache.clear()
            started = time.perf_counter()
            search(params)
            cold.append((time.perf_counter() - started) * 1000)
        rows.insert(1, ("search() koud", cold, None))

        out(f"\n  {len(queries)} zoekvragen, {total} aanbiedingen, {vendor}")
        out(f"  {'meting':<44} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}  doel p95")
        for label, data, target in rows:
            p50, p95, p99, top = _percentiles(data)
            verdict = (
                ""
                if target is None
                else f"≤ {target:.0f} ms " + ("gehaald" if p95 <= target else "NIET gehaald")
            )
            out(f"  {label:<44} {p50:>7.2f} {p95:>7.2f} {p99:>7.2f} {top:>7.2f}  {verdict}")
        out(f"  index bouwen: {build_s:.1f} s; geheugenindex laden: {load_s:.2f} s (ms per vraag)")
