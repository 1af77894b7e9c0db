"""Norwegian text analysis shared by indexing and querying: words, folding, stemming (bokmål,
nynorsk and the common irregular forms), compounds, stop words, the domain synonyms
(data/synonyms.yaml) and the English domain terms (data/english.yaml).

The same functions produce the terms a document is indexed under and the terms a query
looks for, so "bostedsløse" finds "bostedsløs", "Ovre Eiker" finds "Øvre Eiker", "bustad"
finds "bolig", "garanti" finds "depositumsgaranti" and "homeless" finds "bostedsløs".

Index terms are plain stems ("bol"), synonym group keys ("=housing first"), compound parts
("~garanti", found at a lower weight, see ``PART_WEIGHT``) and a compound's parts joined
("~depositum+garanti", so «depositumgaranti» and «depositumsgaranti» are one word).
"""

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from itertools import chain, compress
from pathlib import Path

import snowballstemmer
import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
WORD_RE = re.compile(r"\w+", re.UNICODE)
MAX_WORD_LENGTH = 60
# A query word this long or longer also finds indexed words it begins (QueryTerm.prefix).
PREFIX_MIN_LENGTH = 4
# Letters that Unicode does not decompose into a base letter plus a mark.
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "å": "a", "ß": "ss", "đ": "d", "ð": "d", "þ": "th", "ł": "l"})
# Characters that are invisible in text and must never split a word: zero-width space, (non-)joiners,
# word joiner, byte order mark / zero-width no-break space, soft hyphen, Mongolian vowel separator.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
_DROP_INVISIBLE = str.maketrans(dict.fromkeys(INVISIBLE))
# Quoted phrases in a query: "tett oppfølging", «tett oppfølging», “tett oppfølging”.
QUOTE_CHARS = '"“”«»„‟'
PHRASE_RE = re.compile(rf"[{QUOTE_CHARS}]([^{QUOTE_CHARS}]+)[{QUOTE_CHARS}]")

PART_PREFIX = "~"  # index terms for the parts of compound words
PART_WEIGHT = 0.5  # a part of a compound counts half as much as the word itself
COMPOUND_MIN_LENGTH = 7
PART_MIN_LENGTH = 3

_stemmer = snowballstemmer.stemmer("norwegian")


def strip_invisible(text):
    """``text`` without zero-width characters and soft hyphens: «bo\u00adlig» is «bolig»."""
    # Looking for each (rare) character first is much cheaper than translating every text.
    if text and any(char in text for char in INVISIBLE):
        return text.translate(_DROP_INVISIBLE)
    return text


@functools.lru_cache(maxsize=100_000)
def fold(word):
    """Lower-case ASCII-ish form: «Øvre» and «Ovre» both become «ovre»."""
    word = strip_invisible(word).casefold().translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text):
    """The words of ``text`` in lower case, underscores dropped, overlong words cut short;
    invisible characters (zero-width space, soft hyphen, …) are taken out first."""
    if not text:
        return []
    text = unicodedata.normalize("NFC", strip_invisible(text)).casefold()
    found = WORD_RE.findall(text)
    if "_" not in text and max(map(len, found), default=0) <= MAX_WORD_LENGTH:
        return found  # nothing to strip or cut (the usual case: no per-word work)
    return [word for word in (match.strip("_")[:MAX_WORD_LENGTH] for match in found) if word]


@functools.cache
def stopwords():
    text = (DATA_DIR / "stopwords_nb.txt").read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


def _load_yaml(name):
    return yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8")) or {}


# --- word forms: irregular bokmål forms and nynorsk ------------------------------------------


@functools.cache
def irregular_forms():
    """{folded form: bokmål base form} for irregular verbs and nouns Snowball cannot reduce
    (data/bokmal_forms.yaml): «bodde» -> «bo», «gikk» -> «gå»."""
    return {fold(str(form)): str(base) for form, base in _load_yaml("bokmal_forms.yaml").items()}


@functools.cache
def nynorsk_words():
    """{folded nynorsk word: bokmål word} from data/nynorsk.yaml."""
    pairs = {}
    for nynorsk, bokmal in _load_yaml("nynorsk.yaml").items():
        for form in [nynorsk] if isinstance(nynorsk, str) else nynorsk:
            pairs[fold(str(form))] = str(bokmal)
    return pairs


# Nynorsk inflection endings, longest first, with what the base form ends in instead:
# bustad-en/-ar/-ane, tenest-a/-er/-ene (teneste), busetjing-a/-ar/-ane, heimlaus-e.
NYNORSK_ENDINGS = (
    ("ingane", "ing"),
    ("ingar", "ing"),
    ("inga", "ing"),
    ("ane", ""),
    ("ene", ""),
    ("ene", "e"),
    ("ar", ""),
    ("er", ""),
    ("er", "e"),
    ("en", ""),
    ("et", ""),
    ("a", "e"),
    ("a", ""),
    ("e", ""),
    ("t", ""),
)


