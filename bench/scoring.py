"""Times every registered scoring method on a large synthetic event and prints the figures.

    python bench/scoring.py [--entries 2000] [--judges 300] [--sheets 6000] [--repeat 3]

Targets: mean, median, trimmed, zscore, borda, bayes under 50 ms; offset and bradley_terry
under 500 ms; schulze under 2 s for 500 entries (it is timed on its own, smaller event).
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

# This file is named like the package it measures: import the package, not this file.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import scoring  # noqa: E402

TARGETS_MS = {
    "mean": 50,
    "median": 50,
    "trimmed": 50,
    "zscore": 50,
    "borda": 50,
    "bayes": 50,
    "offset": 500,
    "bradley_terry": 500,
    "schulze": 2000,
}
CRITERIA = [
    scoring.Criterion(key=f"c{i}", weight=w, min=1, max=10) for i, w in enumerate([3, 2, 2, 2, 1])
]


def event(entries: int, judges: int, sheets: int, seed: int = 7) -> scoring.Ballots:
    """`sheets` sheets spread evenly: each entry seen by sheets/entries judges."""
    rng = random.Random(seed)
    codes = [f"E{i:04d}" for i in range(entries)]
    per_entry = max(1, sheets // entries)
    quality = {code: rng.gauss(6, 1.5) for code in codes}
    bias = {j: rng.gauss(0, 1) for j in range(judges)}
    made = []
    for n, code in enumerate(codes):
        for k in range(per_entry):
            judge = (n * per_entry + k * 7919) % judges
            scores = {
                c.key: float(min(10, max(1, round(quality[code] + bias[judge] + rng.gauss(0, 1)))))
                for c in CRITERIA
            }
            made.append(scoring.Sheet(judge=f"j{judge}", entry=code, scores=scores))
    return scoring.Ballots(entries=codes, criteria=CRITERIA, sheets=made)


def timed(method: scoring.Method, ballots: scoring.Ballots, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        method.rank(ballots)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--judges", type=int, default=300)
    parser.add_argument("--sheets", type=int, default=6000)
    parser.add_argument("--schulze-entries", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    big = event(args.entries, args.judges, args.sheets)
    small = event(
        args.schulze_entries,
        args.judges * args.schulze_entries // args.entries,
        args.sheets * args.schulze_entries // args.entries,
    )
    print(f"{'method':<14} {'event':<28} {'median ms':>10} {'target ms':>10}  verdict")
    for name, method in scoring.methods().items():
        ballots = small if name == "schulze" else big
        size = f"{len(ballots.entries)} entries, {len(ballots.sheets)} sheets"
        ms = timed(method, ballots, args.repeat)
        target = TARGETS_MS.get(name)
        verdict = "" if target is None else ("ok" if ms < target else "SLOW")
        print(f"{name:<14} {size:<28} {ms:>10.1f} {target or '-':>10}  {verdict}")


if __name__ == "__main__":
    main()
