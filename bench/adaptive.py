"""Does adaptive judging find the prizes? Adaptive against a fixed design and an oracle.

    python bench/adaptive.py [--events 150] [--worlds all] [--method calibrated] [--seed 1]

For each world (see bench/worlds.py) and each seeded event, the same budget of sheets (entries
x sheets an entry) is spent three ways:

- fixed: a balanced design, every entry seen by the same number of judges, ranked by the method;
- oracle: the same design and sheets, each sheet corrected with the judge's true leniency,
  scale and drift (what an organizer could never know), then averaged per entry;
- adaptive, as the hall runs it (`scoring.simulation`): each judge first walks the first
  three entries of their fixed list; then, round after round, each judge in turn is sent where
  `scoring.Planner.choose` says (their own past entries left out, the visits already sent this
  round counted as under way, the nearest table among the nearly best) until the budget is
  spent; ranked by the same method.

It prints how often each finds exactly the true top 3 and the ratios (targets: adaptive at least
1.4x fixed and 1.1x the oracle; where the fixed design already finds the top 3 in more than 1 of
1.4 events, no design can reach 1.4x, so it also prints how many times fewer events adaptive
judging gets wrong than the fixed design: "misses cut"), the fewest sheets any entry got under adaptive (target 2), the
most parts an adaptive judge-entry design fell into (target 1: connected, so every judge's
leniency and scale can be estimated against every other's), how
often the board of an adaptive event calls its top 3 settled (target 15%) and is then right
(target 85%), how often an oracle that knows every judge could call the top 3 of the same
adaptive sheets settled (`Event.oracle_settled`), the time one round's planning takes, and the time `next_entries` takes for one
judge (p95; targets under 250 ms for 60 entries, under 1 s for 500).
"""

import argparse
import importlib.util
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
from scoring.simulation import Event, World, top  # noqa: E402
from scoring.uncertainty import PRIZES  # noqa: E402
from showcase.assigning import design_parts  # noqa: E402


def run(world: World, args: argparse.Namespace) -> dict[str, float]:
    method = scoring.get(args.method)
    found: dict[str, list[bool]] = {"fixed": [], "oracle": [], "adaptive": []}
    settled: list[bool] = []
    settled_right: list[bool] = []
    oracle_settles: list[bool] = []
    oracle_right: list[bool] = []
    fewest = []
    parts = []
    timings: list[float] = []
    for seed in worlds.seeds(world, args.events, args.seed):
        event = Event.draw(world, seed)
        truth = set(event.truth()[:PRIZES])
        visits = event.balanced(event.budget)
        fixed = event.judged(visits)
        found["fixed"].append(top(method, fixed) == truth)
        found["oracle"].append(event.oracle_top(visits, fixed) == truth)
        ballots, visits = event.adaptive(method, seed=seed, timings=timings)
        found["adaptive"].append(top(method, ballots) == truth)
        fewest.append(min(sum(code in seen for seen in visits.values()) for code in event.codes))
        parts.append(len(design_parts((j, code) for j, seen in visits.items() for code in seen)))
        standings = scoring.with_uncertainty(method, ballots, seed=seed)
        calm = not any(s.detail.get("too_close") for s in standings)
        settled.append(calm)
        if calm:
            settled_right.append({s.entry for s in standings[:PRIZES]} == truth)
        sure, right = event.oracle_settled(visits, ballots, seed=seed)
        oracle_settles.append(sure)
        if sure:
            oracle_right.append(right)
    rates = {name: worlds.share(flags) for name, flags in found.items()}
    return {
        "fixed": rates["fixed"],
        "oracle": rates["oracle"],
        "adaptive": rates["adaptive"],
        "adaptive / fixed": rates["adaptive"] / rates["fixed"] if rates["fixed"] else float("inf"),
        "adaptive / oracle": rates["adaptive"] / rates["oracle"]
        if rates["oracle"]
        else float("inf"),
        "misses cut": (1 - rates["fixed"]) / (1 - rates["adaptive"])
        if rates["adaptive"] < 1
        else float("inf"),
        "fewest sheets": min(fewest),
        "design parts": max(parts),
        "settled (adaptive)": worlds.share(settled),
        "settled and right": worlds.share(settled_right),
        "settled (oracle)": worlds.share(oracle_settles),
        "oracle settled and right": worlds.share(oracle_right),
        "round p95 ms": 1000 * sorted(timings)[int(0.95 * (len(timings) - 1))],
    }


def timing(entries: int, judges: int, args: argparse.Namespace) -> float:
    """p95 ms of one `next_entries` call, mid-event, for an event of `entries` entries."""
    world = World(f"timing-{entries}", entries, judges, 4)
    method = scoring.get(args.method)
    took = []
    for seed in worlds.seeds(world, 10, args.seed):
        event = Event.draw(world, seed)
        ballots = event.judged(event.balanced(3 * entries))
        started = time.perf_counter()
        scoring.next_entries(method, ballots, judge="j0", candidates=event.codes, seed=seed)
        took.append(time.perf_counter() - started)
    return 1000 * sorted(took)[int(0.95 * (len(took) - 1))]


TARGETS = {
    "adaptive / fixed": ">= 1.4",
    "adaptive / oracle": ">= 1.1",
    "fewest sheets": ">= 2",
    "design parts": "1",
    "settled (adaptive)": ">= 15%",
    "settled and right": ">= 85%",
}


def cell(figure: str, value: float) -> str:
    if figure in ("fixed", "oracle", "adaptive") or "settled" in figure:
        return f"{100 * value:.1f}%"
    if figure in ("fewest sheets", "design parts") or figure.endswith("ms"):
        return f"{value:.0f}"
    return f"{value:.2f}x"


def main() -> None:
    args = worlds.study(__doc__, run, cell, TARGETS, events=150)
    print()
    for entries, judges in ((60, 15), (500, 120)):
        print(f"next_entries for {entries} entries, p95: {timing(entries, judges, args):.0f} ms")


if __name__ == "__main__":
    main()
