"""Methods that summarise each entry's sheet totals on their own: the mean and its kin."""

from scoring.common import criterion_means, rank, totals_by_entry
from scoring.types import Ballots, Standing


class Mean:
    name = "mean"
    title = "Mean"
    description = "The mean of an entry's sheet totals (each the weighted mean of its criteria)."

    def rank(self, ballots: Ballots) -> list[Standing]:
        totals = totals_by_entry(ballots)
        means = criterion_means(ballots)
        scores = {e: sum(t for _, t in pairs) / len(pairs) for e, pairs in totals.items()}
        judges = {e: len({j for j, _ in pairs}) for e, pairs in totals.items()}
        details = {
            e: {"sheets": len(pairs), "criteria": means.get(e, {})} for e, pairs in totals.items()
        }
        return rank(ballots, scores, judges, details)
