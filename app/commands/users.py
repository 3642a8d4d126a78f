"""`python -m app users add|list|set-password|deactivate`: accounts, managed from the machine.

The commands run as the system (whoever may run them owns the database file). A password is
never an argument (it would stay in the shell history and the process list): it is asked for
twice without echo on a terminal, or read as one line from standard input in scripts.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from app.commands.common import db_url, emit

LEVELS = {"admin": "ADMIN", "all": "ALL_DOCUMENTS", "own": "OWN_DOCUMENTS"}


def register(sub, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("users", parents=[common], help="مدیریت کاربران (افزودن، فهرست، گذرواژه، غیرفعال‌سازی)")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", parents=[common], help="افزودن کاربر؛ گذرواژه از ورودی خوانده می‌شود")
    add.add_argument("login", help="نام کاربری (حروف انگلیسی، رقم و . _ -)")
    add.add_argument("--name", required=True, help="نام نمایشی")
    add.add_argument("--level", choices=LEVELS, default="own", help="سطح دسترسی (پیش‌فرض: own)")
    add.add_argument("--team", metavar="TEAM", help="نام تیم فروش")
    add.set_defaults(func=run)
    listing = actions.add_parser("list", parents=[common], help="فهرست کاربران")
    listing.set_defaults(func=run)
    password = actions.add_parser("set-password", parents=[common], help="تعیین گذرواژه تازه")
    password.add_argument("login")
    password.add_argument(
        "--temporary", action="store_true", help="گذرواژه موقت: کاربر در اولین ورود گذرواژه تازه‌ای برمی‌گزیند"
    )
    password.set_defaults(func=run)
    deactivate = actions.add_parser("deactivate", parents=[common], help="غیرفعال کردن کاربر")
    deactivate.add_argument("login")
    deactivate.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    actions = {"add": _add, "list": _list, "set-password": _set_password, "deactivate": _deactivate}
    return actions[args.action](args)


def read_password() -> str:
    """Twice without echo on a terminal; otherwise one line of standard input (for scripts)."""
    from app.services.core.errors import ServiceError

    if sys.stdin.isatty():
        first = getpass.getpass("گذرواژه: ")
        if getpass.getpass("تکرار گذرواژه: ") != first:
            raise ServiceError("دو گذرواژه یکسان نیستند.")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def _services(args: argparse.Namespace):
    from app.services.core import migrations
    from app.services.core.registry import Services

    services = Services.open(db_url(args))
    migrations.upgrade(services.db)
    return services


def _run(job) -> int:
    """Runs `job()`; a refusal prints its Persian message(s) on stderr and gives exit code 1."""
    from app.services.core.errors import ServiceError, ValidationFailed

    try:
        job()
    except ValidationFailed as exc:
        print("\n".join(exc.errors.values()), file=sys.stderr)
        return 1
    except ServiceError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    return 0


def _add(args: argparse.Namespace) -> int:
    from app.models import AccessLevel
    from app.persian import normalize_text
    from app.services.admin.teams import TeamService
    from app.services.admin.users import UserData
    from app.services.core.actor import SYSTEM
    from app.services.core.errors import NotFound

    def job() -> None:
        services = _services(args)
        team_id = None
        if args.team:
            teams = {t.name: t.id for t in TeamService(services.db).list_teams(SYSTEM)}
            team_id = teams.get(normalize_text(args.team))
            if team_id is None:
                raise NotFound(f"تیم فروش «{args.team}»")
        data = UserData(args.login, args.name, AccessLevel[LEVELS[args.level]], team_id)
        row = services.users.create_user(SYSTEM, data, read_password())
        emit(args, {"login": row.login, "id": str(row.id)}, f"کاربر «{row.login}» ساخته شد.")

    return _run(job)


def _list(args: argparse.Namespace) -> int:
    from app.services.core.actor import SYSTEM
    from app.services.core.labels import ACCESS_LEVEL

    rows = _services(args).users.list_users(SYSTEM)
    payload = [
        {
            "login": r.login,
            "display_name": r.display_name,
            "access_level": r.access_level.value,
            "team": r.team_name,
            "active": r.is_active,
            "has_password": r.has_password,
            "last_login_at": r.last_login_at,
        }
        for r in rows
    ]
    lines = [
        f"{r.login}\t{r.display_name}\t{ACCESS_LEVEL[r.access_level]}\t{r.team_name or '—'}\t"
        f"{'فعال' if r.is_active else 'غیرفعال'}"
        for r in rows
    ]
    emit(args, payload, "\n".join(lines))
    return 0


def _set_password(args: argparse.Namespace) -> int:
    from app.services.core.actor import SYSTEM

    def job() -> None:
        services = _services(args)
        row = services.users.get_by_login(SYSTEM, args.login)
        services.users.reset_password(SYSTEM, row.id, read_password(), temporary=args.temporary)
        note = " کاربر در اولین ورود باید آن را عوض کند." if args.temporary else ""
        emit(args, {"login": row.login, "temporary": args.temporary}, f"گذرواژه «{row.login}» تغییر کرد.{note}")

    return _run(job)


def _deactivate(args: argparse.Namespace) -> int:
    from app.services.core.actor import SYSTEM

    def job() -> None:
        services = _services(args)
        row = services.users.get_by_login(SYSTEM, args.login)
        services.users.deactivate(SYSTEM, row.id)
        emit(args, {"login": row.login}, f"کاربر «{row.login}» غیرفعال شد.")

    return _run(job)
