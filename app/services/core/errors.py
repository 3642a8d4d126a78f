"""Typed errors the UI can show: each carries a Persian message, and field errors name the field."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from app.domain.errors import ServiceError, TransitionRefused
from app.persian import format_number

__all__ = ["ServiceError", "TransitionRefused"]  # with the errors below


class ValidationFailed(ServiceError):
    """One or more fields are wrong; `errors` maps field name -> Persian message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("لطفاً خطاهای مشخص‌شده را برطرف کنید.")
        self.errors = errors


class NotFound(ServiceError):
    def __init__(self, what: str = "رکورد") -> None:
        super().__init__(f"{what} پیدا نشد یا حذف شده است.")


class AccessDenied(ServiceError):
    def __init__(self, message: str = "شما اجازه دسترسی به این رکورد را ندارید.") -> None:
        super().__init__(message)


class ConcurrentChange(ServiceError):
    """Someone else saved the record after it was opened (optimistic locking).

    When known: who saved it, when (UTC), and their current values by field, so the form can show a
    field-by-field comparison and let the user reload or keep their own values.
    """

    def __init__(self, changed_by: str | None = None, changed_at=None, theirs: dict | None = None) -> None:
        who = f" توسط «{changed_by}»" if changed_by else " توسط کاربر دیگری"
        super().__init__(f"این رکورد پس از باز شدن{who} تغییر کرده است.")
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.theirs = theirs or {}


class DatabaseFileLost(ServiceError):
    """The SQLite file was deleted or replaced while the app had it open (see core.file_guard):
    the write was refused, since it would have gone into a file nobody opens again."""

    def __init__(self, path: str, replaced: bool) -> None:
        what = "با فایل دیگری جایگزین شده" if replaced else "حذف شده"
        super().__init__(
            f"فایل پایگاه داده «{path}» در حین کار {what} است و این تغییر ذخیره نشد. "
            "پایگاه داده را از آخرین نسخه پشتیبان بازیابی کنید."
        )
        self.path = path
        self.replaced = replaced


class SchemaOutOfStep(ServiceError):
    """The database's schema is not this program's, and this connection may not bring it up to date."""

    # The command on a line of its own, isolated left to right: inside a Persian line it broke in two.
    SERVER_BEHIND = (
        "پایگاه داده سرور هنوز برای این نسخه پیوند به‌روز نشده است. مدیر پایگاه داده باید یک بار این فرمان "
        "را با نقش مالک پایگاه داده اجرا کند:\n\u2066python -m app server init\u2069\nسپس برنامه را دوباره باز کنید."
    )
    NEWER = "این پایگاه داده با نسخه تازه‌تری از پیوند به‌روز شده است. برای باز کردن آن، پیوند را به‌روز کنید."


@dataclass(frozen=True)
class Refusal:
    """One record a batch action refused: its id, its name (None when the actor may not see it) and why."""

    record_id: object
    label: str | None
    reason: str


class BatchRefused(ServiceError):
    """A batch action refused as a whole (nothing was written); `refusals` names each refused record.

    The message lists the first SHOWN of them; records the actor may not see are counted, not named."""

    SHOWN = 20

    def __init__(self, refusals: list[Refusal]) -> None:
        lines = [f"«{r.label}»: {r.reason}" for r in refusals if r.label is not None]
        hidden = Counter(r.reason for r in refusals if r.label is None)
        lines += [f"{format_number(n)} مورد: {reason}" for reason, n in hidden.items()]
        more = len(lines) - self.SHOWN
        shown = lines[: self.SHOWN] + ([f"… و {format_number(more)} مورد دیگر"] if more > 0 else [])
        count = format_number(len(refusals))
        super().__init__("\n".join([f"هیچ تغییری ذخیره نشد؛ {count} مورد پذیرفته نشد:", *shown]))
        self.refusals = refusals
