"""How sure a ranking is: rank ranges from a seeded bootstrap over judges."""

import random
from collections import defaultdict

from scoring.registry import Method
from scoring.types import Ballots, Comparison, Sheet, Standing

PRIZE_PLACES = 3


def resample(ballots: Ballots, rng: random.Random) -> Ballots:
    """The same event judged by as many judges drawn with replacement from its own.

    A judge drawn twice counts as two judges with the same sheets, so the methods see
    distinct judges.
    """
    judges = sorted({s.judge for s in ballots.sheets} | {c.judge for c in ballots.comparisons})
    sheets: dict[str, list[Sheet]] = defaultdict(list)
    for sheet in ballots.sheets:
        sheets[sheet.judge].append(sheet)
    comparisons: dict[str, list[Comparison]] = defaultdict(list)
    for comparison in ballots.comparisons:
        comparisons[comparison.judge].append(comparison)
    drawn = [rng.choice(judges) for _ in judges] if judges else []
    return Ballots(
        entries=ballots.entries,
        criteria=ballots.criteria,
        sheets=[
            Sheet(judge=f"{judge}#{k}", entry=s.entry, scores=s.scores)
            for k, judge in enumerate(drawn)
            for s in sheets[judge]
        ],
        comparisons=[
            Comparison(judge=f"{judge}#{k}", winner=c.winner, loser=c.loser)
            for k, judge in enumerate(drawn)
            for c in comparisons[judge]
        ],
    )


def rank_ranges(
    method: Method,
    ballots: Ballots,
    rounds: int = 200,
    seed: int = 0,
    coverage: float = 0.9,
    standings: list[Standing] | None = None,
) -> dict[str, tuple[int, int]]:
    """For each ranked entry, the [best, worst] ranks it holds in the central `coverage` share
    of `rounds` bootstrap resamples (an entry unranked in a resample counts as last).
    `standings` are the method's standings on `ballots`, when already known."""
    standings = method.rank(ballots) if standings is None else standings
    base = {s.entry: s.rank for s in standings if s.rank is not None}
    if not base:
        return {}
    rng = random.Random(seed)
    seen: dict[str, list[int]] = {entry: [] for entry in base}
    for _ in range(rounds):
        standings = method.rank(resample(ballots, rng))
        last = len(standings)
        ranks = {s.entry: s.rank for s in standings}
        for entry in seen:
            seen[entry].append(ranks.get(entry) or last)
    tail = (1 - coverage) / 2
    ranges = {}
    for entry, ranks in seen.items():
        ranks.sort()
        low = ranks[int(tail * (len(ranks) - 1))]
        high = ranks[int(round((1 - tail) * (len(ranks) - 1)))]
        ranges[entry] = (min(low, base[entry]), max(high, base[entry]))
    return ranges


def too_close(standings: list[Standing], ranges: dict[str, tuple[int, int]]) -> set[str]:
    """Entries at a prize place whose rank range overlaps a neighbour's across that place."""
    flagged = set()
    ranked = [s for s in standings if s.rank is not None]
    for above, below in zip(ranked, ranked[1:], strict=False):
        if above.rank is None or above.rank > PRIZE_PLACES:
            break
        known = above.entry in ranges and below.entry in ranges
        if known and ranges[below.entry][0] <= ranges[above.entry][1]:
            flagged.update((above.entry, below.entry))
    return flagged


def with_uncertainty(
    method: Method, ballots: Ballots, rounds: int = 200, seed: int = 0
) -> list[Standing]:
    """The method's standings with `rank_range` and `too_close` added to each ranked detail."""
    standings = method.rank(ballots)
    ranges = rank_ranges(method, ballots, rounds=rounds, seed=seed, standings=standings)
    close = too_close(standings, ranges)
    return [
        Standing(
            s.entry,
            s.rank,
            s.score,
            s.judges,
            {**s.detail, "rank_range": list(ranges[s.entry]), "too_close": s.entry in close}
            if s.entry in ranges
            else s.detail,
        )
        for s in standings
    ]
