"""What the embedded index keeps of a document's terms: its heaviest ones as rows
(search.models.SearchTerm), which «Les også» compares; every word of the page stays findable,
and known to the spelling help, through the database engine's own full-text index, which holds
them all. On both databases."""

from search.analysis import fold, stem
from search.backends.database import DatabaseBackend
from search.documents import document_for
from search.engines.tokens import analyse_document
from search.models import SearchTerm
from tests.factories import PracticePageFactory, rich
from tests.test_search_relevance import search

RARE_WORD = "vaktmestertjenesten"  # in no seed page: mentioned once, in the body of the page below


def practice_mentioning_the_rare_word_once():
    return PracticePageFactory(
        title="Bolig først for unge i Bodø",
        description=rich(
            "Boligkontoret, NAV-kontoret og helsetjenesten samarbeidet om unge som sto uten bolig.",
            "Hver deltaker fikk en fast kontaktperson, hjelp med husleie og økonomisk rådgivning.",
            f"Kommunen inngikk også en avtale med {RARE_WORD} om tilsyn med leilighetene.",
        ),
    )


def stored_terms(page):
    return list(SearchTerm.objects.filter(document_id=page.pk).order_by("id").values_list("term", "weight"))


def test_a_document_keeps_its_heaviest_terms_heaviest_first(db):
    page = practice_mentioning_the_rare_word_once()
    weights = analyse_document(document_for(page).texts)[1]
    stored = stored_terms(page)

    assert len(weights) > SearchTerm.PER_DOCUMENT == len(stored)
    assert [weight for _term, weight in stored] == sorted(weights.values(), reverse=True)[: SearchTerm.PER_DOCUMENT]
    assert all(weights[term] == weight for term, weight in stored)
    assert stem("bolig") in dict(stored)  # in the title
    assert stem(RARE_WORD) in weights and stem(RARE_WORD) not in dict(stored)  # once, in the body


def test_a_word_outside_the_heaviest_terms_is_found_and_known_to_the_spelling_help(db):
    page = practice_mentioning_the_rare_word_once()
    assert stem(RARE_WORD) not in dict(stored_terms(page))

    assert [result.title for result in search(RARE_WORD).results] == [page.title]
    assert DatabaseBackend().known_words([fold(RARE_WORD), "vaktmestertjenestne"]) == {fold(RARE_WORD)}
    misspelt = search("vaktmestertjenestne")
    assert misspelt.corrected_query == RARE_WORD and misspelt.count == 1


def test_a_word_no_published_page_has_any_more_is_not_known(db):
    page = practice_mentioning_the_rare_word_once()
    assert DatabaseBackend().known_words([fold(RARE_WORD)]) == {fold(RARE_WORD)}

    page.unpublish()  # the page leaves search at once; its words stay in the vocabulary

    assert DatabaseBackend().known_words([fold(RARE_WORD)]) == set()
    assert search("vaktmestertjenestne").corrected_query == ""
