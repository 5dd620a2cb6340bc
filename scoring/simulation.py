"""Simulated events with known truth: what the benchmarks measure the scoring against, and what
the organizers' planner estimates an event's chances from.

An entry has a true quality. A judge has a leniency, a scale (how much of the 1-10 range they
use) and a drift (how their leniency moves through the day); each of their sheets scores five
weighted criteria, each rounded to a whole point and held to the range, with noise. A world
sets how many entries and judges there are, how many sheets the event can afford, how far
judges differ, how much they drift, how noisy a sheet is and how quality is spread. The
defaults are a typical hall.

Two ways to spend the same sheets: a fixed balanced design (every judge walks a list made
before the event), and adaptive judging as the hall runs it: each judge walks the first
`START_VISITS` entries of their fixed list, then is sent, again and again, where
`scoring.adaptive` says a sheet does the most to settle the prizes (the nearest of the nearly
best, by table).
"""

import random
import statistics
import time
from dataclasses import dataclass, field

import msgspec
import numpy as np

from scoring.adaptive import Planner
from scoring.common import sheet_total
from scoring.posterior import ranks_of, tail_draws
from scoring.registry import Method
from scoring.types import Ballots, Criterion, Sheet
from scoring.uncertainty import PRIZES, SURE, settled_chance

WEIGHTS = [3, 2, 2, 2, 1]
CRITERIA = [Criterion(key=f"c{i}", weight=w, min=1, max=10) for i, w in enumerate(WEIGHTS)]
START_VISITS = 3  # the visits of a judge's fixed list walked before "Next" is chosen live

Visits = dict[int, list[str]]  # each judge's entries, in the order they were scored


