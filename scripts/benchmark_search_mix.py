#!/usr/bin/env python
"""The search service's request mix, timed alone (the site's main benchmark is
scripts/benchmark_search.py; this one measures the search service without HTTP, is shared with
scripts/benchmark_elasticsearch.py, and can try a patched backend with --backend-file).

For each size N (``--sizes 1000,10000``) a fresh SQLite database under /tmp is bootstrapped
with the seed content, N demo practices are generated (manage.py generate_demo_content), the
index is rebuilt and timed (manage.py search_reindex), and a fixed, seeded mix of realistic
requests is run through the search service, and through the JSON API with Django's test
client when /api/search/ exists. After a warm-up every request is timed; the report gives
p50/p95/max per kind of request and overall, and the number of SQL queries per request
(which must not grow with N).

    .venv/bin/python scripts/benchmark_search_mix.py                 # 1 000 and 10 000, writes docs/ytelse.md
    .venv/bin/python scripts/benchmark_search_mix.py --sizes 1000 --no-docs
    .venv/bin/python scripts/benchmark_search_mix.py --sizes 10000 --explain   # slowest SQL + EXPLAIN QUERY PLAN

Each size runs in its own process (Django reads DATABASE_URL once, at setup).
"""

import argparse
import datetime
import json
import os
import platform
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DOCS_FILE = BASE_DIR / "docs" / "ytelse.md"
BUDGET_MS = 100.0
START_MARKER = "<!-- benchmark:start:{label} (skrevet av scripts/benchmark_*.py; endringer her overskrives) -->"
END_MARKER = "<!-- benchmark:end:{label} -->"

# Kinds of request, each with fixed variants. Values are query parameters as the API takes them.
KINDS = {
    "ett vanlig ord": [{"q": q} for q in ("bolig", "oppfølging", "kommunen", "leietakere", "tiltak")],
    "sjeldent ord": [
        {"q": q} for q in ("vaktmestertjenesten", "snørydding", "tolketjeneste", "møbellager", "Boligskolen")
    ],
    "to ord": [{"q": q} for q in ("tett oppfølging", "unge bolig", "startlån barnefamilier", "husleie restanser",
                                  "boveileder ungdom")],
    "synonymfrase": [
        {"q": q} for q in ("hjem først", "bolig først", "nødbolig", "hjemløse", "garanti for depositum")
    ],
    "lovhenvisning": [{"q": q} for q in ("sosialtjenesteloven § 27", "sotjl. § 15", "husleieloven § 3-5",
                                         "boligsosialloven § 6", "§ 3-7 i helse- og omsorgstjenesteloven")],
    "bare fasetter": [
        {"county": "troms"},
        {"tag": "husleierestanser"},
        {"theme": "housing-first", "size": "liten"},
        {"target_group": "unge", "year": "2022"},
        {"law": "sosialtjenesteloven:27", "type": "praksis"},
    ],
    "søk + fasetter": [
        {"q": "oppfølging", "county": "oslo"},
        {"q": "bolig", "theme": "bolig-og-bosetting", "size": "stor"},
        {"q": "startlån", "tag": "barnefamilier"},
        {"q": "tett oppfølging", "target_group": "rus-og-psykisk-helse", "county": ["troms", "finnmark"]},
        {"q": "husleierestanser", "law": "sosialtjenesteloven", "sort": "newest"},
    ],
    # Deep pages: "page" is resolved during the warm-up to the middle or the last page.
    "dyp side": [
        {"q": "bolig", "page": "last"},
        {"q": "oppfølging", "page": "middle"},
        {"page": "last"},
        {"county": "agder", "page": "last", "sort": "title"},
        {"q": "kommunen", "page": "middle", "sort": "newest"},
    ],
    "skrivefeil (null treff)": [{"q": q} for q in ("depositumgarnati", "husleierestanse bostotte xq", "oppfolgnig")],
}
KIND_ORDER = list(KINDS)


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * fraction
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def summarise(samples):
    return {
        "n": len(samples),
        "p50": percentile(samples, 0.50),
        "p95": percentile(samples, 0.95),
        "max": max(samples) if samples else 0.0,
    }


