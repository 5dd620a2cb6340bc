"""Fair assignment of judges to entries: balanced load, never a conflicted pair."""

from collections.abc import Iterable

import msgspec

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
    """Gives each entry up to `per_entry` judges, the least loaded eligible ones first.

    Entries with the fewest eligible judges are served first, so scarce judges go where they are
    needed. `short` names the entries that could not get `per_entry` judges.
    """
    have: dict[str, set[int]] = {}
    load: dict[int, int] = {int(j.key): 0 for j in judges}
    for judge_id, code in existing:
        have.setdefault(code, set()).add(judge_id)
        load[judge_id] = load.get(judge_id, 0) + 1
    blocked = set(declared)
    conflicts = []
    for entry in entries:
        for judge in judges:
            if same_affiliation(judge.affiliation, entry.affiliation):
                blocked.add((int(judge.key), str(entry.key)))
                conflicts.append(
                    (int(judge.key), str(entry.key), f"same affiliation: {entry.affiliation}")
                )

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
