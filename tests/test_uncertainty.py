"""Honest uncertainty and adaptive next entries, checked against simulated events with known
truth in a world of the tests' own (not the benchmarks'): fewer entries, fewer and noisier
judges, each with a different leniency and scale."""

import random
from statistics import NormalDist

import msgspec
import numpy as np
import pytest

import scoring
from scoring import Ballots, Criterion, Sheet
from scoring.adaptive import MIN_SHEETS
from scoring.common import Table
from scoring.posterior import Posterior, at_the_ends, tail_draws

CRITERIA = [Criterion(key="idea", weight=2, min=1, max=5), Criterion(key="build", min=1, max=5)]


def simulated(
    seed: int, entries: int = 20, judges: int = 7, per_entry: int = 3, middle: float = 3.0
):
    """An event on a 1-5 rubric, judges' levels centred on `middle`: its ballots and each
    entry's true rank."""
    rng = random.Random(seed)
    codes = [f"T{i:02d}" for i in range(entries)]
    quality = {code: rng.gauss(0, 1) for code in codes}
    leniency = [rng.gauss(0, 0.4) for _ in range(judges)]
    scale = [rng.lognormvariate(0, 0.3) for _ in range(judges)]
    sheets = []
    for n, code in enumerate(codes):
        for k in range(per_entry):
            j = (n + k * 3) % judges
            level = middle + leniency[j] + 0.8 * scale[j] * quality[code]
            scores = {
                c.key: float(min(5, max(1, round(level + rng.gauss(0, 0.6))))) for c in CRITERIA
            }
            sheets.append(Sheet(judge=f"j{j}", entry=code, scores=scores))
    truth = {code: rank for rank, code in enumerate(sorted(codes, key=lambda c: -quality[c]), 1)}
    return Ballots(entries=codes, criteria=CRITERIA, sheets=sheets), truth


def test_rank_ranges_and_prize_chances_bear_out_against_the_truth() -> None:
    method = scoring.get("calibrated")
    held = total = 0
    sure, unlikely = [], []
    for seed in range(30):
        ballots, truth = simulated(seed)
        for s in scoring.with_uncertainty(method, ballots, seed=seed):
            low, high = s.detail["rank_range"]
            held += low <= truth[s.entry] <= high
            total += 1
            if s.detail["p_prize"] >= 0.9:
                sure.append(truth[s.entry] <= 3)
            if s.detail["p_prize"] <= 0.1:
                unlikely.append(truth[s.entry] <= 3)
    assert 0.87 <= held / total <= 0.95
    assert sure and sum(sure) / len(sure) >= 0.85
    assert sum(unlikely) / len(unlikely) <= 0.05


def ranged(low: float, high: float) -> list[Criterion]:
    return [msgspec.structs.replace(c, min=low, max=high) for c in CRITERIA]


def test_sheets_at_the_ends_of_the_range_are_found_with_half_a_step_of_give() -> None:
    sheets = [
        Sheet("j1", "A", {"idea": 5, "build": 5}),  # full marks
        Sheet("j1", "B", {"idea": 1, "build": 1}),  # the floor
        Sheet("j1", "C", {"idea": 5, "build": 4}),  # the top of one criterion only
        Sheet("j2", "A", {"idea": 5}),  # full marks on all it scored
        Sheet("j2", "C", {"idea": 3, "build": 2}),
    ]
    ballots = Ballots(entries=["A", "B", "C"], criteria=CRITERIA, sheets=sheets)
    top, bottom, give = at_the_ends(Table(ballots), ballots)
    assert top.tolist() == [True, False, False, True, False]
    assert bottom.tolist() == [False, True, False, False, False]
    # idea's next value below 5 is 3, build's is 4; above 1: idea 3, build 2
    assert give.tolist() == pytest.approx([(2 * 1 + 0.5) / 3, (2 * 1 + 0.5) / 3, 0, 1, 0])


def test_full_marks_say_at_least_this_good() -> None:
    """The same sheets read on a 1-5 rubric and on a 1-9 one: at the top of 1-5, an entry
    given full marks by every judge may be better than the marks say; on 1-9 it may not."""
    ballots, _ = simulated(4, entries=12, judges=5, per_entry=4, middle=3.5)
    best = max(
        ballots.entries,
        key=lambda code: sum(
            s.entry == code and all(v == 5 for v in s.scores.values()) for s in ballots.sheets
        ),
    )
    assert any(s.entry == best and s.scores == {"idea": 5, "build": 5} for s in ballots.sheets)
    capped = Posterior(ballots, seed=1)
    open_ended = Posterior(Ballots(ballots.entries, ranged(1, 9), ballots.sheets), seed=1)
    at = capped.entries.index(best)
    assert capped.levels[:, at].mean() > open_ended.levels[:, at].mean() + 0.05


