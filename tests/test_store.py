"""Store functions on a real SQLite file, and the demo event they build."""

import statistics
from pathlib import Path

import pytest

from showcase import auth, organizing, store
from showcase.board import ballots_for, read_inputs
from showcase.db import Database
from showcase.demo import HARSH, LENIENT
from showcase.errors import Invalid, NotFound
from showcase.models import NewEntry, NewJudge
from showcase.text import same_affiliation


def entry(code: str, track: str = "Climate Action", **more: str) -> NewEntry:
    return NewEntry(code=code, title=f"Title {code}", team=f"Team {code}", track=track, **more)


async def test_entries_are_added_with_their_tracks(empty_path: Path) -> None:
    async with Database(empty_path) as db:
        await organizing.add_entries(
            db,
            [entry("B2", table="10"), entry("B1", table="2"), entry("Q1", "Quality Education")],
            "t",
        )
        assert [t.slug for t in await store.list_tracks(db)] == [
            "climate-action",
            "quality-education",
        ]
        assert [e.code for e in await store.list_entries(db, "climate-action")] == ["B1", "B2"]
        found = await store.get_entry(db, "Q1")
        assert found is not None and found.track == "quality-education"
        assert found.track_name == "Quality Education"
        assert await store.get_entry(db, "nope") is None


async def test_a_track_is_matched_by_name_or_slug(empty_path: Path) -> None:
    async with Database(empty_path) as db:
        await organizing.add_entries(db, [entry("A1", "Climate Action")], "t")
        await organizing.add_entries(
            db, [entry("A2", "climate-action"), entry("A3", "CLIMATE ACTION")], "t"
        )
        assert len(await store.list_tracks(db)) == 1


async def test_adding_entries_is_all_or_nothing(empty_path: Path) -> None:
    async with Database(empty_path) as db:
        await organizing.add_entries(db, [entry("A1")], "t")
        with pytest.raises(Invalid, match="A1"):
            await organizing.add_entries(db, [entry("A2"), entry("A1")], "t")
        with pytest.raises(Invalid, match="more than once: A3"):
            await organizing.add_entries(db, [entry("A3"), entry("A3")], "t")
        assert [e.code for e in await store.list_entries(db)] == ["A1"]


async def test_judge_tokens_are_stored_hashed_and_rotate(empty_path: Path) -> None:
    async with Database(empty_path) as db:
        [judge_id] = await organizing.add_judges(db, [NewJudge(name="Ada")], "t")
        [link] = await auth.judge_links(db, "http://x")
        assert len(link.token) >= 22  # 128 bits or more in url-safe base64
        stored = await db.fetchall("SELECT token_hash FROM judge")
        assert link.token.encode() not in bytes(stored[0][0])
        credentials = auth.JudgeCredentials(db)
        found = await credentials.by_token(link.token)
        assert found is not None and found[0].id == judge_id
        await organizing.rotate_judge_link(db, "Ada", "t")
        assert await credentials.by_token(link.token) is None
        [new_link] = await auth.judge_links(db, "http://x")
        assert new_link.token != link.token
        assert await credentials.by_token(new_link.token) is not None
        with pytest.raises(NotFound, match="Bob"):
            await organizing.rotate_judge_link(db, "Bob", "t")


async def test_admin_tokens(empty_path: Path) -> None:
    async with Database(empty_path) as db:
        token = await organizing.issue_admin_token(db, "t")
        assert await auth.is_admin_token(db, token)
        assert not await auth.is_admin_token(db, token + "x")
        rows = await db.fetchall("SELECT token_hash FROM admin_token")
        assert all(token.encode() not in bytes(row[0]) for row in rows)


