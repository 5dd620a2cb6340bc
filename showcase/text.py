"""Small text rules shared by imports, checks, orderings and pages: slugs, affiliations, natural
order, time zones."""

import re
import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from showcase.errors import Invalid
from showcase.i18n import gettext as _


def slugify(text: str) -> str:
    """A slug of the name's letters and digits, in any script, accents dropped: "Climate
    Action" -> "climate-action", "Café" -> "cafe", "기후 행동" -> "기후-행동"."""
    bare = "".join(
        c for c in unicodedata.normalize("NFKD", text) if unicodedata.category(c) != "Mn"
    )
    slug = re.sub(r"[\W_]+", "-", unicodedata.normalize("NFC", bare).lower()).strip("-")
    return slug[:64].rstrip("-")


def same_affiliation(a: str, b: str) -> bool:
    """Whether two affiliations name the same body, ignoring case and spacing; blanks never do."""
    return bool(normalize_affiliation(a)) and normalize_affiliation(a) == normalize_affiliation(b)


def normalize_affiliation(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


DIGITS = re.compile(r"\d+")


def natural_key(text: str) -> str:
    """A key that sorts labels as people read them: A2 before A10 before B1. Each run of digits
    becomes its length (three digits) and the digits, so a longer number sorts later."""

    def number(match: re.Match[str]) -> str:
        digits = match.group().lstrip("0") or "0"
        return f"{len(digits):03d}{digits}"

    return DIGITS.sub(number, text.casefold())


def time_zone(name: str) -> ZoneInfo:
    """The IANA time zone `name` (Asia/Seoul), or Invalid saying what to give instead."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid(
            _("unknown time zone %(zone)s: give an IANA name such as Asia/Seoul or UTC")
            % {"zone": repr(name)}
        ) from None


def local_time(stamp: str | None, zone: str) -> str:
    """A stored UTC time (2026-12-01T01:02:03.456Z) as the hall's clock shows it: 10:02 KST."""
    if not stamp:
        return ""
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(time_zone(zone))
    return moment.strftime("%H:%M %Z")
