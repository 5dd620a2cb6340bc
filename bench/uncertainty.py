"""Is the board's uncertainty honest? Rank ranges, prize chances and "settled" against the truth.

    python bench/uncertainty.py [--events 100] [--worlds all] [--method calibrated] [--seed 1]

For each world (see bench/worlds.py) it simulates events with known truth on a fixed balanced
design, ranks each with `scoring.with_uncertainty`, and prints:

- how often a 90% rank range holds the entry's true rank (target 87-95%), and its mean width;
  the same for the judge bootstrap the board used before, on a share of the events;
- of the entries given a prize chance of 0.9 or more, the share that truly hold a prize (target
  85% or more); of those given 0.1 or less, the share that do (target 5% or less);
- how often the board calls its top 3 settled (target 15% or more of events) and how often
  it is then right (target 85% or more), and the share of top-3 rows marked too close;
- how often an oracle could call the top 3 of the same sheets settled, knowing every judge's
  leniency, scale, drift and noise and how quality is spread (`Event.oracle_levels`), and how
  often it is then right: the most any honest board can settle on this design;
- the time for one event (target under 2 s for 60 entries).
"""

import argparse
import importlib.util
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
from scoring.simulation import Event, World  # noqa: E402
from scoring.uncertainty import (  # noqa: E402
    PRIZES,
    bootstrap_ranks,
    rank_intervals,
)


def bootstrap_coverage(method: scoring.Method, ballots: scoring.Ballots, truth: dict[str, int]):
    """The judge bootstrap's 90% ranges (200 resamples): how many hold the truth, of how many,
    and their total width."""
    base, ranks = bootstrap_ranks(method, ballots)
    ranges = rank_intervals(ranks)
    held = sum(low <= truth[e] <= high for e, (low, high) in zip(base, ranges, strict=True))
    return held, len(base), sum(high - low + 1 for low, high in ranges)


def run(world: World, args: argparse.Namespace) -> dict[str, float]:
    method = scoring.get(args.method)
    held = total = width = 0
    boot_held = boot_total = boot_width = 0
    sure_in: list[bool] = []
    unlikely_in: list[bool] = []
    settled: list[bool] = []
    settled_right: list[bool] = []
    top_rows_close: list[bool] = []
    oracle_settles: list[bool] = []
    oracle_right: list[bool] = []
    seconds: list[float] = []
    for number, seed in enumerate(worlds.seeds(world, args.events, args.seed)):
        event = Event.draw(world, seed)
        visits = event.balanced(event.budget)
        ballots = event.judged(visits)
        truth = event.true_ranks()
        started = time.perf_counter()
        standings = scoring.with_uncertainty(method, ballots, seed=seed)
        seconds.append(time.perf_counter() - started)
        ranked = [s for s in standings if s.rank is not None]
        for s in ranked:
            low, high = s.detail["rank_range"]
            held += low <= truth[s.entry] <= high
            total += 1
            width += high - low + 1
            p = s.detail["p_prize"]
            if p >= 0.9:
                sure_in.append(truth[s.entry] <= PRIZES)
            if p <= 0.1:
                unlikely_in.append(truth[s.entry] <= PRIZES)
        flagged = [s.detail["too_close"] for s in ranked]
        top = [s for s in ranked if s.rank <= PRIZES]
        top_rows_close += [s.detail["too_close"] for s in top]
        settled.append(not any(flagged))
        if not any(flagged):
            settled_right.append({s.entry for s in top} == set(event.truth()[:PRIZES]))
        sure, right = event.oracle_settled(visits, ballots, seed=seed)
        oracle_settles.append(sure)
        if sure:
            oracle_right.append(right)
        if number < args.bootstrap_events:
            h, t, w = bootstrap_coverage(method, ballots, truth)
            boot_held, boot_total, boot_width = boot_held + h, boot_total + t, boot_width + w
    return {
        "coverage": held / total,
        "width": width / total,
        "bootstrap coverage": boot_held / boot_total if boot_total else float("nan"),
        "bootstrap width": boot_width / boot_total if boot_total else float("nan"),
        "p>=0.9 truly in": worlds.share(sure_in),
        "p<=0.1 truly in": worlds.share(unlikely_in),
        "settled": worlds.share(settled),
        "settled and right": worlds.share(settled_right),
        "settled (oracle)": worlds.share(oracle_settles),
        "oracle settled and right": worlds.share(oracle_right),
        "top-3 rows too close": worlds.share(top_rows_close),
        "p95 s": sorted(seconds)[int(0.95 * (len(seconds) - 1))],
        "median s": statistics.median(seconds),
    }


TARGETS = {
    "coverage": "87-95%",
    "p>=0.9 truly in": ">= 85%",
    "p<=0.1 truly in": "<= 5%",
    "settled": ">= 15%",
    "settled and right": ">= 85%",
}


def cell(figure: str, value: float) -> str:
    if figure.endswith(" s"):
        return f"{value:.2f}"
    if "width" in figure:
        return f"{value:.1f}"
    return f"{100 * value:.1f}%"


def main() -> None:
    worlds.study(
        __doc__,
        run,
        cell,
        TARGETS,
        events=100,
        options=lambda parser: parser.add_argument("--bootstrap-events", type=int, default=10),
    )


if __name__ == "__main__":
    main()
