"""Slowing password guessing against the server itself: every role is a login, and `psql -U pv_sara`
never meets the app's waiting time after failures. PostgreSQL's auth_delay module waits after each
failed authentication; it must be preloaded (postgresql.conf and a restart, no SQL can do that), and
its delay is a reloadable setting a superuser may set. `server init` calls `ensure`.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

DELAY_MS = 500
CONF_LINES = f"shared_preload_libraries = 'auth_delay'\nauth_delay.milliseconds = {DELAY_MS}"
NOT_LOADED = (
    "هشدار: سرور PostgreSQL حدس‌زدن گذرواژه را کند نمی‌کند (ماژول auth_delay بار نشده است).\n"
    "مدیر پایگاه داده این دو سطر را در postgresql.conf بنویسد (اگر shared_preload_libraries مقدار دیگری "
    "دارد، auth_delay را با ویرگول به آن بیفزاید) و سرور را دوباره راه‌اندازی کند:\n" + CONF_LINES
)
NO_DELAY = (
    "هشدار: ماژول auth_delay بار شده ولی درنگ آن صفر است و این حساب اجازه تغییرش را ندارد.\n"
    f"مدیر پایگاه داده در postgresql.conf بنویسد auth_delay.milliseconds = {DELAY_MS} و تنظیمات را بازخوانی کند."
)


def _loaded(conn: Connection) -> bool:
    libraries = conn.execute(text("SELECT current_setting('shared_preload_libraries')")).scalar_one()
    return "auth_delay" in [name.strip().strip('"') for name in libraries.split(",")]


def ensure(conn: Connection) -> str | None:
    """Sets the delay when the module is loaded and it is zero (a superuser's connection: ALTER SYSTEM
    and a reload); returns None when failed logins are slowed, else the Persian note for the DBA."""
    if not _loaded(conn):
        return NOT_LOADED
    delay = int(conn.execute(text("SELECT current_setting('auth_delay.milliseconds', true)")).scalar() or 0)
    if delay > 0:
        return None
    if not conn.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar():
        return NO_DELAY
    # ALTER SYSTEM cannot run inside a transaction block: on its own autocommit connection.
    with conn.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as own:
        own.exec_driver_sql(f"ALTER SYSTEM SET auth_delay.milliseconds = {DELAY_MS}")
        own.exec_driver_sql("SELECT pg_reload_conf()")
    return None
