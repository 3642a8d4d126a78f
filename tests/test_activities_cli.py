"""`python -m app activities due`: what is due by the end of today, for everyone or one user."""

from __future__ import annotations

import datetime as dt
import json

from app.models import ActivityKind, utcnow
from app.services.activities.activity_types import ensure_builtin_types
from app.services.activities.service import ActivityData
from tests.services.activity_helpers import add_identity, add_user
from tests.test_cli import run


def test_due_lists_overdue_and_today_per_user(isolated_home, services, admin) -> None:
    ensure_builtin_types(services.db)
    sara = add_user(services, "sara")
    identity = add_identity(services, admin, "شرکت آلفا")
    now = utcnow()
    plan = services.activities.plan
    late = plan(admin, ActivityData(identity.id, "تماس دیروز", now - dt.timedelta(days=1), assignee_id=sara.user_id))
    plan(admin, ActivityData(identity.id, "هفته بعد", now + dt.timedelta(days=7), assignee_id=sara.user_id))
    mine = plan(admin, ActivityData(identity.id, "جلسه مدیر", now - dt.timedelta(minutes=1), ActivityKind.MEETING))
    url = services.db.url.render_as_string(hide_password=False)  # SQLite, or the server in the PostgreSQL pass
    services.db.dispose()

    everyone = run("activities", "due", "--db", url, "--json", home=isolated_home)
    assert everyone.returncode == 0, everyone.stderr
    rows = json.loads(everyone.stdout)
    assert [r["id"] for r in rows] == [str(late.id), str(mine.id)]
    assert rows[0]["overdue"] is True and rows[0]["assignee"] == "sara" and rows[0]["identity"] == "شرکت آلفا"

    only_sara = run("activities", "due", "--user", "SARA", "--db", url, home=isolated_home)
    assert only_sara.returncode == 0
    assert "۱ فعالیت تا پایان امروز" in only_sara.stdout and "تماس دیروز" in only_sara.stdout
    assert "[عقب‌افتاده]" in only_sara.stdout and "جلسه مدیر" not in only_sara.stdout

    unknown = run("activities", "due", "--user", "nobody", "--db", url, home=isolated_home)
    assert unknown.returncode == 2 and "nobody" in unknown.stdout
