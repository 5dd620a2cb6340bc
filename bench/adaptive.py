"""Does adaptive judging find the prizes? Adaptive against a fixed design and an oracle.

    python bench/adaptive.py [--events 150] [--worlds all] [--method calibrated] [--seed 1]

For each world (see bench/worlds.py) and each seeded event, the same budget of sheets (entries
x sheets an entry) is spent three ways:

- fixed: a balanced design, every entry seen by the same number of judges, ranked by the method;
- oracle: the same design and sheets, each sheet corrected with the judge's true leniency,
  scale and drift (what an organizer could never know), then averaged per entry;
- adaptive: each judge first scores a short fixed list (a balanced design of two sheets an
  entry); then, round after round, each judge in turn is sent to the first of
  `scoring.next_entries` (their own past entries left out, the visits already sent this round
  counted as under way) until the budget is spent; ranked by the same method.

It prints how often each finds exactly the true top 3 and the ratios (targets: adaptive at least
1.4x fixed and 1.1x the oracle), the fewest sheets any entry got under adaptive (target 2), and
the time `next_entries` takes for one judge (p95; targets under 250 ms for 60 entries, under 1 s
for 500).
"""

import argparse
import importlib.util
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != HERE]
_spec = importlib.util.spec_from_file_location("worlds", HERE / "worlds.py")
assert _spec is not None and _spec.loader is not None
worlds = importlib.util.module_from_spec(_spec)
sys.modules["worlds"] = worlds
_spec.loader.exec_module(worlds)

import scoring  # noqa: E402
from scoring import Ballots  # noqa: E402
from scoring.common import sheet_total  # noqa: E402
from scoring.uncertainty import PRIZES  # noqa: E402


def top(method: scoring.Method, ballots: Ballots) -> set[str]:
    return {s.entry for s in method.rank(ballots)[:PRIZES]}


def oracle_top(event: "worlds.Event", visits: dict[int, list[str]], ballots: Ballots) -> set[str]:
    """The top 3 by each entry's mean sheet, every sheet's judge bias taken off exactly."""
    step = {(f"j{j}", code): n for j, seen in visits.items() for n, code in enumerate(seen)}
    corrected: dict[str, list[float]] = {}
    for sheet in ballots.sheets:
        judge = int(sheet.judge[1:])
        base, per_unit = event.bias(judge, event.hour(step[(sheet.judge, sheet.entry)]))
        total = sheet_total(sheet.scores, ballots.criteria)
        assert total is not None
        corrected.setdefault(sheet.entry, []).append((total - base) / per_unit)
    means = {entry: statistics.fmean(values) for entry, values in corrected.items()}
    return set(sorted(means, key=lambda entry: -means[entry])[:PRIZES])


def adaptive(
    event: "worlds.Event", method: scoring.Method, seed: int, timings: list[float]
) -> tuple[Ballots, int]:
    """The adaptive design's ballots, and the fewest sheets an entry got."""
    visits = event.balanced(2)
    sheets = [
        event.sheet(judge, code, step)
        for judge, seen in visits.items()
        for step, code in enumerate(seen)
    ]
    order = list(visits)
    rng = random.Random(seed)
    round_number = 0
    while len(sheets) < event.budget:
        ballots = Ballots(entries=event.codes, criteria=worlds.CRITERIA, sheets=sheets)
        started = time.perf_counter()
        planner = scoring.Planner(method, ballots, seed=seed + round_number)
        timings.append(time.perf_counter() - started)
        pending: dict[str, int] = {}
        rng.shuffle(order)
        for judge in order:
            if len(sheets) >= event.budget:
                break
            started = time.perf_counter()
            best = planner.order(f"j{judge}", event.codes, pending)[0]
            timings[-1] += time.perf_counter() - started
            pending[best] = pending.get(best, 0) + 1
            sheets.append(event.sheet(judge, best, len(visits[judge])))
            visits[judge].append(best)
        round_number += 1
    ballots = Ballots(entries=event.codes, criteria=worlds.CRITERIA, sheets=sheets)
    counts = {code: 0 for code in event.codes}
    for sheet in sheets:
        counts[sheet.entry] += 1
    return ballots, min(counts.values())


def run(world: "worlds.World", args: argparse.Namespace) -> dict[str, float]:
    method = scoring.get(args.method)
    found = {"fixed": [], "oracle": [], "adaptive": []}
    fewest = []
    timings: list[float] = []
    for seed in worlds.seeds(world, args.events, args.seed):
        event = worlds.Event.draw(world, seed)
        truth = set(event.truth()[:PRIZES])
        visits = event.balanced(world.per_entry)
        fixed = event.judged(visits)
        found["fixed"].append(top(method, fixed) == truth)
        found["oracle"].append(oracle_top(event, visits, fixed) == truth)
        ballots, least = adaptive(event, method, seed, timings)
        found["adaptive"].append(top(method, ballots) == truth)
        fewest.append(least)
    rates = {name: worlds.share(flags) for name, flags in found.items()}
    return {
        "fixed": rates["fixed"],
        "oracle": rates["oracle"],
        "adaptive": rates["adaptive"],
        "adaptive / fixed": rates["adaptive"] / rates["fixed"] if rates["fixed"] else float("inf"),
        "adaptive / oracle": rates["adaptive"] / rates["oracle"]
        if rates["oracle"]
        else float("inf"),
        "fewest sheets": min(fewest),
        "next p95 ms": 1000 * sorted(timings)[int(0.95 * (len(timings) - 1))],
    }


def timing(entries: int, judges: int, args: argparse.Namespace) -> float:
    """p95 ms of one `next_entries` call, mid-event, for an event of `entries` entries."""
    world = worlds.World(f"timing-{entries}", entries, judges, 4)
    method = scoring.get(args.method)
    took = []
    for seed in worlds.seeds(world, 10, args.seed):
        event = worlds.Event.draw(world, seed)
        ballots = event.judged(event.balanced(3))
        started = time.perf_counter()
        scoring.next_entries(method, ballots, judge="j0", candidates=event.codes, seed=seed)
        took.append(time.perf_counter() - started)
    return 1000 * sorted(took)[int(0.95 * (len(took) - 1))]


TARGETS = {"adaptive / fixed": ">= 1.4", "adaptive / oracle": ">= 1.1", "fewest sheets": ">= 2"}


def cell(figure: str, value: float) -> str:
    if figure in ("fixed", "oracle", "adaptive"):
        return f"{100 * value:.1f}%"
    if figure == "fewest sheets" or figure.endswith("ms"):
        return f"{value:.0f}"
    return f"{value:.2f}x"


def main() -> None:
    args = worlds.study(__doc__, run, cell, TARGETS, events=150)
    print()
    for entries, judges in ((60, 15), (500, 120)):
        print(f"next_entries for {entries} entries, p95: {timing(entries, judges, args):.0f} ms")


if __name__ == "__main__":
    main()