BOKMAL_ENDINGS = frozenset({"ene", "er", "en", "et", "e", "t"})


@functools.lru_cache(maxsize=50_000)
def nynorsk_base(folded):
    """The bokmål word for a nynorsk word in any of its common forms, else None:
    «bustadane» -> «bolig», «tenesta» -> «tjeneste»."""
    pairs = nynorsk_words()
    if folded in pairs:
        return pairs[folded]
    for ending, base_ending in NYNORSK_ENDINGS:
        if folded.endswith(ending) and len(folded) - len(ending) >= 4:
            candidate = folded[: -len(ending)] + base_ending
            if candidate in pairs:
                # An ending bokmål shares stays on (bustadsosialt -> boligsosialt, heimlause ->
                # hjemløse); a nynorsk one is dropped (bustadane -> bolig).
                keep = ending if not base_ending and ending in BOKMAL_ENDINGS and " " not in pairs[candidate] else ""
                return pairs[candidate] + keep
    return None


def _snowball(word):
    """Snowball's stem, taken once more only when that removes a second «-er» (leietakere ->
    leietaker -> leietak), never another suffix (utkast must not become «utk»)."""
    current = _stemmer.stemWord(word)
    if current.endswith("er") and len(current) > 5:
        shorter = _stemmer.stemWord(current)
        if shorter == current[:-2]:
            current = shorter
    return current


@functools.lru_cache(maxsize=100_000)
def stem(word):
    """The folded stem that every form of a word shares: bolig, boligen, boligene -> «bol»;
    leietaker, leietakere, leietakerne -> «leietak»; nynorsk bustad, bustaden -> «bol»;
    sentre, senteret -> «sent»; bodde -> «bo»."""
    word = strip_invisible(word).casefold()
    folded = fold(word)
    base = irregular_forms().get(folded) or nynorsk_base(folded)
    if base:
        word = base.casefold()
        if " " in word:  # a nynorsk word for a bokmål phrase: its stems joined
            return " ".join(stem(part) for part in word.split())
    # Snowball knows no «-erne»: leietakerne is leietakere's definite form.
    if word.endswith("erne") and len(word) > 6:
        word = word[:-2]
    current = fold(_snowball(word))
    # Nouns in -er/-el with a plural in -re/-ler: «sentr» (sentre) is «sent» (senter).
    if current.endswith("tr") and len(current) >= 5:
        current = current[:-1]
    return current


def is_stopword(word):
    return word in stopwords()


def is_searchable_word(word):
    """Words the index holds and a query needs: not stop words, not single letters («e-post»
    gives «e», «x» is noise), but single digits («§ 3-7» gives «3»)."""
    return not is_stopword(word) and (len(word) >= 2 or word.isdigit())


# --- compounds -----------------------------------------------------------------------------


@functools.cache
def compound_parts():
    """Stems of the words a compound is split into: data/compound_parts.txt, the bokmål and
    nynorsk words of data/nynorsk.yaml and the Norwegian words of data/english.yaml."""
    text = (DATA_DIR / "compound_parts.txt").read_text(encoding="utf-8")
    vocabulary = [w for line in text.splitlines() if not line.startswith("#") for w in line.split()]
    vocabulary += list(nynorsk_words()) + [w for w in nynorsk_words().values() if " " not in w]
    for targets in _load_yaml("english.yaml").values():
        vocabulary += [str(t) for t in targets if " " not in str(t)]
    stems = {stem(w) for w in vocabulary}
    return frozenset(s for s in stems if len(s) >= PART_MIN_LENGTH and " " not in s)


def _part(piece):
    """The stem of ``piece`` if it is a known part, with or without a linking -s-/-e-."""
    parts = compound_parts()
    for candidate in (piece, piece[:-1] if piece[-1:] in "se" else None):
        if candidate and len(candidate) >= PART_MIN_LENGTH:
            candidate_stem = stem(candidate)
            if candidate_stem in parts:
                return candidate_stem
    return None


@functools.lru_cache(maxsize=50_000)
def split_compound(word, depth=0):
    """The stems of a compound's parts, or () if ``word`` is not a compound of known parts:
    «depositumsgarantien» -> ("depositum", "garanti"), «boligoppfølging» -> ("bol", "oppfolging").
    The last part is inflected (its stem is compared), earlier ones may end in a linking -s-/-e-;
    the longest known last part wins, and the head may be a compound itself."""
    if len(word) < COMPOUND_MIN_LENGTH or depth > 3 or not word.isalpha():
        return ()
    parts = compound_parts()
    for i in range(PART_MIN_LENGTH, len(word) - PART_MIN_LENGTH + 1):
        tail_stem = stem(word[i:])
        if tail_stem not in parts or len(tail_stem) < PART_MIN_LENGTH:
            continue
        head = word[:i]
        head_stem = _part(head)
        if head_stem:
            return (head_stem, tail_stem)
        for linked in (head, head[:-1] if head[-1] in "se" else None):
            inner = split_compound(linked, depth + 1) if linked else ()
            if inner:
                return (*inner, tail_stem)
    return ()


