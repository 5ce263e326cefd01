"""Suggest concepts for an organisation's local name ("Maatjesproject Zwolle" → maatjesproject).

The local name is normalised and stripped of noise (place names, the organisation's own name,
generic filler), then compared with every label and synonym of the accepted concepts by
several rapidfuzz scorers, so word order, extra words and Dutch compounds
("SchuldHulpMaatje", "huiswerk-ondersteuning") still match. The user says which list
(scheme) they are mapping to, usually the intervention types; only that list's terms compete,
as most misses across all lists were a word shared by two lists ("ouderen" is a target group,
"maatjes voor ouderen" an intervention). Measured on the 40 realistic names in
``tests/data/local_names.json`` and on 20 held-out names in ``local_names_holdout.json``.
"""

import re
import threading
from dataclasses import dataclass

from django.db.models import Count, Max
from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz

from meerwaarde.organisations.models import Organisation
from meerwaarde.places.models import Place
from meerwaarde.vocabulary.constants import ConceptStatus
from meerwaarde.vocabulary.models import Concept, LocalNameMapping
from meerwaarde.vocabulary.normalise import normalise

# Words that say nothing about what an offer is. Deliberately short: "welzijn", "hulp" or
# "team" can matter ("welzijn op recept", "sociaal wijkteam"), so they stay.
_STOPWORDS_TEXT = """
    de het een en of van voor in op bij met aan door naar om over uit tot je jij jouw uw u
    wij we ons onze hun ze zij elke elk iedere alle al als dan
"""
_FILLER_TEXT = """
    project projecten stichting vereniging organisatie programma gemeente gemeentelijk
    regio regionaal lokaal noord oost zuid west centrum jaar jarigen plus nieuw nieuwe amp st
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
FILLER = frozenset(_FILLER_TEXT.split())
REMEMBERED = _("eerder gekoppeld")
_MIN_SCORE = 50


@dataclass(frozen=True)
class Suggestion:
    concept: Concept
    score: int
    reason: str

    @property
    def quality(self) -> str:
        if self.score >= 85:
            return str(_("goede match"))
        if self.score >= 70:
            return str(_("redelijke match"))
        return str(_("mogelijke match"))

    def __iter__(self):
        # Lets callers unpack a suggestion as (concept, score, reason).
        return iter((self.concept, self.score, self.reason))


@dataclass(frozen=True)
class _Index:
    fingerprint: tuple
    terms: list[str]  # cleaned, comparable terms
    compact: list[str]  # the same terms without spaces, for compounds
    concept_ids: list[int]  # concept of each term
    schemes: list[str]  # code of the concept scheme of each term
    kinds: list[str]  # "label" or "synonym", for the reason shown to the user
    originals: list[str]
    protected: frozenset[str]  # words of the vocabulary itself: never stripped as noise
    concept_words: dict[int, frozenset[str]]


_lock = threading.Lock()
_index: _Index | None = None
_places: tuple[int, frozenset[str]] | None = None


def _content_words(text: str) -> list[str]:
    return [
        w
        for w in normalise(text).split()
        if w not in STOPWORDS and w not in FILLER and not w.isdigit()
    ]


def _fingerprint() -> tuple:
    """Cheap to ask each time; changes whenever a concept is created, changed or deleted.

    Asking the database, rather than clearing the cache on a save signal, also keeps other
    processes and rolled-back transactions honest.
    """
    row = Concept.objects.aggregate(n=Count("id"), changed=Max("updated_at"))
    return (row["n"], row["changed"])


def _build_index(fingerprint: tuple) -> _Index:
    terms, compact, ids, schemes, kinds, originals, protected = [], [], [], [], [], [], set()
    concept_words: dict[int, set[str]] = {}
    rows = Concept.objects.filter(status=ConceptStatus.ACCEPTED).values_list(
        "id", "scheme__code", "pref_label_nl", "pref_label_en", "synonyms"
    )
    for pk, scheme, label_nl, label_en, synonyms in rows:
        candidates = [(label_nl, "label"), (label_en, "label")]
        # "Erop-af-aanpak (outreachend werken)": both the label and what is in brackets.
        candidates += [(part, "label") for part in re.findall(r"\(([^)]+)\)", label_nl)]
        candidates.append((re.sub(r"\([^)]*\)", " ", label_nl), "label"))
        candidates += [(s, "synonym") for s in synonyms or []]
        for original, kind in candidates:
            words = _content_words(original)
            if not words:
                continue
            protected.update(words)
            concept_words.setdefault(pk, set()).update(words)
            terms.append(" ".join(words))
            compact.append("".join(words))
            ids.append(pk)
            schemes.append(scheme)
            kinds.append(kind)
            originals.append(original)
    return _Index(
        fingerprint,
        terms,
        compact,
        ids,
        schemes,
        kinds,
        originals,
        frozenset(protected),
        {pk: frozenset(words) for pk, words in concept_words.items()},
    )


def _get_index() -> _Index:
    global _index
    fingerprint = _fingerprint()
    with _lock:
        if _index is None or _index.fingerprint != fingerprint:
            _index = _build_index(fingerprint)
        return _index


def clear_caches() -> None:
    """Forget the term index and the place names; tests call it, as rolled-back rows can leave
    a table with the same count (and so the same fingerprint) but other content."""
    global _index, _places
    with _lock:
        _index = None
        _places = None


def _place_names() -> frozenset[str]:
    """Normalised names and aliases of all Dutch places, cached until the places table changes."""
    global _places
    count = Place.objects.count()
    with _lock:
        if _places is None or _places[0] != count:
            names: set[str] = set()
            for name, aliases in Place.objects.values_list("search_name", "aliases"):
                names.add(normalise(name))
                names.update(normalise(a) for a in aliases.split("|") if a)
            names.discard("")
            _places = (count, frozenset(names))
        return _places[1]


def clean_local_name(
    local_name: str, *, organisation: Organisation | None, index: _Index
) -> list[str]:
    """The words of a local name that can say what it is, with places and the own name removed.

    Place names are matched before stop words go, so "Bergen op Zoom" is recognised whole.
    """
    words = normalise(local_name).split()
    own_name = set(normalise(organisation.name).split()) if organisation is not None else set()
    places = _place_names()
    kept: list[str] = []
    i = 0
    while i < len(words):
        # Longest place name first: "bergen op zoom" before "bergen".
        for size in (4, 3, 2, 1):
            phrase = " ".join(words[i : i + size])
            whole = len(words[i : i + size]) == size
            # A one-word place that is also a vocabulary word ("Buren") is kept.
            if whole and phrase in places and (size > 1 or phrase not in index.protected):
                i += size
                break
        else:
            if words[i] not in own_name or words[i] in index.protected:
                kept.append(words[i])
            i += 1
    # A name that is only a place or the organisation's name ("Zwolle") suggests nothing.
    return _content_words(" ".join(kept))


def _term_score(query: str, query_compact: str, term: str, term_compact: str) -> float:
    """How well one label or synonym matches the whole name, 0–100.

    Whole-string scorers (word order free, and without spaces so compounds match split
    words), and containment scorers discounted by how much of the longer string they cover,
    so "mantelzorg" inside "mantelzorgsteunpunt drechtsteden" counts, but less than
    "mantelzorgsteunpunt".
    """
    shorter = min(len(query_compact), len(term_compact))
    coverage = shorter / max(len(query_compact), len(term_compact), 1)
    discount = 0.5 + 0.5 * coverage
    whole = max(fuzz.token_sort_ratio(query, term), fuzz.ratio(query_compact, term_compact))
    inside = fuzz.partial_ratio(query_compact, term_compact) if shorter >= 5 else 0
    return max(whole, inside * discount, fuzz.token_set_ratio(query, term) * discount)


def _word_similarity(word: str, other: str) -> float:
    """0–1; a word inside a compound ("straat" in "straatwerk") counts by its share of it."""
    if word == other:
        return 1.0
    similarity = fuzz.ratio(word, other) / 100
    short, long = sorted((word, other), key=len)
    if len(short) >= 5 and short in long:
        similarity = max(similarity, 0.5 + 0.5 * len(short) / len(long))
    return similarity


def _coverage(words: list[str], concept_words: frozenset[str]) -> float:
    """How much of the name (by letters) the concept's words explain, 0–100."""
    total = sum(len(w) for w in words)
    explained = sum(len(w) * max(_word_similarity(w, v) for v in concept_words) for w in words)
    return 100 * explained / total


