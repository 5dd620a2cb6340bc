"""The method registry: built-ins and plugins alike come from `showcase.scoring` entry points."""

from importlib.metadata import entry_points
from typing import Any, Protocol, runtime_checkable

from scoring.types import Ballots, Standing

GROUP = "showcase.scoring"


@runtime_checkable
class Method(Protocol):
    name: str
    title: str
    description: str

    def rank(self, ballots: Ballots) -> list[Standing]: ...


class UnknownMethod(KeyError):
    """No installed method has that name."""

    def __init__(self, name: str, available: list[str]) -> None:
        self.name = name
        self.available = available
        super().__init__(name)

    def __str__(self) -> str:
        return f"unknown scoring method {self.name!r}; available: {', '.join(self.available)}"


def _registered() -> dict[str, Any]:
    found: dict[str, Any] = {}
    for point in entry_points(group=GROUP):
        found.setdefault(point.name, point)
    return found


def _build(target: Any, params: dict[str, Any]) -> Method:
    if isinstance(target, type):
        return target(**params)
    if params:
        raise TypeError(f"scoring method {target.name!r} takes no parameters")
    return target


def get(name: str, **params: Any) -> Method:
    """The method registered under `name`, built with `params`."""
    registered = _registered()
    if name not in registered:
        raise UnknownMethod(name, sorted(registered))
    return _build(registered[name].load(), params)


def methods() -> dict[str, Method]:
    """Every installed method with its default parameters, by name."""
    return {name: _build(point.load(), {}) for name, point in sorted(_registered().items())}
