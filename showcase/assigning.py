"""Fair assignment of judges to entries: balanced load, never a conflicted pair."""

from collections.abc import Iterable

import msgspec

from showcase import store
from showcase.db import Database
from showcase.errors import Invalid
from showcase.text import same_affiliation


class Candidate(msgspec.Struct, frozen=True):
    key: int | str
    affiliation: str


class Plan(msgspec.Struct, frozen=True):
    pairs: list[tuple[int, str]]
    conflicts: list[tuple[int, str, str]]
    short: list[str]


def plan_assignments(
    entries: list[Candidate],
    judges: list[Candidate],
    per_entry: int,
    existing: Iterable[tuple[int, str]] = (),
    declared: Iterable[tuple[int, str]] = (),
) -> Plan:
    """Gives each entry up to `per_entry` judges who may score it (a recused judge does not
    count), the least loaded eligible ones first.

    Entries with the fewest eligible judges are served first, so scarce judges go where they are
    needed. `short` names the entries that could not get `per_entry` judges.
    """
    blocked = set(declared)
    conflicts = []
    for entry in entries:
        for judge in judges:
            if same_affiliation(judge.affiliation, entry.affiliation):
                blocked.add((int(judge.key), str(entry.key)))
                conflicts.append(
                    (int(judge.key), str(entry.key), f"same affiliation: {entry.affiliation}")
                )
    have: dict[str, set[int]] = {}  # the judges who may score each entry
    load: dict[int, int] = {int(j.key): 0 for j in judges}
    for judge_id, code in existing:
        load[judge_id] = load.get(judge_id, 0) + 1
        if (judge_id, code) not in blocked:  # a judge who recused leaves the entry short
            have.setdefault(code, set()).add(judge_id)

    def eligible(code: str) -> list[int]:
        taken = have.get(code, set())
        return [
            int(j.key)
            for j in judges
            if (int(j.key), code) not in blocked and int(j.key) not in taken
        ]

    pairs = []
    short = []
    for entry in sorted(entries, key=lambda e: (len(eligible(str(e.key))), str(e.key))):
        code = str(entry.key)
        needed = per_entry - len(have.get(code, set()))
        choices = sorted(eligible(code), key=lambda judge_id: (load[judge_id], judge_id))
        for judge_id in choices[: max(needed, 0)]:
            pairs.append((judge_id, code))
            have.setdefault(code, set()).add(judge_id)
            load[judge_id] += 1
        if len(have.get(code, set())) < per_entry:
            short.append(code)
    return Plan(pairs=pairs, conflicts=conflicts, short=sorted(short))


async def assign_judges(db: Database, per_entry: int, actor: str) -> Plan:
    """Tops every entry up to `per_entry` judges (keeping the assignments made already), never
    pairing a judge with an entry of the same affiliation or a declared conflict."""
    if per_entry < 1:
        raise Invalid("each entry needs at least one judge: use --per-entry 1 or more")
    entries = await store.list_entries(db)
    judges = await store.list_judges(db)
    if not entries or not judges:
        raise Invalid("import the entries and the judges first: there is nobody to assign")
    existing = [
        (j, code) for j, codes in (await store.list_assignments(db)).items() for code in codes
    ]
    plan = plan_assignments(
        [Candidate(key=e.code, affiliation=e.affiliation) for e in entries],
        [Candidate(key=j.id, affiliation=j.affiliation) for j in judges],
        per_entry,
        existing,
        await store.list_conflict_pairs(db),
    )
    await store.assign(db, plan.pairs, plan.conflicts, per_entry, actor)
    return plan
