#!/usr/bin/env python
"""Time budget for the law-citation parser on adversarial input: run on demand, not in the suite.

The test suite checks that these 10 000-character inputs are parsed correctly
(tests/test_citations.py); whether they are parsed *quickly* (no catastrophic backtracking in
the patterns) is a wall-clock question and belongs here. Exits non-zero when an input takes
longer than the budget (default 1 s, the best of --repeat runs).

    .venv/bin/python scripts/benchmark_citations.py
    .venv/bin/python scripts/benchmark_citations.py --budget 0.5 --repeat 5
"""

import argparse
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=1.0, help="seconds allowed per input (best run)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per input; the fastest counts")
    args = parser.parse_args()

    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kunnskapsbase.settings.test")
    import django

    django.setup()
    from search.citations import parse_query
    from tests.test_citations import ADVERSARIAL_INPUTS

    over = 0
    for number, query in enumerate(ADVERSARIAL_INPUTS, start=1):
        timings = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            parse_query(query)
            timings.append(time.perf_counter() - started)
        best = min(timings)
        verdict = "ok" if best <= args.budget else "FOR TREG"
        over += best > args.budget
        print(f"[{number}/{len(ADVERSARIAL_INPUTS)}] {best * 1000:8.1f} ms  {verdict}  {query[:30]!r}")
    print(f"{len(ADVERSARIAL_INPUTS) - over} innenfor, {over} over budsjettet på {args.budget} s")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
