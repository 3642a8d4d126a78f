"""Importing products and prices from XLSX or CSV, read by the identities import's generic reader
(app.services.identities.table.read_table). Headers are Persian or English; a column named after a
price list («لیست قیمت عمده» or just «عمده») fills that list's prices. Existing codes are updated.

One transaction: a bad row is reported and skipped; nothing is half-written on a failure.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import inspect, select

from app.models import PriceList, Product, ProductGroup
from app.persian import normalize_text, parse_money, search_key, to_ascii_digits
from app.persian.errors import ValidationError
from app.services.catalog.price_lists import PriceListService
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.errors import AccessDenied, ValidationFailed
from app.services.identities.table import read_table

COLUMNS = {
    "code": ("کد", "کد محصول", "code"),
    "name": ("نام", "نام محصول", "عنوان", "name"),
    "group": ("گروه", "گروه محصول", "group"),
    "unit": ("واحد", "واحد اندازه‌گیری", "unit"),
    "default_price": ("قیمت", "قیمت پیش‌فرض", "price"),
    "on_hand": ("موجودی", "stock"),
    "vat_exempt": ("معاف از مالیات", "vat_exempt"),
    "is_service": ("خدمت", "service"),
    "sstid": ("شناسه کالا", "شناسه مودیان", "sstid"),
    "unit_code": ("کد واحد", "unit_code"),
}
_KEYS = {search_key(alias): key for key, aliases in COLUMNS.items() for alias in aliases}
YES = {search_key(w) for w in ("بله", "آری", "1", "yes", "true", "x", "✓")}


@dataclass
class ProductImportResult:
    created: int = 0
    updated: int = 0
    prices: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row number, Persian message)
    warnings: list[tuple[int, str]] = field(default_factory=list)  # imported, but read differently from the file


class ProductImportService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def run(self, actor: Actor, path: Path) -> ProductImportResult:
        """Imports the file's products and prices. Admin only; raises ServiceError for an unreadable file. Writes."""
        if not actor.is_admin:
            raise AccessDenied("فقط مدیر می‌تواند محصولات را وارد کند.")
        table = read_table(Path(path))
        result = ProductImportResult(warnings=list(table.warnings))
        with self._db.write(actor) as s:
            lists = {
                search_key(p.name): p.id for p in s.scalars(select(PriceList).where(PriceList.deleted_at.is_(None)))
            }
            columns, price_columns = {}, {}
            for index, header in enumerate(table.headers):
                key = search_key(header)
                if key in _KEYS:
                    columns[_KEYS[key]] = index
                else:
                    name = search_key(header.replace("لیست قیمت", ""))
                    if name in lists:
                        price_columns[index] = lists[name]
            if "code" not in columns or "name" not in columns:
                result.errors.append((1, "ستون‌های «کد» و «نام» لازم‌اند."))
                return result
            groups = {
                search_key(g.name): g for g in s.scalars(select(ProductGroup).where(ProductGroup.deleted_at.is_(None)))
            }
            for number, cells in table.numbered_rows():
                counts = (result.created, result.updated, result.prices)
                try:
                    with s.begin_nested():  # a bad row leaves nothing behind
                        self._row(s, columns, price_columns, cells, groups, result)
                except (ValidationError, ValidationFailed, decimal.InvalidOperation) as exc:
                    result.created, result.updated, result.prices = counts
                    for key in [k for k, g in groups.items() if not inspect(g).persistent]:
                        del groups[key]  # a group made by the refused row went with it
                    if isinstance(exc, ValidationFailed):  # text_guard at the row's flush: too long, unsafe, too large
                        message = "؛ ".join(exc.errors.values())
                    else:
                        message = getattr(exc, "message", "عدد نامعتبر است.")
                    result.errors.append((number, message))
        return result

    @staticmethod
    def _row(s, columns, price_columns, cells, groups, result) -> None:
        def cell(key: str) -> str:
            return cells[columns[key]].strip() if key in columns else ""

        code, name = to_ascii_digits(cell("code")), normalize_text(cell("name"))
        if not code or not name:
            raise ValidationError("کد و نام محصول لازم است.")
        product = s.scalars(select(Product).where(Product.code == code, Product.deleted_at.is_(None))).first()
        if product is None:
            product = Product(code=code, is_other=False, on_hand=0, default_price=0, unit="عدد")
            s.add(product)
            result.created += 1
        else:
            result.updated += 1
        product.name, product.name_key = name, search_key(name)
        if cell("group"):
            key = search_key(cell("group"))
            if key not in groups:
                groups[key] = ProductGroup(name=normalize_text(cell("group")))
                s.add(groups[key])
                s.flush()
            product.group_id = groups[key].id
        if cell("unit"):
            product.unit = cell("unit")
        if cell("default_price"):
            product.default_price = parse_money(cell("default_price"))
        if cell("on_hand"):
            product.on_hand = float(decimal.Decimal(to_ascii_digits(cell("on_hand")).replace("٫", ".")))
        for flag in ("vat_exempt", "is_service"):
            if cell(flag):
                setattr(product, flag, search_key(cell(flag)) in YES)
        if product.is_service:
            product.track_stock = False
        product.sstid = cell("sstid") or product.sstid
        product.unit_code = cell("unit_code") or product.unit_code
        s.flush()
        for index, list_id in price_columns.items():
            text = cells[index].strip()
            if text:
                PriceListService._set(s, list_id, product.id, parse_money(text))
                result.prices += 1
