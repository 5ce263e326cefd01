"""The contract of the directory search: what the page, the API and the benchmark ask, and
what every backend answers. Both backends must give the same answers to the same params."""

from dataclasses import dataclass, field

PROXIMITY_CHOICES_KM = (5, 10, 25, 50)
DEFAULT_PROXIMITY_KM = 10
MAX_QUERY_LENGTH = 200
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

# The filter dimensions with facet counts, in the order the page shows them.
FACET_THEMES = "themes"
FACET_TARGET_GROUPS = "target_groups"
FACET_INTERVENTION_TYPES = "intervention_types"
FACET_FREE = "free"
FACET_WALK_IN = "walk_in"


@dataclass(frozen=True)
class SearchParams:
    """A validated search. ``lat``/``lon`` are set together (from a place or given directly)."""

    q: str = ""
    lat: float | None = None
    lon: float | None = None
    proximity_km: int = DEFAULT_PROXIMITY_KM
    themes: tuple[str, ...] = ()  # concept codes; an offer matches when it has any of them
    target_groups: tuple[str, ...] = ()
    intervention_types: tuple[str, ...] = ()
    free_only: bool = False
    walk_in_only: bool = False
    age: int | None = None  # offers whose age range includes this age (open ends included)
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    @property
    def has_place(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True)
class SearchHit:
    offer_id: int
    score: float  # higher is better; relevance combined with distance
    distance_km: float | None  # to the nearest location; 0.0 inside an area offer's reach
    # Stems that matched (after spelling correction and synonym expansion), for highlighting.
    matched_stems: frozenset[str] = frozenset()


@dataclass(frozen=True)
class FacetValue:
    value: str  # concept code, or "1" for the yes/no facets
    count: int


@dataclass
class SearchResult:
    params: SearchParams
    hits: list[SearchHit]
    total: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    # The query as searched after spelling correction, when it differs from what was typed.
    corrected_q: str | None = None
    # Words of the query that matched nothing and had no close spelling.
    unknown_words: tuple[str, ...] = ()

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.params.page_size))
