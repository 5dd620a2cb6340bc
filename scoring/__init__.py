"""Pure ranking methods: ballots in, standings out. Imports nothing from the web app."""

from scoring.adaptive import Planner, next_entries
from scoring.common import sheet_total
from scoring.params import InvalidParameter, Param
from scoring.registry import Method, UnknownMethod, get, methods
from scoring.types import Ballots, Comparison, Criterion, Sheet, Standing
from scoring.uncertainty import PRIZES, with_uncertainty

__all__ = [
    "PRIZES",
    "Ballots",
    "Comparison",
    "Criterion",
    "InvalidParameter",
    "Method",
    "Param",
    "Planner",
    "Sheet",
    "Standing",
    "UnknownMethod",
    "get",
    "methods",
    "next_entries",
    "sheet_total",
    "with_uncertainty",
]
