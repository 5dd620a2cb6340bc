"""Where a judge should go next: to the entry whose next sheet does the most to settle who
holds the prizes, once every entry has its first two sheets.

A sheet is worth most on an entry whose prize is most in doubt (its chance of a prize near
one half) and which has few sheets yet (one more sheet moves it most). Entries with fewer than
`MIN_SHEETS` sheets, counting the visits already under way, come before everything else, the
fewest first, so that no team is judged by one person.
"""

from collections.abc import Iterable, Mapping

import numpy as np

from scoring.registry import Method
from scoring.types import Ballots
from scoring.uncertainty import PRIZES, drawn_ranks

MIN_SHEETS = 2
NEAR = 0.1  # candidates worth within this share of the best are as good: the nearest goes
PLANNING_DRAWS = 300  # fewer draws than the board's: the order, not the figures, matters here


class Planner:
    """The prize chances of one moment of the event, to order any judge's next visits."""

    def __init__(
        self,
        method: Method,
        ballots: Ballots,
        *,
        prizes: int = PRIZES,
        seed: int = 0,
        draws: int = PLANNING_DRAWS,
    ) -> None:
        entries, ranks = drawn_ranks(method, ballots, seed=seed, draws=draws)
        chances = (ranks <= prizes).mean(axis=0) if len(ranks) else np.zeros(len(entries))
        self.p_prize = dict(zip(entries, chances.tolist(), strict=True))
        self.sheets: dict[str, int] = {}
        self.seen: dict[str, set[str]] = {}
        for sheet in ballots.sheets:
            self.sheets[sheet.entry] = self.sheets.get(sheet.entry, 0) + 1
            self.seen.setdefault(sheet.judge, set()).add(sheet.entry)
        for comparison in ballots.comparisons:
            for entry in (comparison.winner, comparison.loser):
                self.sheets[entry] = self.sheets.get(entry, 0) + 1
            self.seen.setdefault(comparison.judge, set()).update(
                (comparison.winner, comparison.loser)
            )

    def gains(
        self, judge: str, candidates: Iterable[str], pending: Mapping[str, int] | None = None
    ) -> dict[str, float]:
        """What a sheet from `judge` on each candidate is worth (the judge's own past entries
        left out): the doubt about its prize, p(1 - p), times the share of its uncertainty one
        more sheet takes away, 1 - sqrt(n / (n + 1)) for n sheets done or under way.
        An entry short of `MIN_SHEETS` is worth more than any other: 1 plus that."""
        pending = pending or {}
        own = self.seen.get(judge, set())
        worth = {}
        for entry in candidates:
            if entry in own:
                continue
            n = self.sheets.get(entry, 0) + pending.get(entry, 0)
            p = self.p_prize.get(entry, 0.5)  # an entry nobody has scored yet may be anything
            value = p * (1 - p) * (1 - (n / (n + 1)) ** 0.5)
            worth[entry] = value + (1 + MIN_SHEETS - n if n < MIN_SHEETS else 0)
        return worth

    def order(
        self, judge: str, candidates: Iterable[str], pending: Mapping[str, int] | None = None
    ) -> list[str]:
        """The candidates, best first (ties by code)."""
        worth = self.gains(judge, candidates, pending)
        return sorted(worth, key=lambda entry: (-worth[entry], entry))

    def choose(
        self,
        judge: str,
        candidates: Iterable[str],
        pending: Mapping[str, int] | None = None,
        distance: Mapping[str, float] | None = None,
    ) -> str | None:
        """The one entry to send `judge` to: among the candidates worth nearly the most (within
        `NEAR` of the best), the nearest by `distance` (from where the judge stands), so that
        judges do not zig-zag across the hall; None when no candidate is left."""
        worth = self.gains(judge, candidates, pending)
        if not worth:
            return None
        best = max(worth.values())
        near = [entry for entry, value in worth.items() if value >= best - NEAR * abs(best)]
        far = float("inf")
        return min(near, key=lambda e: ((distance or {}).get(e, far), -worth[e], e))


def next_entries(
    method: Method,
    ballots: Ballots,
    *,
    judge: str,
    candidates: Iterable[str],
    prizes: int = PRIZES,
    seed: int = 0,
    pending: Mapping[str, int] | None = None,
) -> list[str]:
    """The candidates, best first, for `judge` to score next: a sheet on the first does the
    most to settle who holds the top `prizes` places, while no entry is left with fewer than
    two sheets. `pending` counts the visits under way (sent, not yet saved) by entry.
    Deterministic for a seed."""
    planner = Planner(method, ballots, prizes=prizes, seed=seed)
    return planner.order(judge, candidates, pending)