def test_tail_draws_follow_the_cut_normal() -> None:
    rng = np.random.default_rng(3)
    for cut in (-1.0, 0.0, 0.4, 1.5, 4.0):
        draws = tail_draws(
            rng, np.full(50_000, 2.0), np.full(50_000, 0.5), np.full(50_000, 2.0 + 0.5 * cut)
        )
        assert draws.min() >= 2.0 + 0.5 * cut
        unit = NormalDist()
        expected = 2.0 + 0.5 * unit.pdf(cut) / (1 - unit.cdf(cut))
        assert draws.mean() == pytest.approx(expected, abs=0.01)


def test_prize_chances_add_up_to_the_prizes_and_are_seeded() -> None:
    ballots, _ = simulated(3)
    method = scoring.get("calibrated")
    first = scoring.with_uncertainty(method, ballots, seed=5)
    assert first == scoring.with_uncertainty(method, ballots, seed=5)
    assert sum(s.detail["p_prize"] for s in first) == pytest.approx(3, abs=0.01)
    one = scoring.with_uncertainty(method, ballots, prizes=1, seed=5)
    assert sum(s.detail["p_prize"] for s in one) == pytest.approx(1, abs=0.01)


def clear_and_close(gap: float) -> Ballots:
    """Five judges each score all of A to F; A, B, C lead by `gap` points over D, E, F."""
    levels = {"A": 4.5, "B": 4.5 - 0.01, "C": 4.5 - 0.02, "D": 4.5 - gap, "E": 1.5, "F": 1.0}
    sheets = [
        Sheet(f"j{j}", code, {"idea": level + 0.1 * ((j + n) % 3 - 1), "build": level})
        for j in range(5)
        for n, (code, level) in enumerate(levels.items())
    ]
    return Ballots(entries=list(levels), criteria=CRITERIA, sheets=sheets)


def test_too_close_marks_only_the_prize_places_in_doubt() -> None:
    method = scoring.get("calibrated")
    settled = scoring.with_uncertainty(method, clear_and_close(gap=3.0))
    assert not any(s.detail["too_close"] for s in settled)
    assert [s.detail["p_prize"] for s in settled[:3]] == [1.0, 1.0, 1.0]
    close = scoring.with_uncertainty(method, clear_and_close(gap=0.03))
    flagged = {s.entry for s in close if s.detail["too_close"]}
    assert "D" in flagged  # the fourth may yet take a prize
    assert not flagged & {"E", "F"}  # the clear losers are never noise on the board


def test_next_entries_gives_every_entry_two_sheets_first() -> None:
    ballots, _ = simulated(1, entries=8, judges=4, per_entry=1)
    extra = [s for s in simulated(1, entries=8, judges=4, per_entry=3)[0].sheets if s.entry < "T04"]
    ballots = Ballots(ballots.entries, ballots.criteria, ballots.sheets + extra[:8])
    counts = {code: sum(s.entry == code for s in ballots.sheets) for code in ballots.entries}
    order = scoring.next_entries(
        scoring.get("calibrated"), ballots, judge="j9", candidates=ballots.entries
    )
    short = [code for code in ballots.entries if counts[code] < MIN_SHEETS]
    assert short and set(order[: len(short)]) == set(short)
    assert [counts[c] for c in order[: len(short)]] == sorted(counts[c] for c in short)


def test_next_entries_sends_judges_where_the_prizes_are_in_doubt() -> None:
    method = scoring.get("calibrated")
    ballots = clear_and_close(gap=0.03)
    extra = Sheet("j7", "E", {"idea": 1.5, "build": 1.5})
    ballots = Ballots(ballots.entries, ballots.criteria, [*ballots.sheets, extra])
    order = scoring.next_entries(
        method, ballots, judge="j9", candidates=["A", "C", "D", "E", "F"], seed=2
    )
    assert order == scoring.next_entries(
        method, ballots, judge="j9", candidates=["A", "C", "D", "E", "F"], seed=2
    )
    assert order.index("D") < order.index("E") and order.index("D") < order.index("F")
    assert order.index("C") < order.index("F")
    # a judge's own entries are never offered again
    own = scoring.next_entries(method, ballots, judge="j7", candidates=["D", "E"])
    assert own == ["D"]
    # a visit already under way counts as a sheet: a second judge is sent elsewhere first
    pending = scoring.Planner(method, ballots).order("j9", ["C", "D"], pending={"D": 20})
    assert pending[0] == "C"


def test_choose_takes_the_nearest_of_the_nearly_best_and_never_a_far_worse_one() -> None:
    ballots = Ballots(entries=["A", "B", "C", "D"], criteria=CRITERIA)  # nothing scored yet
    planner = scoring.Planner(scoring.get("calibrated"), ballots)
    distance = {"A": 3, "B": 1, "C": 2, "D": 5}
    assert planner.choose("j1", "ABCD", distance=distance) == "B"
    # A visit under way to B leaves it worth far less than the others: C, the next nearest.
    assert planner.choose("j1", "ABCD", pending={"B": 1}, distance=distance) == "C"
    assert planner.choose("j1", "ABCD", pending={"B": 1, "C": 1, "A": 1}, distance=distance) == "D"
    assert planner.choose("j1", []) is None
