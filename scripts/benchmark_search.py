#!/usr/bin/env python
"""The site's main benchmark: each kind of request as a ratio to the floor, editor actions,
reindexing and throughput, at one size, on SQLite or PostgreSQL. Run on demand, not in tests.

The floor is ``/api/v2/pages/?limit=1`` measured in the same run: the cost of Django,
Wagtail and the middleware with almost no work. Ratios to it say how much work a kind of request
adds, and stay comparable across machines and a busy shared machine better than milliseconds.

    .venv/bin/python scripts/benchmark_search.py --practices 10000
    DATABASE_URL=postgres://kunnskapsbase:kunnskapsbase@127.0.0.1:5432/kb_bench \\
        .venv/bin/python scripts/benchmark_search.py --practices 10000 --throughput
    .venv/bin/python scripts/benchmark_search.py --practices 10000 --reuse   # same database again

Steps (each shows progress on stderr; the result is a Markdown table on stdout to paste into
docs/ytelse.md, and ``--json`` keeps the raw figures):

1. A fresh database (SQLite under /tmp unless DATABASE_URL names one; a PostgreSQL database is
   emptied first) is bootstrapped and filled with N demo practices (``generate_demo_content``).
2. ``search_reindex`` in its own process: seconds, documents per second and peak memory
   (PSS of the process and the child that reads ahead, shared pages counted once); the rate both
   over the whole process (its start included) and over the command's own time.
3. Single client, in-process through the whole middleware stack (Django's test client): each
   kind of request is warmed up, then run ``--rounds`` times interleaved with the floor. Per
   kind: CPU time per request (``time.process_time``; the steadier figure on a shared machine),
   its ratio to the floor's, wall-clock p50/p95 and the number of SQL queries.
4. Editor actions as the request does them, with the production task backend (the database
   queue): publish, unpublish, and saving the provision most pages cite; then the worker runs
   (``db_worker --batch``). Then the first search and the first county listing after one publish,
   taken by a worker that stays up as in production, are compared with warm ones (before and
   beside each publish), and with a control: a request after the same wait with nothing
   published (what the worker's and the database's turn on the CPU costs by itself).
5. ``--throughput``: gunicorn (4 workers) on loopback and a bounded load client in a second
   process (8 concurrent connections, ``--duration`` seconds per target): requests per second
   and p95 for a cached practice page and for uncached searches.
"""

import argparse
import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

FLOOR = "/api/v2/pages/?limit=1"
# The goal for a word in most documents (goal 3 below) is ≤ 3× the floor up to 10 000 practices and
# ≤ 5× from 50 000: its cost may grow, but far slower than the collection.
COMMON_WORD_GOAL, COMMON_WORD_GOAL_LARGE, LARGE = 3, 5, 50_000
KINDS = {  # label: (address, goal as a ratio to the floor, or None)
    "søk, vanlig ord (bolig)": ("/sok/?q=bolig", 3),
    "søk, vanlig ord (bolig), ny for prosessen": ("/sok/?q=bolig", 3),
    "søk, to ord": ("/sok/?q=tett+oppf%C3%B8lging", 3),
    "søk, sjeldent ord": ("/sok/?q=vaktmestertjenesten", 2),
    "søk, sjeldent ord, ny for prosessen": ("/sok/?q=vaktmestertjenesten", 2),
    "bare fasetter (fylke)": ("/sok/?county=troms", 2),
    "stikkordside": ("/stikkord/husleierestanser/", 2),
    "lovside": ("/lover/sosialtjenesteloven/", 2),
    "søke-API (bolig)": ("/api/search/?q=bolig", 3),
    "sider-API fields=* limit=20": ("/api/v2/pages/?type=practices.PracticePage&fields=*&limit=20", None),
    "praksiseksempel (uten sidebuffer)": ("{practice}", 2),
    "rapport (uten sidebuffer)": ("{report}", 2),
    "praksiseksempel fra sidebufferen": ("{practice}", 2),
    "oversikt over praksiseksempler fra sidebufferen": ("{practice_index}", 2),
}
# A search this process has not seen since the index last changed: the backend's per-process
# cache of matches and rankings (keyed by index version) is emptied first. The other search kinds
# repeat the same query and are answered from it after the warm-up.
PUBLISH_REPEATS = 6
FIRST_AFTER_PUBLISH = {"search": "/sok/?q=bolig", "listing": "/sok/?county=troms"}
UNSEEN_KINDS = {"søk, vanlig ord (bolig), ny for prosessen", "søk, sjeldent ord, ny for prosessen"}
CACHED_KINDS = {"praksiseksempel fra sidebufferen", "oversikt over praksiseksempler fra sidebufferen"}
SEARCH_WORDS = ["bolig", "oppfølging", "kommunen", "tiltak", "leietakere", "startlån", "husleie", "tett oppfølging"]


