"""Methods that model each judge: an additive offset (`offset`), or leniency and scale together
(`calibrated`), fitted by least squares over every sheet."""

from typing import Any

import numpy as np

from scoring.common import Table, components, rank
from scoring.params import Param
from scoring.types import Ballots, Standing

RIDGE = Param("ridge", "float", 1.0, 0, 1e6, "pull of each judge's leniency toward 0")


class Part:
    """The sheets of some entries, re-indexed from 0: `e`, `j`, `t` as in a Table."""

    def __init__(self, table: Table, entries: np.ndarray) -> None:
        rows = np.isin(table.e, entries)
        self.entry_ids = entries
        self.judge_ids, self.j = np.unique(table.j[rows], return_inverse=True)
        self.e = np.searchsorted(entries, table.e[rows])
        self.t = table.t[rows]
        self.n_e = np.bincount(self.e, minlength=len(entries)).astype(float)
        self.n_j = np.bincount(self.j, minlength=len(self.judge_ids)).astype(float)

    def per_entry(self, values: np.ndarray) -> np.ndarray:
        return np.bincount(self.e, weights=values, minlength=len(self.entry_ids))

    def per_judge(self, values: np.ndarray) -> np.ndarray:
        return np.bincount(self.j, weights=values, minlength=len(self.judge_ids))


def judges_seen(table: Table) -> dict[int, list[int]]:
    """The judges (indices) with a sheet for each entry (index)."""
    seen: dict[int, set[int]] = {}
    for e, j in zip(table.e.tolist(), table.j.tolist(), strict=True):
        seen.setdefault(e, set()).add(j)
    return {e: sorted(js) for e, js in seen.items()}


def fit_offsets(part: Part, ridge: float) -> tuple[np.ndarray, np.ndarray]:
    """The entry levels c_e = mu + a_e and judge offsets b_j minimising
    sum((t - c_e - b_j)^2) + ridge * sum(b_j^2); with ridge 0, the b_j sum to 0.

    The entry levels are eliminated (c_e is the mean of t - b_j over its sheets), which leaves a
    system the size of the judge count: (L + ridge I) b = r, with L the design's C-matrix.
    """
    n_judges = len(part.judge_ids)
    counts = np.zeros((len(part.entry_ids), n_judges))
    np.add.at(counts, (part.e, part.j), 1.0)
    entry_mean = part.per_entry(part.t) / part.n_e
    laplacian = np.diag(part.n_j) - counts.T @ (counts / part.n_e[:, None])
    residual = part.per_judge(part.t - entry_mean[part.e])
    system = laplacian + ridge * np.eye(n_judges)
    if ridge > 0:
        offsets = np.linalg.solve(system, residual)
    else:
        offsets = np.linalg.lstsq(system, residual, rcond=None)[0]
        offsets -= offsets.mean()
    levels = part.per_entry(part.t - offsets[part.j]) / part.n_e
    return levels, offsets


class Offset:
    name = "offset"
    title = "Judge offsets (two-way model)"
    description = (
        "Fits each entry's level and each judge's leniency together (an additive two-way "
        "model with a ridge on the judge offsets), so a harsh judge does not sink the entries "
        "they happened to see."
    )
    parameters = (RIDGE,)

    def __init__(self, ridge: float = 1.0) -> None:
        if ridge < 0:
            raise ValueError("ridge must be 0 or more")
        self.ridge = float(ridge)

    def rank(self, ballots: Ballots) -> list[Standing]:
        table = Table(ballots)
        details = table.explain()
        parts = components(table)
        levels = np.full(len(table.entries), np.nan)
        offsets = np.zeros(len(table.judges))
        for number, entries in enumerate(parts):
            part = Part(table, entries)
            levels[entries], offsets[part.judge_ids] = fit_offsets(part, self.ridge)
            if len(parts) > 1:
                for e in entries.tolist():
                    details[table.entries[e]].update(component=number, components=len(parts))
        scored = np.flatnonzero(table.sheets)
        mu = float(levels[scored].mean()) if len(scored) else 0.0
        scores = {}
        for e, js in judges_seen(table).items():
            entry = table.entries[e]
            scores[entry] = float(levels[e])
            details[entry].update(
                mu=mu,
                effect=float(levels[e]) - mu,
                judge_offsets={table.judges[j]: float(offsets[j]) for j in js},
            )
        return rank(ballots, scores, table.judge_counts(), details)


