"""Every user-facing string is in the Korean catalog, and negotiation picks the right language."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from showcase import i18n

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}
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
