#!/usr/bin/env python
"""Search benchmark for the Elasticsearch backend, beside the database backend: on demand, not in the tests.

For each size N (``--sizes 10000``) a fresh SQLite database under /tmp is bootstrapped with the
seed content and N demo practices (manage.py generate_demo_content), the embedded tables are
built (they hydrate results for every backend), and then the engine's index is rebuilt and
timed (search.engines.elasticsearch.rebuild: a new index, bulk-loaded, alias swapped) — documents per
second. The engine is osmem-server, the in-memory OpenSearch-compatible engine the tests run
against in CI, started here; with ELASTICSEARCH_URL set, that cluster instead.

Then the request mix of scripts/benchmark_search_mix.py runs through the search service, with
the Elasticsearch backend and with the database backend in the same process, interleaved,
so both see the same machine load; p50/p95/max per kind of request and overall. The time to
send one published page to the engine (search.sync) is measured too.

    .venv/bin/python scripts/benchmark_elasticsearch.py                  # 10 000, writes docs/ytelse.md
    .venv/bin/python scripts/benchmark_elasticsearch.py --sizes 1000 --no-docs

Each size runs in its own process (Django reads DATABASE_URL once, at setup).
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR / "scripts"))

import benchmark_search_mix as db_bench  # noqa: E402 - the same request mix, statistics and docs file

LABEL = "elasticsearch"


def run_size(size, seed, rounds):
    database = Path(tempfile.gettempdir()) / f"kunnskapsbase-benchmark-es-{size}.sqlite3"
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kunnskapsbase.settings.base")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    external = os.environ.get("ELASTICSEARCH_URL", "")
    os.environ["ELASTICSEARCH_URL"] = ""  # no syncing while the content is generated
    sys.path.insert(0, str(BASE_DIR))

    import django

    django.setup()

    from io import StringIO

    from django.conf import settings
    from django.core.management import call_command
    from django.http import QueryDict

    from search import sync
    from search.backends.database import DatabaseBackend
    from search.backends.elasticsearch import ElasticsearchBackend
    from search.engines.elasticsearch import client as engine_client
    from search.engines.elasticsearch import indices, rebuild
    from search.models import SearchDocument
    from search.params import parse_params
    from search.service import SearchService

    def log(message):
        print(f"[{size}] {message}", file=sys.stderr, flush=True)

    timings = {}
    call_command("bootstrap", verbosity=0, stdout=StringIO())
    started = time.perf_counter()
    call_command("generate_demo_content", practices=size, seed=seed, skip_index=True, stdout=StringIO())
    log(f"generate_demo_content {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    call_command("search_reindex", "--skip-elasticsearch", stdout=StringIO())
    timings["embedded_reindex_s"] = time.perf_counter() - started
    documents = SearchDocument.objects.count()
    log(f"innebygd indeks {timings['embedded_reindex_s']:.1f} s, {documents} dokumenter")

    server = None
    if external:
        url, engine = external, "ELASTICSEARCH_URL"
    else:
        from osmem_server import OsmemServer

        server = OsmemServer.start(japanese=False, startup_timeout=60)
        url, engine = server.url, "osmem-server"
    settings.ELASTICSEARCH_URL = url
    settings.ELASTICSEARCH_INDEX_PREFIX = f"kb-benchmark-{size}"
    settings.ELASTICSEARCH_TIMEOUT = 30.0
    try:
        conn = engine_client.connection()
        result = rebuild.rebuild()
        timings["es_reindex_s"] = result.seconds
        timings["es_load_s"] = result.load_seconds
        timings["es_docs_per_s"] = result.rate
        timings["es_docs_per_s_total"] = result.count / result.seconds if result.seconds else 0.0
        log(f"søkemotorens indeks {result.seconds:.1f} s, {result.count} dokumenter, {result.rate:.0f} dok/s")
        cluster = {"engine": engine, "distribution": conn.info.distribution, "version": conn.info.version,
                   "documents": result.count}

        backends = {
            "elasticsearch": SearchService(ElasticsearchBackend()),
            "database": SearchService(DatabaseBackend()),
        }

        def querydict(params):
            qd = QueryDict(mutable=True)
            for key, value in params.items():
                qd.setlist(key, value if isinstance(value, list) else [str(value)])
            return qd

        requests = []
        for kind in db_bench.KIND_ORDER:
            for params in db_bench.KINDS[kind]:
                params = dict(params)
                if params.get("page") in ("last", "middle"):
                    probe = backends["database"].search(parse_params(querydict({k: v for k, v in params.items()
                                                                               if k != "page"})))
                    params["page"] = probe.num_pages if params["page"] == "last" else max(1, probe.num_pages // 2)
                requests.append((kind, params))

        # Warm-up, and whether the two backends agree on the count of hits.
        agree, differ = 0, []
        for _kind, params in requests:
            answers = {name: service.search(parse_params(querydict(params))) for name, service in backends.items()}
            if any(response.notices and "Søkemotoren" in " ".join(response.notices) for response in answers.values()):
                raise SystemExit(f"Søkemotoren svarte ikke under oppvarmingen: {params}")
            if answers["elasticsearch"].count == answers["database"].count:
                agree += 1
            else:
                differ.append((params, answers["database"].count, answers["elasticsearch"].count))

        samples = {name: {kind: [] for kind in db_bench.KIND_ORDER} for name in backends}
        schedule = [(round_, kind, params) for round_ in range(rounds) for kind, params in requests]
        random.Random(seed).shuffle(schedule)
        for _round, kind, params in schedule:
            for name, service in backends.items():
                begin = time.perf_counter()
                service.search(parse_params(querydict(params)))
                samples[name][kind].append((time.perf_counter() - begin) * 1000)
        log(f"{len(schedule)} forespørsler x {len(backends)} motorer målt")

        # One page's update on publish, as the signal handler sends it.
        page_ids = list(SearchDocument.objects.order_by("?").values_list("pk", flat=True)[:50])
        sync_samples, queued = [], 0
        for page_id in page_ids:
            begin = time.perf_counter()
            queued += not sync.try_sync_page(page_id)  # a timeout records the update: counted, not fatal
            sync_samples.append((time.perf_counter() - begin) * 1000)
            engine_client.mark_up()

        report = {"size": size, "timings": timings, "cluster": cluster, "agree": agree, "differ": differ,
                  "sync": db_bench.summarise(sync_samples), "sync_queued": queued, "paths": {},
                  "load": os.getloadavg()}
        for name in backends:
            kinds = {kind: db_bench.summarise(samples[name][kind]) for kind in db_bench.KIND_ORDER}
            everything = [s for kind in db_bench.KIND_ORDER for s in samples[name][kind]]
            report["paths"][name] = {"kinds": kinds, "overall": db_bench.summarise(everything)}
        client = conn.for_bulk()
        for name in indices.our_indices(client):
            client.indices.delete(index=name)
        return report
    finally:
        engine_client.forget_connections()
        if server:
            server.close()


def section(reports, facts, args):
    ms, thousands = db_bench.ms, db_bench.thousands
    lines = [
        "## Elasticsearch-bakenden (søkemotoren i CI)",
        "",
        "Målt med `scripts/benchmark_elasticsearch.py`: samme demodata og samme blanding av søk som over, "
        "gjennom søketjenesten med Elasticsearch-bakenden og med databasebakenden i samme prosess, "
        "annenhver gang, så begge ser den samme belastningen på maskinen. Søkemotoren er den testene "
        "kjører mot i CI: osmem-server, en OpenSearch-kompatibel motor i minnet (Go/bleve, én prosess på "
        "samme maskin). Tallene sier derfor mest om hvordan bakenden oppfører seg (én forespørsel per søk, "
        "bare vinduet av treff hentes), mindre om hva en ekte Elasticsearch- eller OpenSearch-klynge på "
        "egne maskiner gir.",
        "",
        "| Maskin og kjøring | |",
        "|---|---|",
        f"| Dato | {facts['date']} |",
        f"| `nproc` | {facts['nproc']} |",
        f"| CPU | {facts['cpu']} |",
        f"| Python | {facts['python']} |",
        f"| Kommando | `scripts/benchmark_elasticsearch.py --sizes {','.join(map(str, args.sizes))} "
        f"--rounds {args.rounds} --seed {args.seed}` |",
        "",
    ]
    for report in reports:
        t, cluster = report["timings"], report["cluster"]
        es, db = report["paths"]["elasticsearch"], report["paths"]["database"]
        lines += [
            f"### {thousands(report['size'])} praksiseksempler",
            "",
            f"Søkemotor: {cluster['engine']} ({cluster['distribution']} {cluster['version']}). "
            f"Load average (1 min) etter målingene: {report['load'][0]:.2f}.",
            "",
            "| Bygging av indeksen | Tid | Dokumenter/s |",
            "|---|---:|---:|",
            f"| Innebygd indeks (`search_reindex --skip-elasticsearch`, {thousands(cluster['documents'])} dokumenter) "
            f"| {t['embedded_reindex_s']:.1f} s | {cluster['documents'] / t['embedded_reindex_s']:.0f} |",
            f"| Søkemotorens indeks (`search_reindex --elasticsearch-only`): ny indeks, bulk-lasting, aliasbytte "
            f"| {t['es_reindex_s']:.1f} s | {t['es_docs_per_s_total']:.0f} |",
            f"| – herav lesing av sidene og bulk-lasting | {t['es_load_s']:.1f} s | {t['es_docs_per_s']:.0f} |",
            "",
            "Millisekunder per søk gjennom søketjenesten (veggklokke, inkludert lasting av treffsiden "
            "fra databasen):",
            "",
            "| Type forespørsel | Antall | Elasticsearch p50 | Elasticsearch p95 | Database p50 | Database p95 |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for kind in db_bench.KIND_ORDER:
            e, d = es["kinds"][kind], db["kinds"][kind]
            lines.append(f"| {kind} | {e['n']} | {ms(e['p50'])} | {ms(e['p95'])} | {ms(d['p50'])} | {ms(d['p95'])} |")
        e, d = es["overall"], db["overall"]
        lines += [
            f"| **alle** | {e['n']} | **{ms(e['p50'])}** | **{ms(e['p95'])}** | "
            f"**{ms(d['p50'])}** | **{ms(d['p95'])}** |",
            "",
            f"Én publisert side sendt til søkemotoren (`search.sync.sync_page`, {report['sync']['n']} sider): "
            f"p50 {ms(report['sync']['p50'])} ms, p95 {ms(report['sync']['p95'])} ms, "
            f"maks {ms(report['sync']['max'])} ms"
            + (
                f"; {report['sync_queued']} gikk over tidsfristen på 2 s og ble lagt i køen."
                if report["sync_queued"]
                else "."
            ),
            "",
            f"Antall treff var likt i de to bakendene for {report['agree']} av "
            f"{report['agree'] + len(report['differ'])} forespørsler."
            + (
                ""
                if not report["differ"]
                else " Ulikt: "
                + "; ".join(f"`{json.dumps(p, ensure_ascii=False)}` ({a} / {b})" for p, a, b in report["differ"])
                + "."
            ),
            "",
        ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--no-docs", action="store_true", help="Ikke oppdater docs/ytelse.md")
    parser.add_argument("--json", help="Lagre rådata som JSON her")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_size(args.child, args.seed, args.rounds), ensure_ascii=False))
        return
    args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    reports = []
    for size in args.sizes:
        command = [sys.executable, __file__, "--child", str(size), "--seed", str(args.seed)]
        command += ["--rounds", str(args.rounds)]
        completed = subprocess.run(command, capture_output=True, text=True, cwd=BASE_DIR)
        sys.stderr.write(completed.stderr)
        if completed.returncode != 0:
            sys.exit(f"Størrelse {size} feilet (kode {completed.returncode}).")
        reports.append(json.loads(completed.stdout.strip().splitlines()[-1]))
    text = section(reports, db_bench.machine_facts(), args)
    print(text)
    if args.json:
        Path(args.json).write_text(json.dumps(reports, ensure_ascii=False, indent=2))
    if not args.no_docs:
        db_bench.write_docs(text, LABEL)
        print(f"\nOppdaterte {db_bench.DOCS_FILE.relative_to(BASE_DIR)}", file=sys.stderr)


if __name__ == "__main__":
    main()
