"""Every user-facing string is in the Korean catalog, and negotiation picks the right language."""

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from litestar.testing import TestClient

import scoring
from showcase import i18n, organizing
from showcase.app import create_app
from showcase.db import Database
from showcase.settings import Settings
from tests.conftest import with_db
from tests.test_admin import csrf_of

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
METHODS = [("showcase/templates/**.html", "jinja2"), ("showcase/**.py", "python")]


def source_messages() -> set[str]:
    found = set()
    for _, _, message, _, _ in extract_from_dir(
        ROOT,
        method_map=METHODS,
        options_map={"showcase/templates/**.html": {"extensions": "jinja2.ext.i18n"}},
        keywords=KEYWORDS,
        directory_filter=lambda path: not Path(path).name.startswith("."),
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def catalog(language: str) -> dict[str, object]:
    with (i18n.LOCALES / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return {
            (m.id[0] if isinstance(m.id, tuple) else m.id): m.string
            for m in read_po(handle)
            if m.id
        }


def test_every_message_has_a_korean_translation() -> None:
    messages = source_messages()
    assert len(messages) > 40
    korean = catalog("ko")
    untranslated = sorted(
        m for m in messages if not korean.get(m) or korean.get(m) in ("", ("",), ("", ""))
    )
    assert untranslated == []
    assert messages <= set(catalog("en"))


def test_korean_keeps_the_placeholders() -> None:
    for message, translation in catalog("ko").items():
        text = translation[0] if isinstance(translation, tuple) else translation
        for name in ("%(num)d", "%(name)s", "%(code)s", "%(track)s", "%(table)s"):
            assert (name in message) == (name in str(text)), message


def test_negotiation() -> None:
    assert i18n.negotiate(None, None) == "en"
    assert i18n.negotiate(None, "ko-KR,ko;q=0.9,en-US;q=0.8") == "ko"
    assert i18n.negotiate(None, "en-US,en;q=0.9,ko;q=0.8") == "en"
    assert i18n.negotiate(None, "fr-FR,ko;q=0.5") == "ko"
    assert i18n.negotiate(None, "ko;q=0, en") == "en"
    assert i18n.negotiate("ko", "en") == "ko"
    assert i18n.negotiate("xx", "ko") == "ko"
    assert i18n.negotiate(None, "ko;q=bogus") == "en"


LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
HANGUL = re.compile(r"[가-힣]")


def english_left(page: str, allowed: set[str]) -> list[str]:
    """The texts a reader sees on the page (and hears: labels for screen readers) that hold an
    English word and no Korean, leaving out the data named in `allowed`, times, and what the
    page sets as code (the TOML being edited, an audit row's stored detail)."""
    soup = BeautifulSoup(page, "html.parser")
    for hidden in soup(["script", "style", "textarea", "code"]):
        hidden.decompose()
    seen = list(soup.stripped_strings) + [
        str(element[name])
        for element in soup.find_all(True)
        for name in ("placeholder", "aria-label", "alt")
        if element.get(name)
    ]
    return [
        text
        for text in seen
        if LATIN_WORD.search(text)
        and not HANGUL.search(text)
        and text not in allowed
        and not text.startswith("http")
        and not re.fullmatch(r"\d\d:\d\d KST", text)
    ]


def test_an_organizer_runs_the_console_in_korean(empty_path: Path) -> None:
    """Every page and every refusal of the console in Korean, as a Korean organizer meets them:
    nothing left in English but the data and the identifiers."""
    entries = (
        "code,title,team,track,affiliation\n"
        "A1,태양광 공유,해님,기후 행동,카이스트\n"
        "A2,빗물 지도,구름,기후 행동,서울대\n"
        "B1,,별,교육,연세대\n"
    ).encode()
    judges = "name,affiliation\n김하늘,구글\n박바다,네이버\n".encode()

    async def set_up(db: Database) -> str:
        await organizing.set_event_details(db, "서울 AI 위크 쇼케이스", "Asia/Seoul", "test")
        return await organizing.add_organizer(db, "운영자", "test")

    password = with_db(empty_path, set_up)
    parameters = {p.name for m in scoring.methods().values() for p in m.parameters}
    allowed = {"English", "test", *parameters}  # the switch to English, an actor, identifiers
    with TestClient(app=create_app(Settings(db=empty_path))) as client:
        client.cookies.set(i18n.COOKIE, "ko")
        login = client.get("/admin")
        assert english_left(login.text, allowed) == []
        token = csrf_of(login.text)
        form = {"_csrf_token": token}
        client.post("/admin/login", data={**form, "name": "운영자", "password": password})
        pages = []

        def send(path: str, data: dict[str, str], **files: tuple[str, bytes]) -> str:
            answer = client.post(path, data={**form, **data}, files=files or None)
            pages.append(answer.text)
            return answer.text

        refused = send("/admin/import", {"kind": "entries"}, file=("e.csv", entries))
        assert "4행" in refused  # the line is named, in Korean
        fixed = entries.replace(b"B1,,", "B1,별빛 교실,".encode())
        preview = send("/admin/import", {"kind": "entries"}, file=("e.csv", fixed))
        confirmed = BeautifulSoup(preview, "html.parser").select_one("[name=confirmed_file]")
        send("/admin/import", {"kind": "entries", "confirmed_file": confirmed["value"]})
        preview = send("/admin/import", {"kind": "judges"}, file=("j.csv", judges))
        confirmed = BeautifulSoup(preview, "html.parser").select_one("[name=confirmed_file]")
        send("/admin/import", {"kind": "judges", "confirmed_file": confirmed["value"]})
        send("/admin/assign", {"per_entry": "1"})
        send("/admin/event", {"open": "true"})
        send("/admin/event", {"method": "trimmed", "param.trimmed.cut": "많이"})
        send("/admin/event", {"method": "trimmed", "param.trimmed.cut": "99"})
        send("/admin/tracks", {"action": "remove", "track": "기후-행동"})
        send("/admin/tracks", {"action": "add", "name": "기후 행동"})
        send("/admin/event", {"visibility": "final", "confirmed": "yes"})
        send("/admin/event", {"event_name": "서울 쇼케이스", "time_zone": "Mars/Base"})
        errors = [
            box.get_text(" ", strip=True)
            for page in pages
            for box in BeautifulSoup(page, "html.parser").select(".notice.error")
        ]
        assert len(errors) == 7 and all(HANGUL.search(error) for error in errors), errors
        for path in (
            "/admin",
            "/admin/entries",
            "/admin/judges",
            "/admin/rubric",
            "/admin/progress",
            "/admin/results",
            "/admin/whatif",
            "/admin/audit",
            "/admin/cards",
        ):
            page = client.get(path)
            assert page.status_code == 200, path
            pages.append(page.text)
        left = [text for page in pages for text in english_left(page, allowed)]
        assert left == [], "\n".join(left)
