"""Every SQL statement of the app, as async verb_noun(db, ...) functions, split by subject."""

from showcase.store.entries import add_entries, get_entry, list_entries
from showcase.store.event import (
    create_event,
    get_event,
    get_link_key,
    get_session_key,
    list_criteria,
    list_levels,
    list_tracks,
    set_judging,
    set_rubric,
    set_visibility,
)
from showcase.store.judges import (
    add_admin_token,
    add_judges,
    assign,
    find_admin_token,
    find_judge_by_token,
    get_judge,
    list_assignments,
    list_judge_generations,
    list_judges,
    rotate_judge_token,
)
from showcase.store.sheets import list_current_sheets, save_sheets_unchecked

__all__ = [
    "add_admin_token",
    "add_entries",
    "add_judges",
    "assign",
    "create_event",
    "find_admin_token",
    "find_judge_by_token",
    "get_entry",
    "get_event",
    "get_judge",
    "get_link_key",
    "get_session_key",
    "list_assignments",
    "list_criteria",
    "list_current_sheets",
    "list_entries",
    "list_judge_generations",
    "list_judges",
    "list_levels",
    "list_tracks",
    "rotate_judge_token",
    "save_sheets_unchecked",
    "set_judging",
    "set_rubric",
    "set_visibility",
]
