"""Pure ranking methods: ballots in, standings out. Imports nothing from the web app."""

from scoring.common import sheet_total
from scoring.params import InvalidParameter, Param
from scoring.registry import Method, UnknownMethod, get, methods
from scoring.types import Ballots, Comparison, Criterion, Sheet, Standing
from scoring.uncertainty import rank_ranges, with_uncertainty

__all__ = [
    "Ballots",
    "Comparison",
    "Criterion",
    "InvalidParameter",
    "Method",
    "Param",
    "Sheet",
    "Standing",
    "UnknownMethod",
    "get",
    "methods",
    "rank_ranges",
    "sheet_total",
    "with_uncertainty",
]