def machine_facts():
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    try:
        nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        nproc = str(os.cpu_count())
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True, cwd=BASE_DIR
        ).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "search"], capture_output=True, text=True,
                               cwd=BASE_DIR).stdout.strip()
        commit += " (med lokale endringer i search/)" if dirty else ""
    except (OSError, subprocess.CalledProcessError):
        commit = ""
    return {
        "commit": commit,
        "nproc": nproc,
        "cpu": cpu or "ukjent",
        "memory": memory or "ukjent",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "date": datetime.date.today().isoformat(),
    }


# --- one size, in a child process ---------------------------------------------------------------


def use_backend_file(path):
    """Load a candidate copy of search/backends/database.py as search.backends.candidate (so its
    relative imports work) and make it the configured backend. For trying a patch unchanged."""
    import importlib.util

    from django.conf import settings

    name = "search.backends.candidate"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    backend = next(
        attr for attr in vars(module).values()
        if isinstance(attr, type) and attr.__module__ == name and getattr(attr, "name", "") == "database"
    )
    settings.KB_SEARCH_BACKEND = f"{name}.{backend.__name__}"


def run_size(size, seed, rounds, explain, backend_file=None):
    """Bootstrap a fresh database with ``size`` demo practices and time the request mix."""
    database = Path(tempfile.gettempdir()) / f"kunnskapsbase-benchmark-{size}.sqlite3"
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kunnskapsbase.settings.base")
    os.environ["DEBUG"] = "false"  # as in production: no query log, no debug pages
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(BASE_DIR))

    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic here
    django.setup()

    from io import StringIO

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.http import QueryDict
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import Resolver404, resolve

    from search.params import parse_params
    from search.service import SearchService

    if backend_file:
        use_backend_file(backend_file)

    def log(message):
        print(f"[{size}] {message}", file=sys.stderr, flush=True)

    timings = {}
    started = time.perf_counter()
    call_command("bootstrap", verbosity=0, stdout=StringIO())
    timings["bootstrap_s"] = time.perf_counter() - started
    log(f"bootstrap {timings['bootstrap_s']:.1f} s")

    started = time.perf_counter()
    call_command("generate_demo_content", practices=size, seed=seed, skip_index=True, stdout=StringIO())
    timings["generate_s"] = time.perf_counter() - started
    log(f"generate_demo_content {timings['generate_s']:.1f} s")

    out = StringIO()
    started = time.perf_counter()
    call_command("search_reindex", stdout=out)
    timings["reindex_s"] = time.perf_counter() - started
    stats = dict(re.findall(r"^\s+(Dokumenter|Termer|Fasettverdier):\s+(\d+)", out.getvalue(), re.M))
    log(f"search_reindex {timings['reindex_s']:.1f} s {stats}")

    service = SearchService()

    def querydict(params):
        qd = QueryDict(mutable=True)
        for key, value in params.items():
            qd.setlist(key, value if isinstance(value, list) else [str(value)])
        return qd

    def via_service(params):
        return service.search(parse_params(querydict(params)))

    # Resolve deep pages against this database's counts, once.
    requests = []
    for kind in KIND_ORDER:
        for params in KINDS[kind]:
            params = dict(params)
            if params.get("page") in ("last", "middle"):
                probe = via_service({k: v for k, v in params.items() if k != "page"})
                params["page"] = probe.num_pages if params["page"] == "last" else max(1, probe.num_pages // 2)
            requests.append((kind, params))

    try:
        match = resolve("/api/search/")
        api_available = match.url_name == "search" and "wagtail" not in match.func.__module__
    except Resolver404:
        api_available = False
    client = Client() if api_available else None

    def via_api(params):
        response = client.get("/api/search/", querydict(params))
        assert response.status_code == 200, (params, response.status_code, response.content[:300])
        return response

    paths = {"tjeneste": via_service}
    if api_available:
        paths["API"] = via_api

    # Warm-up (caches, SQLite page cache), and the number of queries and hits of each request.
    queries, hits = {}, {}
    for kind, params in requests:
        for name, call in paths.items():
            call(params)
            with CaptureQueriesContext(connection) as captured:
                result = call(params)
            queries[(name, kind, json.dumps(params, ensure_ascii=False))] = len(captured.captured_queries)
            if name == "tjeneste":
                hits[json.dumps(params, ensure_ascii=False)] = result.count

    samples = {name: {kind: [] for kind in KIND_ORDER} for name in paths}
    cpu_samples = {name: {kind: [] for kind in KIND_ORDER} for name in paths}
    per_request = {name: {} for name in paths}
    load_before = os.getloadavg()
    schedule = [(round_, kind, params) for round_ in range(rounds) for kind, params in requests]
    random.Random(seed).shuffle(schedule)
    for _round, kind, params in schedule:
        for name, call in paths.items():
            begin, begin_cpu = time.perf_counter(), time.process_time()
            call(params)
            elapsed = (time.perf_counter() - begin) * 1000
            samples[name][kind].append(elapsed)
            cpu_samples[name][kind].append((time.process_time() - begin_cpu) * 1000)
            per_request[name].setdefault(json.dumps(params, ensure_ascii=False), []).append(elapsed)
    log(f"{len(schedule)} forespørsler x {len(paths)} veier målt")

    report = {"size": size, "timings": timings, "index": stats, "api": api_available, "paths": {},
              "load": {"before": load_before, "after": os.getloadavg()}, "backend": settings.KB_SEARCH_BACKEND
              if hasattr(settings, "KB_SEARCH_BACKEND") else "search.backends.database.DatabaseBackend"}
    for name in paths:
        kinds = {}
        for kind in KIND_ORDER:
            kind_queries = [q for (n, k, _p), q in queries.items() if n == name and k == kind]
            kinds[kind] = {**summarise(samples[name][kind]), "queries_min": min(kind_queries),
                           "queries_max": max(kind_queries), "cpu_p95": percentile(cpu_samples[name][kind], 0.95)}
        everything = [s for kind in KIND_ORDER for s in samples[name][kind]]
        everything_cpu = [s for kind in KIND_ORDER for s in cpu_samples[name][kind]]
        all_queries = [q for (n, _k, _p), q in queries.items() if n == name]
        slowest = sorted(per_request[name].items(), key=lambda item: -statistics.median(item[1]))[:5]
        report["paths"][name] = {
            "kinds": kinds,
            "overall": {**summarise(everything), "queries_min": min(all_queries), "queries_max": max(all_queries),
                        "cpu_p50": percentile(everything_cpu, 0.5), "cpu_p95": percentile(everything_cpu, 0.95)},
            "slowest": [{"params": p, "median": statistics.median(s), "hits": hits.get(p)} for p, s in slowest],
        }

    if explain:
        report["explain"] = explain_slowest(requests, via_service, connection, CaptureQueriesContext, log)
    return report


def explain_slowest(requests, via_service, connection, capture, log):
    """For each kind, the slowest request's SQL statements by time, with EXPLAIN QUERY PLAN."""
    from django.db import reset_queries

    findings = {}
    connection.force_debug_cursor = True
    for kind in KIND_ORDER:
        worst = None
        for request_kind, params in requests:
            if request_kind != kind:
                continue
            begin = time.perf_counter()
            via_service(params)
            elapsed = time.perf_counter() - begin
            if worst is None or elapsed > worst[0]:
                worst = (elapsed, params)
        reset_queries()
        with capture(connection) as captured:
            via_service(worst[1])
        statements = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
        top = []
        for statement in statements[:3]:
            sql = statement["sql"]
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN QUERY PLAN " + sql)
                plan = [row[-1] for row in cursor.fetchall()]
            top.append({"ms": float(statement["time"]) * 1000, "sql": sql, "plan": plan})
        findings[kind] = {"params": worst[1], "ms": worst[0] * 1000, "statements": len(statements), "top": top}
        log(f"explain {kind}: {worst[0] * 1000:.0f} ms, {len(statements)} spørringer")
    return findings


# --- the parent: run each size, report -----------------------------------------------------------


def ms(value):
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def thousands(number):
    return f"{number:,}".replace(",", " ")


def markdown_tables(reports):
    lines = []
    for report in reports:
        size = report["size"]
        t = report["timings"]
        index = report["index"]
        load = report["load"]
        lines += [
            f"### {thousands(size)} praksiseksempler",
            "",
            "| Steg | Tid |",
            "|---|---:|",
            f"| `bootstrap` (migrering, taksonomier, 5 grunnsider) | {t['bootstrap_s']:.1f} s |",
            f"| `generate_demo_content --practices {size} --skip-index` | {t['generate_s']:.1f} s |",
            f"| `search_reindex`: {index.get('Dokumenter', '?')} dokumenter, {index.get('Termer', '?')} termrader, "
            f"{index.get('Fasettverdier', '?')} fasettverdier | {t['reindex_s']:.1f} s |",
            "",
            f"Belastning på maskinen (load average, 1 min) før og etter målingene: "
            f"{load['before'][0]:.2f} og {load['after'][0]:.2f}.",
            "",
        ]
        for name, data in report["paths"].items():
            title = (
                "Søketjenesten direkte" if name == "tjeneste" else "JSON-API-et (`/api/search/`, Djangos testklient)"
            )
            lines += [
                f"**{title}** – millisekunder per forespørsel (veggklokke; CPU-tid for prosessen i egen kolonne) "
                "og SQL-spørringer per forespørsel:",
                "",
                "| Type forespørsel | Antall | p50 | p95 | maks | p95 CPU | SQL-spørringer |",
                "|---|---:|---:|---:|---:|---:|---:|",
            ]
            for kind, row in data["kinds"].items():
                q = f"{row['queries_min']}" if row["queries_min"] == row["queries_max"] else \
                    f"{row['queries_min']}–{row['queries_max']}"
                flag = " ⚠" if row["p95"] > BUDGET_MS else ""
                lines.append(
                    f"| {kind} | {row['n']} | {ms(row['p50'])} | {ms(row['p95'])}{flag} | {ms(row['max'])} | "
                    f"{ms(row['cpu_p95'])} | {q} |"
                )
            o = data["overall"]
            flag = " ⚠" if o["p95"] > BUDGET_MS else ""
            lines += [
                f"| **alle** | {o['n']} | **{ms(o['p50'])}** | **{ms(o['p95'])}**{flag} | {ms(o['max'])} | "
                f"{ms(o['cpu_p95'])} | {o['queries_min']}–{o['queries_max']} |",
                "",
            ]
        lines += ["Tregeste enkeltforespørsler (median, søketjenesten):", ""]
        for slow in report["paths"]["tjeneste"]["slowest"]:
            lines.append(f"- `{slow['params']}`: {ms(slow['median'])} ms ({thousands(slow['hits'])} treff)")
        lines.append("")
    return "\n".join(lines)


def facts_table(facts, args, reports):
    backends = sorted({report["backend"] for report in reports})
    return "\n".join(
        [
            "| Maskin og kjøring | |",
            "|---|---|",
            f"| Dato | {facts['date']} |",
            *([f"| Commit | {facts['commit']} |"] if facts.get("commit") else []),
            f"| `nproc` | {facts['nproc']} |",
            f"| CPU | {facts['cpu']} |",
            f"| Minne | {facts['memory']} |",
            f"| Python | {facts['python']} |",
            f"| SQLite | {facts['sqlite']} |",
            f"| Plattform | {facts['platform']} |",
            f"| Søkemotor | {', '.join(f'`{b}`' for b in backends)}"
            + (f" (fra `{args.backend_file}`)" if args.backend_file else "") + " |",
            f"| Kommando | `scripts/benchmark_search_mix.py --sizes {','.join(map(str, args.sizes))} "
            f"--rounds {args.rounds} --seed {args.seed}"
            + (f" --backend-file {args.backend_file} --label {args.label}" if args.backend_file else "") + "` |",
        ]
    )


def verdict(reports):
    lines = []
    for report in reports:
        overall = report["paths"]["tjeneste"]["overall"]
        over = [k for k, row in report["paths"]["tjeneste"]["kinds"].items() if row["p95"] > BUDGET_MS]
        status = "innenfor" if overall["p95"] <= BUDGET_MS else "over"
        text = (
            f"- **{thousands(report['size'])} praksiseksempler:** p95 for alle forespørsler er "
            f"{ms(overall['p95'])} ms "
            f"(p50 {ms(overall['p50'])} ms; p95 CPU-tid {ms(overall['cpu_p95'])} ms) – {status} budsjettet på "
            f"{BUDGET_MS:.0f} ms."
        )
        if over:
            text += " Typer med p95 over budsjettet: " + ", ".join(over) + "."
        else:
            text += " Alle typer forespørsler har p95 innenfor budsjettet."
        lines.append(text)
    if len(reports) > 1:
        sizes = " og ".join(thousands(r["size"]) for r in reports)
        changed = []
        for kind in KIND_ORDER:
            rows = [r["paths"]["tjeneste"]["kinds"][kind] for r in reports]
            per_size = [(row["queries_min"], row["queries_max"]) for row in rows]
            if len(set(per_size)) > 1:
                changed.append(f"{kind} ({' → '.join(f'{a}–{b}' for a, b in per_size)})")
        if changed:
            lines.append(f"- Antall SQL-spørringer endrer seg mellom N = {sizes}: " + ", ".join(changed) + ".")
        else:
            lines.append(f"- Antall SQL-spørringer per forespørsel er det samme for N = {sizes}.")
    return "\n".join(lines)


DOC_TEMPLATE = """# Ytelse: søk i den innebygde søkeindeksen

Denne siden viser hvor raskt søket er med standardoppsettet: SQLite og den innebygde
søkeindeksen (`search/backends/database.py`), uten søketjener. Budsjettet er at 95 prosent
av søkene (p95) skal svare på under 100 ms med 10 000 praksiseksempler på en maskin med to
kjerner.

## Slik måles det

`scripts/benchmark_search_mix.py` lager for hver størrelse en ny SQLite-database under `/tmp`,
kjører `manage.py bootstrap` (med grunninnholdet), lager N syntetiske praksiseksempler med
`manage.py generate_demo_content` og bygger søkeindeksen med `manage.py search_reindex`.
Deretter kjøres en fast, tilfeldig stokket blanding av søk gjennom søketjenesten og gjennom
JSON-API-et: vanlige og sjeldne ord, to ord, synonymer, lovhenvisninger, bare fasetter, søk
med fasetter, dype sider og skrivefeil. Hver forespørsel kjøres først én gang til oppvarming;
så måles veggklokketid og prosessens CPU-tid for hver. SQL-spørringene telles for hver
forespørsel.

Kjør den selv (tar noen minutter):

    .venv/bin/python scripts/benchmark_search_mix.py
    .venv/bin/python scripts/benchmark_search_mix.py --sizes 1000 --no-docs
    .venv/bin/python scripts/benchmark_search_mix.py --sizes 10000 --explain --no-docs

{start}
{end}
"""


def write_docs(section, label):
    start, end = START_MARKER.format(label=label), END_MARKER.format(label=label)
    DOCS_FILE.parent.mkdir(parents=True, exist_ok=True)
    if DOCS_FILE.exists():
        text = DOCS_FILE.read_text(encoding="utf-8")
    else:
        text = DOC_TEMPLATE.format(start=START_MARKER.format(label="standard"), end=END_MARKER.format(label="standard"))
    if start not in text or end not in text:
        text = text.rstrip() + "\n\n" + start + "\n" + end + "\n"
    before, rest = text.split(start, 1)
    _old, after = rest.split(end, 1)
    DOCS_FILE.write_text(f"{before}{start}\n{section.strip()}\n{end}{after}", encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="Kommaseparerte antall praksiseksempler")
    parser.add_argument("--rounds", type=int, default=5, help="Målte runder av hele blandingen")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--explain", action="store_true", help="Vis tregeste SQL med EXPLAIN QUERY PLAN")
    parser.add_argument("--no-docs", action="store_true", help="Ikke oppdater docs/ytelse.md")
    parser.add_argument("--json", help="Lagre rådata som JSON her")
    parser.add_argument(
        "--backend-file",
        help="Mål en kandidat: en endret kopi av search/backends/database.py (prøv en endring uten å røre koden)",
    )
    parser.add_argument("--label", default="standard", help="Navn på avsnittet i docs/ytelse.md")
    parser.add_argument("--heading", default="Resultater", help="Overskrift for avsnittet i docs/ytelse.md")
    parser.add_argument("--render", metavar="JSON", help="Bare skriv rapporten fra rådata lagret med --json")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        backend_file = str(Path(args.backend_file).resolve()) if args.backend_file else None
        report = run_size(args.child, args.seed, args.rounds, args.explain, backend_file)
        print(json.dumps(report, ensure_ascii=False))
        return

    args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.render:
        saved = json.loads(Path(args.render).read_text(encoding="utf-8"))
        args.sizes = [report["size"] for report in saved["reports"]]
        report_and_write(args, saved["facts"], saved["reports"])
        return
    reports = []
    for size in args.sizes:
        command = [sys.executable, __file__, "--child", str(size), "--seed", str(args.seed)]
        command += ["--rounds", str(args.rounds)]
        if args.explain:
            command.append("--explain")
        if args.backend_file:
            command += ["--backend-file", str(Path(args.backend_file).resolve())]
        completed = subprocess.run(command, capture_output=True, text=True, cwd=BASE_DIR)
        sys.stderr.write(completed.stderr)
        if completed.returncode != 0:
            sys.exit(f"Størrelse {size} feilet (kode {completed.returncode}).")
        reports.append(json.loads(completed.stdout.strip().splitlines()[-1]))

    facts = machine_facts()
    if args.json:
        Path(args.json).write_text(json.dumps({"facts": facts, "reports": reports}, ensure_ascii=False, indent=2))
    report_and_write(args, facts, reports)


def report_and_write(args, facts, reports):
    section = "\n\n".join(
        [
            f"## {args.heading}",
            facts_table(facts, args, reports),
            "### Konklusjon",
            verdict(reports),
            markdown_tables(reports),
        ]
    )
    print(section)
    for report in reports:
        for kind, finding in (report.get("explain") or {}).items():
            print(f"\n#### {report['size']}: {kind} – {finding['params']} {finding['ms']:.0f} ms, "
                  f"{finding['statements']} spørringer")
            for statement in finding["top"]:
                print(f"  {statement['ms']:.1f} ms: {statement['sql'][:400]}")
                for step in statement["plan"]:
                    print(f"      {step}")
    if not args.no_docs:
        write_docs(section, args.label)
        print(f"\nOppdaterte {DOCS_FILE.relative_to(BASE_DIR)}", file=sys.stderr)


if __name__ == "__main__":
    main()
