"""The organizers' side, by resource: the console and its forms, its pages (progress, reports,
the lists of entries and judges, the rubric), and the admin JSON API of the event's state, the
entries, and the results."""

from showcase.routes.admin.console import ConsolePages
from showcase.routes.admin.entries import EntriesApi
from showcase.routes.admin.event import EventApi
from showcase.routes.admin.reports import ProgressPages, ReportPages
from showcase.routes.admin.results import ResultsApi
from showcase.routes.admin.roster import RosterPages, RubricPage

CONTROLLERS = [
    ConsolePages,
    ProgressPages,
    ReportPages,
    RosterPages,
    RubricPage,
    EventApi,
    EntriesApi,
    ResultsApi,
]

__all__ = ["CONTROLLERS"]