class Calibrated:
    name = "calibrated"
    title = "Calibrated judges (leniency and scale)"
    description = (
        "Fits each judge's leniency and how much of the scale they use, together with each "
        "entry's level, by alternating least squares."
    )
    parameters = (
        RIDGE,
        Param("ridge_scale", "float", 4.0, 0, 1e6, "pull of each judge's scale toward 1"),
    )

    def __init__(
        self,
        ridge: float = 1.0,
        ridge_scale: float = 4.0,
        tolerance: float = 1e-9,
        rounds: int = 1000,
    ) -> None:
        if ridge < 0 or ridge_scale < 0:
            raise ValueError("ridge and ridge_scale must be 0 or more")
        self.ridge = float(ridge)
        self.ridge_scale = float(ridge_scale)
        self.tolerance = tolerance
        self.rounds = rounds

    def fit(self, part: Part) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
        """mu, the judge offsets b, the judge scales s and the entry effects a (summing to 0)."""
        n_j = part.n_j
        scale = np.ones(len(part.judge_ids))
        offset = np.zeros(len(part.judge_ids))
        mu = float(part.t.mean())
        effect = part.per_entry(part.t) / part.n_e - mu
        effect -= effect.mean()
        for _ in range(self.rounds):
            before = np.concatenate(([mu], offset, scale, effect))
            # mu and the offsets, given the effects and scales
            sums = part.per_judge(part.t - scale[part.j] * effect[part.e])
            if self.ridge > 0:
                weight = self.ridge / (n_j + self.ridge)
                mu = float((weight * sums).sum() / (weight * n_j).sum())
                offset = (sums - n_j * mu) / (n_j + self.ridge)
            else:
                mu = float((sums / n_j).mean())
                offset = sums / n_j - mu
            # the effects, given the rest, held to sum(a) = 0 by a Lagrange multiplier
            q = part.t - mu - offset[part.j]
            s = scale[part.j]
            top, bottom = part.per_entry(s * q), np.maximum(part.per_entry(s * s), 1e-12)
            effect = (top - (top / bottom).sum() / (1.0 / bottom).sum()) / bottom
            # the scales, given the rest
            a = effect[part.e]
            top_s, bottom_s = part.per_judge(a * q), part.per_judge(a * a)
            if self.ridge_scale > 0:
                scale = (top_s + self.ridge_scale) / (bottom_s + self.ridge_scale)
            else:
                scale = np.divide(top_s, bottom_s, out=np.ones_like(top_s), where=bottom_s > 0)
                if scale.mean() > 0:
                    effect, scale = effect * scale.mean(), scale / scale.mean()
            after = np.concatenate(([mu], offset, scale, effect))
            if np.max(np.abs(after - before)) < self.tolerance:
                break
        return mu, offset, scale, effect

    def rank(self, ballots: Ballots) -> list[Standing]:
        table = Table(ballots)
        details = table.explain()
        scored = np.flatnonzero(table.sheets)
        if not len(scored):
            return rank(ballots, {}, {}, details)
        part = Part(table, scored)
        mu, offset, scale, effect = self.fit(part)
        judges: dict[int, dict[str, Any]] = {
            int(j): {"offset": float(b), "scale": float(s)}
            for j, b, s in zip(part.judge_ids, offset, scale, strict=True)
        }
        scores = {}
        for e, js in judges_seen(table).items():
            entry = table.entries[e]
            a = float(effect[np.searchsorted(scored, e)])
            scores[entry] = mu + a
            details[entry].update(mu=mu, effect=a, judges={table.judges[j]: judges[j] for j in js})
        return rank(ballots, scores, table.judge_counts(), details)
