"""Simulated events with known truth, in several worlds, for the scoring benchmarks.

An entry has a true quality. A judge has a leniency, a scale (how much of the 1-10 range they
use) and a drift (how their leniency moves through the day); each of their sheets scores five
weighted criteria, each rounded to a whole point and held to the range, with noise. A world
sets how many entries and judges there are, how far judges differ, how much they drift, how
noisy a sheet is and how quality is spread.
"""

import argparse
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from scoring import Ballots, Criterion, Sheet

WEIGHTS = [3, 2, 2, 2, 1]
CRITERIA = [Criterion(key=f"c{i}", weight=w, min=1, max=10) for i, w in enumerate(WEIGHTS)]


@dataclass(frozen=True)
class World:
    name: str
    entries: int
    judges: int
    per_entry: int  # sheets an entry gets on a fixed design (the budget: entries * per_entry)
    leniency: float = 0.8  # spread of the judges' leniency, in points
    scale: float = 0.35  # spread of log scale
    drift: float = 0.4  # spread of the change in leniency from morning to evening, in points
    noise: float = 0.7  # a criterion's noise, in points
    quality: str = "normal"  # or "skewed": a long tail of standout entries

    def describe(self) -> str:
        return (
            f"{self.entries} entries, {self.judges} judges, {self.per_entry} sheets an entry; "
            f"judges' leniency sd {self.leniency:g}, log scale sd {self.scale:g}, "
            f"drift sd {self.drift:g}; noise {self.noise:g}; quality {self.quality}"
        )


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


@dataclass
class Event:
    """One event: the truth, and the judges who will score it."""

    world: World
    rng: random.Random
    codes: list[str] = field(default_factory=list)
    quality: dict[str, float] = field(default_factory=dict)
    leniency: list[float] = field(default_factory=list)
    scale: list[float] = field(default_factory=list)
    drift: list[float] = field(default_factory=list)

    @classmethod
    def draw(cls, world: World, seed: int) -> "Event":
        rng = random.Random(seed)
        event = cls(world, rng)
        event.codes = [f"E{i:03d}" for i in range(world.entries)]
        if world.quality == "skewed":
            event.quality = {code: rng.expovariate(1.0) for code in event.codes}
        else:
            event.quality = {code: rng.gauss(0, 1) for code in event.codes}
        event.leniency = [rng.gauss(0, world.leniency) for _ in range(world.judges)]
        event.scale = [rng.lognormvariate(0, world.scale) for _ in range(world.judges)]
        event.drift = [rng.gauss(0, world.drift) for _ in range(world.judges)]
        return event

    @property
    def budget(self) -> int:
        return self.world.entries * self.world.per_entry

    def visits_per_judge(self) -> int:
        return -(-self.budget // self.world.judges)

    def truth(self) -> list[str]:
        """The entries, best first."""
        return sorted(self.codes, key=lambda code: -self.quality[code])

    def true_ranks(self) -> dict[str, int]:
        return {code: rank for rank, code in enumerate(self.truth(), start=1)}

    def bias(self, judge: int, hour: float) -> tuple[float, float]:
        """What the judge adds to every sheet at `hour` (0 morning, 1 evening), and the points
        one unit of quality is worth to them: what an oracle would take off."""
        return 5.5 + self.leniency[judge] + self.drift[judge] * hour, 1.5 * self.scale[judge]

    def hour(self, step: int) -> float:
        return step / max(1, self.visits_per_judge() - 1)

    def sheet(self, judge: int, code: str, step: int) -> Sheet:
        base, per_unit = self.bias(judge, self.hour(step))
        level = base + per_unit * self.quality[code]
        noise = self.world.noise
        values = {
            c.key: float(min(10, max(1, round(level + self.rng.gauss(0, noise))))) for c in CRITERIA
        }
        return Sheet(judge=f"j{judge}", entry=code, scores=values)

    def balanced(self, per_entry: int) -> dict[int, list[str]]:
        """A fixed design: every entry seen by `per_entry` different judges, the judges' loads
        as even as can be, each judge's visits in a random order."""
        load = [0] * self.world.judges
        visits: dict[int, list[str]] = {j: [] for j in range(self.world.judges)}
        for _ in range(per_entry):
            for code in self.rng.sample(self.codes, len(self.codes)):
                free = [j for j in range(self.world.judges) if code not in visits[j]]
                judge = min(free, key=lambda j: (load[j], self.rng.random()))
                load[judge] += 1
                visits[judge].append(code)
        for seen in visits.values():
            self.rng.shuffle(seen)
        return visits

    def judged(self, visits: dict[int, list[str]]) -> Ballots:
        sheets = [
            self.sheet(judge, code, step)
            for judge, seen in visits.items()
            for step, code in enumerate(seen)
        ]
        return Ballots(entries=self.codes, criteria=CRITERIA, sheets=sheets)


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
