"""How judging is going, for the organizers during the day: who is idle, which entries are short
of sheets or split their judges, and how each judge scores against the pool (a calibration
chart, server-rendered SVG)."""

import statistics
from datetime import UTC, datetime, timedelta

import msgspec
from markupsafe import Markup, escape

import scoring
from showcase import store
from showcase.board import ballots_for, read_inputs
from showcase.db import Database
from showcase.i18n import gettext as _
from showcase.models import EntryProgress, JudgeProgress

IDLE = timedelta(minutes=20)  # a judge with entries left and no save for this long is idle


class Calibration(msgspec.Struct, frozen=True):
    """One judge's scoring against the pool: the mean and spread of their sheet totals, and the
    calibrated method's leniency (offset) and scale for them."""

    name: str
    sheets: int
    mean: float
    spread: float
    leniency: float | None
    scale: float | None


class Disagreement(msgspec.Struct, frozen=True):
    code: str
    title: str
    sheets: int
    spread: float  # the highest sheet total less the lowest


class Report(msgspec.Struct, frozen=True):
    judges: list[JudgeProgress]
    idle: list[str]
    short: list[EntryProgress]
    disagreements: list[Disagreement]
    calibration: list[Calibration]
    pool_mean: float | None


def idle_judges(judges: list[JudgeProgress], now: datetime) -> list[str]:
    """The judges with entries still to score whose last save (if any) is IDLE old."""
    idle = []
    for judge in judges:
        if judge.done >= judge.assigned:
            continue
        last = judge.last_saved
        if last is None or now - datetime.fromisoformat(last.replace("Z", "+00:00")) > IDLE:
            idle.append(judge.name)
    return idle


async def progress_report(db: Database, now: datetime | None = None) -> Report:
    inputs = await read_inputs(db)
    judges = await store.list_judge_progress(db)
    names = {j.id: j.name for j in await store.list_judges(db, inactive=True)}
    ballots = ballots_for(inputs, None)
    totals: dict[str, list[float]] = {}
    by_entry: dict[str, list[float]] = {}
    for sheet in ballots.sheets:
        total = scoring.sheet_total(sheet.scores, inputs.criteria)
        if total is not None:
            totals.setdefault(sheet.judge, []).append(total)
            by_entry.setdefault(sheet.entry, []).append(total)
    fitted: dict[str, dict[str, float]] = {}
    if ballots.sheets:
        for standing in scoring.get("calibrated").rank(ballots):
            fitted.update(standing.detail.get("judges", {}))
    calibration = [
        Calibration(
            name=names.get(int(judge), judge),
            sheets=len(values),
            mean=statistics.fmean(values),
            spread=statistics.pstdev(values),
            leniency=fitted.get(judge, {}).get("offset"),
            scale=fitted.get(judge, {}).get("scale"),
        )
        for judge, values in sorted(totals.items(), key=lambda item: names.get(int(item[0]), ""))
    ]
    titles = {entry.code: entry.title for entry in inputs.entries}
    disagreements = sorted(
        (
            Disagreement(code, titles[code], len(values), max(values) - min(values))
            for code, values in by_entry.items()
            if len(values) > 1
        ),
        key=lambda d: -d.spread,
    )
    everything = [t for values in totals.values() for t in values]
    return Report(
        judges=judges,
        idle=idle_judges(judges, now or datetime.now(UTC)) if inputs.event.judging_open else [],
        short=await store.list_entries_short(db, inputs.event.judges_per_entry),
        disagreements=disagreements,
        calibration=calibration,
        pool_mean=statistics.fmean(everything) if everything else None,
    )


def calibration_svg(report: Report, low: float, high: float) -> Markup:
    """Each judge's mean (a dot) and spread (a bar, one standard deviation each way) on the
    rubric's scale, against the pool's mean (a dashed line)."""
    rows, width, left, row = report.calibration, 640, 170, 28
    height = 30 + row * len(rows)

    def x(value: float) -> float:
        span = (high - low) or 1.0
        return left + (width - left - 20) * (min(max(value, low), high) - low) / span

    label = escape(_("Judge calibration"))
    parts = [
        f'<svg class="calibration" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{label}" xmlns="http://www.w3.org/2000/svg">'
    ]
    if report.pool_mean is not None:
        pool = x(report.pool_mean)
        parts.append(
            f'<line class="pool" x1="{pool:.1f}" y1="10" x2="{pool:.1f}" y2="{height - 10}" '
            'stroke="#888" stroke-dasharray="4 3"/>'
        )
    for n, judge in enumerate(rows):
        y = 24 + n * row
        parts.append(
            f'<g class="judge" data-name="{escape(judge.name)}">'
            f'<text x="0" y="{y + 4}" font-size="13">{escape(judge.name)}</text>'
            f'<line x1="{x(judge.mean - judge.spread):.1f}" y1="{y}" '
            f'x2="{x(judge.mean + judge.spread):.1f}" y2="{y}" stroke="#1a4fd6" stroke-width="4"/>'
            f'<circle class="mean" cx="{x(judge.mean):.1f}" cy="{y}" r="6" fill="#0b2a6f"/>'
            "</g>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
