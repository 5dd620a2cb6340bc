"""Fair assignment of judges to entries: balanced load, never a conflicted pair."""

from collections.abc import Callable, Iterable

import msgspec

from showcase import store
from showcase.db import Database
from showcase.errors import Invalid
from showcase.i18n import gettext as _
from showcase.text import same_affiliation, slugify


class Candidate(msgspec.Struct, frozen=True):
    """A judge or an entry as assignment sees it. An entry's `tracks` is its own track; a
    judge's, the tracks they judge (empty: any)."""

    key: int | str
    affiliation: str
    country: str = ""
    tracks: frozenset[str] = frozenset()


def track_keys(text: str) -> frozenset[str]:
    """The tracks a comma-separated list names, by slug (a name becomes its slug)."""
    return frozenset(slugify(part) for part in text.split(",") if slugify(part))


class Plan(msgspec.Struct, frozen=True):
    pairs: list[tuple[int, str]]  # the visits to add, bridges among them
    conflicts: list[tuple[int, str, str]]
    short: list[str]
    bridges: list[tuple[int, str]] = []  # visits added only to connect the design
    parts: int = 1  # the connected parts of the judge-entry design, once planned


Node = tuple[str, int | str]  # ("judge", id) or ("entry", code)


def design_parts(pairs: Iterable[tuple[int, str]]) -> list[set[Node]]:
    """The connected parts of the judge-entry design: judges and entries joined by a visit.
    A method can compare two judges (their leniency, their scale) only within one part."""
    parent: dict[Node, Node] = {}

    def root(node: Node) -> Node:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for judge_id, code in pairs:
        parent[root(("judge", judge_id))] = root(("entry", code))
    parts: dict[Node, set[Node]] = {}
    for node in list(parent):
        parts.setdefault(root(node), set()).add(node)
    return sorted(parts.values(), key=lambda part: min(map(str, part)))


def judges_in(part: set[Node]) -> list[int]:
    return sorted(int(key) for kind, key in part if kind == "judge")


def entries_in(part: set[Node]) -> list[str]:
    return sorted(str(key) for kind, key in part if kind == "entry")


def swap(
    planned: list[tuple[int, str]],
    first: set[Node],
    taken: set[tuple[int, str]],
    blocked: set[tuple[int, str]],
    parts: Callable[[], int],
) -> bool:
    """Joins the part `first` to another by swapping two planned visits across them (judge A
    takes B's entry and B takes A's), which keeps every entry's judges and every judge's load;
    False when no allowed swap leaves fewer `parts()` than now (a swap between two judges who
    each have one visit there only trades places)."""
    before = parts()
    for n, (judge_a, code_a) in enumerate(planned):
        if ("judge", judge_a) not in first:
            continue
        for m, (judge_b, code_b) in enumerate(planned):
            if ("judge", judge_b) in first or judge_a == judge_b:
                continue
            crossed = [(judge_b, code_a), (judge_a, code_b)]
            if any(pair in blocked or pair in taken for pair in crossed):
                continue
            planned[n], planned[m] = crossed
            if parts() < before:
                taken.difference_update({(judge_a, code_a), (judge_b, code_b)})
                taken.update(crossed)
                return True
            planned[n], planned[m] = (judge_a, code_a), (judge_b, code_b)
    return False


