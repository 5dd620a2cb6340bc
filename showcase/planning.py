"""How many judges an event needs: the chance of finding the right top 3 with the judges and
the time there are, on fixed lists and with adaptive judging, from the same simulated events
the scoring benchmarks use (`scoring.simulation`)."""

import asyncio
import functools
import math
from collections import OrderedDict
from concurrent.futures import Executor

import msgspec

import scoring
from scoring.simulation import Estimate, estimate
from showcase.errors import Invalid
from showcase.i18n import gettext as _

SIMULATED_EVENTS = 60
BATCH = 4  # events simulated at a time, between which the page's figures firm up
MOST_SHEETS = 3000  # the largest event simulated: beyond, a batch would hold the worker for minutes


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
        "entries": (_("entries"), 4, 1000),
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
    if min(plan.judges * plan.visits_per_judge, plan.judges * plan.entries) > MOST_SHEETS:
        raise Invalid(
            _("the planner simulates events of up to %(most)d sheets: ask about fewer judges")
            % {"most": MOST_SHEETS}
        )
    return plan


class Job:
    """One question being simulated: the estimate so far, and whether it is all in."""

    def __init__(self) -> None:
        self.latest: Estimate | None = None
        self.done = False
        self.task: asyncio.Task[None] | None = None


Key = tuple[str, tuple[tuple[str, float], ...], int, int, int]


class Estimates:
    """The planner's answers, by question. Each is simulated in the background, `BATCH` events
    at a time, in the board worker when there is one (at idle priority: judging goes first),
    so the page shows the estimate so far and firms it up; the last `KEEP` questions are kept."""

    KEEP = 16

    def __init__(self, pool: Executor | None = None) -> None:
        self.pool = pool
        self.jobs: OrderedDict[Key, Job] = OrderedDict()

    def ask(self, method: str, params: dict[str, float], plan: PlanIn) -> Job:
        key = (
            method,
            tuple(sorted(params.items())),
            plan.entries,
            plan.judges,
            plan.visits_per_judge,
        )
        job = self.jobs.get(key)
        if job is not None:
            self.jobs.move_to_end(key)
            return job
        job = self.jobs[key] = Job()
        job.task = asyncio.get_running_loop().create_task(self._simulate(job, key))
        while len(self.jobs) > self.KEEP:
            _, old = self.jobs.popitem(last=False)
            if old.task is not None:
                old.task.cancel()
        return job

    async def _simulate(self, job: Job, key: Key) -> None:
        method, params, entries, judges, visits = key
        loop = asyncio.get_running_loop()
        for first in range(0, SIMULATED_EVENTS, BATCH):
            batch = functools.partial(
                simulate, method, dict(params), entries, judges, visits, first, BATCH
            )
            if self.pool is None:
                part = await asyncio.to_thread(batch)
            else:
                part = await loop.run_in_executor(self.pool, batch)
            job.latest = part if job.latest is None else job.latest.plus(part)
        job.done = True

    def close(self) -> None:
        for job in self.jobs.values():
            if job.task is not None:
                job.task.cancel()


def simulate(
    method: str,
    params: dict[str, float],
    entries: int,
    judges: int,
    visits_per_judge: int,
    first: int,
    events: int,
) -> Estimate:
    """A batch of the simulated events (a plain function of plain data, for a worker)."""
    chosen = scoring.get(method, **params)
    return estimate(chosen, entries, judges, visits_per_judge, events=events, first=first)
