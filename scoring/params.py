"""A method's declared parameters: their types and ranges, checked before a method is built."""

import math
from typing import Any, Literal

import msgspec


class InvalidParameter(ValueError):
    """A parameter a method does not take, or a value outside its declared type or range."""

    def __init__(self, method: str, parameter: str, message: str) -> None:
        self.method = method
        self.parameter = parameter
        super().__init__(f"method {method!r}, parameter {parameter!r}: {message}")


class Param(msgspec.Struct, frozen=True):
    """One parameter of a method: a whole number or a real one, between `min` and `max`."""

    name: str
    kind: Literal["int", "float"]
    default: float
    min: float
    max: float
    description: str = ""


def declared(target: Any) -> tuple[Param, ...] | None:
    """The parameters a method (class or instance) declares; None when it declares none."""
    found = getattr(target, "parameters", None)
    return tuple(found) if found is not None else None


def check(method: str, parameters: tuple[Param, ...], given: dict[str, Any]) -> dict[str, Any]:
    """`given` as the method should receive it (whole numbers as int), or InvalidParameter
    naming the first parameter that is unknown, not a number, or out of its range."""
    known = {p.name: p for p in parameters}
    checked: dict[str, Any] = {}
    for name, value in given.items():
        param = known.get(name)
        if param is None:
            takes = ", ".join(known) or "none"
            raise InvalidParameter(method, name, f"unknown (it takes: {takes})")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidParameter(method, name, f"{value!r} is not a number")
        if not math.isfinite(value):
            raise InvalidParameter(method, name, f"{value!r} is not a finite number")
        if param.kind == "int" and value != int(value):
            raise InvalidParameter(method, name, f"{value!r} is not a whole number")
        if not param.min <= value <= param.max:
            raise InvalidParameter(
                method, name, f"{value!r} is outside {param.min:g} to {param.max:g}"
            )
        checked[name] = int(value) if param.kind == "int" else float(value)
    return checked
