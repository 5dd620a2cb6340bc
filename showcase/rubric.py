"""The rubric's rules: the values a criterion allows and whether a sheet's scores keep to them."""

from showcase.errors import Invalid
from showcase.models import Criterion

STEP_TOLERANCE = 1e-9


def allowed_values(criterion: Criterion) -> list[float]:
    """Every value from min to max in steps, lowest first."""
    count = round((criterion.max - criterion.min) / criterion.step)
    return [round(criterion.min + i * criterion.step, 9) for i in range(count + 1)]


def check_scores(criteria: list[Criterion], scores: dict[str, float]) -> None:
    """Raises Invalid naming the first criterion missing, unknown, out of range or off-step."""
    known = {criterion.key for criterion in criteria}
    for key in scores:
        if key not in known:
            raise Invalid(f"unknown criterion {key!r}; the rubric has {', '.join(sorted(known))}")
    for criterion in criteria:
        if criterion.key not in scores:
            raise Invalid(f"criterion {criterion.key!r} is not scored")
        value = scores[criterion.key]
        if not criterion.min <= value <= criterion.max:
            raise Invalid(
                f"criterion {criterion.key!r}: {value:g} is outside"
                f" {criterion.min:g} to {criterion.max:g}"
            )
        steps = (value - criterion.min) / criterion.step
        if abs(steps - round(steps)) > STEP_TOLERANCE:
            raise Invalid(
                f"criterion {criterion.key!r}: {value:g} is not on a step of {criterion.step:g}"
                f" from {criterion.min:g}"
            )
