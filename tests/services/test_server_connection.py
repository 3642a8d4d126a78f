"""The office-server connection: settings in a file, the password only in the credential store."""

from __future__ import annotations

import dataclasses

import keyring
import pytest
from keyring.backend import KeyringBackend

from app import config
from app.services.core.errors import ServiceError, ValidationFailed
from app.services.server import connection as server_connection
from app.services.server.connection import ServerSettings


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.items.get((service, username))

    def set_password(self, service, username, password):
        self.items[(service, username)] = password

    def delete_password(self, service, username):
        del self.items[(service, username)]


@pytest.fixture
def vault():
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)


SETTINGS = ServerSettings(host="192.0.2.10", port=5432, database="office", user="pv_maryam", tls_mode="require")


def test_saved_server_becomes_the_default_database_and_the_password_stays_in_the_vault(vault, monkeypatch) -> None:
    assert config.resolve_db_url().startswith("sqlite:///")
    server_connection.save(SETTINGS, "رمز-خیلی-مخفی")
    stored = (config.config_dir() / "server.json").read_text(encoding="utf-8")
    assert "رمز" not in stored and "office" in stored
    assert vault.items == {("Peyvand", "pv_maryam@192.0.2.10:5432/office"): "رمز-خیلی-مخفی"}
    url = config.resolve_db_url()
    assert url.startswith("postgresql+psycopg://pv_maryam:") and "sslmode=require" in url
    assert config.resolve_db_url("sqlite:///x.db") == "sqlite:///x.db"  # --db still wins
    monkeypatch.setenv(config.DB_ENV, "sqlite:///env.db")
    assert config.resolve_db_url() == "sqlite:///env.db"


def test_a_file_path_given_for_the_database_is_its_sqlite_url(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert config.resolve_db_url("دفتر/peyvand.db") == f"sqlite:///{(tmp_path / 'دفتر' / 'peyvand.db').as_posix()}"
    monkeypatch.setenv(config.DB_ENV, str(tmp_path / "env.db"))
    assert config.resolve_db_url() == f"sqlite:///{(tmp_path / 'env.db').as_posix()}"


def test_forget_goes_back_to_the_local_file(vault) -> None:
    server_connection.save(SETTINGS, "x")
    server_connection.forget()
    assert vault.items == {} and server_connection.load() is None
    assert config.resolve_db_url().startswith("sqlite:///")


def test_each_wrong_field_is_named(vault) -> None:
    with pytest.raises(ValidationFailed) as caught:
        server_connection.save(ServerSettings(host=" ", port=0, database="", user="", tls_mode="x"), "p")
    assert set(caught.value.errors) == {"host", "port", "database", "user", "tls_mode"}


def test_connection_test_reports_a_readable_reason() -> None:
    unreachable = ServerSettings(host="127.0.0.1", port=9, database="x", user="nobody", tls_mode="disable")
    with pytest.raises(ServiceError) as caught:
        server_connection.test_connection(unreachable, "p")
    assert caught.value.message.startswith("اتصال به سرور برقرار نشد")


def test_connection_test_succeeds_on_a_real_server(pg_database) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(pg_database)
    settings = ServerSettings(
        host=url.host, port=url.port, database=url.database, user=url.username, tls_mode="disable"
    )
    server_connection.test_connection(settings, url.password or "")  # raises on failure
    missing = dataclasses.replace(settings, database=f"{url.database}_missing")
    with pytest.raises(ServiceError, match="اتصال به سرور برقرار نشد"):
        server_connection.test_connection(missing, url.password or "")
