"""Exporting the identity list, with its current filters and order, to XLSX or CSV.

Rows are read in pages (keyset on the list's order would need the sort values; pages of a few
thousand by offset are cheap next to writing the file) with their phones, e-mails, first address
and tags fetched per page, and written as they come, so 200,000 rows never sit in memory at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from app.models import Identity, IdentityAddress, IdentityEmail, IdentityPhone, PhoneKind, Tag, identity_tags
from app.persian import format_date, format_number
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.errors import ServiceError
from app.services.core.labels import KIND, ROLE
from app.services.core.xlsx_export import ExportCancelled
from app.services.identities.service import IdentityQuery, list_select, order_of
from app.services.identities.table import EXPORT_FIELDS, EXPORT_HEADERS, SheetWriter

PAGE = 2_000
Progress = Callable[[int, int, str], None]


def _children(s, ids: list[uuid.UUID]) -> dict:
    """Per identity id: phones by kind, e-mails, first address, tags (one query per kind of child)."""
    found: dict = {i: {"mobile": [], "phone": [], "home_phone": [], "fax": [], "email": [], "tags": []} for i in ids}
    kinds = {PhoneKind.MOBILE: "mobile", PhoneKind.WORK: "phone", PhoneKind.HOME: "home_phone", PhoneKind.FAX: "fax"}
    phones = (
        select(IdentityPhone.identity_id, IdentityPhone.kind, IdentityPhone.number)
        .where(IdentityPhone.identity_id.in_(ids), IdentityPhone.deleted_at.is_(None))
        .order_by(IdentityPhone.position)
    )
    for identity_id, kind, number in s.execute(phones):
        found[identity_id][kinds[kind]].append(number)
    emails = (
        select(IdentityEmail.identity_id, IdentityEmail.email)
        .where(IdentityEmail.identity_id.in_(ids), IdentityEmail.deleted_at.is_(None))
        .order_by(IdentityEmail.position)
    )
    for identity_id, email in s.execute(emails):
        found[identity_id]["email"].append(email)
    addresses = (
        select(IdentityAddress)
        .where(IdentityAddress.identity_id.in_(ids), IdentityAddress.deleted_at.is_(None))
        .order_by(IdentityAddress.position.desc())
    )
    for address in s.scalars(addresses):  # the first position is written last and wins
        found[address.identity_id]["address"] = address
    tags = (
        select(identity_tags.c.identity_id, Tag.name)
        .join(Tag, Tag.id == identity_tags.c.tag_id)
        .where(identity_tags.c.identity_id.in_(ids))
        .order_by(Tag.name)
    )
    for identity_id, name in s.execute(tags):
        found[identity_id]["tags"].append(name)
    return found


def _row(identity: Identity, extra: dict, names: dict) -> list[str]:
    address = extra.get("address")
    values = {
        "kind": KIND[identity.kind],
        "role": ROLE[identity.role],
        "title": identity.title,
        "first_name": identity.first_name,
        "last_name": identity.last_name,
        "org_name": identity.org_name,
        "full_name": identity.display_name,
        "national_code": identity.national_code,
        "legal_id": identity.legal_id,
        "economic_code": identity.economic_code,
        "registration_no": identity.registration_no,
        "birth_date": format_date(identity.birth_date) if identity.birth_date else "",
        "mobile": "، ".join(extra["mobile"]),
        "phone": "، ".join(extra["phone"]),
        "home_phone": "، ".join(extra["home_phone"]),
        "fax": "، ".join(extra["fax"]),
        "email": "، ".join(extra["email"]),
        "website": identity.website,
        "province": address.province if address else "",
        "city": address.city if address else "",
        "street": address.street if address else "",
        "postal_code": address.postal_code if address else "",
        "category": names["category"],
        "source": names["source"],
        "tags": "، ".join(extra["tags"]),
        "owner": names["owner"],
        "description": identity.description,
        "created_at": format_date(identity.created_at.date()),
    }
    return [values.get(f) or "" for f in EXPORT_FIELDS]


class IdentityExportService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def export(
        self,
        actor: Actor,
        query: IdentityQuery,
        path: Path,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> int:
        """Writes the identities of `query` the actor may see to `path` (.xlsx or .csv), in the list's
        order; returns how many. Anyone; raises ExportCancelled (no file is left), ServiceError (the
        file cannot be written). Reads the database, writes the file."""
        from app.services.identities.service import IdentityService

        total = IdentityService(self._db).count(actor, query)
        path = Path(path)
        try:
            writer = SheetWriter(path, [EXPORT_HEADERS[f] for f in EXPORT_FIELDS])
        except OSError as exc:
            raise ServiceError(f"فایل «{path.name}» ساخته نشد: {exc.strerror or exc}") from exc
        written = 0
        try:
            with self._db.read(actor) as s:
                dialect = self._db.engine.dialect.name
                base = list_select(s, query, dialect).order_by(*order_of(query))
                while True:
                    if cancelled is not None and cancelled():
                        raise ExportCancelled()
                    page = s.execute(base.offset(written).limit(PAGE)).all()
                    if not page:
                        break
                    ids = [r.id for r in page]
                    identities = {i.id: i for i in s.scalars(select(Identity).where(Identity.id.in_(ids)))}
                    extra = _children(s, ids)
                    rows = []
                    for r in page:
                        names = {"category": r[9] or "", "source": r[10] or "", "owner": r[6] or ""}
                        rows.append(_row(identities[r.id], extra[r.id], names))
                    writer.write(rows)
                    written += len(page)
                    s.expunge_all()
                    if progress is not None:
                        progress(written, total, f"ردیف {format_number(written)} از {format_number(total)}")
            writer.close()
        except BaseException:
            writer.abort()
            raise
        return written
