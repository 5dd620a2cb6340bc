"""Which method recovers the truth? Simulated events with known quality, scored by every method.

    python bench/fidelity.py [--events 300] [--entries 60] [--judges 15] [--seed 1]

Each event: entries with a true quality; judges who differ in leniency, in how much of the scale
they use, and who drift through the day; 3 to 5 judges per entry on a 1-10 rubric of five
weighted criteria, with noise. For each method it prints the mean Spearman rho between its
ranking and the truth, how often its top 3 is exactly the true top 3, and the mean share of the
true top 10 found in its top 10.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import scoring  # noqa: E402
from scoring import Ballots, Criterion, Sheet  # noqa: E402

WEIGHTS = [3, 2, 2, 2, 1]
CRITERIA = [Criterion(key=f"c{i}", weight=w, min=1, max=10) for i, w in enumerate(WEIGHTS)]


def simulate(rng: random.Random, entries: int, judges: int) -> tuple[Ballots, dict[str, float]]:
    codes = [f"E{i:02d}" for i in range(entries)]
    quality = {code: rng.gauss(0, 1) for code in codes}
    leniency = [rng.gauss(0, 0.8) for _ in range(judges)]
    scale = [rng.lognormvariate(0, 0.35) for _ in range(judges)]
    drift = [rng.gauss(0, 0.4) for _ in range(judges)]
    load = [0] * judges
    visits: dict[int, list[str]] = {j: [] for j in range(judges)}
    for code in rng.sample(codes, len(codes)):
        wanted = rng.randint(3, 5)
        chosen = sorted(range(judges), key=lambda j: (load[j], rng.random()))[:wanted]
        for j in chosen:
            load[j] += 1
            visits[j].append(code)
    sheets = []
    for j, seen in visits.items():
        for step, code in enumerate(seen):
            hour = step / max(1, len(seen) - 1)  # 0 in the morning, 1 at the end of the day
            level = 5.5 + leniency[j] + drift[j] * hour + scale[j] * 1.5 * quality[code]
            values = {
                c.key: float(min(10, max(1, round(level + rng.gauss(0, 0.7))))) for c in CRITERIA
            }
            sheets.append(Sheet(judge=f"j{j}", entry=code, scores=values))
    return Ballots(entries=codes, criteria=CRITERIA, sheets=sheets), quality


def ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        k = i
        while k + 1 < len(order) and values[order[k + 1]] == values[order[i]]:
            k += 1
        for m in range(i, k + 1):
            out[order[m]] = (i + k) / 2 + 1
        i = k + 1
    return out


def spearman(a: list[float], b: list[float]) -> float:
    ra, rb = ranks(a), ranks(b)
    ma, mb = statistics.fmean(ra), statistics.fmean(rb)
    top = sum((x - ma) * (y - mb) for x, y in zip(ra, rb, strict=True))
    bottom = (sum((x - ma) ** 2 for x in ra) * sum((y - mb) ** 2 for y in rb)) ** 0.5
    return top / bottom if bottom else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--entries", type=int, default=60)
    parser.add_argument("--judges", type=int, default=15)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    methods = scoring.methods()
    results: dict[str, dict[str, list[float]]] = {
        name: {"rho": [], "top3": [], "top10": [], "ms": []} for name in methods
    }
    for number in range(args.events):
        ballots, quality = simulate(
            random.Random(args.seed * 100_003 + number), args.entries, args.judges
        )
        truth = sorted(quality, key=quality.get, reverse=True)
        for name, method in methods.items():
            start = time.perf_counter()
            standings = method.rank(ballots)
            results[name]["ms"].append((time.perf_counter() - start) * 1000)
            got = [s.entry for s in standings]
            position = {entry: i for i, entry in enumerate(got)}
            results[name]["rho"].append(
                spearman(
                    [-position[e] for e in ballots.entries], [quality[e] for e in ballots.entries]
                )
            )
            results[name]["top3"].append(float(set(got[:3]) == set(truth[:3])))
            results[name]["top10"].append(len(set(got[:10]) & set(truth[:10])) / 10)
    print(
        f"{args.events} events of {args.entries} entries and {args.judges} judges, "
        "3-5 judges per entry (seed {args.seed})".replace("{args.seed}", str(args.seed))
    )
    print()
    print("| method | Spearman rho | true top 3 recovered | true top 10 found | ms per event |")
    print("| --- | --- | --- | --- | --- |")
    ordered = sorted(results.items(), key=lambda item: -statistics.fmean(item[1]["rho"]))
    for name, r in ordered:
        print(
            f"| `{name}` | {statistics.fmean(r['rho']):.3f} | {100 * statistics.fmean(r['top3']):.0f}% "
            f"| {100 * statistics.fmean(r['top10']):.0f}% | {statistics.median(r['ms']):.1f} |"
        )


if __name__ == "__main__":
    main()
