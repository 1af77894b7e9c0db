"""The published seed content as visitors see it: titles the tests expect in listings and results."""

TROMSO = "Fra bostedsløs til beboer"
OKSNES = "Utvikling av de sosiale tjenestene i NAV-kontoret. Oppfølging av brukere med depositumgaranti"
GRUNERLOKKA = "Hjem Først: brukermedvirkning sikrer en stabil bosituasjon"
NES = "Boligsosialt arbeid i Nes kommune"
ARTICLE = "Gode grep for tett oppfølging"
OVRE_EIKER = "Tverrfaglig samarbeid for ungdom i Øvre Eiker"
TROMSO_TEAM = "Team og fast kontaktperson i NAV Tromsø"
NES_PRACTICE = "Boligsosial oppfølging i Nes kommune"
# Pages equally about a topic: the Nes report and the practice described from it (which has its own
# «Husleierestanser» section; graded 3 against the report's 2 in tests/relevance/queries.yaml).
NES_PAGES = frozenset({NES, NES_PRACTICE})
# The practices described by the NAV article and the Nes report (tests/test_seed_practices.py).
DERIVED_PRACTICES = {
    OVRE_EIKER,
    "Tilpassede klasser for ungdom uten fullført videregående skole i NAV Fredrikstad",
    "Jobbsenteret i Skedsmo",
    "Tverrfaglige team for sosialhjelpssakene i NAV Rælingen",
    TROMSO_TEAM,
    NES_PRACTICE,
}
SEED_PRACTICES = 3 + len(DERIVED_PRACTICES)
SEED_DOCUMENTS = SEED_PRACTICES + 2  # and one report, one article
