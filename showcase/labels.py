"""What the pages call the app's own identifiers (audit actions, the built-in ranking methods'
titles and parameters), marked here for the catalogs. A plugin's texts show as it gives them."""


def N_(message: str) -> str:  # noqa: N802 - the name the catalog extractor looks for
    """Marks a text for the catalogs; it is translated where it is shown."""
    return message


METHOD_TEXTS = (
    N_("Bayesian mean"),
    N_("virtual sheets at the overall mean"),
    N_("Borda points"),
    N_("Bradley–Terry"),
    N_("virtual wins each way for every pair of entries"),
    N_("Calibrated judges (leniency and scale)"),
    N_("pull of each judge's leniency toward 0"),
    N_("pull of each judge's scale toward 1"),
    N_("Mean"),
    N_("Median"),
    N_("Judge offsets (two-way model)"),
    N_("Schulze (pairwise, winning votes)"),
    N_("Trimmed mean"),
    N_("totals dropped at each end, when an entry has 2*cut+1"),
    N_("Standardized (z-score)"),
)

AUDIT_ACTIONS = {
    "create_event": N_("Event created"),
    "set_event": N_("Event name and time zone"),
    "set_judging": N_("Judging opened or closed"),
    "set_visibility": N_("Board visibility"),
    "reveal": N_("Reveal step"),
    "set_method": N_("Ranking method"),
    "set_rubric": N_("Rubric"),
    "add_track": N_("Track added"),
    "rename_track": N_("Track renamed"),
    "up_track": N_("Track moved up"),
    "down_track": N_("Track moved down"),
    "remove_track": N_("Track removed"),
    "import_entries": N_("Entries imported"),
    "add_entries": N_("Entries added"),
    "import_judges": N_("Judges imported"),
    "add_judges": N_("Judges added"),
    "edit_entry": N_("Entry edited"),
    "edit_judge": N_("Judge edited"),
    "rotate_judge_token": N_("Judge's link replaced"),
    "assign": N_("Judges assigned"),
    "assign_one": N_("Entry put in a judge's queue"),
    "unassign_one": N_("Entry taken out of a judge's queue"),
    "seed_sheets": N_("Demo sheets"),
    "add_organizer": N_("Organizer added"),
    "add_admin_token": N_("Admin token issued"),
    "log_out": N_("Logged out everywhere"),
    "save_sheet": N_("Sheet saved"),
    "declare_conflict": N_("Judge recused"),
}