def log(message):
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", file=sys.stderr, flush=True)


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


# Runs manage.py and reports the process's own peak resident memory on stderr.
PEAK_WRAPPER = (
    "import resource, runpy, sys\n"
    "sys.argv = ['manage.py', *sys.argv[1:]]\n"
    "try:\n    runpy.run_path('manage.py', run_name='__main__')\n"
    "finally:\n    print('PEAK_RSS_KIB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
)


def _tree(pid):
    """``pid`` and every process below it (a rebuild reads ahead in a forked child)."""
    found, waiting = [], [pid]
    while waiting:
        current = waiting.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                waiting.extend(int(c) for c in Path(f"/proc/{current}/task/{task}/children").read_text().split())
        except OSError:
            pass
    return found


def _pss_kib(pid):
    """Proportional set size: shared pages (a forked child's copy-on-write ones) counted once."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def manage(env, *args, measure=False):
    """Run ``manage.py`` in its own process: (seconds, peak memory in MiB, output). The peak is
    the largest sum of PSS over the process and its children, sampled four times a second (on
    Linux; elsewhere the process's own peak RSS)."""
    started = time.perf_counter()
    process = subprocess.Popen([PYTHON, "-c", PEAK_WRAPPER, *args], cwd=BASE_DIR, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak_pss = [0]

    def sample():
        while process.poll() is None:
            peak_pss[0] = max(peak_pss[0], sum(_pss_kib(pid) for pid in _tree(process.pid)))
            time.sleep(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    if Path("/proc/self/smaps_rollup").exists():
        sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode:
        sys.exit(f"manage.py {' '.join(args)} feilet:\n{stdout[-2000:]}\n{stderr[-2000:]}")
    if sampler.ident:
        sampler.join()
    peak = next((int(line.split()[1]) / 1024 for line in stderr.splitlines() if line.startswith("PEAK_RSS_KIB")), None)
    if peak_pss[0]:
        peak = peak_pss[0] / 1024
    return seconds, peak, stdout


def environment(args):
    env = dict(os.environ)
    if not env.get("DATABASE_URL"):
        database = Path(tempfile.gettempdir()) / f"kunnskapsbase-benchmark-{args.practices}.sqlite3"
        if not args.reuse:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{database}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{database}"
    env.update(
        DJANGO_SETTINGS_MODULE="kunnskapsbase.settings.base", DEBUG="false", LOG_LEVEL="WARNING",
        CACHE_URL=f"filecache://{tempfile.gettempdir()}/kunnskapsbase-benchmark-cache",
        ELASTICSEARCH_URL="", SECRET_KEY="benchmark-" + "x" * 50, ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
    )
    return env


def empty_postgres(env):
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(env["DATABASE_URL"])
    server = {"user": config["USER"], "password": config["PASSWORD"], "host": config["HOST"],
              "port": config["PORT"] or 5432, "autocommit": True}
    with psycopg.connect(dbname="postgres", **server) as connection:  # created on the first run
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone():
            connection.execute(f'CREATE DATABASE "{config["NAME"]}"')
    with psycopg.connect(dbname=config["NAME"], **server) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")


def prepare(args, env):
    figures = {}
    if not args.reuse:
        if env["DATABASE_URL"].startswith("postgres"):
            empty_postgres(env)
        log("bootstrap …")
        figures["bootstrap_s"] = manage(env, "bootstrap", measure=True)[0]
        log(f"generate_demo_content --practices {args.practices} …")
        figures["generate_s"] = manage(
            env, "generate_demo_content", "--practices", str(args.practices), "--seed", "2024", "--skip-index",
            measure=True,
        )[0]
    log("search_reindex …")
    seconds, peak, output = manage(env, "search_reindex", "--skip-elasticsearch", measure=True)
    documents = next((int(line.split()[-1]) for line in output.splitlines() if "Dokumenter:" in line), 0)
    # The command's own time («Tid:»: the rebuild and queueing «Les også»), without the start of
    # the process (importing Django and Wagtail, the system checks), which the wall time includes.
    own = next((float(line.split()[1]) for line in output.splitlines() if line.strip().startswith("Tid:")), None)
    figures.update(reindex_s=seconds, reindex_docs=documents, reindex_rate=documents / seconds, reindex_peak_mib=peak,
                   reindex_own_s=own, reindex_own_rate=documents / own if own else None)
    log(f"search_reindex {seconds:.1f} s ({own} s i kommandoen), {documents} dokumenter, topp {peak or 0:.0f} MiB")
    if args.read_also:
        log("«Les også» for alle sider: db_worker --batch …")
        figures["worker_after_reindex_s"] = manage(env, "db_worker", "--batch", "--no-startup-delay")[0]
        log(f"«Les også» {figures['worker_after_reindex_s']:.0f} s")
    return figures


def drop_queued_index_work(read_also):
    """Index jobs queued while the database was filled (bootstrap's registers, the demo content)
    are superseded by the rebuild just made: dropped, so the worker's figure below is the editor
    actions' own. Without --read-also the «Les også» lists the rebuild queued go too: the page view
    reads its list in one query whether it is filled or not, and they take minutes at 10 000."""
    from django_tasks_db.models import DBTaskResult

    queued = DBTaskResult.objects.ready().filter(task_path__startswith="search.tasks.")
    if read_also:
        queued = queued.exclude(task_path__endswith="refresh_read_also_task")
    log(f"{queued.count()} foreldede indeksjobber fjernet fra køen")
    queued.delete()


def setup_django(env):
    os.environ.update(env)
    sys.path.insert(0, str(BASE_DIR))
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()


def single_client(args):
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from practices.models import PracticeIndexPage, PracticePage, ReportPage

    addresses = {
        "practice": PracticePage.objects.live().order_by("-pk").first().url,
        "report": ReportPage.objects.live().first().url,
        "practice_index": PracticeIndexPage.objects.get().url,
    }
    client = Client()

    from search.backends import database

    def run(address, cached, unseen=False):
        settings.PAGE_CACHE_SECONDS = 600 if cached else 0
        if unseen:  # emptied for this request only, so the other kinds keep what they had
            kept = database._match_cache.copy()
            database._match_cache.clear()
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(address)
        cpu, wall = time.process_time() - started_cpu, time.perf_counter() - started
        if unseen:
            database._match_cache.clear()
            database._match_cache.update(kept)
        assert response.status_code == 200, (address, response.status_code)
        return cpu * 1000, wall * 1000

    kinds = {"gulv: " + FLOOR: (FLOOR, None)} | KINDS
    results = {}
    for label, (address, goal) in kinds.items():
        if goal == COMMON_WORD_GOAL and args.practices >= LARGE:
            goal = COMMON_WORD_GOAL_LARGE
        address = address.format(**addresses)
        cached = label in CACHED_KINDS
        unseen = label in UNSEEN_KINDS
        for _ in range(3):
            run(address, cached, unseen)
        with CaptureQueriesContext(connection) as queries:
            run(address, cached, unseen)
        results[label] = {"address": address, "goal": goal, "queries": len(queries), "cpu": [], "wall": []}
    floor_label = "gulv: " + FLOOR
    for round_ in range(args.rounds):
        for label, result in results.items():
            cpu, wall = run(result["address"], label in CACHED_KINDS, label in UNSEEN_KINDS)
            result["cpu"].append(cpu)
            result["wall"].append(wall)
        if (round_ + 1) % max(1, args.rounds // 5) == 0:
            log(f"enkeltklient: runde {round_ + 1}/{args.rounds}")
    floor = statistics.median(results[floor_label]["cpu"])
    for result in results.values():
        result.update(
            cpu_p50=statistics.median(result["cpu"]), wall_p50=statistics.median(result["wall"]),
            wall_p95=percentile(result["wall"], 0.95),
        )
        result["ratio"] = result["cpu_p50"] / floor if floor else 0.0
        del result["cpu"], result["wall"]
    settings.PAGE_CACHE_SECONDS = 0
    return results, addresses


def editor_actions(env):
    """Publish, unpublish and a provision save as the editor's request does them (enqueueing
    only), then the worker, then the first search against a warm one."""
    from django.db import connection, transaction
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_tasks_db.models import DBTaskResult

    from practices.models import LegalProvision, PracticeLegalReference, PracticePage

    def timed(action):
        queued = DBTaskResult.objects.count()
        started, started_cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as queries, transaction.atomic():
            action()
        return {
            "wall_ms": (time.perf_counter() - started) * 1000, "cpu_ms": (time.process_time() - started_cpu) * 1000,
            "queries": len(queries), "tasks": DBTaskResult.objects.count() - queued,
        }

    page = PracticePage.objects.live().order_by("pk").first()
    most_cited = PracticeLegalReference.objects.values("provision").annotate(n=Count("id")).order_by("-n").first()
    provision = LegalProvision.objects.get(pk=most_cited["provision"])
    citers = most_cited["n"]
    figures = {}
    page.title = page.title + " (endret)"
    figures["publisering"] = timed(lambda: page.save_revision().publish())
    figures["avpublisering"] = timed(lambda: page.unpublish())
    figures["publisering igjen"] = timed(lambda: page.save_revision().publish())
    # Moving within its section (Wagtail's move, the page and its URL re-indexed in the background).
    figures["flytting"] = timed(lambda: page.move(page.get_parent(), pos="last-child"))
    provision.title = (provision.title or "") + " (endret)"
    figures[f"lagre lovparagraf sitert av {citers} sider"] = timed(lambda: provision.save())
    log("arbeideren tar køen (db_worker --batch) …")
    started = time.perf_counter()
    manage(env, "db_worker", "--batch", "--no-startup-delay")
    figures["worker_s"] = time.perf_counter() - started

    client = Client()

    def cpu_ms(address):
        """The CPU time of one request to ``address``, in milliseconds."""
        begin = time.process_time()
        client.get(address)
        return (time.process_time() - begin) * 1000

    first = cpu_ms("/sok/?q=bolig")
    warm = [cpu_ms("/sok/?q=bolig") for _ in range(5)]
    figures["first_search_cpu_ms"], figures["warm_search_cpu_ms"] = first, statistics.median(warm)

    # The goal is about one publish: the run above also re-indexed every page citing the provision
    # (a quarter of the collection at 10 000), which rebuilds the snapshot by design. One publish,
    # the worker, the first request; several times, as one figure is too noisy on a shared machine.
    # Two kinds of first request: «bolig» (the snapshot brought up to date, then the word ranked
    # anew, as every search is new after the index changed) and a county listing (the snapshot
    # brought up to date, no ranking), each against its own warm figure. The worker runs as in
    # production (`make run`, the systemd unit in docs/e-post-og-bakgrunnsjobber.md): one process
    # that stays up, not a new one per publish, whose Django start would flush the CPU caches
    # the request then finds cold.
    worker = subprocess.Popen(
        [PYTHON, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1"],
        cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    pending = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"])

    def until_done():
        """Wait until the worker has taken the queue; the seconds it took."""
        begin = time.perf_counter()
        while pending.exists():
            if worker.poll() is not None:
                sys.exit(f"db_worker stoppet (kode {worker.returncode})")
            time.sleep(0.05)
        return time.perf_counter() - begin

    def publish(title):
        page.title = title
        with transaction.atomic():
            page.save_revision().publish()

    plain = page.title.removesuffix(" (endret)")
    try:
        # The worker's start is not what is measured: it takes one publish before the first.
        publish(plain)
        until_done()
        for key, address in FIRST_AFTER_PUBLISH.items():
            before = [cpu_ms(address) for _ in range(5)]
            firsts, paused, beside = [], [], []
            for attempt in range(PUBLISH_REPEATS):
                publish(plain + (" (endret)" if attempt % 2 == 0 else ""))  # a changed title every time
                waited = until_done()
                firsts.append(cpu_ms(address))
                for _ in range(2):  # warm again before the control and the next publish
                    client.get(address)
                beside.append(cpu_ms(address))  # a warm figure beside each publish, not only before
                # The control: the same wait with nothing published. What a request costs after
                # the worker and the database have had the CPU, without any change to bring in;
                # the difference to ``firsts`` is the publish's own cost.
                time.sleep(waited)
                paused.append(cpu_ms(address))
                for _ in range(3):
                    client.get(address)
            figures[f"first_after_publish_{key}"] = {
                "address": address, "firsts": firsts, "first_ms": statistics.median(firsts),
                "warm_before": before, "warm_beside": beside, "warm_ms": statistics.median(before + beside),
                "paused": paused, "paused_ms": statistics.median(paused),
            }
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    return figures


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


LOAD_CLIENT = r'''
import http.client, json, sys, threading, time
port, duration, concurrency = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
paths = json.loads(sys.argv[4])
latencies, errors, lock = [], [0], threading.Lock()
deadline = time.perf_counter() + duration
def worker(n):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    i = n
    while time.perf_counter() < deadline:
        path = paths[i % len(paths)]; i += concurrency
        begin = time.perf_counter()
        try:
            connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
            response = connection.getresponse(); response.read()
            ok = response.status == 200
        except Exception:
            ok = False
            connection.close(); connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        with lock:
            if ok: latencies.append(time.perf_counter() - begin)
            else: errors[0] += 1
threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
started = time.perf_counter()
for t in threads: t.start()
for t in threads: t.join()
elapsed = time.perf_counter() - started
latencies.sort()
p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0
print(json.dumps({"rps": len(latencies) / elapsed, "p95_ms": p95 * 1000, "requests": len(latencies),
                  "errors": errors[0]}))
'''


def throughput(env, addresses, duration, concurrency=8, workers=4):
    port = free_port()
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "kunnskapsbase.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        cwd=BASE_DIR, env=env,
    )
    try:
        for _ in range(100):
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", FLOOR)
                connection.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        targets = {
            "praksiseksempel fra sidebufferen": [addresses["practice"]],
            "søk uten buffer (8 ulike ord)": [f"/sok/?{urlencode({'q': word})}" for word in SEARCH_WORDS],
            "gulv " + FLOOR: [FLOOR],
        }
        results = {}
        for label, paths in targets.items():
            for path in paths:  # warm every worker's caches
                for _ in range(workers * 2):
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    connection.request("GET", path)
                    connection.getresponse().read()
            log(f"gjennomstrømning: {label}, {concurrency} klienter i {duration:.0f} s …")
            done = subprocess.run(
                [PYTHON, "-c", LOAD_CLIENT, str(port), str(duration), str(concurrency), json.dumps(paths)],
                capture_output=True, text=True, check=True,
            )
            results[label] = json.loads(done.stdout)
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)


def number(value, decimals=0):
    text = f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",")
    return text


def markdown(args, env, prepared, single, actions, load):
    database = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=BASE_DIR, capture_output=True,
                            text=True).stdout.strip()
    lines = [
        f"### {database}, {number(args.practices)} praksiseksempler",
        "",
        f"{time.strftime('%Y-%m-%d')}, commit {commit}, {os.cpu_count()} kjerner, Python "
        f"{platform.python_version()}, load average (1 min) ved start {number(args.load_at_start, 1)} og slutt "
        f"{number(os.getloadavg()[0], 1)}; "
        f"{args.rounds} runder per type.",
        "",
        "| Forespørsel | CPU p50 (ms) | × gulvet | mål | vegg p50 (ms) | vegg p95 (ms) | SQL |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, result in single.items():
        goal = f"≤ {result['goal']}×" if result["goal"] else ""
        lines.append(
            f"| {label} | {number(result['cpu_p50'], 1)} | {number(result['ratio'], 1)} | {goal} | "
            f"{number(result['wall_p50'], 1)} | {number(result['wall_p95'], 1)} | {result['queries']} |"
        )
    lines += ["", "| Redaktørhandling (i forespørselen) | vegg (ms) | CPU (ms) | SQL | jobber i kø |",
              "|---|---:|---:|---:|---:|"]
    for label, figure in actions.items():
        if isinstance(figure, dict) and "wall_ms" in figure:
            lines.append(f"| {label} | {number(figure['wall_ms'], 1)} | {number(figure['cpu_ms'], 1)} | "
                         f"{figure['queries']} | {figure['tasks']} |")
    first, warm = actions["first_search_cpu_ms"], actions["warm_search_cpu_ms"]
    lines += [
        "",
        "| Annet | |",
        "|---|---|",
        f"| Arbeideren etter handlingene (`db_worker --batch`) | {number(actions['worker_s'], 1)} s |",
        f"| Første søk etter handlingene over / varmt søk (CPU) | {number(first, 1)} / {number(warm, 1)} ms "
        f"= {number(first / warm if warm else 0, 2)}× |",
        *(
            f"| Første forespørsel etter én publisering / varm, `{figure['address']}` (CPU) | "
            f"{number(figure['first_ms'], 1)} / {number(figure['warm_ms'], 1)} ms = "
            f"{number(figure['first_ms'] / figure['warm_ms'] if figure['warm_ms'] else 0, 2)}× (mål ≤ 1,5×; median av "
            f"{len(figure['firsts'])}: {', '.join(number(value, 1) for value in figure['firsts'])} ms) |"
            for name, figure in actions.items() if name.startswith("first_after_publish_")
        ),
        *(
            f"| Varm forespørsel, `{figure['address']}` (CPU): de 5 før publiseringene / de 6 ved siden av | "
            f"{number(statistics.median(figure['warm_before']), 1)} / "
            f"{number(statistics.median(figure['warm_beside']), 1)} ms; første etter publisering / varm før = "
            f"{number(figure['first_ms'] / statistics.median(figure['warm_before']), 2)}× |"
            for name, figure in actions.items() if name.startswith("first_after_publish_")
        ),
        *(
            f"| Kontroll: samme ventetid uten publisering, `{figure['address']}` (CPU) | "
            f"{number(figure['paused_ms'], 1)} ms = {number(figure['paused_ms'] / figure['warm_ms'], 2)}× varm; "
            f"første etter publisering / kontroll = {number(figure['first_ms'] / figure['paused_ms'], 2)}× (median av "
            f"{len(figure['paused'])}: {', '.join(number(value, 1) for value in figure['paused'])} ms) |"
            for name, figure in actions.items() if name.startswith("first_after_publish_") and figure["paused_ms"]
        ),
        f"| `search_reindex` | {number(prepared['reindex_s'], 1)} s, {number(prepared['reindex_rate'])} dokumenter/s, "
        f"topp {number(prepared['reindex_peak_mib'] or 0)} MiB PSS |",
        *(
            [f"| `search_reindex`, kommandoens egen tid (uten oppstart av prosessen) | "
             f"{number(prepared['reindex_own_s'], 1)} s, {number(prepared['reindex_own_rate'])} dokumenter/s |"]
            if prepared.get("reindex_own_rate") else []
        ),
    ]
    if load:
        lines += ["", "| Gjennomstrømning (gunicorn 4 arbeidere, 8 klienter) | forespørsler/s | p95 (ms) | feil |",
                  "|---|---:|---:|---:|"]
        for label, figure in load.items():
            lines.append(f"| {label} | {number(figure['rps'])} | {number(figure['p95_ms'], 1)} | {figure['errors']} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--practices", type=int, default=1000, help="Antall demo-praksiseksempler")
    parser.add_argument("--rounds", type=int, default=50, help="Målte runder per forespørselstype")
    parser.add_argument("--reuse", action="store_true", help="Bruk databasen som den er (ikke lag den på nytt)")
    parser.add_argument("--throughput", action="store_true", help="Mål også gjennomstrømning med gunicorn")
    parser.add_argument("--duration", type=float, default=15.0, help="Sekunder per mål i gjennomstrømningen")
    parser.add_argument("--read-also", action="store_true", help="La arbeideren regne ut «Les også» for alle sider")
    parser.add_argument("--json", help="Lagre rådata som JSON her")
    args = parser.parse_args()

    started = time.perf_counter()
    args.load_at_start = os.getloadavg()[0]
    env = environment(args)
    prepared = prepare(args, env)
    setup_django(env)
    drop_queued_index_work(args.read_also)
    log("enkeltklient …")
    single, addresses = single_client(args)
    log("redaktørhandlinger …")
    actions = editor_actions(env)
    load = throughput(env, addresses, args.duration) if args.throughput else None
    table = markdown(args, env, prepared, single, actions, load)
    print(table)
    if args.json:
        Path(args.json).write_text(json.dumps(
            {"prepared": prepared, "single": single, "actions": actions, "throughput": load}, indent=2,
            ensure_ascii=False, default=str,
        ))
    worst = max((r["ratio"] / r["goal"], label) for label, r in single.items() if r["goal"])
    log(f"Ferdig på {time.perf_counter() - started:.0f} s. Verste forhold til målet: {worst[1]} "
        f"({number(worst[0], 2)} av målet); tabellen over kan limes inn i docs/ytelse.md.")


if __name__ == "__main__":
    main()
