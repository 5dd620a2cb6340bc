"""Bradley–Terry: strengths that best explain who beat whom."""

import math
from collections import defaultdict

import numpy as np

from scoring.common import TIE, Table, rank
from scoring.params import Param
from scoring.types import Ballots, Standing


def games(ballots: Ballots, table: Table) -> tuple[list[tuple[str, str, str]], str]:
    """(judge, winner, loser) of every comparison, or of the pairs each judge's totals induce."""
    known = set(ballots.entries)
    direct = [
        (c.judge, c.winner, c.loser)
        for c in ballots.comparisons
        if c.winner in known and c.loser in known and c.winner != c.loser
    ]
    if direct:
        return direct, "comparisons"
    induced = []
    for judge, scored in table.by_judge().items():
        for i, (first, a) in enumerate(scored):
            for second, b in scored[i + 1 :]:
                if a - b > TIE:
                    induced.append((judge, first, second))
                elif b - a > TIE:
                    induced.append((judge, second, first))
    return induced, "sheet totals"


def inverse_sums(p: np.ndarray, block: int = 64) -> np.ndarray:
    """sum over j of 1 / (p_i + p_j) for every i.

    The matrix is symmetric: each block right of the diagonal serves its rows and its columns,
    so only half of it is computed, a cache-sized block at a time.
    """
    out = np.zeros(len(p))
    for start in range(0, len(p), block):
        stop = min(start + block, len(p))
        square = np.add.outer(p[start:stop], p[start:stop])
        np.reciprocal(square, out=square)
        out[start:stop] += square.sum(axis=1)
        if stop < len(p):
            right = np.add.outer(p[start:stop], p[stop:])
            np.reciprocal(right, out=right)
            out[start:stop] += right.sum(axis=1)
            out[stop:] += right.sum(axis=0)
    return out


class BradleyTerry:
    name = "bradley_terry"
    title = "Bradley–Terry"
    description = (
        "Maximum-likelihood strengths from pairwise wins (judges' comparisons, or the pairs "
        "their totals induce); alpha virtual wins each way keep every strength finite."
    )
    parameters = (
        Param("alpha", "float", 0.01, 0, 100, "virtual wins each way for every pair of entries"),
    )

    def __init__(self, alpha: float = 0.01, tolerance: float = 1e-8, rounds: int = 2000) -> None:
        if alpha < 0:
            raise ValueError("alpha must be 0 or more")
        self.alpha = float(alpha)
        self.tolerance = tolerance
        self.rounds = rounds

    def strengths(self, n: int, winners: np.ndarray, losers: np.ndarray) -> np.ndarray:
        """Log-strengths centred on 0: Hunter's MM iteration, sped up by SQUAREM extrapolation.

        The real games are sparse; the alpha virtual games join every pair, so their part of
        the MM denominator is computed densely without storing an n-by-n count matrix.
        """
        pairs = np.concatenate([winners, losers]), np.concatenate([losers, winners])
        wins = np.bincount(winners, minlength=n) + self.alpha * (n - 1)
        with np.errstate(divide="ignore"):
            log_wins = np.log(wins)
        alive = np.isfinite(log_wins)  # an entry that never won (alpha 0) has strength 0

        def step(theta: np.ndarray) -> np.ndarray:
            p = np.exp(theta - theta[alive].max())
            p[~alive] = 0.0
            real = np.bincount(pairs[0], weights=1.0 / (p[pairs[0]] + p[pairs[1]]), minlength=n)
            virtual = 0.0
            if self.alpha > 0:
                virtual = 2 * self.alpha * (inverse_sums(p) - 1.0 / (2 * p))
            updated = np.full(n, -np.inf)
            updated[alive] = log_wins[alive] - np.log((real + virtual)[alive])
            updated[alive] -= updated[alive].mean()
            return updated

        theta = np.where(alive, 0.0, -np.inf)
        for _ in range(self.rounds):
            first = step(theta)
            second = step(first)
            r = first[alive] - theta[alive]
            v = second[alive] - first[alive] - r
            if np.abs(r).max(initial=0.0) < self.tolerance:
                return first
            jump = -np.sqrt((r @ r) / (v @ v)) if v @ v > 0 else -1.0
            jump = min(jump, -1.0)
            candidate = theta.copy()
            candidate[alive] = theta[alive] - 2 * jump * r + jump * jump * v
            candidate[alive] -= candidate[alive].mean()
            theta = step(candidate) if np.all(np.isfinite(candidate[alive])) else second
        return theta

    def rank(self, ballots: Ballots) -> list[Standing]:
        table = Table(ballots)
        played, source = games(ballots, table)
        details = table.explain()
        entries = sorted({e for _, won, lost in played for e in (won, lost)})
        if not entries:
            return rank(ballots, {}, {}, details)
        index = {entry: i for i, entry in enumerate(entries)}
        winners = np.array([index[w] for _, w, _ in played], dtype=np.intp)
        losers = np.array([index[lost] for _, _, lost in played], dtype=np.intp)
        theta = self.strengths(len(entries), winners, losers)
        judges: dict[str, set[str]] = defaultdict(set)
        record: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for judge, winner, loser in played:
            judges[winner].add(judge)
            judges[loser].add(judge)
            record[winner][0] += 1
            record[loser][1] += 1
        scores = {}
        for entry in entries:
            value = float(theta[index[entry]])
            scores[entry] = value if math.isfinite(value) else -1e300
            details[entry].update(wins=record[entry][0], losses=record[entry][1], source=source)
        return rank(ballots, scores, {e: len(j) for e, j in judges.items()}, details)
