"""The worlds the scoring benchmarks simulate events in (see `scoring.simulation`), and the
table they print: a world a column.
"""

import argparse
from collections.abc import Callable

from scoring.simulation import World

WORLDS = {
    world.name: world
    for world in [
        World("hall", 60, 15, 4),
        World("small", 24, 6, 3, leniency=0.5, scale=0.2, drift=0.2),
        World("large", 150, 36, 4),
        World("harsh", 60, 12, 4, leniency=1.5, scale=0.6, drift=0.8, noise=1.0),
        World("steady", 40, 20, 5, leniency=0.3, scale=0.15, drift=0.0, noise=0.5),
        World("skewed", 60, 15, 4, quality="skewed"),
    ]
}


def worlds(names: str) -> list[World]:
    """The worlds named in a comma-separated list ("all" for every one)."""
    if names == "all":
        return list(WORLDS.values())
    return [WORLDS[name] for name in names.split(",")]


def seeds(world: World, events: int, seed: int) -> list[int]:
    return [seed * 1_000_003 + hash_name(world.name) * 10_007 + n for n in range(events)]


def hash_name(name: str) -> int:
    return sum(ord(ch) * 31**i for i, ch in enumerate(name)) % 9973


def share(flags: list[bool]) -> float:
    return sum(flags) / len(flags) if flags else float("nan")


Run = Callable[[World, argparse.Namespace], dict[str, float]]


def study(
    doc: str,
    run: Run,
    cell: Callable[[str, float], str],
    targets: dict[str, str],
    events: int,
    options: Callable[[argparse.ArgumentParser], None] = lambda parser: None,
) -> argparse.Namespace:
    """Runs `run` in each chosen world and prints its figures as a table, a world a column."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--events", type=int, default=events)
    parser.add_argument("--worlds", default="all")
    parser.add_argument("--method", default="calibrated")
    parser.add_argument("--seed", type=int, default=1)
    options(parser)
    args = parser.parse_args()
    chosen = worlds(args.worlds)
    print(f"{args.events} events a world, method {args.method}, seed {args.seed}")
    for world in chosen:
        print(f"- {world.name}: {world.describe()}")
    results = {world.name: run(world, args) for world in chosen}
    print()
    print("| figure | " + " | ".join(results) + " | target |")
    print("| --- | " + " | ".join("---" for _ in results) + " | --- |")
    for figure in next(iter(results.values())):
        cells = " | ".join(cell(figure, figures[figure]) for figures in results.values())
        print(f"| {figure} | {cells} | {targets.get(figure, '')} |")
    return args
