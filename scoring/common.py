"""Building blocks shared by the methods: sheet totals, per-entry grouping, competition ranks."""

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from scoring.types import Ballots, Criterion, Sheet, Standing

TIE = 1e-9


def sheet_total(sheet: Sheet, criteria: list[Criterion]) -> float:
    """The weighted mean `sum(w*s)/sum(w)` over the criteria the sheet scored."""
    weighted = weight = 0.0
    for criterion in criteria:
        value = sheet.scores.get(criterion.key)
        if value is not None:
            weighted += criterion.weight * value
            weight += criterion.weight
    return weighted / weight if weight else 0.0


def totals_by_entry(ballots: Ballots) -> dict[str, list[tuple[str, float]]]:
    """For each entry with sheets, its (judge, total) pairs in sheet order."""
    known = set(ballots.entries)
    grouped: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for sheet in ballots.sheets:
        if sheet.entry in known:
            grouped[sheet.entry].append((sheet.judge, sheet_total(sheet, ballots.criteria)))
    return grouped


def criterion_means(ballots: Ballots) -> dict[str, dict[str, float]]:
    """For each entry with sheets, the mean of each criterion over its sheets."""
    sums: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for sheet in ballots.sheets:
        for key, value in sheet.scores.items():
            sums[sheet.entry][key].append(value)
    return {
        entry: {key: sum(values) / len(values) for key, values in by_key.items()}
        for entry, by_key in sums.items()
    }


def rank(
    ballots: Ballots,
    scores: Mapping[str, float | None],
    judges: Mapping[str, int],
    details: Mapping[str, dict[str, Any]] | None = None,
) -> list[Standing]:
    """Standings best first with competition ranks (1, 2, 2, 4); entries without a score last."""
    details = details or {}
    scored = sorted(
        (entry for entry in ballots.entries if scores.get(entry) is not None),
        key=lambda entry: (-float(scores[entry]), entry),  # type: ignore[arg-type]
    )
    standings: list[Standing] = []
    previous: float | None = None
    current_rank = 0
    for position, entry in enumerate(scored, start=1):
        score = float(scores[entry])  # type: ignore[arg-type]
        if previous is None or abs(previous - score) > TIE:
            current_rank = position
            previous = score
        standings.append(
            Standing(entry, current_rank, score, judges.get(entry, 0), details.get(entry, {}))
        )
    for entry in sorted(entry for entry in ballots.entries if scores.get(entry) is None):
        standings.append(Standing(entry, None, None, judges.get(entry, 0), details.get(entry, {})))
    return standings
