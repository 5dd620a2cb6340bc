"""Methods that use only the order each judge put their entries in: Borda points and Schulze."""

from collections import defaultdict

import numpy as np

from scoring.common import TIE, Table, rank
from scoring.types import Ballots, Standing


class Borda:
    name = "borda"
    title = "Borda points"
    description = (
        "For each judge who scored at least two entries, an entry earns the share of that "
        "judge's other entries it beat (half for a tie); its score is the mean of those shares."
    )
    parameters = ()

    def rank(self, ballots: Ballots) -> list[Standing]:
        table = Table(ballots)
        details = table.explain()
        m = np.bincount(table.j, minlength=len(table.judges))
        # Each judge's totals sorted on one axis: judge index times a stride wider than any
        # spread of totals, plus the total, so one search counts within a judge's own sheets.
        stride = float(np.ptp(table.t)) + 4.0 if len(table.t) else 1.0
        keys = table.j * stride + table.t
        ordered = np.sort(keys)
        start = np.concatenate(([0], np.cumsum(m)[:-1]))[table.j]
        beats = np.searchsorted(ordered, keys - TIE, side="left") - start
        ties = np.searchsorted(ordered, keys + TIE, side="right") - start - beats - 1
        counted = m[table.j] >= 2
        share = np.where(counted, (beats + 0.5 * ties) / np.maximum(m[table.j] - 1, 1), 0.0)
        total = table.per_entry(share)
        seen = table.per_entry(counted.astype(float))
        for e, value, used in zip(table.e.tolist(), share.tolist(), counted.tolist(), strict=True):
            if used:
                details[table.entries[e]].setdefault("points", []).append(value)
        scores = {table.entries[i]: float(total[i] / seen[i]) for i in np.flatnonzero(seen)}
        pairs = np.unique(table.e[counted] * max(len(table.judges), 1) + table.j[counted])
        judges = np.bincount(pairs // max(len(table.judges), 1), minlength=len(table.entries))
        return rank(
            ballots,
            scores,
            {table.entries[i]: int(judges[i]) for i in np.flatnonzero(judges)},
            details,
        )


def preferences(table: Table) -> tuple[list[str], np.ndarray, dict[str, set[str]]]:
    """The entries compared, d[x, y] = judges whose totals put x above y, and who compared each."""
    by_judge = table.by_judge()
    compared = sorted({e for scored in by_judge.values() if len(scored) > 1 for e, _ in scored})
    index = {entry: i for i, entry in enumerate(compared)}
    d = np.zeros((len(compared), len(compared)))
    judges: dict[str, set[str]] = defaultdict(set)
    for judge, scored in by_judge.items():
        if len(scored) < 2:
            continue
        rows = np.array([index[e] for e, _ in scored])
        totals = np.array([t for _, t in scored])
        above = (totals[:, None] - totals[None, :]) > TIE
        d[np.ix_(rows, rows)] += above
        for entry, _ in scored:
            judges[entry].add(judge)
    return compared, d, judges


def strongest_paths(d: np.ndarray) -> np.ndarray:
    """Schulze's widest paths over the winning-votes links (Floyd–Warshall, one row at a time)."""
    p = np.where(d > d.T, d, 0.0)
    for k in range(len(p)):
        np.maximum(p, np.minimum(p[:, k : k + 1], p[k : k + 1, :]), out=p)
    np.fill_diagonal(p, 0.0)
    return p


class Schulze:
    name = "schulze"
    title = "Schulze (pairwise, winning votes)"
    description = (
        "Counts, for every pair of entries, the judges who put one above the other, then ranks "
        "by the Schulze method: an entry scores the number of entries it beats through its "
        "strongest paths."
    )
    parameters = ()

    def rank(self, ballots: Ballots) -> list[Standing]:
        table = Table(ballots)
        compared, d, judges = preferences(table)
        details = table.explain()
        if not compared:
            return rank(ballots, {}, {}, details)
        p = strongest_paths(d)
        wins = (p > p.T).sum(axis=1)
        scores = {entry: float(wins[i]) for i, entry in enumerate(compared)}
        for i, entry in enumerate(compared):
            details[entry]["beats"] = [compared[k] for k in np.flatnonzero(p[i] > p[:, i])]
        return rank(ballots, scores, {e: len(j) for e, j in judges.items()}, details)