def connect(
    existing: list[tuple[int, str]],
    planned: list[tuple[int, str]],
    blocked: set[tuple[int, str]],
    load: dict[int, int],
) -> list[tuple[int, str]]:
    """Joins the judge-entry design into one part: first by swapping planned visits across
    parts, then, where the visits made already leave no swap, by adding the fewest extra
    visits (the least loaded judge who may score an entry on the other side). `planned` is
    changed in place; the added visits are returned."""
    added: list[tuple[int, str]] = []
    taken = {*existing, *planned}

    def count() -> int:
        return len(design_parts(existing + planned + added))

    while len(parts := design_parts(existing + planned + added)) > 1:
        for n, first in enumerate(parts):
            rest = set().union(*(part for m, part in enumerate(parts) if m != n))
            if swap(planned, first, taken, blocked, count):
                break
            options = [
                (judge_id, code)
                for one, other in ((first, rest), (rest, first))
                for judge_id in judges_in(one)
                for code in entries_in(other)
                if (judge_id, code) not in blocked and (judge_id, code) not in taken
            ]
            if options:
                judge_id, code = min(options, key=lambda pair: (load[pair[0]], pair))
                added.append((judge_id, code))
                taken.add((judge_id, code))
                load[judge_id] += 1
                break
        else:
            break  # conflicts keep every part apart from every other
    return added


def plan_assignments(
    entries: list[Candidate],
    judges: list[Candidate],
    per_entry: int,
    existing: Iterable[tuple[int, str]] = (),
    declared: Iterable[tuple[int, str]] = (),
    by_country: bool = False,
    by_track: bool = False,
) -> Plan:
    """Gives each entry up to `per_entry` judges who may score it (a recused judge does not
    count; `by_country`, a judge from the entry's country is in conflict; `by_track`, a judge
    with tracks stays in them), the least loaded eligible ones first, then connects the
    judge-entry design (see `connect`), so that a method can compare every judge with every
    other.

    Entries with the fewest eligible judges are served first, so scarce judges go where they are
    needed. `short` names the entries that could not get `per_entry` judges.
    """
    existing = list(existing)
    blocked = set(declared)
    conflicts = []
    for entry in entries:
        for judge in judges:
            pair = (int(judge.key), str(entry.key))
            if same_affiliation(judge.affiliation, entry.affiliation):
                blocked.add(pair)
                conflicts.append((*pair, f"same affiliation: {entry.affiliation}"))
            elif by_country and same_affiliation(judge.country, entry.country):
                blocked.add(pair)
                conflicts.append((*pair, f"same country: {entry.country}"))
            elif by_track and judge.tracks and not judge.tracks & entry.tracks:
                blocked.add(pair)  # outside the judge's tracks: not a conflict, not theirs
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
    valid = [pair for pair in existing if pair not in blocked]
    bridges = connect(valid, pairs, blocked, load)
    return Plan(
        pairs=pairs + bridges,
        conflicts=conflicts,
        short=sorted(short),
        bridges=bridges,
        parts=len(design_parts(valid + pairs + bridges)),
    )


async def count_design_parts(db: Database) -> int:
    """How many parts the judge-entry design falls into (recused visits left out)."""
    conflicts = set(await store.list_conflict_pairs(db))
    visits = [
        (judge_id, code)
        for judge_id, codes in (await store.list_assignments(db)).items()
        for code in codes
        if (judge_id, code) not in conflicts
    ]
    return len(design_parts(visits))


async def plan_event_assignment(
    db: Database, per_entry: int, by_country: bool = False, by_track: bool = False
) -> Plan:
    """The visits that top every entry of the event up to `per_entry` judges (keeping the
    assignments made already), never pairing a judge with an entry of the same affiliation or
    a declared conflict."""
    if per_entry < 1:
        raise Invalid(_("each entry needs at least one judge: use --per-entry 1 or more"))
    entries = await store.list_entries(db)
    judges = await store.list_judges(db)
    if not entries or not judges:
        raise Invalid(_("import the entries and the judges first: there is nobody to assign"))
    existing = [
        (j, code) for j, codes in (await store.list_assignments(db)).items() for code in codes
    ]
    plan = plan_assignments(
        [
            Candidate(e.code, e.affiliation, e.country, frozenset({e.track, slugify(e.track_name)}))
            for e in entries
        ],
        [Candidate(j.id, j.affiliation, j.country, track_keys(j.tracks)) for j in judges],
        per_entry,
        existing,
        await store.list_conflict_pairs(db),
        by_country=by_country,
        by_track=by_track,
    )
    return plan
