"""Domain errors: what went wrong, with no HTTP in them."""

from typing import Any


class ShowcaseError(Exception):
    """Base of every error a user can cause; its message is meant for that user."""

    def __init__(self, message: str, extra: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra


class NotFound(ShowcaseError):
    pass


class Invalid(ShowcaseError):
    pass


class Conflict(ShowcaseError):
    pass


class Forbidden(ShowcaseError):
    pass


class Locked(ShowcaseError):
    pass


class SchemaTooNew(ShowcaseError):
    pass


class SchemaTooOld(ShowcaseError):
    """A file that must be migrated first, opened where it may not be (read-only)."""


class ReadOnly(ShowcaseError):
    """A write to a database opened for reading only."""