def compound_terms(word):
    """Extra index terms of a compound word: each part, and all parts joined."""
    parts = split_compound(word)
    if not parts:
        return []
    return [PART_PREFIX + part for part in dict.fromkeys(parts)] + [PART_PREFIX + "+".join(parts)]


# --- synonyms and English ------------------------------------------------------------------


@dataclass(frozen=True)
class SynonymGroup:
    key: str  # the canonical term, e.g. "=housing first"
    phrases: tuple  # each phrase a tuple of folded words (for highlighting)
    stems: tuple = ()  # each phrase a tuple of stems (for matching any inflection)


def _phrase_words(entry):
    return tuple(fold(w) for w in words(str(entry)))


def _phrase_stems(entry):
    return tuple(s for w in words(str(entry)) for s in stem(w).split())


@functools.cache
def synonym_groups():
    """The groups of data/synonyms.yaml, each extended with the English terms of
    data/english.yaml that name one of its phrases; English terms for words in no group make
    a group of their own (the Norwegian words first)."""
    entries = [[str(e) for e in group] for group in (_load_yaml("synonyms.yaml") or [])]
    for english, targets in _load_yaml("english.yaml").items():
        targets = [str(t) for t in (targets if isinstance(targets, list) else [targets])]
        english_names = [str(e) for e in ([english] if isinstance(english, str) else english)]
        target_words = {_phrase_words(t) for t in targets}
        for group in entries:
            if target_words & {_phrase_words(e) for e in group}:
                group.extend([*targets, *english_names])
                break
        else:
            entries.append([*targets, *english_names])
    groups = []
    for group in entries:
        unique = list(dict.fromkeys(e for e in group if _phrase_words(e)))
        if unique:
            groups.append(
                SynonymGroup(
                    key="=" + " ".join(_phrase_words(unique[0])),
                    phrases=tuple(dict.fromkeys(_phrase_words(e) for e in unique)),
                    stems=tuple(dict.fromkeys(_phrase_stems(e) for e in unique)),
                )
            )
    return tuple(groups)


@functools.cache
def _synonyms_by_first_stem():
    index = {}
    for group in synonym_groups():
        for phrase in group.stems:
            if phrase:
                index.setdefault(phrase[0], []).append((phrase, group))
    return index


def find_synonyms(word_stems):
    """[(start, end, group)] for every synonym phrase in the list of stems, longest first."""
    index = _synonyms_by_first_stem()
    candidates = []
    # Only the positions where a phrase can start (found in C: most words start none).
    for start in compress(range(len(word_stems)), map(index.__contains__, word_stems)):
        for phrase, group in index[word_stems[start]]:
            end = start + len(phrase)
            if tuple(word_stems[start:end]) == phrase:
                candidates.append((start, end, group))
    # Longest first; groups matching exactly the same words all count («sosialtjenesten» is in
    # the law's group and in «social services»).
    found, taken, spans = [], set(), set()
    for start, end, group in sorted(candidates, key=lambda c: (-(c[1] - c[0]), c[0])):
        if (start, end) in spans or not taken.intersection(range(start, end)):
            taken.update(range(start, end))
            spans.add((start, end))
            if (start, end, group) not in found:
                found.append((start, end, group))
    return sorted(found, key=lambda c: c[0])


def _stems_of(text_words):
    """One stem per word (a nynorsk word for a bokmål phrase gives its first stem here)."""
    return [stem(w).split(" ")[0] for w in text_words]


# --- index and query -------------------------------------------------------------------------


def index_terms(text):
    """Terms a text is indexed under: the stems of its words, its synonym groups' keys and the
    parts of its compound words (``PART_PREFIX``).

    Returns {term: count} and {folded word: stem} (the vocabulary, for prefix search and spelling).
    """
    return index_terms_of_words(words(text))


@functools.lru_cache(maxsize=200_000)
def _word_entry(word):
    """(index terms or None for a word the index leaves out, folded word, first stem) of one
    word: index_terms looks each word up once however often it recurs."""
    word_stem = stem(word)
    first = word_stem.split(" ")[0]
    if not is_searchable_word(word):
        return None, "", first
    return (*word_stem.split(" "), *compound_terms(word)), fold(word), first


