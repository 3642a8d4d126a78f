"""The sync's file questions, in one place so tests answer them instead of a modal Qt file dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

DEVICE_SUFFIX = ".peyvand-device"
DEVICE_FILTER = f"فایل ثبت دستگاه (*{DEVICE_SUFFIX})"
BUNDLE_SUFFIX = ".peyvand-sync"
BUNDLE_FILTER = f"فایل همگام‌سازی (*{BUNDLE_SUFFIX})"
RETURN_SUFFIX = ".peyvand-return"
RETURN_FILTER = f"فایل بازگشتی (*{RETURN_SUFFIX})"


def with_suffix(path: str, suffix: str) -> Path:
    """The chosen name, with the file kind's suffix added when the user left it out."""
    chosen = Path(path)
    return chosen if chosen.name.endswith(suffix) else chosen.with_name(chosen.name + suffix)


def ask_save_path(parent: QWidget | None, title: str, suggested: Path, name_filter: str, suffix: str) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), name_filter)
    return with_suffix(path, suffix) if path else None


def ask_open_path(parent: QWidget | None, title: str, name_filter: str) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, str(Path.home()), name_filter)
    return Path(path) if path else None
