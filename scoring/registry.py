"""The method registry: built-ins and plugins alike come from `showcase.scoring` entry points."""

from importlib.metadata import entry_points
from typing import Any, Protocol, runtime_checkable

from scoring import params as declared_params
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


_loaded: dict[str, Any] = {}  # name -> its class or instance, as last found installed


def _registered() -> dict[str, Any]:
    """Scans the installed entry points (slow: it reads every distribution's metadata)."""
    found: dict[str, Any] = {}
    for point in entry_points(group=GROUP):
        found.setdefault(point.name, point)
    return found


def _build(target: Any, params: dict[str, Any]) -> Method:
    parameters = declared_params.declared(target)
    if parameters is not None:
        params = declared_params.check(target.name, parameters, params)
    if isinstance(target, type):
        return target(**params)
    if params:
        raise TypeError(f"scoring method {target.name!r} takes no parameters")
    return target


def get(name: str, **params: Any) -> Method:
    """The method registered under `name`, built with `params` (checked against the
    parameters it declares, if it declares them: `InvalidParameter` names a bad one).

    A name seen before is built without scanning the installed distributions again, so ranking
    on every board change stays cheap; an unseen name triggers a fresh scan.
    """
    if name not in _loaded:
        registered = _registered()
        if name not in registered:
            raise UnknownMethod(name, sorted(registered))
        _loaded[name] = registered[name].load()
    return _build(_loaded[name], params)


def methods() -> dict[str, Method]:
    """Every installed method with its default parameters, by name (a fresh scan)."""
    found = {name: point.load() for name, point in sorted(_registered().items())}
    _loaded.clear()
    _loaded.update(found)
    return {name: _build(target, {}) for name, target in found.items()}
