"""The SQLite file disturbed under a running app: deleted, replaced, or its locks dropped by a
foreign open (a file dialog's type detection). No write may vanish without a word."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from app.models import Setting
from app.services.admin import backup_jobs
from app.services.core.actor import SYSTEM
from app.services.core.database import Database
from app.services.core.errors import DatabaseFileLost

pytestmark = pytest.mark.sqlite_only  # faults of the SQLite file


def _save(db: Database, key: str, value: str = "ذخیره شد") -> None:
    with db.write(SYSTEM) as s:
        s.merge(Setting(key=key, value=value))


def _stored(db: Database, key: str):
    with db.read(SYSTEM) as s:
        row = s.get(Setting, key)
        return None if row is None else row.value


def test_a_deleted_file_refuses_the_next_write_and_says_so(db: Database) -> None:
    _save(db, "before")
    heard: list[DatabaseFileLost] = []
    db.file_guard.on_lost.append(heard.append)
    db.sqlite_path.unlink()

    with pytest.raises(DatabaseFileLost) as refused:
        _save(db, "after")

    assert "حذف شده" in refused.value.message and "نسخه پشتیبان" in refused.value.message
    assert heard == [refused.value]
    assert _stored(db, "after") is None  # rolled back, not written into the deleted file


def test_a_new_connection_after_the_delete_leaves_no_empty_file_behind(db: Database) -> None:
    """SQLite creates a missing file on connect; left there, the next start would see a new company."""
    _save(db, "before")
    db.sqlite_path.unlink()
    db.engine.dispose()  # the pool must open a new connection (as a second thread would)

    with pytest.raises(DatabaseFileLost):
        _stored(db, "before")
    assert not db.sqlite_path.exists()


def test_a_replaced_file_refuses_the_next_write(db: Database, tmp_path) -> None:
    _save(db, "before")
    other = tmp_path / "other.db"
    shutil.copyfile(db.sqlite_path, other)
    os.replace(other, db.sqlite_path)

    with pytest.raises(DatabaseFileLost) as refused:
        _save(db, "after")
    assert refused.value.replaced and "جایگزین" in refused.value.message


def test_after_a_restore_the_restored_file_takes_writes(db: Database, admin) -> None:
    _save(db, "in the backup")
    copy = backup_jobs.backup_now(db)
    db.sqlite_path.unlink()
    with pytest.raises(DatabaseFileLost):
        _save(db, "lost")

    backup_jobs.restore_database(db, admin, copy.path)
    _save(db, "after the restore")

    assert _stored(db, "in the backup") == "ذخیره شد" and _stored(db, "after the restore") == "ذخیره شد"


# --- locks ------------------------------------------------------------------------------------
OTHER_PROCESS = textwrap.dedent(
    """
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1])
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (sys.argv[2],)).fetchone()
    conn.close()  # the last user closing checkpoints and deletes -wal/-shm, if it may lock
    print(row[0] if row else "")
    """
)


def _other_process_reads(db: Database, key: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", OTHER_PROCESS, str(db.sqlite_path), key], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _open_like_a_file_dialog(db: Database, how: str, qtbot) -> None:
    if how == "open and close":
        with open(db.sqlite_path, "rb") as f:
            f.read(4096)
    elif how == "mime detection":  # Qt's type detection, as a file dialog's icon provider asks for it
        from PySide6.QtCore import QMimeDatabase

        QMimeDatabase().mimeTypeForFile(str(db.sqlite_path), QMimeDatabase.MatchMode.MatchContent)
    else:  # Qt's own file dialog showing the data folder: its icon gatherer reads the file
        from PySide6.QtWidgets import QFileDialog

        dialog = QFileDialog(None, "ذخیره", str(db.sqlite_path.parent))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.wait(1500)  # the gatherer thread fetches icons and types after the dialog shows
        dialog.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="POSIX locks lost on close: Linux")
@pytest.mark.parametrize("how", ["open and close", "mime detection", "file dialog"])
def test_a_foreign_open_of_the_file_does_not_let_another_process_drop_the_wal(db: Database, how, qtbot) -> None:
    _save(db, "first", "saved")
    wal = db.sqlite_path.with_name(db.sqlite_path.name + "-wal")
    shm = db.sqlite_path.with_name(db.sqlite_path.name + "-shm")
    assert wal.exists() and shm.exists()

    _open_like_a_file_dialog(db, how, qtbot)
    assert _other_process_reads(db, "first") == '"saved"'

    assert wal.exists() and shm.exists()  # still ours: the other process knew it was not the last
    _save(db, "second", "saved")
    assert _other_process_reads(db, "second") == '"saved"'  # the later write is visible to others
