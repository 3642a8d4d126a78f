"""`python -m app server ...`: setting up the office server (PostgreSQL)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.commands.common import db_url, emit


def register(sub, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("server", help="راه‌اندازی سرور اداره (PostgreSQL)")
    actions = parser.add_subparsers(dest="server_command", metavar="ACTION", required=True)
    init = actions.add_parser("init", parents=[common], help="ساخت پایگاه داده سرور و مدیر سیستم")
    init.add_argument("--admin", default="admin", metavar="LOGIN", help="نام کاربری مدیر (پیش‌فرض admin)")
    init.add_argument("--name", default="مدیر سیستم", help="نام نمایشی مدیر")
    init.set_defaults(func=run_init)
    imp = actions.add_parser("import-sqlite", parents=[common], help="انتقال پایگاه داده تک‌کاربره به سرور")
    imp.add_argument("file", type=Path, metavar="FILE", help="فایل پایگاه داده تک‌کاربره (پس از server init)")
    imp.set_defaults(func=run_import)


def run_init(args: argparse.Namespace) -> int:
    """Schema, row-level security and the first administrator (with their server role). Idempotent
    for the schema and security; refuses to replace an administrator who already has a password."""
    from app.commands.users import read_password
    from app.services.activities.activity_types import ensure_builtin_types
    from app.services.core import migrations
    from app.services.core.errors import ServiceError, ValidationFailed
    from app.services.core.registry import Services
    from app.services.opportunities.pipelines import ensure_default_pipeline
    from app.services.server import auth_delay
    from app.services.server import security as server_security
    from app.services.server.locks import refused_when_busy, wait_bounded

    services = Services.open(db_url(args))
    if services.db.is_sqlite:
        print(
            "این فرمان برای سرور PostgreSQL است؛ پایگاه داده محلی با اولین اجرای برنامه ساخته می‌شود.", file=sys.stderr
        )
        return 2
    try:
        with refused_when_busy():
            migrations.upgrade(services.db)
            with services.db.engine.begin() as conn:
                wait_bounded(conn)
                server_security.install_row_security(conn)
                guessing = auth_delay.ensure(conn)
    except ServiceError as busy:
        print(busy.message, file=sys.stderr)
        return 1
    if guessing:
        print(guessing, file=sys.stderr)
    ensure_default_pipeline(services.db)
    # Made here, a laptop copies them: made on a laptop's first use, they are rows the office refuses
    # from a rep (admin-managed), and the laptop's activities would point at types the office never had.
    ensure_builtin_types(services.db)
    if services.users.needs_admin_setup():
        password = read_password()
        try:
            admin = services.users.set_up_admin(services.users.ensure_admin(args.name), args.admin, args.name, password)
        except (ValidationFailed, ServiceError) as exc:
            errors = getattr(exc, "errors", {})
            print("\n".join([exc.message, *errors.values()]), file=sys.stderr)
            return 2
        made = f"مدیر سیستم «{admin.login}» ساخته شد؛ نقش سرور او {server_security.role_name(admin.login)} است."
    else:
        made = "مدیر سیستم از پیش وجود دارد."
    ordered = _order_identities(services.db.engine)
    emit(
        args,
        {"ok": True, "admin_created": made != "مدیر سیستم از پیش وجود دارد.", "identities_ordered_s": ordered},
        f"پایگاه داده سرور آماده است. {made}",
    )
    return 0


def _order_identities(engine) -> float | None:
    """The identities table back in name order when it has drifted (app.services.server.name_clustering)."""
    from app.persian import format_number
    from app.services.core.errors import ServiceError
    from app.services.server.name_clustering import order_if_drifted

    warning = "جدول هویت‌ها به ترتیب نام چیده می‌شود (تا پایان آن، هویت‌ها قفل‌اند)…"
    try:
        seconds = order_if_drifted(engine, starting=lambda: print(warning, file=sys.stderr, flush=True))
    except ServiceError as busy:  # the server is ready all the same
        print(busy.message, file=sys.stderr)
        return None
    if seconds is not None:
        print(f"هویت‌ها به ترتیب نام چیده شد ({format_number(round(seconds))} ثانیه).", file=sys.stderr)
        seconds = round(seconds, 1)
    return seconds


def run_import(args: argparse.Namespace) -> int:
    """Copies the file onto the server (after `server init`); prints the counts and, once, the
    temporary passwords of the users it brought. Errors in Persian, never a row's values."""
    from app.services.core.database import Database
    from app.services.core.errors import ServiceError
    from app.services.server.importer import import_sqlite

    if not args.file.is_file():
        print(f"فایل «{args.file}» پیدا نشد.", file=sys.stderr)
        return 2
    try:
        source = Database(f"sqlite:///{args.file.resolve().as_posix()}", create=False)
        server = Database(db_url(args))
        report = import_sqlite(source, server)
    except ServiceError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    if report.changed:
        _order_identities(server.engine)  # the file's identities came in its own order
    payload = {
        "ok": report.ok,
        "changed": report.changed,
        "tables": [vars(c) for c in report.tables],
        "kept_users": report.kept_users,
        "users": [vars(u) for u in report.users],
    }
    emit(args, payload, _import_text(report))
    return 0 if report.ok else 1


def _import_text(report) -> str:
    from app.persian import format_number
    from app.services.server.importer import table_label
    from app.services.server.security import role_name

    if not report.changed:
        return "این فایل پیش‌تر به این سرور منتقل شده است؛ چیزی تغییر نکرد."
    lines = [
        f"{table_label(c.table)}: فایل {format_number(c.source)}، سرور {format_number(c.server)}"
        + (f" ({format_number(c.merged)} مورد با رکورد هم‌نام سرور یکی شد)" if c.merged else "")
        for c in report.tables
        if c.source
    ]
    lines.append("همه رکوردها منتقل شد." if report.ok else "برخی رکوردها منتقل نشد!")
    if report.kept_users:
        lines.append(
            "این کاربران از پیش روی سرور بودند و همان حساب، گذرواژه و نقش سرورشان ماند؛ "
            f"رکوردهای فایل به نام همین حساب‌ها ثبت شد: {'، '.join(report.kept_users)}"
        )
    if report.users:
        lines.append("گذرواژه موقت کاربران منتقل‌شده (فقط همین یک بار نشان داده می‌شود؛ در اولین ورود باید عوض شود):")
        for user in report.users:
            if user.temporary_password:
                role = role_name(user.login)
                lines.append(f"  {user.login} ({user.display_name}): {user.temporary_password}  نقش {role}")
            else:
                lines.append(f"  {user.login} ({user.display_name}): نقش سرور ساخته نشد. {user.problem}")
    return "\n".join(lines)