@dataclass(frozen=True)
class World:
    name: str
    entries: int
    judges: int
    per_entry: float  # sheets an entry gets on average (the budget: entries * per_entry)
    leniency: float = 0.8  # spread of the judges' leniency, in points
    scale: float = 0.35  # spread of log scale
    drift: float = 0.4  # spread of the change in leniency from morning to evening, in points
    noise: float = 0.7  # a criterion's noise, in points
    quality: str = "normal"  # or "skewed": a long tail of standout entries

    def describe(self) -> str:
        return (
            f"{self.entries} entries, {self.judges} judges, {self.per_entry:g} sheets an entry; "
            f"judges' leniency sd {self.leniency:g}, log scale sd {self.scale:g}, "
            f"drift sd {self.drift:g}; noise {self.noise:g}; quality {self.quality}"
        )


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
        """The sheets the event can afford (no judge scores an entry twice)."""
        world = self.world
        return min(round(world.entries * world.per_entry), world.entries * world.judges)

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

    def balanced(self, sheets: int) -> Visits:
        """A fixed design of `sheets` visits: the entries taken round after round (each round in
        a new random order), each visit to the least loaded judge who has not seen the entry, so
        entries' sheets differ by one at most and judges' loads as little as can be; each judge's
        visits in a random order."""
        load = [0] * self.world.judges
        visits: Visits = {j: [] for j in range(self.world.judges)}
        while sheets > 0:
            for code in self.rng.sample(self.codes, len(self.codes))[:sheets]:
                free = [j for j in range(self.world.judges) if code not in visits[j]]
                judge = min(free, key=lambda j: (load[j], self.rng.random()))
                load[judge] += 1
                visits[judge].append(code)
            sheets -= len(self.codes)
        for seen in visits.values():
            self.rng.shuffle(seen)
        return visits

    def judged(self, visits: Visits) -> Ballots:
        sheets = [
            self.sheet(judge, code, step)
            for judge, seen in visits.items()
            for step, code in enumerate(seen)
        ]
        return Ballots(entries=self.codes, criteria=CRITERIA, sheets=sheets)

    def corrected(self, visits: Visits, ballots: Ballots) -> list[tuple[int, str, float]]:
        """Every sheet as (judge, entry, value), its value on the scale of quality with the
        judge's bias at the hour they scored it taken off exactly."""
        step = {(f"j{j}", code): n for j, seen in visits.items() for n, code in enumerate(seen)}
        out = []
        for sheet in ballots.sheets:
            judge = int(sheet.judge[1:])
            base, per_unit = self.bias(judge, self.hour(step[(sheet.judge, sheet.entry)]))
            total = sheet_total(sheet.scores, ballots.criteria)
            assert total is not None
            out.append((judge, sheet.entry, (total - base) / per_unit))
        return out

    def oracle_top(self, visits: Visits, ballots: Ballots) -> set[str]:
        """The top places by each entry's mean sheet, every sheet's judge bias taken off
        exactly: what an organizer who knew every judge could do with the same sheets."""
        corrected: dict[str, list[float]] = {}
        for _, entry, value in self.corrected(visits, ballots):
            corrected.setdefault(entry, []).append(value)
        means = {entry: statistics.fmean(values) for entry, values in corrected.items()}
        return set(sorted(means, key=lambda entry: -means[entry])[:PRIZES])

    def oracle_levels(
        self, visits: Visits, ballots: Ballots, *, draws: int = 1000, seed: int = 0
    ) -> tuple[list[str], np.ndarray]:
        """The sharpest honest posterior the same sheets allow: draws of each entry's quality
        (`levels[d, i]` for draw d of entry i) for an oracle that knows every judge's bias,
        each judge's noise and how quality is spread in this world, and not the sheets' noise.
        Every entry must have a sheet."""
        sheets = self.corrected(visits, ballots)
        residual: dict[int, list[float]] = {}
        for judge, entry, value in sheets:
            residual.setdefault(judge, []).append(value - self.quality[entry])
        noise = {judge: statistics.fmean(r * r for r in rs) for judge, rs in residual.items()}
        place = {code: i for i, code in enumerate(self.codes)}
        precision = np.zeros(len(self.codes))
        weighted = np.zeros(len(self.codes))
        for judge, entry, value in sheets:
            precision[place[entry]] += 1 / noise[judge]
            weighted[place[entry]] += value / noise[judge]
        rng = np.random.default_rng(seed)
        if self.world.quality == "skewed":
            # an exponential prior: the sheets' normal likelihood, shifted and cut at 0
            mean = np.tile((weighted - 1) / precision, draws)
            sd = np.tile(1 / np.sqrt(precision), draws)
            levels = tail_draws(rng, mean, sd, np.zeros_like(mean))
            return list(self.codes), levels.reshape(draws, len(self.codes))
        precision += 1  # a standard normal prior
        mean = weighted / precision
        noise_draws = rng.standard_normal((draws, len(self.codes)))
        return list(self.codes), mean + noise_draws / np.sqrt(precision)

    def oracle_settled(
        self, visits: Visits, ballots: Ballots, *, seed: int = 0
    ) -> tuple[bool, bool]:
        """Whether the oracle of `oracle_levels` would call its top places settled on these
        sheets (by the board's own rule), and whether they are right: how often any honest
        board could."""
        codes, levels = self.oracle_levels(visits, ballots, seed=seed)
        holders = {codes[i] for i in np.argsort(-levels.mean(axis=0))[:PRIZES]}
        sure = settled_chance(codes, ranks_of(levels), holders) >= SURE
        return sure, holders == set(self.truth()[:PRIZES])

    def adaptive(
        self,
        method: Method,
        *,
        start: int = START_VISITS,
        seed: int = 0,
        timings: list[float] | None = None,
    ) -> tuple[Ballots, Visits]:
        """The same budget spent adaptively, as the hall does: the first `start` visits of each
        judge's fixed list, then round after round each judge in turn (in a random order) sent
        to the entry `Planner.choose` picks, the visits sent this round counted as under way,
        the tables laid out in code order. `timings` gets the seconds each round's planning
        took."""
        fixed = self.balanced(self.budget)
        visits = {judge: seen[:start] for judge, seen in fixed.items()}
        sheets = [
            self.sheet(judge, code, step)
            for judge, seen in visits.items()
            for step, code in enumerate(seen)
        ]
        table = {code: n for n, code in enumerate(self.codes)}
        order = list(visits)
        rng = random.Random(seed)
        round_number = 0
        while len(sheets) < self.budget:
            started = time.perf_counter()
            ballots = Ballots(entries=self.codes, criteria=CRITERIA, sheets=sheets)
            planner = Planner(method, ballots, seed=seed + round_number)
            pending: dict[str, int] = {}
            rng.shuffle(order)
            sent = 0
            for judge in order:
                if len(sheets) >= self.budget:
                    break
                here = table[visits[judge][-1]] if visits[judge] else 0
                distance = {code: abs(table[code] - here) for code in self.codes}
                best = planner.choose(f"j{judge}", self.codes, pending, distance)
                if best is None:
                    continue
                pending[best] = pending.get(best, 0) + 1
                sheets.append(self.sheet(judge, best, len(visits[judge])))
                visits[judge].append(best)
                sent += 1
            if timings is not None:
                timings.append(time.perf_counter() - started)
            if not sent:
                break  # every judge has seen every entry
            round_number += 1
        return Ballots(entries=self.codes, criteria=CRITERIA, sheets=sheets), visits


