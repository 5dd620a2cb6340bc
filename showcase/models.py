"""msgspec Structs by role: what the store returns, what the API reads and writes."""

from typing import Annotated, Any, Literal

import msgspec

Visibility = Literal["hidden", "live", "frozen", "final"]
# The award places the final reveal pauses at: overall first, second, third, and the winner of
# each track ("track").
Award = Literal["first", "second", "third", "track"]
Slug = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]


class Event(msgspec.Struct, frozen=True):
    name: str
    method: str
    method_params: dict[str, float]
    judging_open: bool
    visibility: Visibility
    reveal_step: int
    board_version: int
    updated_at: str
    shown_version: int = 0  # the version the public was last shown (a visibility change, a reveal)
    kept_version: int = 0  # the version of the boards a freeze or a final keeps
    shown_at: str = ""  # and its time
    judges_per_entry: int = 3  # as the last assignment asked
    time_zone: str = "UTC"  # an IANA zone: every time on every page is shown in it
    adaptive: bool = False  # after their first `start_visits`, judges are sent where needed
    start_visits: int = 3


class Track(msgspec.Struct, frozen=True):
    slug: str
    name: str


class Level(msgspec.Struct, frozen=True):
    value: float
    label: str


class Criterion(msgspec.Struct, frozen=True):
    key: str
    name: str
    description: str
    weight: float
    min: float
    max: float
    step: float


# A text in one language, or a table of languages: "Impact" or {"en": "Impact", "ko": "임팩트"}.
LocalText = Annotated[str, msgspec.Meta(max_length=2000)] | dict[str, str]


