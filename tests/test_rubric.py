"""The rubric file and `showcase rubric`: criteria in English and Korean, judges see their
language, and once sheets exist only the wording may change."""

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from litestar.testing import TestClient

from showcase import auth, store
from showcase.app import create_app
from showcase.errors import Invalid
from showcase.rubric import read_rubric
from showcase.settings import Settings
from tests.conftest import with_db

RUBRIC = """
[[criterion]]
key = "impact"
name = { en = "Impact", ko = "임팩트" }
description = { en = "Who it helps", ko = "누구를 돕는가" }
weight = 3
min = 1
max = 3
labels = { en = ["Low", "Fair", "High"], ko = ["낮음", "보통", "높음"] }

[[criterion]]
key = "craft"
name = "Craft"
weight = 1
min = 0
max = 10
step = 2.5
"""


def rubric(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "showcase.cli", "rubric", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_rubric_is_set_from_toml_and_printed_back(empty_path: Path, tmp_path: Path) -> None:
    source = tmp_path / "rubric.toml"
    source.write_text(RUBRIC, encoding="utf-8")
    done = rubric(str(empty_path), "--set", str(source))
    assert done.returncode == 0, done.stderr
    printed = tomllib.loads(rubric(str(empty_path)).stdout)
    assert printed == {
        "criterion": [
            {
                "key": "impact",
                "name": {"en": "Impact", "ko": "임팩트"},
                "description": {"en": "Who it helps", "ko": "누구를 돕는가"},
                "weight": 3.0,
                "min": 1.0,
                "max": 3.0,
                "step": 1.0,
                "labels": {"en": ["Low", "Fair", "High"], "ko": ["낮음", "보통", "높음"]},
            },
            {"key": "craft", "name": "Craft", "weight": 1.0, "min": 0.0, "max": 10.0, "step": 2.5},
        ]
    }
    criteria = with_db(empty_path, store.list_criteria)
    assert [(c.key, c.step) for c in criteria] == [("impact", 1.0), ("craft", 2.5)]


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (("max = 3", "max = 3.5"), "whole number of steps"),
        (("max = 3", "max = 1"), "max must be greater than min"),
        (('ko = ["낮음", "보통", "높음"]', 'ko = ["낮음", "높음"]'), "labels.ko has 2 labels"),
        (('key = "craft"', 'key = "Craft!"'), "key"),
        (('name = "Craft"', 'name = { ko = "솜씨" }'), "English"),
        (("weight = 1", "weight = 0"), "weight"),
        (("step = 2.5", "step = 2.5\ncolour = 'red'"), "colour"),
    ],
)
def test_a_bad_rubric_is_refused_naming_the_problem(change: tuple[str, str], says: str) -> None:
    with pytest.raises(Invalid) as refused:
        read_rubric(RUBRIC.replace(*change).encode())
    assert says in refused.value.message


def test_once_sheets_exist_only_the_wording_may_change(demo_path: Path, tmp_path: Path) -> None:
    current = rubric(str(demo_path)).stdout
    reworded = tmp_path / "reworded.toml"
    reworded.write_text(current.replace('ko = "임팩트"', 'ko = "사회적 임팩트"'), encoding="utf-8")
    assert rubric(str(demo_path), "--set", str(reworded)).returncode == 0
    names = {c.key: c.name for c in with_db(demo_path, lambda db: store.list_criteria(db, "ko"))}
    assert names["impact"] == "사회적 임팩트"
    reweighted = tmp_path / "reweighted.toml"
    reweighted.write_text(current.replace("weight = 3.0", "weight = 4.0"), encoding="utf-8")
    refused = rubric(str(demo_path), "--set", str(reweighted))
    sheets = len(with_db(demo_path, store.list_current_sheets))
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1
    assert f"{sheets} stored sheet(s)" in refused.stderr and "weights" in refused.stderr
    assert {c.key: c.weight for c in with_db(demo_path, store.list_criteria)}["impact"] == 3.0


def test_judges_see_the_rubric_in_their_language(demo_path: Path) -> None:
    link = with_db(demo_path, lambda db: auth.judge_links(db, "http://t"))[0]
    code = with_db(demo_path, lambda db: store.list_queue(db, link.judge))[0].code
    with TestClient(app=create_app(Settings(db=demo_path))) as client:
        client.get(f"/j/{link.token}")
        for language, name, label in (
            ("ko", "임팩트", "혁신적"),
            ("en", "Impact", "Transformative"),
        ):
            client.cookies.set("lang", language)
            page = BeautifulSoup(client.get(f"/judge/entries/{code}").text, "html.parser")
            group = page.select_one('fieldset.criterion[data-key="impact"]')
            assert group.select_one(".criterion-name").get_text() == name
            assert group.select(".level-label")[-1].get_text() == label
        client.cookies.delete("lang")
        api = client.get("/api/criteria", headers={"Accept-Language": "ko"})
        assert {c["key"]: c["name"] for c in api.json()}["design"] == "디자인"
        english = client.get("/api/criteria", headers={"Accept-Language": "en"})
        assert {c["key"]: c["name"] for c in english.json()}["design"] == "Design"


def test_the_console_edits_the_rubric(demo_path: Path) -> None:
    from tests.test_admin import console_error, log_in

    with TestClient(app=create_app(Settings(db=demo_path))) as client:
        token = log_in(client, demo_path)
        page = BeautifulSoup(client.get("/admin/rubric").text, "html.parser")
        text = page.select_one("textarea#rubric").get_text()
        assert text == rubric(str(demo_path)).stdout
        reworded = text.replace('ko = "디자인"', 'ko = "사용자 경험"')
        done = client.post(
            "/admin/rubric", data={"rubric": reworded, "_csrf_token": token}, follow_redirects=False
        )
        assert done.status_code == 303
        names = {
            c.key: c.name for c in with_db(demo_path, lambda db: store.list_criteria(db, "ko"))
        }
        assert names["design"] == "사용자 경험"
        reweighted = reworded.replace("weight = 3.0", "weight = 5.0")
        refused = client.post("/admin/rubric", data={"rubric": reweighted, "_csrf_token": token})
        assert refused.status_code == 400 and "weights" in console_error(refused.text)
        kept = BeautifulSoup(refused.text, "html.parser").select_one("textarea#rubric").get_text()
        assert kept == reweighted  # the organizer's edit is not lost
