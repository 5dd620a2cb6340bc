"""What the sheets say about each entry's true level, as draws from a Bayesian judge model.

The model is the `calibrated` method's, with its parameters uncertain rather than fixed: a
sheet's total is `mu + b_j + s_j * a_e + noise`, where each judge has a leniency `b_j`, a scale
`s_j` (how much of the range they use) and a noise of their own, and each entry a level `a_e`.
Every group of parameters has a prior whose spread is itself learnt from the event (judges as
lenient as these ones, entries as far apart as these ones), so the same code fits an event of
strict, wild or drifting judges without settings. A sheet at the very top of the rubric (every
criterion at its maximum) says only that the judge found the entry at least that good, within
half a step, and one at the very bottom the reverse: the sampler draws what such a judge would
have scored without the end of the range, so that a lenient judge who gives every strong entry
full marks does not make them look alike. A Gibbs sampler draws from the posterior;
each draw is a world that the sheets make plausible, and ranks, prize chances and how much one
more sheet would tell are read off the draws.
"""

import numpy as np

from scoring.common import Table
from scoring.types import Ballots

LOWEST_SCALE = 0.05  # a judge's scale is positive: a judge does not score backwards


class Posterior:
    """Draws of every scored entry's level: `levels[d, i]` for draw d of `entries[i]`.

    `judges`, `scales` and `noises` give each judge's posterior mean scale and noise variance,
    and `sheets` how many sheets each scored entry has.
    """

    def __init__(self, ballots: Ballots, draws: int = 1000, burn: int = 200, seed: int = 0):
        table = Table(ballots)
        scored = np.flatnonzero(table.sheets)
        self.entries = [table.entries[i] for i in scored.tolist()]
        self.judges = list(table.judges)
        self.sheets = table.sheets[scored].astype(int)
        rng = np.random.default_rng(seed)
        n_entries, n_judges = len(self.entries), len(self.judges)
        if not n_entries:
            self.levels = np.zeros((draws, 0))
            self.scales = np.ones(n_judges)
            self.noises = np.ones(n_judges)
            return
        place = np.full(len(table.entries), -1)
        place[scored] = np.arange(n_entries)
        e, j = place[table.e], table.j
        spread = float(table.t.std()) or 1.0
        y = (table.t - table.t.mean()) / spread  # the totals on a scale of their own spread
        seen = y.copy()
        top, bottom, give = at_the_ends(table, ballots)
        ends = top | bottom
        # a sheet at the floor is one at the top upside down: the same draw, with signs flipped
        side = np.where(top, 1.0, -1.0)[ends]
        cut = side * seen[ends] - give[ends] / spread

        def per_entry(values: np.ndarray) -> np.ndarray:
            return np.bincount(e, weights=values, minlength=n_entries)

        def per_judge(values: np.ndarray) -> np.ndarray:
            return np.bincount(j, weights=values, minlength=n_judges)

        n_j = per_judge(np.ones(len(y)))
        level = per_entry(y) / np.maximum(self.sheets, 1)
        mu, offset, scale = 0.0, np.zeros(n_judges), np.ones(n_judges)
        noise = np.full(n_judges, 0.5)  # each judge's noise variance
        typical_noise = 0.5
        tau, offset_spread, scale_spread = 1.0, 0.1, 0.05  # variances of the priors
        noise_shape = 2.0  # how far a judge's noise may stray from the typical judge's
        kept_levels = np.empty((draws, n_entries))
        kept_scales = np.zeros(n_judges)
        kept_noises = np.zeros(n_judges)
        for step in range(burn + draws):
            # the entries' levels, given the judges
            weight = scale[j] ** 2 / noise[j]
            precision = per_entry(weight) + 1.0 / tau
            mean = per_entry(scale[j] * (y - mu - offset[j]) / noise[j]) / precision
            level = mean + rng.standard_normal(n_entries) / np.sqrt(precision)
            # each judge's leniency and scale together, given the levels: a small regression
            a = level[e]
            r = y - mu
            inv = 1.0 / noise
            p11 = n_j * inv + 1.0 / offset_spread
            p12 = per_judge(a) * inv
            p22 = per_judge(a * a) * inv + 1.0 / scale_spread
            h1 = per_judge(r) * inv
            h2 = per_judge(r * a) * inv + 1.0 / scale_spread
            det = p11 * p22 - p12 * p12
            m1 = (p22 * h1 - p12 * h2) / det
            m2 = (p11 * h2 - p12 * h1) / det
            # a draw from N(m, P^-1) through the Cholesky factor of P
            l11 = np.sqrt(p11)
            l21 = p12 / l11
            l22 = np.sqrt(np.maximum(p22 - l21 * l21, 1e-12))
            z1, z2 = rng.standard_normal(n_judges), rng.standard_normal(n_judges)
            d2 = z2 / l22
            d1 = (z1 - l21 * d2) / l11
            offset, scale = m1 + d1, np.maximum(m2 + d2, LOWEST_SCALE)
            # the overall level
            inv_sheet = inv[j]
            residual = y - offset[j] - scale[j] * a
            mu_precision = float(inv_sheet.sum())
            mu = float((residual * inv_sheet).sum()) / mu_precision
            mu += rng.standard_normal() / np.sqrt(mu_precision)
            # each judge's noise, and the typical judge's
            squares = per_judge((residual - mu) ** 2)
            noise = (noise_shape * typical_noise + squares) / rng.chisquare(noise_shape + n_j)
            typical_noise = rng.gamma(noise_shape * n_judges / 2 + 1.0) / (
                noise_shape / 2 * float((1.0 / noise).sum()) + 1.0
            )
            # how far apart the entries, the leniencies and the scales are
            tau = (1.0 + float((level**2).sum())) / rng.chisquare(2.0 + n_entries)
            offset_spread = (0.1 + float((offset**2).sum())) / rng.chisquare(2.0 + n_judges)
            scale_spread = (0.1 + float(((scale - 1) ** 2).sum())) / rng.chisquare(4.0 + n_judges)
            # what the sheets at the ends of the range would have said without the range
            if ends.any():
                fitted = mu + offset[j[ends]] + scale[j[ends]] * level[e[ends]]
                y[ends] = side * tail_draws(rng, side * fitted, np.sqrt(noise[j[ends]]), cut)
            if step >= burn:
                kept_levels[step - burn] = level
                kept_scales += scale
                kept_noises += noise
        self.levels = kept_levels
        self.scales = kept_scales / draws
        self.noises = kept_noises / draws

    def ranks(self) -> np.ndarray:
        """Each draw's ranks of the scored entries, 1 the best: `ranks[d, i]`."""
        return ranks_of(self.levels)


