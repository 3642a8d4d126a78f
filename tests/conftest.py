"""Shared fixtures. Every test runs with its own folders (PEYVAND_HOME) and never sees real data."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from app.services import migrations  # noqa: E402
from app.services.actor import Actor  # noqa: E402
from app.services.database import Database  # noqa: E402
from app.services.demo import DemoBuilder  # noqa: E402
from app.services.registry import Services  # noqa: E402

TEST_OUTPUT = Path(__file__).resolve().parent.parent / "test-output"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.as_posix()}"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("PEYVAND_HOME", str(home))
    monkeypatch.delenv("PEYVAND_DB", raising=False)
    return home


def _template(tmp_path_factory: pytest.TempPathFactory, name: str, demo: bool) -> Path:
    path = tmp_path_factory.mktemp("templates") / name
    db = Database(sqlite_url(path))
    migrations.upgrade(db)
    if demo:
        Services(db).users.ensure_admin()
        DemoBuilder(db, seed=7).run(identities=300, opportunities=80)
    db.dispose()  # closing the last connection checkpoints the WAL into the main file
    return path


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _template(tmp_path_factory, "empty.db", demo=False)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _template(tmp_path_factory, "demo.db", demo=True)


def _copy(template: Path, tmp_path: Path) -> Database:
    path = tmp_path / "peyvand.db"
    shutil.copyfile(template, path)
    return Database(sqlite_url(path))


@pytest.fixture
def db(empty_template: Path, tmp_path: Path):
    database = _copy(empty_template, tmp_path)
    yield database
    database.dispose()


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path):
    database = _copy(demo_template, tmp_path)
    yield database
    database.dispose()


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
