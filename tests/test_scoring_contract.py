"""Every registered method, a test-installed plugin among them, keeps the contract; properties."""

import random
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scoring
from scoring import Ballots, Criterion, Sheet, Standing

CRITERIA = [
    Criterion(key="a", weight=2, min=1, max=10),
    Criterion(key="b", weight=1, min=1, max=10),
]
BUILT_IN = {
    "mean",
    "median",
    "trimmed",
    "zscore",
    "offset",
    "calibrated",
    "borda",
    "schulze",
    "bayes",
    "bradley_terry",
}


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A third-party method installed the way pip installs one: a module and its entry point."""
    (tmp_path / "best_sheet.py").write_text(
        textwrap.dedent("""
        from scoring import Ballots, Standing
        from scoring.common import rank, totals_by_entry

        class BestSheet:
            name = "best_sheet"
            title = "Best sheet"
            description = "The best total an entry received."

            def rank(self, ballots: Ballots) -> list[Standing]:
                totals = totals_by_entry(ballots)
                best = {e: max(t for _, t in pairs) for e, pairs in totals.items()}
                judges = {e: len({j for j, _ in pairs}) for e, pairs in totals.items()}
                return rank(ballots, best, judges)
    """)
    )
    info = tmp_path / "best_sheet-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: best-sheet\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[showcase.scoring]\nbest_sheet = best_sheet:BestSheet\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "best_sheet"
    sys.modules.pop("best_sheet", None)


def event(seed: int, entries: int = 12, judges: int = 6, per_judge: int = 5) -> Ballots:
    rng = random.Random(seed)
    codes = [f"E{i:02d}" for i in range(entries)]
    sheets = []
    for j in range(judges):
        for code in rng.sample(codes, per_judge):
            sheets.append(
                Sheet(
                    judge=f"j{j}",
                    entry=code,
                    scores={"a": float(rng.randint(1, 10)), "b": float(rng.randint(1, 10))},
                )
            )
    return Ballots(entries=codes + ["UNSEEN"], criteria=CRITERIA, sheets=sheets)


def test_the_registry_lists_built_ins_and_the_plugin(plugin: str) -> None:
    names = set(scoring.methods())
    assert BUILT_IN | {plugin} <= names
    assert scoring.get(plugin).title == "Best sheet"


@pytest.mark.parametrize("seed", [1, 2])
def test_every_method_keeps_the_contract(plugin: str, seed: int) -> None:
    data = event(seed)
    for name, method in scoring.methods().items():
        assert method.name == name and method.title and method.description
        standings = method.rank(data)
        assert all(isinstance(s, Standing) for s in standings), name
        assert sorted(s.entry for s in standings) == sorted(data.entries), name
        ranked = [s for s in standings if s.rank is not None]
        assert standings[: len(ranked)] == ranked, f"{name}: unranked entries must come last"
        unseen = next(s for s in standings if s.entry == "UNSEEN")
        assert unseen.rank is None and unseen.score is None and unseen.judges == 0, name
        for position, s in enumerate(ranked):
            ahead = [r for r in ranked if r.score - s.score > 1e-9]
            assert s.rank == len(ahead) + 1, f"{name}: competition ranks"
            assert position == 0 or ranked[position - 1].score >= s.score - 1e-9, name
            assert 1 <= s.judges <= 6, name


def test_a_method_is_a_pure_function_of_the_ballots() -> None:
    data = event(5)
    for name, method in scoring.methods().items():
        assert method.rank(data) == method.rank(data), name


def shuffled(data: Ballots, seed: int) -> Ballots:
    rng = random.Random(seed)
    entries, sheets = list(data.entries), list(data.sheets)
    rng.shuffle(entries)
    rng.shuffle(sheets)
    renamed = {
        j: f"z{k}"
        for k, j in enumerate(
            rng.sample(sorted({s.judge for s in sheets}), len({s.judge for s in sheets}))
        )
    }
    sheets = [Sheet(judge=renamed[s.judge], entry=s.entry, scores=s.scores) for s in sheets]
    return Ballots(entries=entries, criteria=data.criteria, sheets=sheets)


def summary(standings: list[Standing]) -> dict[str, tuple[int | None, float | None]]:
    return {s.entry: (s.rank, s.score) for s in standings}


def same_standings(a: list[Standing], b: list[Standing]) -> bool:
    """The same rank for every entry, and the same score up to floating-point noise (an
    iterative method stops within its tolerance, wherever the order of the data took it)."""
    left, right = summary(a), summary(b)
    return left.keys() == right.keys() and all(
        left[e][0] == right[e][0]
        and (left[e][1] is None) == (right[e][1] is None)
        and (left[e][1] is None or abs(left[e][1] - right[e][1]) < 1e-6)
        for e in left
    )


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(0, 10_000))
def test_reordering_entries_or_renaming_judges_changes_nothing(seed: int, shuffle: int) -> None:
    data = event(seed)
    for name in BUILT_IN:
        method = scoring.get(name)
        assert same_standings(method.rank(data), method.rank(shuffled(data, shuffle))), name


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(0, 5), st.floats(-3, 3))
def test_a_constant_added_to_one_judge_changes_no_rank(seed: int, judge: int, shift: float) -> None:
    data = event(seed)
    moved = Ballots(
        entries=data.entries,
        criteria=data.criteria,
        sheets=[
            Sheet(s.judge, s.entry, {k: v + shift for k, v in s.scores.items()})
            if s.judge == f"j{judge}"
            else s
            for s in data.sheets
        ],
    )
    for name in ("zscore", "offset", "borda", "schulze"):
        method = scoring.get(name, ridge=0) if name == "offset" else scoring.get(name)
        before = {s.entry: s.rank for s in method.rank(data)}
        after = {s.entry: s.rank for s in method.rank(moved)}
        assert before == after, name


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(0, 11), st.floats(0.1, 5))
def test_raising_an_entrys_scores_never_lowers_its_rank_under_mean(
    seed: int, index: int, lift: float
) -> None:
    data = event(seed)
    code = data.entries[index]
    raised = Ballots(
        entries=data.entries,
        criteria=data.criteria,
        sheets=[
            Sheet(s.judge, s.entry, {k: v + lift for k, v in s.scores.items()})
            if s.entry == code
            else s
            for s in data.sheets
        ],
    )
    before = {s.entry: s.rank for s in scoring.get("mean").rank(data)}
    after = {s.entry: s.rank for s in scoring.get("mean").rank(raised)}
    if before[code] is not None:
        assert after[code] <= before[code]


def test_ties_share_a_rank_and_the_next_rank_skips() -> None:
    data = Ballots(
        entries=["A", "B", "C", "D"],
        criteria=CRITERIA,
        sheets=[
            Sheet("j", e, {"a": v, "b": v}) for e, v in [("A", 9), ("B", 7), ("C", 7), ("D", 3)]
        ],
    )
    for name in ("mean", "median", "trimmed", "bayes", "zscore", "borda"):
        assert [s.rank for s in scoring.get(name).rank(data)] == [1, 2, 2, 4], name


def test_rank_ranges_are_seeded_and_flag_close_calls() -> None:
    data = event(9, entries=8, judges=8, per_judge=6)
    method = scoring.get("mean")
    first = scoring.with_uncertainty(method, data, seed=4)
    assert first == scoring.with_uncertainty(method, data, seed=4)
    for s in first:
        if s.rank is not None:
            best, worst = s.detail["rank_range"]
            assert 1 <= best <= s.rank <= worst <= len(data.entries)
    close = [s for s in first if s.detail.get("too_close")]
    for s in close:
        assert s.rank is not None
    clear = Ballots(
        entries=["A", "B", "C"],
        criteria=CRITERIA,
        sheets=[
            Sheet(f"j{j}", e, {"a": v, "b": v})
            for j in range(5)
            for e, v in [("A", 10), ("B", 5), ("C", 1)]
        ],
    )
    ranges = {s.entry: s.detail["rank_range"] for s in scoring.with_uncertainty(method, clear)}
    assert ranges == {"A": [1, 1], "B": [2, 2], "C": [3, 3]}
    assert not any(s.detail["too_close"] for s in scoring.with_uncertainty(method, clear))


def test_a_pairwise_only_ballot_needs_no_rubric() -> None:
    ballots = Ballots(
        entries=["A", "B", "C"],
        comparisons=[
            scoring.Comparison(judge="j1", winner="A", loser="B"),
            scoring.Comparison(judge="j2", winner="B", loser="C"),
            scoring.Comparison(judge="j2", winner="A", loser="C"),
        ],
    )
    assert ballots.criteria == [] and ballots.sheets == []
    order = [s.entry for s in scoring.get("bradley_terry").rank(ballots)]
    assert order == ["A", "B", "C"]


def test_every_built_in_declares_its_parameters_and_refuses_others() -> None:
    for name in BUILT_IN:
        method = scoring.get(name)
        declared = scoring.params.declared(method)
        assert declared is not None, name
        for param in declared:
            assert param.min <= param.default <= param.max, (name, param.name)
            scoring.get(name, **{param.name: param.max})  # the bounds themselves are accepted
            with pytest.raises(scoring.InvalidParameter, match=repr(param.name)):
                scoring.get(name, **{param.name: param.max * 2 + 1})
            with pytest.raises(scoring.InvalidParameter, match="finite"):
                scoring.get(name, **{param.name: float("nan")})
        with pytest.raises(scoring.InvalidParameter, match="'bogus'"):
            scoring.get(name, bogus=1)