def index_terms_of_words(text_words, entries=None):
    """index_terms of a text already split into ``words`` (``entries``: their ``_word_entry``,
    if the caller has them). Counted in C loops (map, Counter, dict) from each word's cached
    entry: the terms in order of first appearance, then the synonym groups' keys."""
    if entries is None:
        entries = list(map(_word_entry, text_words))
    counts = Counter(chain.from_iterable(terms for terms, _folded, _first in entries if terms))
    for _start, _end, group in find_synonyms([first for _terms, _folded, first in entries]):
        counts[group.key] += 1
    vocabulary = {folded: first for terms, folded, first in entries if terms is not None}
    return counts, vocabulary


@dataclass(frozen=True)
class QueryTerm:
    """One thing the user asked for: a word (by stem and folded form) or a synonym group."""

    text: str  # as the user wrote it, for highlighting and suggestions
    folded: str
    stem: str  # the word's stem, or the synonym group's key for a phrase
    synonym: str = ""
    compound: str = ""  # the word's parts joined ("~depositum+garanti"), if it is a compound

    @property
    def terms(self):
        """Index terms that satisfy this query term."""
        return set(self.weights)

    @property
    def weights(self):
        """{index term: factor}: the word, its synonyms and its spelling as parts count fully;
        the word as a part of a longer compound counts ``PART_WEIGHT``."""
        weights = {}
        if self.stem and self.is_word and not self.stem.startswith("="):
            weights[PART_PREFIX + self.stem] = PART_WEIGHT
        for term in (self.stem, self.synonym, self.compound):
            if term:
                weights[term] = 1.0
        return weights

    @property
    def is_word(self):
        return " " not in self.folded

    @property
    def prefix(self):
        """The word start this term also matches by («bolig» finds «boligkontor», so compounds are
        found from their first part): words of PREFIX_MIN_LENGTH letters or more; else ""."""
        return self.folded if self.is_word and len(self.folded) >= PREFIX_MIN_LENGTH else ""


def query_phrases(text):
    """The quoted phrases of a query, each as the tuple of its words' stems:
    '"tett oppfølging"' -> (("tett", "oppfolging"),). Single words in quotes are no phrase."""
    phrases = []
    for match in PHRASE_RE.finditer(strip_invisible(text or "")):
        stems = tuple(stem(w) for w in words(match.group(1)) if is_searchable_word(w))
        if len(stems) >= 2:
            phrases.append(stems)
    return tuple(dict.fromkeys(phrases))


def quoted_phrases(text):
    """The quoted phrases of a query as typed (the backends' ``BackendQuery.phrases``): only
    quotes around two or more searchable words make a phrase."""
    phrases = []
    for match in PHRASE_RE.finditer(strip_invisible(text or "")):
        phrase = " ".join(match.group(1).split())
        if sum(1 for w in words(phrase) if is_searchable_word(w)) >= 2:
            phrases.append(phrase)
    return tuple(dict.fromkeys(phrases))


def quoted_words(text):
    """The folded words inside quotes: spelling correction leaves them alone."""
    return {fold(w) for match in PHRASE_RE.finditer(strip_invisible(text or "")) for w in words(match.group(1))}


def query_terms(text):
    """The query's terms: synonym phrases become one term; what the index leaves out (stop words,
    single letters) is dropped, so it cannot make a query find nothing."""
    text_words = words(text)
    folded = [fold(w) for w in text_words]
    spans = {start: (end, group) for start, end, group in find_synonyms(_stems_of(text_words))}
    result, i = [], 0
    while i < len(text_words):
        if i in spans:
            end, group = spans[i]
            phrase = " ".join(text_words[i:end])
            single = end - i == 1 and " " not in stem(text_words[i])
            parts = split_compound(text_words[i]) if single else ()
            result.append(
                QueryTerm(
                    text=phrase,
                    folded=" ".join(folded[i:end]),
                    stem=stem(text_words[i]) if single else group.key,
                    synonym=group.key,
                    compound=PART_PREFIX + "+".join(parts) if parts else "",
                )
            )
            i = end
            continue
        word = text_words[i]
        if is_searchable_word(word):
            word_stem = stem(word)
            if " " in word_stem:  # a nynorsk word for a bokmål phrase: one term per stem
                result += [QueryTerm(text=word, folded=folded[i], stem=s) for s in word_stem.split(" ")]
            else:
                parts = split_compound(word)
                compound = PART_PREFIX + "+".join(parts) if parts else ""
                result.append(QueryTerm(text=word, folded=folded[i], stem=word_stem, compound=compound))
        i += 1
    # The same term twice adds nothing.
    unique, seen = [], set()
    for term in result:
        if term.stem not in seen:
            seen.add(term.stem)
            unique.append(term)
    return unique
