"""Assignment keeps the judge-entry design connected, so every judge can be compared with every
other: swaps where it can (every entry keeps its K judges), extra visits where it must."""

import random
import re
from collections import Counter
from pathlib import Path

from bs4 import BeautifulSoup
from litestar.testing import TestClient

from showcase import organizing, store
from showcase.app import create_app
from showcase.assigning import Candidate, design_parts, plan_assignments
from showcase.organizing import assign_judges, import_entries, import_judges
from showcase.settings import Settings
from tests.conftest import with_db


def two_panels() -> tuple[list[Candidate], list[Candidate]]:
    """Entries and judges from two universities: each judge may score only the other's."""
    entries = [Candidate(key=f"K{n}", affiliation="KAIST") for n in range(4)]
    entries += [Candidate(key=f"Y{n}", affiliation="Yonsei") for n in range(4)]
    judges = [Candidate(key=n, affiliation="Yonsei") for n in (1, 2)]
    judges += [Candidate(key=n, affiliation="KAIST") for n in (3, 4)]
    judges += [Candidate(key=n, affiliation="") for n in (5, 6)]
    return entries, judges


def test_a_planned_design_is_connected_and_keeps_k_judges_per_entry() -> None:
    for seed_order in range(3):
        entries, judges = two_panels()
        judges = judges[seed_order:] + judges[:seed_order]
        plan = plan_assignments(entries, judges, 2)
        assert plan.parts == 1 and len(design_parts(plan.pairs)) == 1
        assert set(Counter(code for _, code in plan.pairs).values()) == {2}
        loads = Counter(judge for judge, _ in plan.pairs)
        assert max(loads.values()) - min(loads.values()) <= 1
        blocked = {(c[0], c[1]) for c in plan.conflicts}
        assert not blocked & set(plan.pairs)


def test_one_judge_per_entry_is_connected_by_extra_visits_not_endless_swaps() -> None:
    """Two judges, three entries, one judge each: swapping single visits only trades places,
    so the few extra visits that join the parts are added instead."""
    entries = [Candidate(key=code, affiliation=a) for code, a in (("A1", "X"), ("A2", "Y"))]
    entries.append(Candidate(key="B1", affiliation="Z"))
    judges = [Candidate(key=1, affiliation="P"), Candidate(key=2, affiliation="Q")]
    plan = plan_assignments(entries, judges, 1)
    assert plan.parts == 1 and len(design_parts(plan.pairs)) == 1
    assert len(plan.bridges) == 1 and len(plan.pairs) == len(set(plan.pairs)) == 4


def test_random_events_end_connected_wherever_conflicts_allow() -> None:
    rng = random.Random(7)
    for _ in range(200):
        schools = ["A", "B", "C", "D"][: rng.randint(1, 4)]
        entries = [
            Candidate(key=f"E{n}", affiliation=rng.choice(schools))
            for n in range(rng.randint(1, 12))
        ]
        judges = [
            Candidate(key=n, affiliation=rng.choice(schools + [""]))
            for n in range(rng.randint(1, 6))
        ]
        per_entry = rng.randint(1, 3)
        plan = plan_assignments(entries, judges, per_entry)
        assert len(plan.pairs) == len(set(plan.pairs))
        blocked = {(c[0], c[1]) for c in plan.conflicts}
        assert not blocked & set(plan.pairs)
        every = [(int(j.key), str(e.key)) for j in judges for e in entries]
        best = len(design_parts([pair for pair in every if pair not in blocked]))
        isolated = {str(e.key) for e in entries} - {
            code for _, code in every if (_, code) not in blocked
        }
        assert plan.parts == max(1, best) or isolated, (plan, best)


def test_the_demo_design_is_one_connected_part() -> None:
    from showcase.demo import JUDGES, PER_ENTRY, demo_entries

    entries = [Candidate(key=e.code, affiliation=e.affiliation) for e in demo_entries()]
    judges = [Candidate(key=n, affiliation=j.affiliation) for n, j in enumerate(JUDGES, start=1)]
    plan = plan_assignments(entries, judges, PER_ENTRY)
    assert plan.parts == 1 and plan.bridges == []


def test_assign_bridges_a_design_made_disconnected_before(empty_path: Path) -> None:
    async def disconnected(db) -> None:  # type: ignore[no-untyped-def]
        await import_entries(db, b"code,title,team,track\nA1,a,t,X\nA2,b,t,X\nB1,c,t,Y\n", "t")
        await import_judges(db, b"name\nAda\nBo\n", "t")
        ada, bo = (j.id for j in await store.list_judges(db))
        await organizing.assign_visits(db, [(ada, "A1"), (ada, "A2"), (bo, "B1")], [], 1, "t")

    with_db(empty_path, disconnected)
    password = with_db(empty_path, lambda db: organizing.add_organizer(db, "ada", "test"))
    with TestClient(app=create_app(Settings(db=empty_path))) as client:
        page = client.get("/admin").text
        token = re.search(r'name="_csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        client.post(
            "/admin/login", data={"name": "ada", "password": password, "_csrf_token": token}
        )
        warning = BeautifulSoup(client.get("/admin").text, "html.parser").select_one(
            ".design-warning"
        )
        assert warning is not None and "2 groups" in warning.get_text()
        plan = with_db(empty_path, lambda db: assign_judges(db, 1, "t"))
        assert len(plan.bridges) == 1 and plan.parts == 1
        console = BeautifulSoup(client.get("/admin").text, "html.parser")
        assert console.select_one(".design-warning") is None


def test_judges_are_kept_to_their_tracks_and_countries_when_asked(empty_path: Path) -> None:
    async def event(db) -> None:  # type: ignore[no-untyped-def]
        await import_entries(
            db,
            b"code,title,team,track,country\n"
            b"H1,a,t,Health,KR\nH2,b,t,Health,JP\nC1,c,t,Climate,KR\nC2,d,t,Climate,JP\n",
            "t",
        )
        await import_judges(
            db,
            b"name,country,tracks\nAda,KR,Health\nBo,JP,Health\nCy,KR,Climate\nDee,JP,climate\n",
            "t",
        )

    with_db(empty_path, event)
    plan = with_db(empty_path, lambda db: assign_judges(db, 1, "t", by_country=True, by_track=True))
    judges = {j.id: j for j in with_db(empty_path, store.list_judges)}
    entries = {e.code: e for e in with_db(empty_path, store.list_entries)}
    assert plan.short == [] and len(plan.pairs) >= 4
    for judge_id, code in plan.pairs:
        judge, entry = judges[judge_id], entries[code]
        assert judge.country != entry.country
        if (judge_id, code) not in plan.bridges:
            assert entry.track in {"health", "climate"} and entry.track == judge.tracks.lower()
    reasons = {reason for _, _, reason in plan.conflicts}
    assert reasons == {"same country: KR", "same country: JP"}


def test_without_the_options_tracks_and_countries_do_not_bind(empty_path: Path) -> None:
    async def event(db) -> None:  # type: ignore[no-untyped-def]
        await import_entries(db, b"code,title,team,track,country\nH1,a,t,Health,KR\n", "t")
        await import_judges(db, b"name,country,tracks\nAda,KR,Climate\n", "t")

    with_db(empty_path, event)
    plan = with_db(empty_path, lambda db: assign_judges(db, 1, "t"))
    assert [code for _, code in plan.pairs] == ["H1"] and plan.conflicts == []
