"""Every score sheet as CSV or JSON, safe to open in a spreadsheet, with nothing secret in it."""

import csv
import io

import msgspec

import scoring
from showcase import store
from showcase.db import Database
from showcase.errors import Invalid

FORMATS = ("csv", "json")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: one that would start a formula gets a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


BOM = "\ufeff"  # Excel reads a CSV file as UTF-8 (Korean intact) only when it starts with one


async def export_sheets(db: Database, format: str) -> tuple[str, str]:
    """The export and its media type: one row per judge and entry, criterion by criterion."""
    if format not in FORMATS:
        raise Invalid(f"unknown export format {format!r}: use csv or json")
    sheets = await store.list_exported_sheets(db)
    criteria = await store.list_criteria(db)
    weights = [scoring.Criterion(key=c.key, weight=c.weight) for c in criteria]
    if format == "json":
        rows = [
            {**msgspec.to_builtins(s), "total": scoring.sheet_total(s.scores, weights)}
            for s in sheets
        ]
        return msgspec.json.encode(rows).decode(), "application/json"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    keys = [c.key for c in criteria]
    writer.writerow(
        ["judge", "entry", "title", "track", *keys, "total", "comment", "version"]
        + ["recused", "created_at", "updated_at"]
    )
    for s in sheets:
        values = [s.scores.get(key, "") for key in keys]
        total = scoring.sheet_total(s.scores, weights)
        writer.writerow(
            [cell(v) for v in (s.judge, s.entry, s.title, s.track, *values)]
            + [cell(round(total, 4) if total is not None else ""), cell(s.comment), s.version]
            + [str(s.recused).lower(), s.created_at, s.updated_at]
        )
    return BOM + out.getvalue(), "text/csv"  # the web answer adds its charset, utf-8
