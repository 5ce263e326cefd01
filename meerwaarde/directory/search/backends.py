"""What each database answers for the search: postings of a stem, and spelling candidates.

Everything else (scoring, filters, distance, facets) is shared Python in ``service.py``, so the
two backends differ only here. Stems are always quoted, never pasted into query syntax.
"""

from dataclasses import dataclass
from typing import Protocol

from django.db import connection

from meerwaarde.directory.index import FTS_TABLE, TRIGRAM_TABLE

# Where a stem is looked for: the name (weight A), the concepts (B) or anywhere.
FIELD_NAME = "name"
FIELD_CONCEPTS = "concepts"
FIELD_ANY = "any"
CANDIDATE_LIMIT = 100


@dataclass(frozen=True)
class Term:
    word: str
    stem: str
    doc_count: int


class Backend(Protocol):
    def postings(self, field: str, stem: str, *, prefix: bool) -> list[int]:
        """Ids of the indexed offers with ``stem`` (or a stem starting with it) in ``field``."""
        ...

    def candidates(self, word: str) -> list[Term]:
        """Dictionary words sharing trigrams with ``word``: the spelling candidates."""
        ...


def trigrams(word: str) -> list[str]:
    return list(dict.fromkeys(word[i : i + 3] for i in range(len(word) - 2)))


def _fts_string(text: str) -> str:
    """An FTS5 string literal: any characters, with double quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


class SqliteBackend:
    def postings(self, field: str, stem: str, *, prefix: bool) -> list[int]:
        expression = _fts_string(stem) + ("*" if prefix else "")
        if field != FIELD_ANY:
            expression = f"{{{field}}} : {expression}"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
                [expression],
            )
            return [row[0] for row in cursor.fetchall()]

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


def _tsquery(field: str, stem: str, *, prefix: bool) -> str:
    """A tsquery in its input syntax, so no parser or dictionary touches the stem."""
    lexeme = "'" + stem.replace("\\", "\\\\").replace("'", "''") + "'"
    weight = {FIELD_NAME: "A", FIELD_CONCEPTS: "B"}.get(field, "")
    suffix = ("*" if prefix else "") + weight
    return f"{lexeme}:{suffix}" if suffix else lexeme


class PostgresBackend:
    def postings(self, field: str, stem: str, *, prefix: bool) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT offer_id FROM directory_searchdocument WHERE search_vector @@ %s::tsquery",
                [_tsquery(field, stem, prefix=prefix)],
            )
            return [row[0] for row in cursor.fetchall()]

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
