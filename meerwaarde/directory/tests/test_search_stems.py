"""ADR 0005: Python's stems are PostgreSQL's ``dutch_stem`` for every word that matters."""

import json
from pathlib import Path

import pytest
from django.db import connection

from meerwaarde.directory.text import stem, words

DATA = Path(__file__).resolve().parents[1] / "data"
VOCABULARY = Path(__file__).resolve().parents[2] / "vocabulary" / "data" / "vocabulary.json"


def vocabulary_and_corpus_words() -> set[str]:
    vocabulary = json.loads(VOCABULARY.read_text(encoding="utf-8"))
    texts = [
        " ".join([c["label_nl"], *c["synonyms"]])
        for scheme in vocabulary["schemes"]
        for c in scheme["concepts"]
    ]
    for offer in json.loads((DATA / "relevance_offers.json").read_text(encoding="utf-8")):
        texts.extend([offer["name"], offer["description"], offer.get("sign_up", "")])
    for query in json.loads((DATA / "relevance_queries.json").read_text(encoding="utf-8")):
        texts.append(query["q"])
    return {w for text in texts for w in words(text)}


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's dictionary")
def test_python_stems_equal_postgresqls_dutch_stem():
    found = sorted(vocabulary_and_corpus_words())
    assert len(found) > 1000
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w, (ts_lexize('dutch_stem', w))[1] FROM unnest(%s::text[]) AS w", [found]
        )
        theirs = dict(cursor.fetchall())
    # ts_lexize gives no lexeme for a stop word; those never reach the index.
    differ = {w: (stem(w), theirs[w]) for w in found if theirs[w] and stem(w) != theirs[w]}
    assert not differ, differ
