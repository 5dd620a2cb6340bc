"""How many judges an event needs: the chance of finding the right top 3 with the judges and
the time there are, on fixed lists and with adaptive judging, from the same simulated events
the scoring benchmarks use (`scoring.simulation`)."""

import asyncio
import math

import msgspec

import scoring
from scoring.simulation import Estimate, estimate
from showcase.errors import Invalid
from showcase.i18n import gettext as _

SIMULATED_EVENTS = 60
SECONDS = 8.0  # fewer simulated events for a large event, so the organizer is not kept waiting


class PlanIn(msgspec.Struct, frozen=True):
    entries: int
    judges: int
    minutes: float  # a visit: walking to the table, the demo, the sheet
    hours: float  # judging time

    @property
    def visits_per_judge(self) -> int:
        return math.floor(self.hours * 60 / self.minutes + 1e-9)


def read_plan(form: dict[str, str]) -> PlanIn:
    """The planner's four numbers from a form, each checked: an Invalid naming the field."""
    limits = {
        "entries": (_("entries"), 4, 2000),
        "judges": (_("judges"), 1, 500),
        "minutes": (_("minutes a visit"), 1, 120),
        "hours": (_("hours of judging"), 0.25, 24),
    }
    values: dict[str, float] = {}
    for field, (label, low, high) in limits.items():
        text = form.get(field, "").strip().replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        whole = field in ("entries", "judges")
        if not low <= value <= high or (whole and not value.is_integer()):
            raise Invalid(
                _("%(field)s: give a number from %(low)s to %(high)s")
                % {"field": label, "low": f"{low:g}", "high": f"{high:g}"}
            )
        values[field] = value
    plan = PlanIn(int(values["entries"]), int(values["judges"]), values["minutes"], values["hours"])
    if plan.visits_per_judge < 1:
        raise Invalid(_("minutes a visit: a judge must have time for at least one visit"))
    return plan


async def estimate_plan(method: scoring.Method, plan: PlanIn) -> Estimate:
    """The estimate, in a thread: seconds of simulation."""
    return await asyncio.to_thread(
        estimate,
        method,
        plan.entries,
        plan.judges,
        plan.visits_per_judge,
        events=SIMULATED_EVENTS,
        seconds=SECONDS,
    )
