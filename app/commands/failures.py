"""What the command line says when a command fails: one Persian sentence, the details in the log.

No Qt here: the command line logs to the same file as the GUI, with a plain file handler.
"""

from __future__ import annotations

import logging
import sqlite3

from app import config

log = logging.getLogger("app.cli")
_handler: logging.FileHandler | None = None

DAMAGED = (
    "فایل پایگاه داده آسیب دیده است یا پایگاه داده پیوند نیست. "
    "آن را با فرمان «check» بررسی و با «restore» از نسخه پشتیبان بازیابی کنید"
)
UNREACHABLE = "پایگاه داده در دسترس نیست (فایل قفل است یا سرور پاسخ نمی‌دهد). کمی بعد دوباره امتحان کنید"
DISK = "خواندن یا نوشتن فایل ممکن نشد"
UNEXPECTED = "کار انجام نشد: خطای پیش‌بینی‌نشده"


def report_failure(exc: BaseException, command: str) -> str:
    """Logs `exc` with its traceback (see log_to_file) and returns the Persian message for stderr."""
    from app.services.core.errors import ServiceError

    if isinstance(exc, ServiceError):  # a refusal written for people: shown as is
        log.warning("command %s refused: %s", command, exc.message)
        fields = getattr(exc, "errors", None) or {}  # ValidationFailed: what is wrong, by field
        return "\n".join([exc.message, *(f"- {name}: {text}" for name, text in fields.items())])
    log.error("command %s failed", command, exc_info=(type(exc), exc, exc.__traceback__))
    return f"{_describe(exc)}.\nجزئیات در فایل گزارش: {config.log_file()}"


def _describe(exc: BaseException) -> str:
    for cause in _chain(exc):
        if isinstance(cause, sqlite3.DatabaseError):
            return _sqlite_reason(cause)
        if _is_server_error(cause):
            return UNREACHABLE
        if isinstance(cause, OSError):
            name = getattr(cause, "filename", None)
            return f"{DISK}: «{name}»" if name else DISK
    return UNEXPECTED


def _sqlite_reason(cause: sqlite3.DatabaseError) -> str:
    """Only a file that is not (or no longer) a Peyvand database is called damaged; a constraint or a
    programming error is not the file's fault, and a full or read-only disk is the disk's."""
    text = str(cause)
    if "locked" in text or "unable to open" in text:
        return UNREACHABLE
    # "database disk image is malformed" is damage, not a disk problem: asked first.
    if type(cause) is sqlite3.DatabaseError or "malformed" in text or "not a database" in text or "no such" in text:
        return DAMAGED
    if "disk" in text or "readonly" in text or "full" in text:
        return DISK
    return UNEXPECTED


def _chain(exc: BaseException):
    """The exception, what it wraps (SQLAlchemy's .orig) and its causes, outermost first."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)
        if isinstance(orig, BaseException) and id(orig) not in seen:
            yield orig
            seen.add(id(orig))
        current = current.__cause__ or current.__context__


def _is_server_error(exc: BaseException) -> bool:
    # psycopg's errors, matched by module so the command line does not import the driver.
    return type(exc).__module__.startswith("psycopg") and "Operational" in type(exc).__name__


def log_to_file() -> None:
    """Warnings and errors of this run go to the log file (the GUI's, not rotated here).
    Repeat calls (tests run commands in one process) keep one handler, on the current file."""
    global _handler
    path = str(config.log_file())
    if _handler is not None and _handler.baseFilename == path:
        return
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    _handler = logging.FileHandler(path, encoding="utf-8", delay=True)  # opened at the first record
    _handler.setLevel(logging.WARNING)
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(_handler)
