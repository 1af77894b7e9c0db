"""The contract every search backend fulfils, so that no view ever branches on the backend."""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

FACETS = ("tag", "theme", "target_group", "county", "size", "law", "type", "year")
SORTS = ("relevance", "newest", "title")
# Shared by every backend, so they find and count alike: the most values shown per facet, and
# the shortest query word that also matches indexed words starting with it (compounds).
MAX_FACET_VALUES = 50


@dataclass(frozen=True)
class BackendQuery:
    """What to find: analysed query terms (all must match), facet filters (OR within a facet,
    AND across facets), required groups from the query, a sort order and a window of hits."""

    terms: tuple = ()
    filters: dict = field(default_factory=dict)  # facet -> tuple of values
    # Conditions from the query itself (law citations): each group is a tuple of (facet, value)
    # pairs of which a document must have one; always applied, also when counting facets.
    required: tuple = ()
    sort: str = "relevance"
    offset: int = 0
    limit: int = 20
    facets: tuple = FACETS
    # Quoted phrases from the query (each a str as typed): the words must stand together, in
    # this order. Their words are in ``terms`` too.
    phrases: tuple = ()


@dataclass(frozen=True)
class FacetCount:
    value: str
    label: str
    count: int


@dataclass
class Hit:
    page_id: int
    score: float = 0.0
    snippet: str = ""  # HTML: escaped text with <mark> around matches


@dataclass
class BackendResult:
    total: int
    hits: list
    facets: dict  # facet -> [FacetCount], counted under the other facets' filters


class SearchBackend(ABC):
    name = "abstract"

    @abstractmethod
    def search(self, query: BackendQuery) -> BackendResult:
        """Hits for the current window only, the total, and the facet counts."""

    @abstractmethod
    def title_suggestions(self, folded_prefix: str, limit: int = 8) -> list:
        """Published pages whose title, or a word of it, starts with ``folded_prefix`` (folded as
        by ``analysis.fold``): [{"label", "kind": "side", "url"}], alphabetical. Tags and laws are
        suggested by the service, the same for every backend."""

    @abstractmethod
    def known_words(self, folded_words) -> set:
        """Which of the (folded) words occur in the index: for spelling suggestions."""

    @abstractmethod
    def similar_words(self, folded_word, limit=3) -> list:
        """Indexed words spelt like ``folded_word``."""
