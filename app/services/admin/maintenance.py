"""`python -m app check`: integrity of the file, the schema, the business rows and the legal
documents' invariants (app.services.admin.invariants)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import func, select, text
from sqlalchemy.orm import aliased

from app.models import Activity, Identity, Opportunity, Stage
from app.services.admin import invariants
from app.services.core import migrations
from app.services.core.actor import SYSTEM
from app.services.core.database import Database


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def _sqlite_checks(db: Database, report: CheckReport) -> None:
    with db.engine.connect() as conn:
        result = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check")]
        if result != ["ok"]:
            report.problems.append("ساختار فایل پایگاه داده آسیب دیده است: " + "؛ ".join(result[:5]))
        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            tables = sorted({row[0] for row in broken})
            report.problems.append(f"{len(broken)} ارجاع نامعتبر در جدول‌های {'، '.join(tables)}")


def _row_checks(db: Database, report: CheckReport) -> None:
    stage = aliased(Stage)
    with db.read(SYSTEM) as s:
        report.counts = {
            "identities": s.scalar(select(func.count()).select_from(Identity).where(Identity.deleted_at.is_(None))),
            "opportunities": s.scalar(
                select(func.count()).select_from(Opportunity).where(Opportunity.deleted_at.is_(None))
            ),
            "activities": s.scalar(select(func.count()).select_from(Activity).where(Activity.deleted_at.is_(None))),
        }
        mismatched = s.scalar(
            select(func.count())
            .select_from(Opportunity)
            .join(stage, stage.id == Opportunity.stage_id)
            .where(stage.pipeline_id != Opportunity.pipeline_id)
        )
        if mismatched:
            report.problems.append(f"{mismatched} فرصت در مرحله‌ای از کاریز دیگری قرار دارد.")
        negative = s.scalar(select(func.count()).select_from(Opportunity).where(Opportunity.amount < 0))
        if negative:
            report.problems.append(f"{negative} فرصت مبلغ منفی دارد.")
        empty_names = s.scalar(select(func.count()).select_from(Identity).where(func.trim(Identity.display_name) == ""))
        if empty_names:
            report.problems.append(f"{empty_names} هویت بدون نام است.")
        report.problems += invariants.problems(s)


def check_database(db: Database) -> CheckReport:
    """Runs every check and returns what it found; never raises for a damaged file."""
    report = CheckReport()
    try:
        if db.is_sqlite:
            _sqlite_checks(db, report)
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        if migrations.current_revision(db) != migrations.SCHEMA_HEAD:
            how = "برنامه را یک بار باز کنید" if db.is_sqlite else "فرمان «python -m app server init» را اجرا کنید"
            report.problems.append(f"ساختار پایگاه داده به‌روز نیست؛ {how} تا به‌روز شود.")
            return report
        _row_checks(db, report)
    except Exception:  # a damaged file raises DatabaseError from anywhere; details go to the log
        logging.getLogger(__name__).exception("check: the database could not be read")
        report.problems.append("پایگاه داده خوانده نشد: فایل آسیب دیده است یا پایگاه داده پیوند نیست.")
    return report
