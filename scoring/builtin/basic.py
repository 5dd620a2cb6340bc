"""Methods that summarise each entry's own totals: mean, median, trimmed mean, Bayesian mean."""

import statistics

import numpy as np

from scoring.common import Table, rank
from scoring.params import Param
from scoring.types import Ballots, Standing


def entry_means(table: Table) -> dict[str, float]:
    sums = table.per_entry(table.t)
    return {
        table.entries[i]: float(sums[i] / table.sheets[i]) for i in np.flatnonzero(table.sheets)
    }


class Mean:
    name = "mean"
    title = "Mean"
    description = "The mean of an entry's sheet totals (each the weighted mean of its criteria)."
    parameters = ()

    def rank(self, ballots: Ballots) -> list[Standing]:
        table = Table(ballots)
        return rank(ballots, entry_means(table), table.judge_counts(), table.explain())


class Median:
    name = "median"
    title = "Median"
    description = "The median of an entry's sheet totals: one extreme sheet cannot move it far."
    parameters = ()

    def rank(self, ballots: Ballots) -> list[Standing]:
        table = Table(ballots)
        scores = {
            e: statistics.median(t for _, t in pairs) for e, pairs in table.by_entry().items()
        }
        return rank(ballots, scores, table.judge_counts(), table.explain())


class Trimmed:
    name = "trimmed"
    title = "Trimmed mean"
    description = (
        "Drops an entry's `cut` highest and `cut` lowest totals when it has at least 2*cut+1, "
        "then takes the mean."
    )
    parameters = (
        Param("cut", "int", 1, 0, 20, "totals dropped at each end, when an entry has 2*cut+1"),
    )

    def __init__(self, cut: int = 1) -> None:
        if cut < 0 or int(cut) != cut:
            raise ValueError("cut must be a whole number, 0 or more")
        self.cut = int(cut)

    def rank(self, ballots: Ballots) -> list[Standing]:
        table = Table(ballots)
        details = table.explain()
        order = np.lexsort((table.j, table.t, table.e))
        e = table.e[order]
        start = np.concatenate(([0], np.cumsum(table.sheets)[:-1]))
        position = np.arange(len(order)) - start[e]
        n = table.sheets[e]
        keep = (n < 2 * self.cut + 1) | ((position >= self.cut) & (position < n - self.cut))
        kept_sum = np.bincount(e, weights=table.t[order] * keep, minlength=len(table.entries))
        kept = np.bincount(e, weights=keep.astype(float), minlength=len(table.entries))
        gone = order[~keep]
        for entry, judge, total in zip(
            table.e[gone].tolist(), table.j[gone].tolist(), table.t[gone].tolist(), strict=True
        ):
            dropped = {"judge": table.judges[judge], "total": total}
            details[table.entries[entry]].setdefault("dropped", []).append(dropped)
        scores = {
            table.entries[i]: float(kept_sum[i] / kept[i]) for i in np.flatnonzero(table.sheets)
        }
        return rank(ballots, scores, table.judge_counts(), details)


class Bayes:
    name = "bayes"
    title = "Bayesian mean"
    description = (
        "Pulls entries with few sheets toward the mean of all totals: "
        "(prior * M + sum of its totals) / (prior + n)."
    )
    parameters = (Param("prior", "float", 2.0, 0, 1000, "virtual sheets at the overall mean"),)

    def __init__(self, prior: float = 2.0) -> None:
        if prior < 0:
            raise ValueError("prior must be 0 or more")
        self.prior = float(prior)

    def rank(self, ballots: Ballots) -> list[Standing]:
        table = Table(ballots)
        overall = float(table.t.mean()) if len(table.t) else 0.0
        sums = table.per_entry(table.t)
        details = table.explain()
        scores = {}
        for i in np.flatnonzero(table.sheets).tolist():
            entry = table.entries[i]
            scores[entry] = float((self.prior * overall + sums[i]) / (self.prior + table.sheets[i]))
            details[entry]["prior_mean"] = overall
        return rank(ballots, scores, table.judge_counts(), details)
