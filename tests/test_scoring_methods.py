"""The built-in methods against their definitions: hand-checked cases and published examples."""

import math

import pytest

import scoring
from scoring import Ballots, Comparison, Criterion, Sheet

ONE = [Criterion(key="score", weight=1, min=0, max=10)]


def ballots(sheets: dict[str, dict[str, float]], entries: list[str] | None = None) -> Ballots:
    """{judge: {entry: total}} as ballots on a single criterion."""
    made = [
        Sheet(judge=j, entry=e, scores={"score": t})
        for j, by in sheets.items()
        for e, t in by.items()
    ]
    listed = entries or sorted({s.entry for s in made})
    return Ballots(entries=listed, criteria=ONE, sheets=made)


def from_rankings(groups: list[tuple[int, str]]) -> Ballots:
    """Voters as judges: each group is (how many voters, their order best first, as letters)."""
    sheets = {}
    for g, (count, order) in enumerate(groups):
        for v in range(count):
            sheets[f"v{g}-{v}"] = {entry: float(len(order) - i) for i, entry in enumerate(order)}
    return ballots(sheets)


def order(method: str, data: Ballots, **params: float) -> list[str]:
    return [s.entry for s in scoring.get(method, **params).rank(data)]


def scores(method: str, data: Ballots, **params: float) -> dict[str, float | None]:
    return {s.entry: s.score for s in scoring.get(method, **params).rank(data)}


def test_sheet_total_is_the_weighted_mean() -> None:
    criteria = [
        Criterion(key="a", weight=3, min=1, max=10),
        Criterion(key="b", weight=1, min=1, max=10),
    ]
    data = Ballots(
        entries=["X"],
        criteria=criteria,
        sheets=[Sheet(judge="j", entry="X", scores={"a": 8, "b": 4})],
    )
    assert scores("mean", data) == {"X": pytest.approx((3 * 8 + 1 * 4) / 4)}


def test_mean_median_and_competition_ranks_with_unscored_last() -> None:
    data = ballots(
        {"j1": {"A": 8, "B": 6, "C": 6}, "j2": {"A": 6, "B": 8, "C": 6}, "j3": {"D": 5}},
        ["A", "B", "C", "D", "E"],
    )
    standings = scoring.get("mean").rank(data)
    assert [(s.entry, s.rank, s.score, s.judges) for s in standings] == [
        ("A", 1, 7.0, 2),
        ("B", 1, 7.0, 2),
        ("C", 3, 6.0, 2),
        ("D", 4, 5.0, 1),
        ("E", None, None, 0),
    ]
    assert standings[0].detail["sheets"] == 2 and standings[0].detail["criteria"] == {"score": 7.0}
    assert scores("median", ballots({"a": {"X": 1}, "b": {"X": 9}, "c": {"X": 3}}))["X"] == 3


def test_trimmed_mean_follows_diving_judging() -> None:
    # World Aquatics diving rules, seven judges: the two highest and two lowest awards are
    # cancelled and the middle three count. Awards 7.5 8.0 8.0 8.5 8.5 9.0 9.0 keep 8.0 8.5 8.5.
    awards = [7.5, 8.0, 8.0, 8.5, 8.5, 9.0, 9.0]
    data = ballots({f"j{i}": {"dive": a} for i, a in enumerate(awards)})
    [standing] = scoring.get("trimmed", cut=2).rank(data)
    assert standing.score == pytest.approx((8.0 + 8.5 + 8.5) / 3)
    assert sorted(d["total"] for d in standing.detail["dropped"]) == [7.5, 8.0, 9.0, 9.0]
    # too few sheets to trim: the plain mean
    assert scores("trimmed", ballots({"a": {"X": 2}, "b": {"X": 4}}))["X"] == 3


def test_bayes_pulls_few_sheets_toward_the_overall_mean() -> None:
    data = ballots({"a": {"X": 10, "Y": 6}, "b": {"Y": 6}, "c": {"Y": 6}})
    overall = (10 + 6 * 3) / 4
    assert scores("bayes", data, prior=2)["X"] == pytest.approx((2 * overall + 10) / 3)
    assert scores("bayes", data, prior=2)["Y"] == pytest.approx((2 * overall + 18) / 5)


def test_zscore_standardizes_each_judge() -> None:
    data = ballots({"harsh": {"A": 2, "B": 4}, "kind": {"A": 8, "B": 10, "C": 9}, "once": {"C": 1}})
    totals = [2, 4, 8, 10, 9, 1]
    mean = sum(totals) / 6
    std = math.sqrt(sum((t - mean) ** 2 for t in totals) / 6)
    kind_mean, kind_std = 9.0, math.sqrt(2 / 3)
    expected_a = ((-1.0) + (8 - kind_mean) / kind_std) / 2
    expected_c = ((9 - kind_mean) / kind_std + 0.0) / 2  # a judge with one sheet adds 0
    got = scores("zscore", data)
    assert got["A"] == pytest.approx(mean + std * expected_a)
    assert got["C"] == pytest.approx(mean + std * expected_c)


def test_offset_recovers_additive_judge_offsets_exactly() -> None:
    truth = {"A": 7.0, "B": 5.0, "C": 6.0, "D": 4.0}
    lean = {"j1": -1.5, "j2": 0.5, "j3": 1.0}
    seen = {"j1": "ABC", "j2": "BCD", "j3": "ACD"}
    data = ballots({j: {e: truth[e] + lean[j] for e in seen[j]} for j in seen})
    standings = scoring.get("offset", ridge=0).rank(data)
    mean_lean = sum(lean.values()) / 3
    for s in standings:
        assert s.score == pytest.approx(truth[s.entry] + mean_lean)
        for judge, b in s.detail["judge_offsets"].items():
            assert b == pytest.approx(lean[judge] - mean_lean)
    assert [s.entry for s in standings] == ["A", "C", "B", "D"]
    assert sum(s.detail["effect"] for s in standings) == pytest.approx(0)


