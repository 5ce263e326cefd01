"""Writes of the search index: one offer at a time as offers change, or all of them in bulk.

Every write raises the index generation under a row lock and logs which offers changed, so
the in-memory part of the search (``search/store.py``) in every process catches up. The
stemmed text goes to an FTS5 table on SQLite and to a tsvector column per field on
PostgreSQL; both are built from the same Python stems (ADR 0005).
"""

import secrets
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction

from meerwaarde.directory.models import (
    IndexChange,
    IndexState,
    SearchDocument,
    SearchPoint,
    SearchTerm,
    SearchVector,
)
from meerwaarde.directory.text import content_words, stem
from meerwaarde.offers.constants import SERVICE_AREA_REACH_KM, Access, Cost, ServiceArea
from meerwaarde.offers.models import Offer, OfferLocation
from meerwaarde.vocabulary.models import Concept

MAX_WORD_LENGTH = 60  # longer "words" are noise (URLs, codes) and never worth correcting to
CHUNK = 2000
# How many changes the log keeps; a process further behind reloads everything.
CHANGE_LOG_KEEP = 20_000

FTS_TABLE = "directory_search_fts"
TRIGRAM_TABLE = "directory_searchterm_trigram"
# Kept equal to migration 0002: the bulk rebuild recreates the tables, faster than emptying.
SQLITE_TABLES = {
    FTS_TABLE: "CREATE VIRTUAL TABLE directory_search_fts USING fts5("
    "name, concepts, body, tokenize='unicode61 remove_diacritics 0', detail=column)",
    TRIGRAM_TABLE: "CREATE VIRTUAL TABLE directory_searchterm_trigram "
    "USING fts5(word, tokenize='trigram')",
}
POSTGRES_INDEXES = {
    "directory_searchvector_name_gin": "CREATE INDEX directory_searchvector_name_gin "
    "ON directory_searchvector USING gin (name_vector) WITH (fastupdate = off)",
    "directory_searchvector_body_gin": "CREATE INDEX directory_searchvector_body_gin "
    "ON directory_searchvector USING gin (body_vector) WITH (fastupdate = off)",
    "directory_searchterm_word_trgm": "CREATE INDEX directory_searchterm_word_trgm "
    "ON directory_searchterm USING gin (word gin_trgm_ops) WITH (fastupdate = off)",
}


@dataclass(frozen=True)
class ConceptText:
    code: str
    stems: tuple[str, ...]
    words: tuple[str, ...]


@dataclass
class BuiltDocument:
    document: SearchDocument
    points: list[tuple[float, float, int]] = field(default_factory=list)
    word_set: frozenset[str] = frozenset()


