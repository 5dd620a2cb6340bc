"""Building blocks shared by the methods: the sheets as arrays, totals, components and ranks."""

from collections import defaultdict
from collections.abc import Mapping
from operator import itemgetter
from typing import Any

import numpy as np

from scoring.types import Ballots, Criterion, Sheet, Standing

TIE = 1e-9


def sheet_total(scores: Mapping[str, float], criteria: list[Criterion]) -> float | None:
    """A sheet's total: the weighted mean of the criteria it scored (None if it scored none).
    `Table` computes the same for many sheets at once."""
    pairs = [(c.weight, scores[c.key]) for c in criteria if c.key in scores]
    weight = sum(w for w, _ in pairs)
    return sum(w * v for w, v in pairs) / weight if weight > 0 else None


def _values(sheets: list[Sheet], keys: list[str]) -> np.ndarray:
    """Each sheet's value for each key (a row per sheet), NaN where it has none."""
    if not keys:
        return np.zeros((len(sheets), 0))
    pick = itemgetter(*keys)
    rows = []
    for sheet in sheets:
        try:
            row = pick(sheet.scores)
        except KeyError:
            row = tuple(sheet.scores.get(key, float("nan")) for key in keys)
        rows.append(row if len(keys) > 1 else (row,))
    return np.array(rows, dtype=float).reshape(len(sheets), len(keys))


class Table:
    """The sheets of the entries being ranked, as arrays: one row per sheet.

    `e` and `j` index `entries` (the ballots' order) and `judges` (sorted); `t` is each
    sheet's total, the weighted mean of the criteria it scored.
    """

    def __init__(self, ballots: Ballots) -> None:
        self.entries = list(ballots.entries)
        entry_index = {entry: i for i, entry in enumerate(self.entries)}
        rows = [sheet for sheet in ballots.sheets if sheet.entry in entry_index]
        self.judges = sorted({sheet.judge for sheet in rows})
        judge_index = {judge: i for i, judge in enumerate(self.judges)}
        self.keys = [criterion.key for criterion in ballots.criteria]
        weights = np.array([criterion.weight for criterion in ballots.criteria], dtype=float)
        self.values = _values(rows, self.keys)
        present = ~np.isnan(self.values)
        weight = present @ weights
        weighted = np.where(present, self.values, 0.0) @ weights
        self.t = np.divide(weighted, weight, out=np.zeros(len(rows)), where=weight > 0)
        self.e = np.fromiter((entry_index[s.entry] for s in rows), dtype=np.intp, count=len(rows))
        self.j = np.fromiter((judge_index[s.judge] for s in rows), dtype=np.intp, count=len(rows))
        self.sheets = np.bincount(self.e, minlength=len(self.entries))

    def per_entry(self, values: np.ndarray) -> np.ndarray:
        return np.bincount(self.e, weights=values, minlength=len(self.entries)).astype(float)

    def per_judge(self, values: np.ndarray) -> np.ndarray:
        return np.bincount(self.j, weights=values, minlength=len(self.judges)).astype(float)

    def judge_counts(self) -> dict[str, int]:
        """Distinct judges with a sheet for each entry that has one."""
        pairs = np.unique(self.e * max(len(self.judges), 1) + self.j)
        counts = np.bincount(pairs // max(len(self.judges), 1), minlength=len(self.entries))
        return {self.entries[i]: int(counts[i]) for i in np.flatnonzero(counts)}

    def by_entry(self) -> dict[str, list[tuple[str, float]]]:
        """For each entry with sheets, its (judge, total) pairs in sheet order."""
        grouped: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for e, j, t in zip(self.e.tolist(), self.j.tolist(), self.t.tolist(), strict=True):
            grouped[self.entries[e]].append((self.judges[j], t))
        return grouped

    def by_judge(self) -> dict[str, list[tuple[str, float]]]:
        """For each judge, their (entry, total) pairs in sheet order."""
        grouped: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for e, j, t in zip(self.e.tolist(), self.j.tolist(), self.t.tolist(), strict=True):
            grouped[self.judges[j]].append((self.entries[e], t))
        return grouped

    def explain(self) -> dict[str, dict[str, Any]]:
        """What every method's detail starts from: the sheet count and per-criterion means."""
        details: dict[str, dict[str, Any]] = {}
        present = ~np.isnan(self.values)
        filled = np.where(present, self.values, 0.0)
        columns = []
        for c in range(len(self.keys)):
            sums = self.per_entry(filled[:, c])
            counts = self.per_entry(present[:, c].astype(float))
            columns.append(
                np.divide(sums, counts, out=np.full_like(sums, np.nan), where=counts > 0)
            )
        means = np.column_stack(columns).tolist() if columns else [[] for _ in self.entries]
        for entry, sheets, row in zip(self.entries, self.sheets.tolist(), means, strict=True):
            details[entry] = {
                "sheets": sheets,
                "criteria": {k: v for k, v in zip(self.keys, row, strict=True) if v == v},
            }
        return details


def totals_by_entry(ballots: Ballots) -> dict[str, list[tuple[str, float]]]:
    """For each entry with sheets, its (judge, total) pairs in sheet order."""
    return Table(ballots).by_entry()


def components(table: Table) -> list[np.ndarray]:
    """The connected parts of the judge–entry graph, as arrays of entry indices (scored only)."""
    n_entries = len(table.entries)
    parent = list(range(n_entries + len(table.judges)))

    def find(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for e, j in zip(table.e.tolist(), table.j.tolist(), strict=True):
        a, b = find(e), find(n_entries + j)
        if a != b:
            parent[a] = b
    groups: dict[int, list[int]] = defaultdict(list)
    for e in np.flatnonzero(table.sheets).tolist():
        groups[find(e)].append(e)
    return [np.array(group) for group in sorted(groups.values(), key=lambda g: g[0])]


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
