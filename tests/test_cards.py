"""Judge cards to print: every judge's name, a QR code of their login link and the link as text,
four A6 cards to an A4 sheet."""

import math
import re
import subprocess
import sys
from pathlib import Path

import pytest
import segno
from bs4 import BeautifulSoup
from litestar.testing import TestClient

from showcase import auth, organizing
from showcase.app import create_app
from showcase.settings import Settings
from tests.conftest import with_db

BASE = "https://judge.example.org"


def cards_of(page: str) -> list[dict[str, str]]:
    soup = BeautifulSoup(page, "html.parser")
    return [
        {
            "name": card.select_one(".name").get_text(),
            "link": card.select_one(".link").get_text(),
            "qr": card.select_one("svg path")["d"],
        }
        for card in soup.select(".card")
    ]


def qr_path(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=4)
    return re.search(r' d="([^"]+)"', svg).group(1)  # type: ignore[union-attr]


def test_the_cards_command_prints_a_card_per_judge(demo_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "cards.html"
    done = subprocess.run(
        [sys.executable, "-m", "showcase.cli", "cards", str(demo_path), "--base-url", BASE]
        + ["--out", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    links = with_db(demo_path, lambda db: auth.judge_links(db, BASE))
    cards = cards_of(out.read_text(encoding="utf-8"))
    assert [(c["name"], c["link"]) for c in cards] == [(link.name, link.url) for link in links]
    for card in cards:  # each QR code encodes the judge's own link
        assert card["qr"] == qr_path(card["link"])
    soup = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    assert len(soup.select(".sheet")) == math.ceil(len(links) / 4)
    assert "size: A4" in soup.select_one("style").get_text()  # a file that stands on its own


def test_the_console_prints_the_same_cards(demo_path: Path) -> None:
    password = with_db(demo_path, lambda db: organizing.add_organizer(db, "ada", "test"))
    app = create_app(Settings(db=demo_path, base_url=BASE))
    with TestClient(app=app) as client:
        assert client.get("/admin/cards").status_code == 401
        page = client.get("/admin").text
        token = BeautifulSoup(page, "html.parser").select_one("input[name=_csrf_token]")["value"]
        client.post(
            "/admin/login", data={"name": "ada", "password": password, "_csrf_token": token}
        )
        answer = client.get("/admin/cards")
        assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
        links = with_db(demo_path, lambda db: auth.judge_links(db, BASE))
        assert [c["link"] for c in cards_of(answer.text)] == [link.url for link in links]


@pytest.mark.browser
def test_the_cards_print_four_to_an_a4_page(browser, demo_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "cards.html"
    subprocess.run(
        [sys.executable, "-m", "showcase.cli", "cards", str(demo_path), "--base-url", BASE]
        + ["--out", str(out)],
        check=True,
        timeout=60,
    )
    judges = len(with_db(demo_path, lambda db: auth.judge_links(db, BASE)))
    page = browser.new_page()
    try:
        page.goto(out.as_uri())
        pdf = page.pdf(prefer_css_page_size=True)
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == math.ceil(judges / 4)
        width, height = page.evaluate(
            "(() => { const r = document.querySelector('.card').getBoundingClientRect();"
            " return [r.width, r.height]; })()"
        )
        assert abs(width / height - 105 / 148.5) < 0.01  # A6
    finally:
        page.close()
