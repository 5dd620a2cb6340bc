"""What an import would do, before it does it: the rows it adds and, field by field, the rows it
changes (an entry found by its code, a judge by email, else by name)."""

import msgspec

from showcase.models import Entry, Judge, NewEntry, NewJudge


class Change(msgspec.Struct, frozen=True):
    """One row the file changes: each changed field as [stored, new]."""

    key: str
    fields: dict[str, list[str]]


class ImportPlan(msgspec.Struct, frozen=True):
    added: list[str]
    changed: list[Change]
    unchanged: int

    @property
    def count(self) -> int:
        """The rows the import writes: added or changed."""
        return len(self.added) + len(self.changed)

    def lines(self, what: str) -> list[str]:
        """The plan as a person reads it, a line per row."""
        out = [f"would add {len(self.added)} {what}" + (": " if self.added else "")]
        out[0] += ", ".join(self.added)
        for change in self.changed:
            fields = "; ".join(
                f"{k}: {old!r} -> {new!r}" for k, (old, new) in change.fields.items()
            )
            out.append(f"would change {change.key}: {fields}")
        out.append(f"{self.unchanged} {what} unchanged")
        return out


def same_track(label: str, entry: Entry) -> bool:
    """Whether a file's track (its slug or its name) is the entry's track."""
    return label.casefold() in (entry.track.casefold(), entry.track_name.casefold())


def plan_entries(
    rows: list[NewEntry], fields: frozenset[str], stored: list[Entry]
) -> tuple[ImportPlan, list[NewEntry], dict[str, dict[str, str]]]:
    """The plan, the entries to add, and by code the fields to change (only those the file's
    columns give: a column the file lacks keeps its stored value)."""
    known = {entry.code: entry for entry in stored}
    added: list[NewEntry] = []
    updates: dict[str, dict[str, str]] = {}
    changes: list[Change] = []
    for row in rows:
        entry = known.get(row.code)
        if entry is None:
            added.append(row)
            continue
        differ = {}
        for field in sorted(fields - {"code"}):
            new, old = getattr(row, field), getattr(entry, field)
            if field == "track" and same_track(new, entry):
                continue
            if new != old:
                differ[field] = [old, new]
        if differ:
            updates[row.code] = {field: new for field, (_, new) in differ.items()}
            changes.append(Change(row.code, differ))
    plan = ImportPlan([e.code for e in added], changes, len(rows) - len(added) - len(changes))
    return plan, added, updates


def judge_key(judge: NewJudge | Judge, by_email: bool) -> str:
    return (judge.email if by_email else judge.name).casefold()


def plan_judges(
    rows: list[NewJudge], fields: frozenset[str], stored: list[Judge]
) -> tuple[ImportPlan, list[NewJudge], dict[int, dict[str, str]]]:
    """The plan, the judges to add, and by judge id the fields to change (only those the file's
    columns give). A row names a stored judge by email when it gives one that is stored, else
    by name."""
    emails = {judge_key(j, True): j for j in stored if j.email}
    names = {judge_key(j, False): j for j in stored}
    added: list[NewJudge] = []
    updates: dict[int, dict[str, str]] = {}
    changes: list[Change] = []
    for row in rows:
        judge = (row.email and emails.get(judge_key(row, True))) or names.get(judge_key(row, False))
        if judge is None:
            added.append(row)
            continue
        differ = {
            field: [getattr(judge, field), getattr(row, field)]
            for field in sorted(fields)
            if getattr(row, field) != getattr(judge, field)
        }
        if differ:
            updates[judge.id] = {field: new for field, (_, new) in differ.items()}
            changes.append(Change(judge.name, differ))
    plan = ImportPlan([j.name for j in added], changes, len(rows) - len(added) - len(changes))
    return plan, added, updates
