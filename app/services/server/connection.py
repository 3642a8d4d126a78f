"""The office-server connection («ابزار ← اتصال به سرور»): host, port, database, user and TLS mode in
a small JSON file; the password only in the operating system's credential store (keyring: Windows
Credential Manager), never in a plain file.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from sqlalchemy import URL, create_engine, text

from app import config
from app.services.core.errors import ServiceError, ValidationFailed

KEYRING_SERVICE = "Peyvand"
TLS_MODES = ("disable", "prefer", "require", "verify-full")


@dataclass(frozen=True)
class ServerSettings:
    host: str
    port: int = 5432
    database: str = "peyvand"
    user: str = ""
    tls_mode: str = "prefer"

    @property
    def keyring_user(self) -> str:
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def url(self, password: str | None) -> URL:
        return URL.create(
            "postgresql+psycopg",
            username=self.user,
            password=password,
            host=self.host,
            port=self.port,
            database=self.database,
            query={"sslmode": self.tls_mode},
        )


def validate(settings: ServerSettings) -> ServerSettings:
    errors = {}
    if not settings.host.strip():
        errors["host"] = "نشانی سرور را وارد کنید."
    if not 0 < settings.port < 65536:
        errors["port"] = "درگاه باید عددی بین ۱ و ۶۵۵۳۵ باشد."
    if not settings.database.strip():
        errors["database"] = "نام پایگاه داده را وارد کنید."
    if not settings.user.strip():
        errors["user"] = "نام کاربری سرور را وارد کنید."
    if settings.tls_mode not in TLS_MODES:
        errors["tls_mode"] = "حالت رمزنگاری نامعتبر است."
    if errors:
        raise ValidationFailed(errors)
    return settings


def test_connection(settings: ServerSettings, password: str) -> None:
    """Connects once and runs a query; raises ServiceError with a Persian reason."""
    engine = create_engine(validate(settings).url(password), connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # psycopg's OperationalError and friends, whatever the cause
        raise ServiceError(
            f"اتصال به سرور برقرار نشد. نشانی، درگاه، نام کاربری و گذرواژه را بررسی کنید.\n{exc}"
        ) from exc
    finally:
        engine.dispose()


def save(settings: ServerSettings, password: str) -> None:
    """Stores the settings and puts the password in the credential store; raises ServiceError."""
    import keyring
    from keyring.errors import KeyringError

    validate(settings)
    try:
        keyring.set_password(KEYRING_SERVICE, settings.keyring_user, password)
    except KeyringError as exc:
        raise ServiceError("گذرواژه در انبار امن سیستم ذخیره نشد؛ اتصال ذخیره نشد.") from exc
    config.server_file().write_text(json.dumps(asdict(settings), ensure_ascii=False), encoding="utf-8")


def load() -> ServerSettings | None:
    path = config.server_file()
    if not path.exists():
        return None
    return ServerSettings(**json.loads(path.read_text(encoding="utf-8")))


def forget() -> None:
    """Back to the local database: the settings file and the stored password are removed."""
    import keyring
    from keyring.errors import PasswordDeleteError

    settings = load()
    if settings is None:
        return
    try:
        keyring.delete_password(KEYRING_SERVICE, settings.keyring_user)
    except PasswordDeleteError:
        pass  # already gone
    config.server_file().unlink()


def saved_url() -> str | None:
    """The saved server's URL with its password from the credential store, or None."""
    settings = load()
    if settings is None:
        return None
    import keyring

    password = keyring.get_password(KEYRING_SERVICE, settings.keyring_user)
    return settings.url(password).render_as_string(hide_password=False)
