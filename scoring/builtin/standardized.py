"""zscore: each judge's totals put on a common footing before they are averaged."""

import numpy as np

from scoring.common import Table, rank
from scoring.types import Ballots, Standing


class ZScore:
    name = "zscore"
    title = "Standardized (z-score)"
    description = (
        "Standardizes each judge's totals over the entries that judge scored, averages the "
        "z-scores per entry and maps them back to the scale of all totals."
    )
    parameters = ()

    def rank(self, ballots: Ballots) -> list[Standing]:
        table = Table(ballots)
        details = table.explain()
        if not len(table.t):
            return rank(ballots, {}, {}, details)
        pooled_mean, pooled_std = float(table.t.mean()), float(table.t.std())
        n_j = np.bincount(table.j, minlength=len(table.judges)).astype(float)
        mean_j = table.per_judge(table.t) / n_j
        spread_j = np.sqrt(table.per_judge((table.t - mean_j[table.j]) ** 2) / n_j)
        usable = (n_j > 1) & (spread_j > 1e-12)
        safe = np.where(usable, spread_j, 1.0)
        z = np.where(usable[table.j], (table.t - mean_j[table.j]) / safe[table.j], 0.0)
        mean_z = table.per_entry(z)
        scores = {}
        for i in np.flatnonzero(table.sheets).tolist():
            entry = table.entries[i]
            value = float(mean_z[i] / table.sheets[i])
            scores[entry] = pooled_mean + pooled_std * value
            details[entry]["mean_z"] = value
        return rank(ballots, scores, table.judge_counts(), details)
