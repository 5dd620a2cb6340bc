"""Pure ranking methods: ballots in, standings out. Imports nothing from the web app."""

from scoring.registry import Method, UnknownMethod, get, methods
from scoring.types import Ballots, Comparison, Criterion, Sheet, Standing

__all__ = [
    "Ballots",
    "Comparison",
    "Criterion",
    "Method",
    "Sheet",
    "Standing",
    "UnknownMethod",
    "get",
    "methods",
]
