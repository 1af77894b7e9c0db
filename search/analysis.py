"""Norwegian text analysis shared by indexing and querying: words, folding, stemming, stop
words and the domain synonyms (data/synonyms.yaml).

The same functions produce the terms a document is indexed under and the terms a query
looks for, so "bostedsløse" finds "bostedsløs", "Ovre Eiker" finds "Øvre Eiker", and a
query with "Hjem først" finds a text that says "Housing First".
"""

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import snowballstemmer
import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
WORD_RE = re.compile(r"\w+", re.UNICODE)
MAX_WORD_LENGTH = 60
# Letters that Unicode does not decompose into a base letter plus a mark.
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "å": "a", "ß": "ss", "đ": "d", "ð": "d", "þ": "th", "ł": "l"})

_stemmer = snowballstemmer.stemmer("norwegian")


@functools.lru_cache(maxsize=100_000)
def fold(word):
    """Lower-case ASCII-ish form: «Øvre» and «Ovre» both become «ovre»."""
    word = word.casefold().translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text):
    """The words of ``text`` in lower case, underscores dropped, overlong words cut short."""
    if not text:
        return []
    result = []
    for match in WORD_RE.finditer(unicodedata.normalize("NFC", text).casefold()):
        word = match.group().strip("_")[:MAX_WORD_LENGTH]
        if word:
            result.append(word)
    return result


@functools.cache
def stopwords():
    text = (DATA_DIR / "stopwords_nb.txt").read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


@functools.lru_cache(maxsize=50_000)
def stem(word):
    """The folded Snowball stem: bolig, boligen, boligene -> «bol».

    Stemmed until it stays the same: Snowball takes one suffix at a time, so «leietakere» gives
    «leietaker» while «leietaker» gives «leietak»; stemming the stem again brings the forms of a
    word in -er (leietaker, leietakeren, leietakere) to one term."""
    current = _stemmer.stemWord(word)
    for _ in range(3):
        shorter = _stemmer.stemWord(current)
        if shorter == current:
            break
        current = shorter
    return fold(current)


def is_stopword(word):
    return word in stopwords()


@dataclass(frozen=True)
class SynonymGroup:
    key: str  # the canonical term, e.g. "=housing first"
    phrases: tuple  # each phrase a tuple of folded words


@functools.cache
def synonym_groups():
    groups = []
    for entries in yaml.safe_load((DATA_DIR / "synonyms.yaml").read_text(encoding="utf-8")) or []:
        phrases = tuple(tuple(fold(w) for w in words(str(entry))) for entry in entries)
        phrases = tuple(p for p in phrases if p)
        if phrases:
            groups.append(SynonymGroup(key="=" + " ".join(phrases[0]), phrases=phrases))
    return tuple(groups)


def find_synonyms(folded_words):
    """[(start, end, group)] for every synonym phrase in the folded word list, longest first."""
    found = []
    taken = set()
    candidates = []
    for group in synonym_groups():
        for phrase in group.phrases:
            n = len(phrase)
            for start in range(len(folded_words) - n + 1):
                if tuple(folded_words[start : start + n]) == phrase:
                    candidates.append((start, start + n, group))
    for start, end, group in sorted(candidates, key=lambda c: (-(c[1] - c[0]), c[0])):
        if not taken.intersection(range(start, end)):
            taken.update(range(start, end))
            found.append((start, end, group))
    return sorted(found, key=lambda c: c[0])


def is_searchable_word(word):
    """Words the index holds and a query needs: not stop words, not single letters («e-post»
    gives «e», «x» is noise), but single digits («§ 3-7» gives «3»)."""
    return not is_stopword(word) and (len(word) >= 2 or word.isdigit())


def index_terms(text):
    """Terms a text is indexed under: the stems of its words plus its synonym groups' keys.

    Returns {term: count} and {folded word: stem} (the vocabulary, for prefix search).
    """
    counts, vocabulary = {}, {}
    text_words = words(text)
    for word in text_words:
        if not is_searchable_word(word):
            continue
        term = stem(word)
        counts[term] = counts.get(term, 0) + 1
        vocabulary[fold(word)] = term
    for _start, _end, group in find_synonyms([fold(w) for w in text_words]):
        counts[group.key] = counts.get(group.key, 0) + 1
    return counts, vocabulary


@dataclass(frozen=True)
class QueryTerm:
    """One thing the user asked for: a word (by stem and folded form) or a synonym group."""

    text: str  # as the user wrote it, for highlighting and suggestions
    folded: str
    stem: str  # the word's stem, or the synonym group's key for a phrase
    synonym: str = ""

    @property
    def terms(self):
        """Index terms that satisfy this query term."""
        return {self.stem, self.synonym} - {""}

    @property
    def is_word(self):
        return " " not in self.folded


def query_terms(text):
    """The query's terms: synonym phrases become one term; what the index leaves out (stop words,
    single letters) is dropped, so it cannot make a query find nothing."""
    text_words = words(text)
    folded = [fold(w) for w in text_words]
    spans = {start: (end, group) for start, end, group in find_synonyms(folded)}
    result, i = [], 0
    while i < len(text_words):
        if i in spans:
            end, group = spans[i]
            phrase = " ".join(text_words[i:end])
            single = end - i == 1
            result.append(
                QueryTerm(
                    text=phrase,
                    folded=" ".join(folded[i:end]),
                    stem=stem(text_words[i]) if single else group.key,
                    synonym=group.key,
                )
            )
            i = end
            continue
        word = text_words[i]
        if is_searchable_word(word):
            result.append(QueryTerm(text=word, folded=folded[i], stem=stem(word)))
        i += 1
    # The same term twice adds nothing.
    unique, seen = [], set()
    for term in result:
        if term.stem not in seen:
            seen.add(term.stem)
            unique.append(term)
    return unique