def _distinct(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _text_parts(text: str) -> tuple[list[str], list[str]]:
    """(stems, words) of the content words of ``text``."""
    found = [w for w in content_words(text) if len(w) <= MAX_WORD_LENGTH]
    return [stem(w) for w in found], found


def concept_texts() -> dict[int, ConceptText]:
    """Every concept's code with the stems and words of its Dutch label and synonyms."""
    result = {}
    for pk, code, label, synonyms in Concept.objects.values_list(
        "pk", "code", "pref_label_nl", "synonyms"
    ):
        text = " ".join([label, *(s for s in synonyms or [] if isinstance(s, str))])
        stems, words = _text_parts(text)
        result[pk] = ConceptText(code, tuple(_distinct(stems)), tuple(_distinct(words)))
    return result


def concept_stems_by_code() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Every concept's code: (its scheme's code, the stems it puts in an offer's concepts)."""
    texts = concept_texts()
    return {
        text.code: (scheme, text.stems)
        for pk, scheme in Concept.objects.values_list("pk", "scheme__code")
        if (text := texts.get(pk)) is not None
    }


def tsvector_literal(weighted: list[tuple[list[str], str]]) -> str:
    """A tsvector in its input syntax: lexemes quoted, each position with its weight.

    Built here rather than with ``to_tsvector`` so PostgreSQL indexes exactly the Python stems,
    whatever its parser and locale would make of the words.
    """
    positions: dict[str, list[str]] = defaultdict(list)
    position = 0
    for stems, weight in weighted:
        for s in stems:
            position = min(position + 1, 16383)
            if len(positions[s]) < 256:
                positions[s].append(f"{position}{weight}")
    return " ".join(
        "'{}':{}".format(s.replace("\\", "\\\\").replace("'", "''"), ",".join(p))
        for s, p in positions.items()
    )


def build_documents(
    offer_ids: list[int], concepts: dict[int, ConceptText]
) -> Iterator[BuiltDocument]:
    """The documents of the given offers (missing offers are skipped), a few queries in all."""
    rows = (
        Offer.objects.filter(pk__in=offer_ids)
        .values_list(
            "pk",
            "organisation_id",
            "organisation__name",
            "name",
            "status",
            "last_confirmed_on",
            "cost",
            "access",
            "age_min",
            "age_max",
            "intervention_type_id",
            "service_area",
            "description",
            "sign_up",
        )
        .order_by("pk")
    )
    links: dict[str, dict[int, list[int]]] = {}
    for name in ("themes", "target_groups", "working_elements"):
        through = getattr(Offer, name).through
        by_offer: dict[int, list[int]] = defaultdict(list)
        for offer_id, concept_id in (
            through.objects.filter(offer_id__in=offer_ids)
            .values_list("offer_id", "concept_id")
            .order_by("pk")
        ):
            by_offer[offer_id].append(concept_id)
        links[name] = by_offer
    locations: dict[int, list[tuple[str, str, float, float]]] = defaultdict(list)
    for offer_id, loc_name, place_name, lat, lon in (
        OfferLocation.objects.filter(offer_id__in=offer_ids)
        .values_list("offer_id", "name", "place__name", "latitude", "longitude")
        .order_by("offer_id", "position", "pk")
    ):
        locations[offer_id].append((loc_name, place_name, lat, lon))

    for (
        pk,
        organisation_id,
        organisation_name,
        name,
        status,
        confirmed,
        cost,
        access,
        age_min,
        age_max,
        itype_id,
        service_area,
        description,
        sign_up,
    ) in rows:
        themes = [concepts[c] for c in links["themes"].get(pk, []) if c in concepts]
        targets = [concepts[c] for c in links["target_groups"].get(pk, []) if c in concepts]
        elements = [concepts[c] for c in links["working_elements"].get(pk, []) if c in concepts]
        itype = concepts.get(itype_id)
        offer_concepts = [c for c in [itype, *themes, *targets, *elements] if c is not None]
        name_stems, name_words = _text_parts(name)
        concept_stems = [s for c in offer_concepts for s in c.stems]
        concept_words = [w for c in offer_concepts for w in c.words]
        places = locations.get(pk, [])
        body_text = " ".join(
            [
                description,
                sign_up,
                organisation_name,
                *(loc_name for loc_name, _p, _la, _lo in places),
                *_distinct(place for _n, place, _la, _lo in places),
            ]
        )
        body_stems, body_words = _text_parts(body_text)
        name_stems, concept_stems = _distinct(name_stems), _distinct(concept_stems)
        body_stems = _distinct(body_stems)
        document = SearchDocument(
            offer_id=pk,
            organisation_id=organisation_id,
            name=name,
            sort_key=name.casefold()[:200],
            status=status,
            last_confirmed_on=confirmed,
            is_free=cost == Cost.FREE,
            walk_in=access == Access.WALK_IN,
            age_min=age_min,
            age_max=age_max,
            intervention_type_code=itype.code if itype else "",
            theme_codes=" ".join(c.code for c in themes),
            target_group_codes=" ".join(c.code for c in targets),
            working_element_codes=" ".join(c.code for c in elements),
            name_stems=" ".join(name_stems),
            concept_stems=" ".join(concept_stems),
            body_stems=" ".join(body_stems),
        )
        word_set = frozenset(name_words) | frozenset(concept_words) | frozenset(body_words)
        document.words = " ".join(sorted(word_set))
        reach = SERVICE_AREA_REACH_KM[ServiceArea(service_area)]
        yield BuiltDocument(
            document=document,
            points=[(lat, lon, reach) for _n, _p, lat, lon in places],
            word_set=word_set,
        )


def _chunks(items: list, size: int = 500) -> Iterator[list]:  # type: ignore[type-arg]
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _next_generation() -> tuple[int, int]:
    """Raise the generation and draw its token; the row lock orders concurrent writers."""
    token = secrets.randbits(62)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE directory_indexstate SET generation = generation + 1, token = %s WHERE id = 1",
            [token],
        )
        if cursor.rowcount == 0:
            IndexState.objects.create(pk=1, generation=1, token=token)
            return 1, token
        cursor.execute("SELECT generation FROM directory_indexstate WHERE id = 1")
        return int(cursor.fetchone()[0]), token


