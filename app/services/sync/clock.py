"""The laptop's hybrid logical clock (sync.md §2.2): an edit's time that never goes backwards, even when
the laptop's clock is set back, and that stays comparable with the office's times.

A reading is "<milliseconds since 1970, 13 digits>:<counter, 4 digits>"; text order is time order. The
office reads an edit's time as its milliseconds plus the laptop's measured offset (office − laptop),
and never believes one more than CLAMP ahead of its own clock (such edits go to a person)."""

from __future__ import annotations

import datetime as dt
import time

CLAMP = dt.timedelta(minutes=10)


def _parse(reading: str | None) -> tuple[int, int]:
    if not reading:
        return 0, 0
    ms, counter = reading.split(":")
    return int(ms), int(counter)


def tick(last: str | None, now_ms: int | None = None) -> str:
    """The next reading after `last` at wall time `now_ms` (this machine's clock by default)."""
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    last_ms, counter = _parse(last)
    if now_ms > last_ms:
        return f"{now_ms:013d}:0000"
    return f"{last_ms:013d}:{counter + 1:04d}"


def observe(last: str | None, remote_ms: int) -> str:
    """After seeing a time from the office: later readings come after it too."""
    last_ms, counter = _parse(last)
    return f"{remote_ms:013d}:0000" if remote_ms > last_ms else f"{last_ms:013d}:{counter:04d}"


def edit_time(reading: str, offset_ms: int) -> dt.datetime:
    """A reading as the office's time (UTC)."""
    ms, _ = _parse(reading)
    return dt.datetime.fromtimestamp((ms + offset_ms) / 1000, dt.UTC)


def believable(edited_at: dt.datetime, office_now: dt.datetime) -> bool:
    """False for an edit time too far in the office's future (a laptop clock set a year ahead)."""
    return edited_at <= office_now + CLAMP