def top(method: Method, ballots: Ballots) -> set[str]:
    return {s.entry for s in method.rank(ballots)[:PRIZES]}


class Estimate(msgspec.Struct, frozen=True):
    """How often simulated events of one size found exactly the true top places, on a fixed
    design and adaptively with the same sheets."""

    events: int
    sheets: int  # an event's sheets in all
    per_entry: float  # an entry's sheets on average
    fixed_found: int
    adaptive_found: int

    @property
    def fixed(self) -> float:
        return self.fixed_found / self.events if self.events else 0.0

    @property
    def adaptive(self) -> float:
        return self.adaptive_found / self.events if self.events else 0.0

    @property
    def margin(self) -> float:
        """The wider 90% margin of error of the two shares (at least that of one event in
        `events` either way, so that a run of all-right events is not taken as certainty)."""
        if not self.events:
            return 1.0
        floor = 1 / self.events
        return max(
            1.645 * (p * (1 - p) / self.events) ** 0.5
            for p in (self.fixed, self.adaptive) + (floor,)
        )

    def plus(self, other: "Estimate") -> "Estimate":
        """Both runs of events together."""
        return msgspec.structs.replace(
            self,
            events=self.events + other.events,
            fixed_found=self.fixed_found + other.fixed_found,
            adaptive_found=self.adaptive_found + other.adaptive_found,
        )


def estimate(
    method: Method,
    entries: int,
    judges: int,
    visits_per_judge: int,
    *,
    events: int,
    first: int = 0,
) -> Estimate:
    """How often an event of this size finds exactly the right top places, judged on a fixed
    design and adaptively with the same sheets, in a typical hall (the `World` defaults): over
    the simulated events numbered `first` to `first + events - 1` (each numbered event always
    the same, so runs of events add up)."""
    world = World("planned", entries, judges, judges * visits_per_judge / entries)
    found = {"fixed": 0, "adaptive": 0}
    for number in range(first, first + events):
        event = Event.draw(world, 1_000_003 + number)
        truth = set(event.truth()[:PRIZES])
        found["fixed"] += top(method, event.judged(event.balanced(event.budget))) == truth
        ballots, _ = event.adaptive(method, seed=number)
        found["adaptive"] += top(method, ballots) == truth
    return Estimate(
        events=events,
        sheets=Event.draw(world, 0).budget,
        per_entry=world.per_entry,
        fixed_found=found["fixed"],
        adaptive_found=found["adaptive"],
    )
