"""Shared fixtures. Every test runs with its own folders (PEYVAND_HOME) and never sees real data."""

from __future__ import annotations

import gc
import os
import shutil
import uuid
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from app.services.core import migrations  # noqa: E402
from app.services.core.actor import Actor  # noqa: E402
from app.services.core.database import Database  # noqa: E402
from app.services.core.registry import Services  # noqa: E402
from app.services.demo import DemoBuilder  # noqa: E402

TEST_OUTPUT = Path(__file__).resolve().parent.parent / "test-output"
# A PostgreSQL server's maintenance URL (postgresql+psycopg://postgres@127.0.0.1:55432/postgres) enables the
# office-server tests; with PEYVAND_TEST_DB=postgres as well, every database fixture runs on that server
# (each test gets its own database, cloned from a migrated template). .ci/run runs the suite both ways.
PG_SERVER = os.environ.get("PEYVAND_TEST_PG_URL")
PG_URL = PG_SERVER if os.environ.get("PEYVAND_TEST_DB") == "postgres" else None
if os.environ.get("PEYVAND_TEST_DB") == "postgres" and not PG_SERVER:
    raise RuntimeError("PEYVAND_TEST_DB=postgres needs PEYVAND_TEST_PG_URL (a PostgreSQL server)")


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.as_posix()}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The PostgreSQL pass leaves out what exists only on SQLite (file backups, the FTS5 plan, killing a
    writer of the file): those ran in the SQLite pass, and the summary says how many were left out."""
    if not PG_URL:
        return
    sqlite_only = [item for item in items if item.get_closest_marker("sqlite_only")]
    if sqlite_only:
        config.hook.pytest_deselected(items=sqlite_only)
        items[:] = [item for item in items if not item.get_closest_marker("sqlite_only")]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under CI a skipped test fails the run: a suite that silently did not run proves nothing."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if os.environ.get("CI") and skipped and exitstatus == 0:
        reporter.write_line(f"CI: {skipped} test(s) skipped; a skip is a failure here", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """After each test its garbage is collected and what survives (caches, modules) is frozen out of later
    collections: in one process of thousands of tests a full collection scanned millions of survivors,
    seconds during which a test's wait for a background read timed out."""
    try:
        return (yield)
    finally:
        gc.collect()
        gc.freeze()


@pytest.fixture(autouse=True)
def fresh_change_bus():
    """Each test gets its own change bus: widgets left over from an earlier test (qtbot keeps weak
    references) must not refresh against that test's deleted database."""
    from app.ui import events

    events._bus = None
    yield
    events._bus = None


@pytest.fixture(autouse=True)
def no_leftover_timers():
    """Apart from the change bus, which some modules reset their own way (overriding the fixture above)."""
    yield
    _stop_leftover_timers()


def _stop_leftover_timers() -> None:
    """Windows a test left open (a main window, a dock) keep their timers: stopped here, so none fires
    in a later test against this test's removed database. (Deleting the windows instead makes PySide6
    crash at interpreter exit when Python still holds their wrappers.)"""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        return
    for widget in QApplication.topLevelWidgets():
        for timer in widget.findChildren(QTimer):
            timer.stop()


@pytest.fixture
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real Argon2id, with test-sized memory and time (a module asks for it: `usefixtures("quick_hashes")`)."""
    from argon2 import PasswordHasher

    from app.services.admin import passwords

    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("PEYVAND_HOME", str(home))
    monkeypatch.delenv("PEYVAND_DB", raising=False)
    return home


def _pg(statement: str) -> None:
    """CREATE/DROP DATABASE on the test server (outside a transaction)."""
    from sqlalchemy import create_engine

    engine = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(statement)
    engine.dispose()


def _pg_url(name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(PG_SERVER).set(database=name).render_as_string(hide_password=False)


def require_pg_server() -> str:
    """The test server's URL. Without one, office-server tests are skipped with this message when run
    locally; under CI they fail."""
    if not PG_SERVER:
        message = "no PostgreSQL server configured (PEYVAND_TEST_PG_URL): the office-server tests did not run"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return PG_SERVER


@pytest.fixture
def pg_database():
    """The URL of a new, empty database on the test server, for office-server tests.

    Without a server they are skipped with this message when run locally; under CI they fail.
    """
    require_pg_server()
    name = f"peyvand_server_{uuid.uuid4().hex[:16]}"
    _pg(f"CREATE DATABASE {name}")
    yield _pg_url(name)
    _pg(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _template(tmp_path_factory: pytest.TempPathFactory, name: str, demo: bool) -> Path | str:
    def populate(db: Database) -> None:
        if demo:
            Services(db).users.ensure_admin()
            DemoBuilder(db, seed=7).run(identities=300, opportunities=80)

    return build_template(tmp_path_factory, name, populate)[0]


def build_template(tmp_path_factory: pytest.TempPathFactory, name: str, populate) -> tuple[Path | str, object]:
    """A migrated database filled once by `populate(db)` (its result returned beside the template), for
    session fixtures whose tests each get a cheap copy (`copy_template`) instead of building the world anew."""
    if PG_URL:
        path = f"peyvand_template_{name.removesuffix('.db')}_{os.getpid()}"
        _pg(f"DROP DATABASE IF EXISTS {path} WITH (FORCE)")
        _pg(f"CREATE DATABASE {path}")
        db = Database(_pg_url(path))
    else:
        path = tmp_path_factory.mktemp("templates") / name
        db = Database(sqlite_url(path))
    migrations.upgrade(db)
    result = populate(db)
    db.dispose()  # closing the last connection checkpoints the WAL into the main file
    return path, result


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _template(tmp_path_factory, "empty.db", demo=False)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _template(tmp_path_factory, "demo.db", demo=True)


def copy_template(template: Path | str, tmp_path: Path) -> Database:
    if PG_URL:
        name = f"peyvand_test_{uuid.uuid4().hex[:16]}"
        _pg(f"CREATE DATABASE {name} TEMPLATE {template} STRATEGY FILE_COPY")
        return Database(_pg_url(name))
    path = tmp_path / "peyvand.db"
    shutil.copyfile(template, path)
    return Database(sqlite_url(path))


def _settle_background_work() -> None:
    """Operations still running in the thread pool finish, and their queued results are delivered, while
    this test's database still exists: otherwise they land in the next test, against a dropped database."""
    from PySide6.QtCore import QThreadPool
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is not None:
        QThreadPool.globalInstance().waitForDone(10_000)
        QApplication.processEvents()


def discard_copy(database: Database) -> None:
    _settle_background_work()
    database.dispose()
    if PG_URL:
        _pg(f"DROP DATABASE IF EXISTS {database.url.database} WITH (FORCE)")


@pytest.fixture
def db(empty_template, tmp_path: Path):
    database = copy_template(empty_template, tmp_path)
    yield database
    discard_copy(database)


@pytest.fixture
def demo_db(demo_template, tmp_path: Path):
    database = copy_template(demo_template, tmp_path)
    yield database
    discard_copy(database)


@pytest.fixture
def services(db: Database) -> Services:
    return Services(db)


@pytest.fixture
def demo_services(demo_db: Database) -> Services:
    return Services(demo_db)


@pytest.fixture
def admin(services: Services) -> Actor:
    return services.users.ensure_admin()


@pytest.fixture
def demo_admin(demo_services: Services) -> Actor:
    return demo_services.users.ensure_admin()


@pytest.fixture
def journaling(services: Services, admin: Actor) -> None:
    """A registered laptop: the change journal is written only when a device reads it."""
    services.devices.register(admin, admin.user_id, "لپ‌تاپ آزمون")
