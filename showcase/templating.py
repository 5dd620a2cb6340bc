"""The Jinja environment of every page, the web app's and the printed ones (judge cards)."""

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

import showcase
from showcase import i18n
from showcase.labels import AUDIT_ACTIONS
from showcase.text import local_time

TEMPLATES = Path(showcase.__file__).parent / "templates"


def jinja_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals["languages"] = i18n.LANGUAGES
    env.globals["current_language"] = i18n.current_language.get
    env.globals["audit_actions"] = AUDIT_ACTIONS
    env.filters["number"] = lambda value: f"{value:g}"
    env.filters["local_time"] = local_time
    return env
