"""The root of every refusal a user can understand, and the one refusal of a workflow.

`ServiceError` lives here (pure Python) so that the workflows of app/models can refuse with it; the
services import it from app.services.core.errors with the rest of the typed errors.
"""

from __future__ import annotations


class ServiceError(Exception):
    """A refusal the user can understand; `message` is Persian and shown as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TransitionRefused(ServiceError):
    """A state change a workflow does not allow (e.g. restoring a won opportunity)."""

    def __init__(self, message: str, current=None, wanted=None) -> None:
        super().__init__(message)
        self.current = current
        self.wanted = wanted
