"""The simulation's oracle: what an organizer who knew every judge could say with the same
sheets, the ceiling the benchmarks hold the board's uncertainty against."""

import numpy as np

from scoring.simulation import Event, World


def test_the_oracles_quality_draws_hold_the_truth_as_often_as_they_claim() -> None:
    world = World("tests", 30, 8, 3, leniency=1.0, scale=0.4, drift=0.5, noise=0.9)
    held = total = 0
    for seed in range(12):
        event = Event.draw(world, seed)
        visits = event.balanced(event.budget)
        codes, levels = event.oracle_levels(visits, event.judged(visits), seed=seed)
        assert levels.shape == (1000, world.entries)
        low, high = np.quantile(levels, [0.05, 0.95], axis=0)
        truth = np.array([event.quality[code] for code in codes])
        held += int(((low <= truth) & (truth <= high)).sum())
        total += len(codes)
    assert 0.85 <= held / total <= 0.95


def test_the_oracle_settles_clear_sheets_rightly_and_never_noisy_ones() -> None:
    clear = World("clear", 10, 10, 10, noise=0.05, quality="skewed")
    noisy = World("noisy", 40, 4, 2, noise=3.0)
    for seed in range(3):
        event = Event.draw(clear, seed)
        visits = event.balanced(event.budget)
        ballots = event.judged(visits)
        assert event.oracle_settled(visits, ballots, seed=seed) == (True, True)
        assert event.oracle_levels(visits, ballots)[1].min() >= 0  # skewed quality is positive
        event = Event.draw(noisy, seed)
        visits = event.balanced(event.budget)
        assert event.oracle_settled(visits, event.judged(visits), seed=seed)[0] is False
