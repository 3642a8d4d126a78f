"""The one exception type the Persian core raises for bad user input.

Parsers and validators all raise `ValidationError`, so a form can catch a
single type and show `.message` (always Persian, ready for the user) next to
the field.  It subclasses `ValueError` so code that only knows the standard
library contract ("bad value -> ValueError") still works.
"""


class ValidationError(ValueError):
    """Bad user input; `message` is a Persian sentence fit to show as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