def test_offset_ranks_a_disconnected_design_per_component_and_says_so() -> None:
    data = ballots({"j1": {"A": 8, "B": 6}, "j2": {"C": 5, "D": 3}})
    standings = scoring.get("offset").rank(data)
    parts = {s.entry: (s.detail["component"], s.detail["components"]) for s in standings}
    assert parts["A"] == parts["B"] != parts["C"] == parts["D"]
    assert parts["A"][1] == 2


def test_calibrated_recovers_leniency_and_scale() -> None:
    truth = {"A": 2.0, "B": 1.0, "C": 0.0, "D": -1.0, "E": -2.0}
    judges = {"j1": (0.0, 1.0), "j2": (1.0, 2.0), "j3": (-1.0, 0.5)}
    data = ballots(
        {j: {e: 6 + b + s * a for e, a in truth.items()} for j, (b, s) in judges.items()}
    )
    standings = scoring.get("calibrated", ridge=0, ridge_scale=0).rank(data)
    assert [s.entry for s in standings] == ["A", "B", "C", "D", "E"]
    effects = {s.entry: s.detail["effect"] for s in standings}
    ratio = effects["A"] / truth["A"]
    for entry, a in truth.items():
        assert effects[entry] == pytest.approx(ratio * a, abs=1e-6)
    scales = standings[0].detail["judges"]
    assert sum(v["scale"] for v in scales.values()) / 3 == pytest.approx(1.0)
    assert scales["j2"]["scale"] / scales["j1"]["scale"] == pytest.approx(2.0, rel=1e-6)


def test_borda_on_the_tennessee_capital_example() -> None:
    # The Borda count article's example: 100 voters, 42 Memphis, 26 Nashville, 15 Chattanooga,
    # 17 Knoxville; Nashville wins with 194 points, then Chattanooga 173, Memphis 126, Knoxville 107.
    data = from_rankings([(42, "MNCK"), (26, "NCKM"), (15, "CKNM"), (17, "KCNM")])
    got = scores("borda", data)
    assert {e: round(s * 3 * 100) for e, s in got.items()} == {
        "N": 194,
        "C": 173,
        "M": 126,
        "K": 107,
    }
    assert order("borda", data) == ["N", "C", "M", "K"]


def test_schulze_on_the_published_45_voter_example() -> None:
    # The Schulze method article's example: 45 voters, five candidates; the result is E > A > C > B > D.
    groups = [
        (5, "ACBED"),
        (5, "ADECB"),
        (8, "BEDAC"),
        (3, "CABED"),
        (7, "CAEBD"),
        (2, "CBADE"),
        (7, "DCEBA"),
        (8, "EBADC"),
    ]
    assert order("schulze", from_rankings(groups)) == ["E", "A", "C", "B", "D"]
    # Tennessee again: Nashville is the Condorcet winner
    tennessee = from_rankings([(42, "MNCK"), (26, "NCKM"), (15, "CKNM"), (17, "KCNM")])
    assert order("schulze", tennessee) == ["N", "C", "K", "M"]


def test_bradley_terry_two_entries_has_a_closed_form() -> None:
    data = Ballots(
        entries=["A", "B"],
        criteria=ONE,
        comparisons=[Comparison(judge=f"j{i}", winner="A", loser="B") for i in range(3)]
        + [Comparison(judge="j9", winner="B", loser="A")],
    )
    got = scores("bradley_terry", data, alpha=0)
    assert got["A"] == pytest.approx(math.log(3) / 2, abs=1e-6)
    assert got["B"] == pytest.approx(-math.log(3) / 2, abs=1e-6)
    with_prior = scores("bradley_terry", data, alpha=1)  # (3+1) wins to (1+1)
    assert with_prior["A"] - with_prior["B"] == pytest.approx(math.log(2), abs=1e-6)


def test_bradley_terry_satisfies_its_likelihood_equations() -> None:
    import random

    rng = random.Random(3)
    names = [f"E{i}" for i in range(8)]
    strength = {n: rng.gauss(0, 1) for n in names}
    games = []
    for k in range(200):
        a, b = rng.sample(names, 2)
        win = rng.random() < 1 / (1 + math.exp(strength[b] - strength[a]))
        games.append(Comparison(judge=f"j{k % 5}", winner=a if win else b, loser=b if win else a))
    data = Ballots(entries=names, criteria=ONE, comparisons=games)
    theta = scores("bradley_terry", data, alpha=0.5)
    assert sum(theta.values()) == pytest.approx(0, abs=1e-9)
    for i in names:
        wins = sum(1 for g in games if g.winner == i) + 0.5 * (len(names) - 1)
        expected = 0.0
        for j in names:
            if j != i:
                n = sum(1 for g in games if {g.winner, g.loser} == {i, j}) + 2 * 0.5
                expected += n / (1 + math.exp(theta[j] - theta[i]))
        assert wins == pytest.approx(expected, rel=1e-6)


def test_bradley_terry_falls_back_to_pairs_from_sheet_totals() -> None:
    data = ballots({"j1": {"A": 9, "B": 5, "C": 5}, "j2": {"A": 8, "C": 6}})
    standings = scoring.get("bradley_terry").rank(data)
    assert standings[0].entry == "A" and standings[0].detail["source"] == "sheet totals"
    assert standings[0].detail["wins"] == 3


def test_unknown_method_lists_the_available_ones() -> None:
    with pytest.raises(scoring.UnknownMethod) as raised:
        scoring.get("coin_toss")
    assert isinstance(raised.value, KeyError)
    assert "mean" in str(raised.value) and "schulze" in str(raised.value)
