"""Users: the administrator's management of accounts, the first administrator, and login.

Only an administrator changes users (the access policy refuses anyone else at flush time; the
service says so first, in Persian). Users are never deleted, only deactivated: their records keep
their owner.

On an office server (PostgreSQL) each user is also a server login, the role pv_<login>
(app.services.server.security): creating, renaming, deactivating, reactivating, giving a password
and changing the administrator flag change the role in the same transaction as the user row, so a
refused save leaves no role behind. The password is hashed with Argon2 for the app and reaches
PostgreSQL only as a SCRAM verifier; the plain text is stored nowhere.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from dataclasses import dataclass

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app.models import AccessLevel, Identity, SalesTeam, User, utcnow
from app.persian import format_number, normalize_text, to_ascii_digits
from app.services.admin import memberships, passwords
from app.services.core.access import DENIED_LIST
from app.services.core.actor import SYSTEM, Actor
from app.services.core.database import Database
from app.services.core.errors import AccessDenied, NotFound, ServiceError, ValidationFailed
from app.services.server import own_password
from app.services.server import security as server_security

log = logging.getLogger(__name__)

LOGIN_CHARS = re.compile(r"[a-z0-9._-]+")
LOGIN_MAX = 64
LAST_ADMIN = "دست‌کم یک مدیر فعال با گذرواژه باید بماند؛ ابتدا مدیر دیگری تعیین کنید."


class PasswordChangeRequired(passwords.LoginRefused):
    """The password was right but is temporary: the user chooses a new one (change_own_password)
    before working. Whoever does not handle this refuses the login, which is the safe default."""

    def __init__(self, actor: Actor) -> None:
        super().__init__("گذرواژه شما موقت است؛ پیش از ادامه، گذرواژه تازه‌ای برگزینید.")
        self.actor = actor


@dataclass(frozen=True)
class UserData:
    """What an administrator types for a user (the password travels separately, never in here)."""

    login: str
    display_name: str
    access_level: AccessLevel = AccessLevel.OWN_DOCUMENTS
    team_id: uuid.UUID | None = None  # the main team
    contact_id: uuid.UUID | None = None
    other_team_ids: tuple[uuid.UUID, ...] | None = None  # the teams besides the main one; None: unchanged


@dataclass(frozen=True)
class UserRow:
    id: uuid.UUID
    login: str
    display_name: str
    access_level: AccessLevel
    is_active: bool
    team_id: uuid.UUID | None
    team_name: str | None
    contact_id: uuid.UUID | None
    has_password: bool
    last_login_at: dt.datetime | None
    other_team_ids: tuple[uuid.UUID, ...] = ()


def _actor(user: User) -> Actor:
    return Actor(user.id, user.login, user.display_name, user.access_level)


def _require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise AccessDenied(DENIED_LIST)


def clean_login(login: str) -> str:
    """Logins compare case-insensitively and may be typed with Persian digits: stored lower-case ASCII."""
    return to_ascii_digits(login).strip().lower()


def _usable_admins(s: Session, excluding: uuid.UUID | None) -> int:
    """Active administrators who can log in (have a password), other than `excluding`."""
    if excluding is None and s.get_bind().dialect.name == "postgresql":
        conn = s.connection()
        if server_security.session_role(conn) is not None:  # a user's own role: hashes are hidden from it
            return server_security.usable_admins(conn)
    conditions = [User.access_level == AccessLevel.ADMIN, User.is_active.is_(True), User.password_hash.is_not(None)]
    if excluding is not None:
        conditions.append(User.id != excluding)
    return s.scalar(select(func.count()).select_from(User).where(*conditions))


def _validate(
    s: Session, data: UserData, user_id: uuid.UUID | None, password: str | None, server: bool = False
) -> tuple[str, str]:
    """(login, display name) cleaned, or ValidationFailed naming each wrong field. On a server the
    login must also make a PostgreSQL role name."""
    errors: dict[str, str] = {}
    login = clean_login(data.login)
    if not login:
        errors["login"] = "نام کاربری را وارد کنید."
    elif len(login) > LOGIN_MAX:
        errors["login"] = f"نام کاربری حداکثر {format_number(LOGIN_MAX)} نویسه است."
    elif not LOGIN_CHARS.fullmatch(login):
        errors["login"] = "نام کاربری فقط حروف انگلیسی، رقم و نشانه‌های . _ - می‌پذیرد."
    elif s.scalar(select(User.id).where(User.login == login, User.id != user_id)):
        errors["login"] = "این نام کاربری قبلاً ثبت شده است."
    elif server:
        try:
            server_security.role_name(login)
        except ValidationFailed as exc:
            errors.update(exc.errors)
    name = normalize_text(data.display_name)
    if not name:
        errors["display_name"] = "نام نمایشی را وارد کنید."
    if data.team_id is not None:
        team = s.get(SalesTeam, data.team_id)
        if team is None or team.deleted_at is not None:
            errors["team_id"] = "این تیم فروش پیدا نشد."
    if memberships.missing_teams(s, data.other_team_ids or ()):
        errors["other_team_ids"] = "یکی از تیم‌های فروش پیدا نشد."
    if data.contact_id is not None:
        contact = s.get(Identity, data.contact_id)
        if contact is None or contact.deleted_at is not None:
            errors["contact_id"] = "کارت مخاطب پیدا نشد."
    if password is not None and (message := passwords.weakness(password, login)):
        errors["password"] = message
    if errors:
        raise ValidationFailed(errors)
    return login, name


class UserService:
    def __init__(self, db: Database) -> None:
        self._db = db

    @property
    def on_server(self) -> bool:
        """True on an office server (PostgreSQL): each user is then also a server login."""
        return self._db.url.get_backend_name() == "postgresql"

    def _sync_role(self, s: Session, user: User, password: str | None = None) -> None:
        """On a server, brings the user's role in line with the row, inside the session's transaction:
        LOGIN or NOLOGIN, administrator or not, and the password when one is given. A user without a
        role yet (imported, or made before the role existed) gets one once they get a password."""
        if not self.on_server:
            return
        conn: Connection = s.connection()
        if password is None:
            try:
                if not server_security.role_exists(conn, user.login):
                    return
            except ValidationFailed:  # a login from before the server (too long): it has no role
                return
        admin = user.access_level is AccessLevel.ADMIN
        server_security.set_user_role(conn, user.login, password, active=user.is_active, admin=admin)

    # --- start-up, before anyone has logged in -----------------------------------------
    def ensure_admin(self, display_name: str = "مدیر سیستم") -> Actor:
        """The first active administrator, created (without a password) if there is none. Writes.

        Unattended starts act as this user; the first-run wizard gives it a password."""
        with self._db.write(SYSTEM) as s:
            user = s.scalars(
                select(User)
                .where(User.access_level == AccessLevel.ADMIN, User.is_active.is_(True))
                .order_by(User.created_at)
                .limit(1)
            ).first()
            if user is None:
                user = User(login="admin", display_name=display_name, access_level=AccessLevel.ADMIN)
                s.add(user)
                s.flush()
            return _actor(user)

    def needs_admin_setup(self) -> bool:
        """True while no active administrator has a password (nobody could log in to manage). Reads."""
        with self._db.read(SYSTEM) as s:
            return _usable_admins(s, None) == 0

    def set_up_admin(self, actor: Actor, login: str, display_name: str, password: str) -> Actor:
        """First run: gives the password-less administrator `actor` (from ensure_admin) a login,
        name and password; the returned actor is logged in. Refused once an administrator has a
        password. Raises ValidationFailed, ServiceError. Writes."""
        _require_admin(actor)
        with self._db.write(actor) as s:
            if _usable_admins(s, None):
                raise ServiceError("مدیر سیستم پیش‌تر تعیین شده است؛ با حساب او وارد شوید.")
            user = s.get(User, actor.user_id) if actor.user_id else None
            if user is None:
                raise NotFound("کاربر")
            data = UserData(login, display_name, AccessLevel.ADMIN)
            user.login, user.display_name = _validate(s, data, user.id, password, self.on_server)
            user.password_hash = passwords.hash_password(password)
            user.access_level, user.is_active, user.last_login_at = AccessLevel.ADMIN, True, utcnow()
            s.flush()
            self._sync_role(s, user, password)
            return _actor(user)

    # --- management (administrators only) ------------------------------------------------
    def _rows(self, s: Session, *conditions) -> list[UserRow]:
        stmt = (
            select(User, SalesTeam.name, User.password_hash.is_not(None))
            .outerjoin(SalesTeam, (SalesTeam.id == User.team_id) & SalesTeam.deleted_at.is_(None))
            .where(*conditions)
            .order_by(User.is_active.desc(), User.name_sort, User.id)
        )
        rows = s.execute(stmt).all()
        others = memberships.other_teams(s, [u.id for u, _team, _has in rows])
        return [
            UserRow(
                u.id,
                u.login,
                u.display_name,
                u.access_level,
                u.is_active,
                u.team_id if team else None,
                team,
                u.contact_id,
                has_password,
                u.last_login_at,
                others.get(u.id, ()),
            )
            for u, team, has_password in rows
        ]

    def list_users(self, actor: Actor) -> list[UserRow]:
        """Every user, active first. Administrators only (AccessDenied). Reads."""
        _require_admin(actor)
        with self._db.read(actor) as s:
            return self._rows(s)

    def get_by_login(self, actor: Actor, login: str) -> UserRow:
        """Administrators only; raises NotFound. Reads."""
        _require_admin(actor)
        with self._db.read(actor) as s:
            rows = self._rows(s, User.login == clean_login(login))
        if not rows:
            raise NotFound(f"کاربر «{login}»")
        return rows[0]

    def create_user(self, actor: Actor, data: UserData, password: str) -> UserRow:
        """Administrators only; on a server also creates the login role pv_<login> (refused when another
        server account has that name). Raises AccessDenied, ValidationFailed, ServiceError (the server
        connection may not manage roles). Writes."""
        _require_admin(actor)
        with self._db.write(actor) as s:
            login, name = _validate(s, data, None, password, self.on_server)
            user = User(
                login=login,
                display_name=name,
                access_level=data.access_level,
                team_id=data.team_id,
                contact_id=data.contact_id,
                password_hash=passwords.hash_password(password),
            )
            s.add(user)
            s.flush()
            memberships.set_other_teams(s, user, data.other_team_ids or ())
            if self.on_server:
                admin = data.access_level is AccessLevel.ADMIN
                server_security.set_user_role(s.connection(), login, password, admin=admin)
            return self._rows(s, User.id == user.id)[0]

    def update_user(self, actor: Actor, user_id: uuid.UUID, data: UserData) -> UserRow:
        """Login, name, access level, team and contact card. Administrators only; nobody lowers
        their own level nor the last usable administrator's. On a server the role follows: renamed
        with the login (not the role this connection is logged in as), administrator rights with the
        level. Raises AccessDenied, NotFound, ValidationFailed, ServiceError. Writes."""
        _require_admin(actor)
        with self._db.write(actor) as s:
            user = self._get(s, user_id)
            old_login = user.login
            login, name = _validate(s, data, user.id, None, self.on_server)
            demoted = user.access_level is AccessLevel.ADMIN and data.access_level is not AccessLevel.ADMIN
            if demoted and user.id == actor.user_id:
                raise ValidationFailed({"access_level": "نمی‌توانید سطح دسترسی خودتان را کاهش دهید."})
            if demoted and user.is_active and user.password_hash and not _usable_admins(s, user.id):
                raise ValidationFailed({"access_level": LAST_ADMIN})
            user.login, user.display_name, user.access_level = login, name, data.access_level
            user.team_id, user.contact_id = data.team_id, data.contact_id
            if data.other_team_ids is not None:
                memberships.set_other_teams(s, user, data.other_team_ids)
            s.flush()
            if self.on_server and login != old_login:
                server_security.rename_user_role(s.connection(), old_login, login)
            self._sync_role(s, user)
            return self._rows(s, User.id == user.id)[0]

    def deactivate(self, actor: Actor, user_id: uuid.UUID) -> None:
        """The user can no longer log in; their records keep them as owner. Not oneself, not the
        last usable administrator. On a server the role becomes NOLOGIN. Raises AccessDenied,
        NotFound, ServiceError. Writes."""
        _require_admin(actor)
        if user_id == actor.user_id:
            raise ServiceError("نمی‌توانید حساب خودتان را غیرفعال کنید.")
        with self._db.write(actor) as s:
            user = self._get(s, user_id)
            if user.access_level is AccessLevel.ADMIN and user.password_hash and not _usable_admins(s, user.id):
                raise ServiceError(LAST_ADMIN)
            user.is_active = False
            s.flush()
            self._sync_role(s, user)

    def reactivate(self, actor: Actor, user_id: uuid.UUID) -> None:
        """Administrators only; on a server the role may log in again. Raises AccessDenied, NotFound,
        ServiceError. Writes."""
        _require_admin(actor)
        with self._db.write(actor) as s:
            user = self._get(s, user_id)
            user.is_active = True
            s.flush()
            self._sync_role(s, user)

    def reset_password(self, actor: Actor, user_id: uuid.UUID, new_password: str, temporary: bool = False) -> None:
        """Sets a new password and lifts any waiting time after failed logins. Administrators only.
        A `temporary` one must be replaced at the user's next login. On a server it is also the
        role's new password (created now if the user had no role).
        Raises AccessDenied, NotFound, ValidationFailed (field "password"), ServiceError. Writes."""
        _require_admin(actor)
        with self._db.write(actor) as s:
            user = self._get(s, user_id)
            if message := passwords.weakness(new_password, user.login):
                raise ValidationFailed({"password": message})
            user.password_hash = passwords.hash_password(new_password)
            user.failed_logins, user.locked_until = 0, None
            user.must_change_password = temporary
            s.flush()
            self._sync_role(s, user, new_password)

    def change_own_password(self, login: str, current: str, new: str) -> Actor:
        """A user's own new password in place of a temporary one (the login dialog asks for it);
        `current` is checked as a login checks it. On a server the user's role gets it too. Returns
        the logged-in actor. Raises LoginRefused, ValidationFailed (field "new_password"). Writes."""
        if message := passwords.weakness(new, clean_login(login)):
            raise ValidationFailed({"new_password": message})
        if new == current:
            raise ValidationFailed({"new_password": "گذرواژه تازه باید با گذرواژه موقت فرق داشته باشد."})
        try:
            actor = self.authenticate(login, current)
        except PasswordChangeRequired as exc:
            actor = exc.actor
        new_hash = passwords.hash_password(new)
        with self._db.write(SYSTEM) as s:
            conn = s.connection()
            if self.on_server and server_security.session_role(conn) is not None:
                own_password.set_own_password(conn, new_hash, new)  # the role may not update users itself
            else:
                user = self._get(s, actor.user_id)
                user.password_hash, user.must_change_password = new_hash, False
                s.flush()
                self._sync_role(s, user, new)
        log.info("User %s replaced a temporary password", actor.login)
        return actor

    @staticmethod
    def _get(s: Session, user_id: uuid.UUID) -> User:
        user = s.get(User, user_id)
        if user is None:
            raise NotFound("کاربر")
        return user

    # --- login ---------------------------------------------------------------------------
    def authenticate(self, login: str, password: str, now: dt.datetime | None = None) -> Actor:
        """The actor for `login` if `password` is right. Runs as the system: nobody is logged in
        yet. Raises passwords.LoginRefused: wrong login or password (one message for both),
        inactive, or waiting after failures (the password is then not even checked). Writes the
        failure counter, waiting time and last login.

        On a server connected with a user's own role (pv_<login>, its password already checked by
        PostgreSQL) only that user may log in: the app would otherwise act as one user while the
        server's row security shows another's rows. Their counters are then written through the
        server function that touches only the session user's own row."""
        now = now or utcnow()
        with self._db.write(SYSTEM) as s:
            user = s.scalars(select(User).where(User.login == clean_login(login))).first()
            own_role = server_security.session_role(s.connection()) if self.on_server else None
            if own_role is not None and own_role != server_security.ROLE_PREFIX + clean_login(login):
                log.warning("Login as %s refused on the server connection of %s", clean_login(login), own_role)
                raise passwords.LoginRefused(
                    f"این رایانه با حساب «{own_role.removeprefix(server_security.ROLE_PREFIX)}» به سرور وصل است؛ "
                    "با همان کاربر وارد شوید یا از «ابزار ← اتصال به سرور» حساب سرور را تغییر دهید."
                )
            if own_role is not None and user is not None:  # the role may not read the column itself
                set_committed_value(user, "password_hash", server_security.own_password_hash(s.connection()))
            refusal = passwords.check_attempt(user, password, now)
            actor = _actor(user) if user is not None and refusal is None else None
            if actor is not None and user.must_change_password:
                refusal = PasswordChangeRequired(actor)
            if own_role is not None and user is not None:
                stamps = (user.failed_logins, user.locked_until, user.last_login_at if refusal is None else None)
                s.expire(user)  # the ORM's UPDATE would be refused by row security for a non-administrator
                server_security.record_login(s.connection(), *stamps)
        if refusal is not None:
            raise refusal
        assert actor is not None
        log.info("User %s logged in", actor.login)
        return actor