# Weights found on the 40-name test set and left on a plateau (neighbouring values give the
# same hit rate): the best term dominates, a second matching term and the share of the name
# explained by the concept's words break the near-ties between related concepts.
_SECOND_TERM_WEIGHT = 0.2
_COVERAGE_WEIGHT = 0.3


def suggest_concepts(
    *,
    local_name: str,
    organisation: Organisation | None = None,
    scheme: str | None = None,
    limit: int = 5,
) -> list[Suggestion]:
    """The best matching accepted concepts, best first; a remembered mapping leads.

    ``scheme`` (a concept scheme's code) limits the suggestions to that list; ``None`` searches
    all lists. A remembered mapping comes first whatever its list: the organisation chose it.
    """
    results: list[Suggestion] = []
    seen: set[int] = set()
    if organisation is not None:
        mapping = (
            LocalNameMapping.objects.filter(
                organisation=organisation, normalised_name=normalise(local_name)
            )
            .select_related("concept", "concept__scheme", "concept__replaced_by__scheme")
            .first()
        )
        if mapping is not None:
            concept = mapping.concept
            # A remembered concept that has since been deprecated points to its replacement.
            while concept.replaced_by is not None:
                concept = concept.replaced_by
            results.append(Suggestion(concept, 100, str(REMEMBERED)))
            seen.add(concept.pk)

    index = _get_index()
    words = clean_local_name(local_name, organisation=organisation, index=index)
    if not words or not index.terms:
        return results[:limit]
    query, query_compact = " ".join(words), "".join(words)
    per_concept: dict[int, list[tuple[float, int]]] = {}
    for position, (term, compact) in enumerate(zip(index.terms, index.compact, strict=True)):
        if scheme is not None and index.schemes[position] != scheme:
            continue
        score = _term_score(query, query_compact, term, compact)
        per_concept.setdefault(index.concept_ids[position], []).append((score, position))
    ranked: list[tuple[float, int, int]] = []
    for pk, scores in per_concept.items():
        scores.sort(reverse=True)
        best, position = scores[0]
        second = scores[1][0] if len(scores) > 1 else 0.0
        term_part = (1 - _SECOND_TERM_WEIGHT) * best + _SECOND_TERM_WEIGHT * second
        score = (1 - _COVERAGE_WEIGHT) * term_part + _COVERAGE_WEIGHT * _coverage(
            words, index.concept_words[pk]
        )
        if score >= _MIN_SCORE:
            ranked.append((score, pk, position))
    ranked.sort(key=lambda row: (-row[0], len(index.terms[row[2]])))
    wanted = [(pk, score, position) for score, pk, position in ranked if pk not in seen]
    wanted = wanted[: max(limit - len(results), 0)]
    concepts = Concept.objects.select_related("scheme").in_bulk([pk for pk, _s, _p in wanted])
    for pk, score, position in wanted:
        original = index.originals[position]
        if index.kinds[position] == "synonym":
            reason = _("lijkt op synoniem ‘%(term)s’") % {"term": original}
        else:
            reason = _("lijkt op ‘%(term)s’") % {"term": original}
        results.append(Suggestion(concepts[pk], round(score), str(reason)))
    return results[:limit]
