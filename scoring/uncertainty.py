"""How sure a ranking is: for each entry, the ranks it may truly hold, its chance of a prize,
and whether its prize place is settled.

With sheets, the draws come from the Bayesian judge model (`scoring.posterior`); a ballot of
pairwise comparisons alone is resampled by judge (a bootstrap). Either way each draw ranks the
entries once, and everything here is read off those ranks.
"""

import random
from collections import defaultdict

import numpy as np

from scoring.posterior import Posterior
from scoring.registry import Method
from scoring.types import Ballots, Comparison, Sheet, Standing

PRIZES = 3
COVERAGE = 0.9  # a rank range holds the true rank this often
SURE = 0.85  # a board called settled has all its prize holders right at least this often


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


def drawn_ranks(
    method: Method, ballots: Ballots, seed: int = 0, draws: int = 1000
) -> tuple[list[str], np.ndarray]:
    """Plausible true rankings: the entries they rank, and `ranks[d, i]`, the rank of entry i in
    draw d (1 the best). From the judge model when there are sheets; otherwise from `draws`
    (at most 200) bootstrap resamples ranked by `method`, an entry it leaves unranked last."""
    if ballots.sheets:
        posterior = Posterior(ballots, draws=draws, seed=seed)
        return posterior.entries, posterior.ranks()
    return bootstrap_ranks(method, ballots, seed=seed, rounds=min(draws, 200))


def bootstrap_ranks(
    method: Method, ballots: Ballots, seed: int = 0, rounds: int = 200
) -> tuple[list[str], np.ndarray]:
    """The entries `method` ranks, and their ranks in each of `rounds` judge resamples (an
    entry a resample leaves unranked counts as last)."""
    base = [s.entry for s in method.rank(ballots) if s.rank is not None]
    rng = random.Random(seed)
    rows = []
    for _ in range(rounds if base else 0):
        ranks = {s.entry: s.rank for s in method.rank(resample(ballots, rng))}
        rows.append([ranks.get(entry) or len(ballots.entries) for entry in base])
    return base, np.array(rows, dtype=int).reshape(len(rows), len(base))


def rank_intervals(ranks: np.ndarray, coverage: float = COVERAGE) -> list[tuple[int, int]]:
    """For each entry (a column of `ranks`), the narrowest run of ranks holding at least
    `coverage` of its draws; of equally narrow runs, the one holding the most."""
    count, n = ranks.shape
    intervals = []
    lows = np.arange(1, n + 1)
    for column in ranks.T:
        mass = np.concatenate(([0], np.cumsum(np.bincount(column, minlength=n + 1)[1:])))
        # for each lowest rank, the first highest rank that holds enough
        highs = np.searchsorted(mass, mass[lows - 1] + coverage * count - 1e-9)
        possible = highs <= n
        widths = np.where(possible, highs - lows, n + 1)
        held = np.where(possible, mass[np.minimum(highs, n)] - mass[lows - 1], -1)
        best = int(np.lexsort((-held, widths))[0])  # the narrowest; then the one holding most
        intervals.append((int(lows[best]), int(highs[best])))
    return intervals


def settled_chance(entries: list[str], ranks: np.ndarray, holders: set[str]) -> float:
    """The share of draws whose top `len(holders)` places are held by exactly `holders`."""
    if not holders or not len(ranks):
        return 0.0
    inside = [i for i, entry in enumerate(entries) if entry in holders]
    if len(inside) < len(holders):
        return 0.0
    return float((ranks[:, inside] <= len(holders)).all(axis=1).mean())


def unsettled(
    standings: list[Standing], p_prize: dict[str, float], prizes: int, settled: float
) -> set[str]:
    """The entries whose prize is in doubt, none when the board's prize holders are right
    with a chance of `SURE` or more (`settled`). Otherwise a prize holder that may not truly
    hold one, or an entry below the prizes that may, each by more than `(1 - SURE) / prizes`;
    one at least is then in doubt, since the doubts of the prize holders add up to more than
    `1 - SURE`."""
    if settled >= SURE:
        return set()
    doubt = (1 - SURE) / prizes
    flagged = set()
    for s in standings:
        if s.rank is None or s.entry not in p_prize:
            continue
        holds = s.rank <= prizes
        if (holds and 1 - p_prize[s.entry] > doubt) or (not holds and p_prize[s.entry] > doubt):
            flagged.add(s.entry)
    return flagged


def with_uncertainty(
    method: Method, ballots: Ballots, *, prizes: int = PRIZES, seed: int = 0, draws: int = 1000
) -> list[Standing]:
    """The method's standings, each ranked entry's detail given `rank_range` (the ranks it truly
    holds with 90% confidence, its rank on this board included), `p_prize` (the chance it
    truly holds one of the top `prizes` places) and `too_close` (its prize is in doubt)."""
    standings = method.rank(ballots)
    entries, ranks = drawn_ranks(method, ballots, seed=seed, draws=draws)
    if not len(ranks):
        return standings
    intervals = dict(zip(entries, rank_intervals(ranks), strict=True))
    chances = dict(zip(entries, (ranks <= prizes).mean(axis=0).tolist(), strict=True))
    holders = {s.entry for s in standings if s.rank is not None and s.rank <= prizes}
    close = unsettled(standings, chances, prizes, settled_chance(entries, ranks, holders))
    out = []
    for s in standings:
        if s.rank is None or s.entry not in intervals:
            out.append(s)
            continue
        low, high = intervals[s.entry]
        detail = {
            **s.detail,
            "rank_range": [min(low, s.rank), max(high, s.rank)],
            "p_prize": round(chances[s.entry], 3),
            "too_close": s.entry in close,
        }
        out.append(Standing(s.entry, s.rank, s.score, s.judges, detail))
    return out
