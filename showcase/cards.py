"""Judge cards to print: A6 cards, four to an A4 sheet, each with the judge's name, a QR code of
their login link and the link as text."""

from pathlib import Path

import segno
from markupsafe import Markup

from showcase import auth, store
from showcase.db import Database
from showcase.templating import jinja_environment

STYLESHEET = Path(__file__).parent / "static" / "cards.css"


def qr_svg(url: str) -> Markup:
    """The link as a QR code, inline SVG that scales with the card."""
    code = segno.make(url, error="m")
    return Markup(code.svg_inline(scale=4, title=url, svgclass="qr", lineclass=None))


async def render_cards(db: Database, base_url: str, standalone: bool = True) -> str:
    """The printable page of every judge's card, their links under `base_url`; `standalone`
    carries its stylesheet inside, for a file opened on its own."""
    event = await store.get_event(db)
    links = await auth.judge_links(db, base_url)
    cards = [{"name": link.name, "url": link.url, "qr": qr_svg(link.url)} for link in links]
    template = jinja_environment().get_template("cards/cards.html")
    css = STYLESHEET.read_text(encoding="utf-8") if standalone else None
    return template.render(event=event, cards=cards, inline_css=css)