class RubricCriterion(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One criterion as the rubric file gives it. `labels` has, per language, one label for
    each allowed value, lowest first."""

    key: Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9_]{1,64}$")]
    name: LocalText
    weight: Annotated[float, msgspec.Meta(gt=0)]
    min: float
    max: float
    step: Annotated[float, msgspec.Meta(gt=0)] = 1.0
    description: LocalText = ""
    labels: dict[str, list[str]] = {}


class RubricFile(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    criterion: list[RubricCriterion]


class Entry(msgspec.Struct, frozen=True):
    code: str
    title: str
    team: str
    track: str
    track_name: str
    description: str = ""
    members: str = ""
    affiliation: str = ""
    country: str = ""
    table: str = ""
    repo_url: str = ""
    video_url: str = ""
    demo_url: str = ""
    built_with: str = ""
    tags: str = ""
    withdrawn: bool = False

    @property
    def links(self) -> dict[str, str]:
        found = {"repo": self.repo_url, "video": self.video_url, "demo": self.demo_url}
        return {kind: url for kind, url in found.items() if url}


class PublicEntry(msgspec.Struct, frozen=True):
    code: str
    title: str
    team: str
    track: str
    description: str
    affiliation: str
    table: str
    links: dict[str, str]

    @classmethod
    def of(cls, entry: Entry) -> "PublicEntry":
        return cls(
            code=entry.code,
            title=entry.title,
            team=entry.team,
            track=entry.track,
            description=entry.description,
            affiliation=entry.affiliation,
            table=entry.table,
            links=entry.links,
        )


class NewEntry(msgspec.Struct, frozen=True):
    code: str
    title: str
    team: str
    track: str
    description: str = ""
    members: str = ""
    affiliation: str = ""
    country: str = ""
    table: str = ""
    repo_url: str = ""
    video_url: str = ""
    demo_url: str = ""
    built_with: str = ""
    tags: str = ""


class EntryPatch(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """An organizer's edit of an entry: only the fields given change."""

    title: Annotated[str, msgspec.Meta(min_length=1, max_length=300)] | msgspec.UnsetType = (
        msgspec.UNSET
    )
    team: Annotated[str, msgspec.Meta(min_length=1, max_length=300)] | msgspec.UnsetType = (
        msgspec.UNSET
    )
    track: Slug | msgspec.UnsetType = msgspec.UNSET
    description: Annotated[str, msgspec.Meta(max_length=10_000)] | msgspec.UnsetType = msgspec.UNSET
    affiliation: Annotated[str, msgspec.Meta(max_length=300)] | msgspec.UnsetType = msgspec.UNSET
    table: Annotated[str, msgspec.Meta(max_length=50)] | msgspec.UnsetType = msgspec.UNSET
    withdrawn: bool | msgspec.UnsetType = msgspec.UNSET


class Judge(msgspec.Struct, frozen=True):
    id: int
    name: str
    email: str = ""
    affiliation: str = ""
    country: str = ""
    tracks: str = ""  # the tracks (names or slugs, comma-separated) they judge, if asked
    active: bool = True


class NewJudge(msgspec.Struct, frozen=True):
    name: str
    email: str = ""
    affiliation: str = ""
    country: str = ""
    tracks: str = ""


class JudgeLink(msgspec.Struct, frozen=True):
    judge: int
    name: str
    token: str
    url: str


class JudgeProgress(msgspec.Struct, frozen=True):
    """A judge's progress: entries still theirs to score (recusals left out), scored, recused."""

    name: str
    assigned: int
    done: int
    recused: int
    last_saved: str | None


class EntryProgress(msgspec.Struct, frozen=True):
    """An entry's valid sheets (recusals left out) and the judges who may still score it."""

    code: str
    title: str
    table: str
    sheets: int
    judges: int


class ExportedSheet(msgspec.Struct, frozen=True):
    """A judge's current sheet for an entry, as an export lists it."""

    judge: str
    entry: str
    title: str
    track: str
    scores: dict[str, float]
    comment: str
    version: int
    created_at: str
    updated_at: str
    recused: bool


class StoredSheet(msgspec.Struct, frozen=True):
    """A judge's current sheet for an entry, as the board reads it."""

    judge_id: int
    entry: str
    scores: dict[str, float]


class BoardRow(msgspec.Struct, frozen=True, omit_defaults=True):
    rank: int | None
    code: str
    title: str
    team: str
    track: str
    score: float | None
    judges: int
    rank_range: list[int] | None = None
    p_prize: float | None = None  # the chance of a prize: a top-3 place, or a track's first
    too_close: bool = False
    award: Award | None = None  # in the final reveal: the award place this row holds


class Board(msgspec.Struct, frozen=True):
    event: str
    visibility: Visibility
    method: str
    track: str | None
    version: int
    updated_at: str
    standings: list[BoardRow]


class BoardIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    visibility: Visibility


class JudgingIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    open: bool


class AdaptiveIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Adaptive judging on or off, and the visits of each judge's list walked before it."""

    adaptive: bool
    start_visits: Annotated[int, msgspec.Meta(ge=0, le=100)] = 3


class NextVisit(msgspec.Struct, frozen=True):
    """Where a judge goes next; `chosen` when adaptive judging chose it (not their list)."""

    code: str
    title: str
    team: str
    table: str
    chosen: bool


class RevealIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Either `step` (rows shown, from the bottom) or `advance`: one more `row`, or on to the
    next `award` place (every row below it at once, then the award alone)."""

    step: Annotated[int, msgspec.Meta(ge=0)] | None = None
    advance: Literal["row", "award"] | None = None


class Imported(msgspec.Struct, frozen=True):
    imported: int


class RevealPause(msgspec.Struct, frozen=True):
    """An award place in the reveal: shown once the reveal reaches `step`."""

    step: int
    code: str
    title: str
    award: Award


class MethodIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    method: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    params: dict[str, float] = {}


class EventState(msgspec.Struct, frozen=True):
    visibility: Visibility
    judging_open: bool
    reveal_step: int
    method: str
    method_params: dict[str, float]
    adaptive: bool = False
    start_visits: int = 3

    @classmethod
    def of(cls, event: Event) -> "EventState":
        return cls(
            event.visibility,
            event.judging_open,
            event.reveal_step,
            event.method,
            event.method_params,
            event.adaptive,
            event.start_visits,
        )


Comment = Annotated[str, msgspec.Meta(max_length=4000)]
Reason = Annotated[str, msgspec.Meta(max_length=1000)]
Status = Literal["todo", "done", "recused"]


class SheetIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A judge's save: `version` is the version the tablet last saw; left out, it is not checked."""

    scores: dict[str, float]
    comment: Comment = ""
    version: int | None | msgspec.UnsetType = msgspec.UNSET


class SheetOut(msgspec.Struct, frozen=True):
    code: str
    scores: dict[str, float]
    comment: str
    version: int
    updated_at: str


class RecusalIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    reason: Reason = ""


class Recusal(msgspec.Struct, frozen=True):
    """A judge has stepped away from an entry: their sheet for it no longer counts."""

    code: str
    status: Literal["recused"]
    reason: str


class QueueEntry(msgspec.Struct, frozen=True):
    code: str
    title: str
    status: Status
    version: int | None


class QueueJudge(msgspec.Struct, frozen=True):
    id: int
    name: str


class Queue(msgspec.Struct, frozen=True):
    judge: QueueJudge
    entries: list[QueueEntry]


class AuditRow(msgspec.Struct, frozen=True):
    at: str
    actor: str
    action: str
    detail: dict[str, Any]


class DeclaredConflict(msgspec.Struct, frozen=True):
    judge: str
    entry: str
    title: str
    source: str
    reason: str
    created_at: str
