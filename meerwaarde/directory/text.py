"""Dutch text handling shared by both search backends, the highlighting and the tests.

The stemmer is Snowball's original Dutch algorithm (``dutch_porter`` in snowballstemmer 3,
the algorithm behind PostgreSQL's ``dutch`` dictionary), and the stop words are PostgreSQL's
Dutch list, so a word gets the same stem whichever backend indexes or queries it (ADR 0005).
"""

import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

import snowballstemmer

STEMMER_ALGORITHM = "dutch_porter"
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_STOP_FILE = Path(__file__).parent / "data" / "dutch.stop"


@cache
def stopwords() -> frozenset[str]:
    return frozenset(
        line.strip() for line in _STOP_FILE.read_text(encoding="utf-8").splitlines() if line.strip()
    )


@cache
def _stemmer():  # type: ignore[no-untyped-def]
    return snowballstemmer.stemmer(STEMMER_ALGORITHM)


def words(text: str) -> list[str]:
    """The words of ``text``, lower-cased, in order; letters and digits only."""
    return _WORD.findall(unicodedata.normalize("NFC", text).casefold())


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return str(_stemmer().stemWord(word.casefold()))


def content_words(text: str) -> list[str]:
    """The words that carry meaning: stop words left out, order kept."""
    stop = stopwords()
    return [w for w in words(text) if w not in stop]


def stems(text: str) -> list[str]:
    """The stems of the content words of ``text``, in order (duplicates kept)."""
    return [stem(w) for w in content_words(text)]