def at_the_ends(table: Table, ballots: Ballots) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which sheets (rows of `table`) scored every criterion at its maximum, and which at its
    minimum: sheets that say only "at least this good" or "at most this good". And for each
    such sheet, how far below (above) its total the judge's true view may lie: half a step of
    each criterion, a step being the gap from the end of its range to the next value any
    judge gave."""
    values = table.values
    present = ~np.isnan(values)
    highs = np.array([c.max for c in ballots.criteria], dtype=float)
    lows = np.array([c.min for c in ballots.criteria], dtype=float)
    weights = np.array([c.weight for c in ballots.criteria], dtype=float)
    scored = present.any(axis=1)
    with np.errstate(invalid="ignore"):
        full = present & (values >= highs)
        empty = present & (values <= lows)
        below = np.where(present & ~full, values, -np.inf).max(axis=0, initial=-np.inf)
        above = np.where(present & ~empty, values, np.inf).min(axis=0, initial=np.inf)
    half_down = np.where(np.isfinite(below), (highs - below) / 2, 0.0)
    half_up = np.where(np.isfinite(above), (above - lows) / 2, 0.0)
    top = scored & np.all(~present | full, axis=1)
    bottom = scored & np.all(~present | empty, axis=1) & ~top
    weight = np.maximum(present @ weights, 1e-12)
    give = np.where(top, (present @ (weights * half_down)) / weight, 0.0)
    give = np.where(bottom, (present @ (weights * half_up)) / weight, give)
    return top, bottom, give


def tail_draws(
    rng: np.random.Generator, mean: np.ndarray, sd: np.ndarray, low: np.ndarray
) -> np.ndarray:
    """Draws from normals N(mean, sd^2) cut to `low` and above: from the normal itself where
    the cut leaves much of it, else from an exponential above the cut (Robert, 1995)."""
    cut = (low - mean) / sd
    z = np.empty_like(cut)
    todo = np.arange(len(cut))
    while len(todo):
        a = cut[todo]
        rate = (a + np.sqrt(a * a + 4)) / 2
        far = a > 0.5
        proposal = np.where(
            far, a + rng.exponential(1.0, len(a)) / rate, rng.standard_normal(len(a))
        )
        keep = np.where(
            far, rng.random(len(a)) <= np.exp(-((proposal - rate) ** 2) / 2), proposal >= a
        )
        z[todo[keep]] = proposal[keep]
        todo = todo[~keep]
    return mean + sd * z


def ranks_of(levels: np.ndarray) -> np.ndarray:
    """The ranks of each row's levels, 1 the highest: `ranks[d, i]` for `levels[d, i]`."""
    order = np.argsort(-levels, axis=1, kind="stable")
    ranks = np.empty_like(order)
    rows = np.arange(order.shape[0])[:, None]
    ranks[rows, order] = np.arange(1, order.shape[1] + 1)
    return ranks
