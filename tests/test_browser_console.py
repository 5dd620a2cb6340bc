"""An organizer runs a whole event from the console in a real Chromium, from an empty database:
log in, set the rubric, choose the ranking method with its parameters, import a Devpost export (one bad line named, fixed), re-import it grown
with its preview, assign, print the cards, watch progress while judges score, withdraw an entry,
close judging, see the what-if, finalise and print the results."""

import csv
import io
import math
import time
from pathlib import Path

import httpx
import pytest

from showcase import auth, organizing, store
from tests.conftest import Server, with_db

pytestmark = pytest.mark.browser
DEVPOST = Path(__file__).parent / "fixtures" / "devpost-export.csv"
RUBRIC = """[[criterion]]
key = "impact"
name = { en = "Impact", ko = "임팩트" }
weight = 2
min = 1
max = 5
labels = { en = ["Low", "Some", "Real", "Big", "Huge"], ko = ["낮음", "약간", "실질", "큼", "매우 큼"] }

[[criterion]]
key = "craft"
name = { en = "Craft", ko = "완성도" }
weight = 1
min = 1
max = 5
"""


def devpost_rows() -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(DEVPOST.read_text(encoding="utf-8"))))
    return rows[0], rows[1:]


def as_csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue()


def test_an_organizer_runs_the_event_from_the_console(
    browser, empty_path: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    password = with_db(empty_path, lambda db: organizing.add_organizer(db, "ada", "test"))
    header, rows = devpost_rows()
    submitted = [r for r in rows if r[header.index("Project Status")].startswith("Submitted")]
    title = header.index("Project Title")
    broken = [list(r) for r in submitted[:4]]
    broken[2][title] = ""  # the third submission lost its title
    first_file = tmp_path / "first.csv"
    first_file.write_text(as_csv(header, broken), encoding="utf-8")
    fixed = [list(r) for r in submitted[:4]]
    fixed_file = tmp_path / "fixed.csv"
    fixed_file.write_text(as_csv(header, fixed), encoding="utf-8")
    grown = [list(r) for r in submitted]
    grown[0][title] = grown[0][title] + " Plus"
    grown_file = tmp_path / "grown.csv"
    grown_file.write_text(as_csv(header, grown), encoding="utf-8")
    judges_file = tmp_path / "judges.csv"
    judges_file.write_text(
        "name,email,affiliation\nAda,ada@example.org,Google\nBo,bo@example.org,Naver\n"
        "Cy,cy@example.org,Kakao\nDee,dee@example.org,Samsung\n",
        encoding="utf-8",
    )
    with Server(empty_path) as server:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        try:
            page.goto(server.url + "/admin")
            page.fill("#name", "ada")
            page.fill("#password", password)
            page.click("form.stack button[type=submit]")
            page.wait_for_selector("text=Organizer console")

            # The rubric, in English and Korean.
            page.goto(server.url + "/admin/rubric")
            page.fill("#rubric", RUBRIC)
            page.click("form.rubric-form button")
            page.wait_for_url("**/admin/rubric")
            assert 'ko = "완성도"' in page.input_value("#rubric")

            # The ranking method and its parameters, in one step: the form shows only the
            # chosen method's parameters.
            page.goto(server.url + "/admin")
            page.select_option("#method", "bayes")
            assert page.locator("fieldset[data-method=bayes]").is_visible()
            assert page.locator("fieldset[data-method=calibrated]").is_hidden()
            page.fill("#param-bayes-prior", "3")
            page.click("form.method-form button[type=submit]")
            page.wait_for_load_state()
            event = with_db(empty_path, store.get_event)
            assert (event.method, event.method_params) == ("bayes", {"prior": 3})
            assert page.locator("fieldset[data-method=bayes]").is_visible()

            # A Devpost export with one bad line: named, nothing imported; fixed, imported.
            def upload(path: Path, kind: str = "entries") -> None:
                page.goto(server.url + "/admin")
                page.set_input_files("#import-file", str(path))
                page.click(f"form.import-form button[value={kind}]")

            upload(first_file)
            listed = page.locator(".notice.error li").all_inner_texts()
            start = next(  # the line the broken record starts on (a description spans lines)
                n
                for n, line in enumerate(first_file.read_text(encoding="utf-8").splitlines(), 1)
                if line.startswith(",") and broken[2][header.index("Submission Url")] in line
            )
            assert listed == [f"line {start}, Project Title: is empty"]
            assert with_db(empty_path, store.list_entries) == []
            upload(fixed_file)
            assert "New: 4" in page.locator(".import-preview .added").inner_text()
            page.click(".import-preview button[type=submit]")
            page.wait_for_selector("text=Imported 4 entries.")
            upload(grown_file)  # a day later the export has grown
            preview = page.locator(".import-preview").inner_text()
            assert f"New: {len(submitted) - 4}" in preview and "Plus" in preview
            page.click(".import-preview button[type=submit]")
            page.wait_for_selector(f"text=Imported {len(submitted) - 3} entries.")
            upload(judges_file, "judges")
            page.click(".import-preview button[type=submit]")
            page.wait_for_selector("text=Imported 4 judges.")

            # Assign, and print the cards.
            page.fill("#per-entry", "2")
            page.click("form.assign-form button")
            page.wait_for_selector("text=Assigned")
            page.goto(server.url + "/admin/cards")
            assert page.locator(".card").count() == 4
            assert len(page.locator(".sheet").all()) == math.ceil(4 / 4)

            # Judges score while the organizer watches the progress page.
            page.goto(server.url + "/admin")
            page.click("text=Open judging")
            page.wait_for_selector("text=Close judging")
            page.goto(server.url + "/admin/progress")
            time.sleep(1.5)
            links = with_db(empty_path, lambda db: auth.judge_links(db, server.url))
            scores = {"impact": 4, "craft": 3}
            saved = 0
            for link in links:
                queue = with_db(empty_path, lambda db, j=link.judge: store.list_queue(db, j))
                for item in queue[:2]:
                    answer = httpx.put(
                        f"{server.url}/api/judge/sheets/{item.code}",
                        json={"scores": scores},
                        headers={"Authorization": f"Bearer {link.token}"},
                    )
                    assert answer.status_code == 200
                    saved += 1
            page.wait_for_function(
                "(n) => [...document.querySelectorAll('table.calibration-table tbody tr')]"
                ".reduce((s, tr) => s + Number(tr.children[1].textContent), 0) === n",
                arg=saved,
                timeout=10000,
            )

            # Withdraw an entry, close judging, see the what-if, finalise, print the results.
            withdrawn = with_db(empty_path, store.list_entries)[0].code
            page.goto(server.url + "/admin/entries")
            page.click(f'li[data-code="{withdrawn}"] button[value=true]')
            page.wait_for_selector(f'li[data-code="{withdrawn}"].withdrawn')
            page.goto(server.url + "/admin")
            page.click("text=Close judging")
            page.wait_for_selector("text=Judging is closed.")
            page.goto(server.url + "/admin/whatif")
            assert page.locator("table.whatif tbody tr").count() == len(submitted) - 1
            page.goto(server.url + "/admin")
            page.click("form.choices button[value=final]")
            page.click(".notice.confirm button[type=submit]")
            page.wait_for_selector("text=On to the next award")
            page.goto(server.url + "/admin/results")
            overall = page.locator(".results-board").first
            assert "1st place" in overall.inner_text()
            assert withdrawn not in [
                row.get_attribute("data-code") for row in overall.locator("tbody tr").all()
            ]
            page.emulate_media(media="print")
            assert page.locator(".site-header").is_hidden()
        finally:
            page.close()
