"""The rubric's rules: the values a criterion allows, whether a sheet's scores keep to them, and
the rubric file (TOML, or the same shape as JSON) with its checks."""

import json
import math
import tomllib
from typing import Any

import msgspec
import tomli_w

from showcase.errors import Invalid
from showcase.i18n import gettext as _
from showcase.models import Criterion, LocalText, RubricCriterion, RubricFile

STEP_TOLERANCE = 1e-9
FALLBACK = "en"


def allowed_values(criterion: Criterion | RubricCriterion) -> list[float]:
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


def texts(value: LocalText) -> dict[str, str]:
    """A text by language: a plain string is English."""
    return {FALLBACK: value} if isinstance(value, str) else dict(value)


def in_language(by_language: dict[str, str], language: str) -> str:
    """The text in `language`, falling back to English."""
    return by_language.get(language) or by_language.get(FALLBACK, "")


def check_rubric(criteria: list[RubricCriterion]) -> None:
    """Raises Invalid naming the first criterion that cannot be a rubric's."""
    if not criteria:
        raise Invalid(_("a rubric needs at least one criterion"))
    seen: set[str] = set()
    for c in criteria:
        where = _("criterion %(key)s") % {"key": repr(c.key)}
        if c.key in seen:
            raise Invalid(_("%(where)s is given twice") % {"where": where})
        seen.add(c.key)
        if not all(math.isfinite(v) for v in (c.weight, c.min, c.max, c.step)):
            raise Invalid(
                _("%(where)s: weight, min, max and step must be finite numbers") % {"where": where}
            )
        if c.max <= c.min:
            raise Invalid(_("%(where)s: max must be greater than min") % {"where": where})
        steps = (c.max - c.min) / c.step
        if abs(steps - round(steps)) > STEP_TOLERANCE or round(steps) > 100:
            raise Invalid(
                _("%(where)s: max - min must be a whole number of steps (100 at most)")
                % {"where": where}
            )
        if not texts(c.name).get(FALLBACK):
            raise Invalid(
                _("%(where)s: name needs an English text (en), the fallback") % {"where": where}
            )
        count = len(allowed_values(c))
        for language, labels in c.labels.items():
            if len(labels) != count:
                raise Invalid(
                    _(
                        "%(where)s: labels.%(language)s has %(labels)d labels but the criterion "
                        "allows %(count)d values (%(min)s to %(max)s in steps of %(step)s)"
                    )
                    % {
                        "where": where,
                        "language": language,
                        "labels": len(labels),
                        "count": count,
                        "min": f"{c.min:g}",
                        "max": f"{c.max:g}",
                        "step": f"{c.step:g}",
                    }
                )


def read_rubric(data: bytes) -> list[RubricCriterion]:
    """The criteria of a rubric file (TOML, or JSON of the same shape), checked; an Invalid
    names what is wrong."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid(_("the rubric file is not UTF-8 text")) from None
    try:
        raw: Any = json.loads(text) if text.lstrip().startswith("{") else tomllib.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as error:
        raise Invalid(_("the rubric file cannot be read: %(error)s") % {"error": error}) from None
    try:
        criteria = msgspec.convert(raw, RubricFile).criterion
    except msgspec.ValidationError as error:
        raise Invalid(_("the rubric file is not valid: %(error)s") % {"error": error}) from None
    check_rubric(criteria)
    return criteria


def rubric_toml(criteria: list[RubricCriterion]) -> str:
    """The rubric as the file `showcase rubric --set` reads."""
    tables = []
    for c in criteria:
        table: dict[str, Any] = {"key": c.key, "name": c.name}
        if c.description:
            table["description"] = c.description
        table.update(weight=c.weight, min=c.min, max=c.max, step=c.step)
        if c.labels:
            table["labels"] = c.labels
        tables.append(table)
    return tomli_w.dumps({"criterion": tables})


Meaning = list[tuple[str, float, float, float, float]]


def meaning(criteria: list[RubricCriterion] | list[Criterion]) -> Meaning:
    """What a stored sheet's scores mean under a rubric: its keys, weights, ranges and steps
    (its wording aside)."""
    return sorted((c.key, c.weight, c.min, c.max, c.step) for c in criteria)