async def test_the_demo_is_a_believable_showcase(demo_path: Path) -> None:
    async with Database(demo_path) as db:
        event = await store.get_event(db)
        assert event.judging_open and event.visibility == "live"
        assert len(await store.list_tracks(db)) >= 3
        criteria = await store.list_criteria(db)
        assert len(criteria) == 5 and len({c.weight for c in criteria}) > 1
        assert all(c.description for c in criteria)
        levels = await store.list_levels(db)
        for criterion in criteria:
            values = [level.value for level in levels[criterion.key]]
            assert values == [criterion.min + i * criterion.step for i in range(len(values))]
            assert values[-1] == criterion.max
        entries = await store.list_entries(db)
        assert len(entries) >= 24
        assert len({e.country for e in entries}) >= 5
        assert all(e.description and e.links for e in entries)
        judges = {j.id: j for j in await store.list_judges(db)}
        assert len(judges) >= 8
        by_code = {e.code: e for e in entries}
        assignments = await store.list_assignments(db)
        per_entry: dict[str, int] = {}
        for judge_id, codes in assignments.items():
            for code in codes:
                per_entry[code] = per_entry.get(code, 0) + 1
                assert not same_affiliation(judges[judge_id].affiliation, by_code[code].affiliation)
        assert set(per_entry.values()) == {3} and len(per_entry) == len(entries)
        loads = [len(codes) for codes in assignments.values()]
        assert max(loads) - min(loads) <= 1
        sheets = await store.list_current_sheets(db)
        pairs = sum(loads)
        assert 0.35 * pairs <= len(sheets) <= 0.65 * pairs
        totals: dict[str, list[float]] = {}
        for sheet in sheets:
            totals.setdefault(judges[sheet.judge_id].name, []).append(
                statistics.mean(sheet.scores.values())
            )
        everyone = statistics.mean(v for values in totals.values() for v in values)
        assert statistics.mean(totals[HARSH]) < everyone - 0.5
        assert statistics.mean(totals[LENIENT]) > everyone + 0.5


async def test_a_tracks_ballots_hold_its_own_sheets_only(demo_path: Path) -> None:
    async with Database(demo_path) as db:
        inputs = await read_inputs(db)
        every = await store.list_current_sheets(db)
        codes = {e.code for e in await store.list_entries(db, "climate-action")}
    climate = ballots_for(inputs, "climate-action")
    assert sorted(climate.entries) == sorted(codes)
    expected = [(str(s.judge_id), s.entry) for s in every if s.entry in codes]
    assert expected and [(s.judge, s.entry) for s in climate.sheets] == expected


async def test_a_track_named_in_any_script_gets_a_slug(empty_path: Path) -> None:
    async with Database(empty_path) as db:
        await organizing.add_entries(
            db,
            [entry("K1", "기후 행동"), entry("F1", "Café Crème"), entry("K2", "기후  행동")],
            "t",
        )
        assert [t.slug for t in await store.list_tracks(db)] == ["기후-행동", "cafe-creme"]
        assert [e.code for e in await store.list_entries(db, "기후-행동")] == ["K1", "K2"]


async def test_a_change_made_by_another_process_reaches_the_credentials_within_their_ttl(
    empty_path: Path,
) -> None:
    """Each process keeps the judges' credentials for a few seconds: a link replaced in one
    process stops working in the other once that time is up; in its own process, at once."""
    now = [0.0]
    async with Database(empty_path) as db, Database(empty_path) as other:
        [judge_id] = await organizing.add_judges(db, [NewJudge(name="Ada")], "t")
        [link] = await auth.judge_links(db, "http://x")
        credentials = auth.JudgeCredentials(db, ttl=5.0, clock=lambda: now[0])
        assert (await credentials.by_token(link.token)) is not None
        assert (await credentials.by_session(judge_id, 1)) is not None
        await organizing.rotate_judge_link(other, "Ada", "t")
        now[0] = 4.9
        assert (await credentials.by_token(link.token)) is not None
        now[0] = 5.1
        assert await credentials.by_token(link.token) is None
        assert await credentials.by_session(judge_id, 1) is None
        assert await credentials.by_session(judge_id, 2) is not None
        await organizing.edit_judge(db, judge_id, {"active": False}, "t")
        assert await credentials.by_session(judge_id, 2) is None
