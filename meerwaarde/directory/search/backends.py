"""What each database answers for the search: postings of a stem, and spelling candidates.

Everything else (scoring, filters, distance, facets) is shared Python in ``service.py``, so the
two backends differ only here. Stems are always quoted, never pasted into query syntax.
"""

from dataclasses import dataclass
from typing import Protocol

import numpy as np
from django.db import connection

from meerwaarde.directory.index import FTS_TABLE, TRIGRAM_TABLE

# Where a stem is looked for: the name (weight A), the concepts (B) or anywhere.
FIELD_NAME = "name"
FIELD_CONCEPTS = "concepts"
FIELD_BODY = "body"
FIELD_ANY = "any"
# In the name or the other text, but not in the concepts: with the concepts' postings, which
# the store derives from its concept bitsets, this makes "anywhere" without fetching the
# (often many) offers that have a common concept word.
FIELD_NOT_CONCEPTS = "not_concepts"
CANDIDATE_LIMIT = 100


@dataclass(frozen=True)
class Term:
    word: str
    stem: str
    doc_count: int


Posting = tuple[str, str, bool]  # field, stem, prefix


class Backend(Protocol):
    def postings(self, field: str, stem: str, *, prefix: bool) -> np.ndarray:
        """Ids of the indexed offers with ``stem`` (or a stem starting with it) in ``field``."""
        ...

    def postings_many(self, wanted: list[Posting]) -> list[np.ndarray]:
        """``postings`` of each of ``wanted``, in that order."""
        ...

    def candidates(self, word: str) -> list[Term]:
        """Dictionary words sharing trigrams with ``word``: the spelling candidates."""
        ...


def _ids(joined: str | None) -> np.ndarray:
    """The ids of ``"3,17,42"``: numpy parses the string ten times faster than ``int()``."""
    if not joined:
        return np.zeros(0, dtype=np.int64)
    return np.fromstring(joined, dtype=np.int64, sep=",")


def trigrams(word: str) -> list[str]:
    return list(dict.fromkeys(word[i : i + 3] for i in range(len(word) - 2)))


def _fts_string(text: str) -> str:
    """An FTS5 string literal: any characters, with double quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


class SqliteBackend:
    def postings(self, field: str, stem: str, *, prefix: bool) -> np.ndarray:
        expression = _fts_string(stem) + ("*" if prefix else "")
        if field == FIELD_NOT_CONCEPTS:
            return self._match(f"{{name body}} : {expression} NOT {{concepts}} : {expression}")
        if field != FIELD_ANY:
            expression = f"{{{field}}} : {expression}"
        return self._match(expression)

    def postings_many(self, wanted: list[Posting]) -> list[np.ndarray]:
        # In process: a query costs no round trip, so one per posting is as fast.
        return [self.postings(field, stem, prefix=prefix) for field, stem, prefix in wanted]

    def _match(self, expression: str) -> np.ndarray:
        with connection.cursor() as cursor:
            # One string rather than a row per offer: the rows were most of the cost.
            cursor.execute(
                f"SELECT group_concat(rowid) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
                [expression],
            )
            return _ids(cursor.fetchone()[0])

    def candidates(self, word: str) -> list[Term]:
        grams = trigrams(word)
        if not grams:
            return []
        expression = " OR ".join(_fts_string(g) for g in grams)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT t.word, t.stem, t.doc_count FROM {TRIGRAM_TABLE} g "  # noqa: S608
                "JOIN directory_searchterm t ON t.id = g.rowid "
                f"WHERE {TRIGRAM_TABLE} MATCH %s ORDER BY g.rank LIMIT %s",
                [expression, CANDIDATE_LIMIT],
            )
            return [Term(*row) for row in cursor.fetchall()]


def _tsquery(stem: str, *, prefix: bool) -> str:
    """A tsquery in its input syntax, so no parser or dictionary touches the stem."""
    lexeme = "'" + stem.replace("\\", "\\\\").replace("'", "''") + "'"
    return f"{lexeme}:*" if prefix else lexeme


_PG_WHERE = {
    FIELD_NAME: "name_vector @@ %s::tsquery",
    FIELD_BODY: "body_vector @@ %s::tsquery",
    FIELD_NOT_CONCEPTS: "(name_vector @@ %s::tsquery OR body_vector @@ %s::tsquery)",
}


class PostgresBackend:
    def postings(self, field: str, stem: str, *, prefix: bool) -> np.ndarray:
        """For ``FIELD_NOT_CONCEPTS`` this answers the name or the text, concepts or not: the
        store takes the concepts off in memory, cheaper than a third vector to filter on."""
        return self.postings_many([(field, stem, prefix)])[0]

    def postings_many(self, wanted: list[Posting]) -> list[np.ndarray]:
        """All in one scan: the rows matching any of them, each list picked by a filter. A
        term needs up to three postings (its prefix anywhere and in the name, the whole word
        in the name), and one scan of the common rows costs less than three."""
        if not wanted:
            return []
        columns, where, column_params, where_params = [], [], [], []
        for field, stem, prefix in wanted:
            condition = _PG_WHERE[field]
            values = [_tsquery(stem, prefix=prefix)] * condition.count("%s")
            # One string rather than a row per offer: the rows were most of the cost.
            columns.append(f"string_agg(document_id::text, ',') FILTER (WHERE {condition})")
            where.append(condition)
            column_params += values
            where_params += values
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {', '.join(columns)} FROM directory_searchvector "  # noqa: S608
                f"WHERE {' OR '.join(where)}",
                column_params + where_params,
            )
            return [_ids(joined) for joined in cursor.fetchone()]

    def candidates(self, word: str) -> list[Term]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word, stem, doc_count FROM directory_searchterm "
                "WHERE word %% %s ORDER BY similarity(word, %s) DESC, word LIMIT %s",
                [word, word, CANDIDATE_LIMIT],
            )
            return [Term(*row) for row in cursor.fetchall()]


def backend() -> Backend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteBackend()
    raise NotImplementedError(f"Geen zoekfunctie voor database {connection.vendor}")