def _log_changes(stamp: tuple[int, int], offer_ids: Iterable[int | None]) -> None:
    generation, token = stamp
    IndexChange.objects.bulk_create(
        [IndexChange(generation=generation, token=token, offer_id=pk) for pk in offer_ids]
    )
    if generation % 500 == 0:
        IndexChange.objects.filter(generation__lt=generation - CHANGE_LOG_KEEP).delete()


def _insert(built: list[BuiltDocument]) -> None:
    SearchDocument.objects.bulk_create([b.document for b in built], batch_size=500)
    SearchPoint.objects.bulk_create(
        [
            SearchPoint(document_id=b.document.offer_id, latitude=la, longitude=lo, reach_km=r)
            for b in built
            for la, lo, r in b.points
        ],
        batch_size=1000,
    )
    if connection.vendor == "postgresql":
        SearchVector.objects.bulk_create(
            [
                SearchVector(
                    document_id=b.document.offer_id,
                    name_vector=tsvector_literal([(b.document.name_stems.split(), "A")]),
                    body_vector=tsvector_literal([(b.document.body_stems.split(), "C")]),
                )
                for b in built
            ],
            batch_size=1000,
        )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE}(rowid, name, concepts, body) "  # noqa: S608 - constant
                "VALUES (%s, %s, %s, %s)",
                [
                    (
                        b.document.offer_id,
                        b.document.name_stems,
                        b.document.concept_stems,
                        b.document.body_stems,
                    )
                    for b in built
                ],
            )


def _delete(offer_ids: list[int]) -> None:
    for chunk in _chunks(offer_ids):
        SearchPoint.objects.filter(document_id__in=chunk)._raw_delete(connection.alias)
        SearchVector.objects.filter(document_id__in=chunk)._raw_delete(connection.alias)
        SearchDocument.objects.filter(offer_id__in=chunk)._raw_delete(connection.alias)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                placeholders = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({placeholders})",  # noqa: S608
                    chunk,
                )


def _add_terms(counts: Counter[str]) -> None:
    """Add ``counts`` to the dictionary's document counts, creating new words."""
    if not counts:
        return
    words = sorted(counts)
    existing: set[str] = set()
    for chunk in _chunks(words):
        existing.update(SearchTerm.objects.filter(word__in=chunk).values_list("word", flat=True))
    new = [SearchTerm(word=w, stem=stem(w), doc_count=0) for w in words if w not in existing]
    if connection.vendor == "sqlite":
        created = SearchTerm.objects.bulk_create(new, batch_size=500)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {TRIGRAM_TABLE}(rowid, word) VALUES (%s, %s)",  # noqa: S608
                [(t.pk, t.word) for t in created],
            )
    else:
        SearchTerm.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    _shift_counts(counts, +1)


def _shift_counts(counts: Counter[str], sign: int) -> None:
    by_amount: dict[int, list[str]] = defaultdict(list)
    for word, n in counts.items():
        by_amount[n].append(word)
    with connection.cursor() as cursor:
        for amount, words in by_amount.items():
            for chunk in _chunks(sorted(words)):
                placeholders = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    "UPDATE directory_searchterm SET doc_count = doc_count + %s "  # noqa: S608
                    f"WHERE word IN ({placeholders})",
                    [sign * amount, *chunk],
                )


def _remove_terms(counts: Counter[str]) -> None:
    if not counts:
        return
    _shift_counts(counts, -1)
    gone = list(SearchTerm.objects.filter(doc_count__lte=0).values_list("pk", flat=True))
    if connection.vendor == "sqlite" and gone:
        with connection.cursor() as cursor:
            for chunk in _chunks(gone):
                placeholders = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"DELETE FROM {TRIGRAM_TABLE} WHERE rowid IN ({placeholders})",  # noqa: S608
                    chunk,
                )
    for chunk in _chunks(gone):
        SearchTerm.objects.filter(pk__in=chunk)._raw_delete(connection.alias)


