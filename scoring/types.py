"""The scoring package's boundary types: what a method reads and what it returns."""

from typing import Any

import msgspec


class Criterion(msgspec.Struct, frozen=True):
    key: str
    weight: float = 1.0
    min: float = 0.0
    max: float = 10.0


class Sheet(msgspec.Struct, frozen=True):
    judge: str
    entry: str
    scores: dict[str, float]


class Comparison(msgspec.Struct, frozen=True):
    judge: str
    winner: str
    loser: str


class Ballots(msgspec.Struct, frozen=True):
    entries: list[str]
    criteria: list[Criterion] = []
    sheets: list[Sheet] = []
    comparisons: list[Comparison] = []


class Standing(msgspec.Struct, frozen=True):
    entry: str
    rank: int | None
    score: float | None
    judges: int
    detail: dict[str, Any] = {}