def index_offers(offer_ids: Iterable[int]) -> int:
    """Bring the index of these offers up to date (offers that no longer exist leave it).

    Cost: a few queries per 2,000 offers; the caller's transaction is joined, so the index
    changes exactly when the offer does.
    """
    ids = sorted(set(offer_ids))
    if not ids:
        return 0
    concepts = concept_texts()
    with transaction.atomic():
        stamp = _next_generation()
        for chunk in _chunks(ids, CHUNK):
            old_words: Counter[str] = Counter()
            for words in SearchDocument.objects.filter(offer_id__in=chunk).values_list(
                "words", flat=True
            ):
                old_words.update(words.split())
            built = list(build_documents(chunk, concepts))
            new_words: Counter[str] = Counter()
            for b in built:
                new_words.update(b.word_set)
            _delete(chunk)
            _insert(built)
            _remove_terms(old_words - new_words)
            _add_terms(new_words - old_words)
        _log_changes(stamp, ids)
    return len(ids)


def remove_offers(offer_ids: Iterable[int]) -> None:
    """Take offers out of the index (before their rows are deleted)."""
    ids = sorted(set(offer_ids))
    with transaction.atomic():
        old_words: Counter[str] = Counter()
        for words in SearchDocument.objects.filter(offer_id__in=ids).values_list(
            "words", flat=True
        ):
            old_words.update(words.split())
        if not SearchDocument.objects.filter(offer_id__in=ids).exists():
            return
        stamp = _next_generation()
        _delete(ids)
        _remove_terms(old_words)
        _log_changes(stamp, ids)


def offers_using_concept(concept_id: int) -> list[int]:
    ids = set(Offer.objects.filter(intervention_type_id=concept_id).values_list("pk", flat=True))
    for name in ("themes", "target_groups", "working_elements"):
        through = getattr(Offer, name).through
        ids.update(through.objects.filter(concept_id=concept_id).values_list("offer_id", flat=True))
    return sorted(ids)


def _empty_index() -> None:
    with connection.cursor() as cursor:
        for table in (
            "directory_searchpoint",
            "directory_searchvector",
            "directory_searchdocument",
            "directory_searchterm",
        ):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
        if connection.vendor == "sqlite":
            for table, create in SQLITE_TABLES.items():
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
                cursor.execute(create)
        elif connection.vendor == "postgresql":
            for name in POSTGRES_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")


def rebuild_index(progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the whole index from the offers, in one transaction; returns the offer count.

    Bulk: documents are built per 2,000 offers and inserted in batches; on PostgreSQL the GIN
    indexes are dropped first and built once at the end, which is much faster.
    """
    concepts = concept_texts()
    all_ids = list(Offer.objects.order_by("pk").values_list("pk", flat=True))
    words: Counter[str] = Counter()
    with transaction.atomic():
        stamp = _next_generation()
        _empty_index()
        done = 0
        for chunk in _chunks(all_ids, CHUNK):
            built = list(build_documents(chunk, concepts))
            for b in built:
                words.update(b.word_set)
            _insert(built)
            done += len(chunk)
            if progress:
                progress(done, len(all_ids))
        terms = SearchTerm.objects.bulk_create(
            [SearchTerm(word=w, stem=stem(w), doc_count=n) for w, n in sorted(words.items())],
            batch_size=1000,
        )
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.executemany(
                    f"INSERT INTO {TRIGRAM_TABLE}(rowid, word) VALUES (%s, %s)",  # noqa: S608
                    [(t.pk, t.word) for t in terms],
                )
            elif connection.vendor == "postgresql":
                # Django's foreign keys are deferred; their pending checks block CREATE INDEX.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for create in POSTGRES_INDEXES.values():
                    cursor.execute(create)
                cursor.execute("ANALYZE directory_searchdocument")
                cursor.execute("ANALYZE directory_searchvector")
                cursor.execute("ANALYZE directory_searchterm")
        IndexChange.objects.all()._raw_delete(connection.alias)
        _log_changes(stamp, [None])
    return len(all_ids)
