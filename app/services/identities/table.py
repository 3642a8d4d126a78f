"""Identities as a spreadsheet: the columns import and export share, reading CSV/XLSX, and writing
XLSX (right-to-left sheet) and CSV (UTF-8 with BOM) with formula-like cells neutralised.

Export uses the Persian labels as headers, so an exported file imports again unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError

from app.persian import format_date, format_number, search_key, to_ascii_digits
from app.services.core.errors import ServiceError
from app.services.core.text_guard import has_unsafe, strip_unsafe
from app.services.core.xlsx_export import DANGEROUS, XlsxSheet, neutralise
from app.services.identities import sheet_scan

# field -> Persian header. Order = the export's column order.
IMPORT_FIELDS: dict[str, str] = {
    "kind": "نوع",
    "role": "نقش",
    "title": "عنوان",
    "first_name": "نام",
    "last_name": "نام خانوادگی",
    "org_name": "نام سازمان",
    "full_name": "نام کامل",
    "national_code": "کد ملی",
    "legal_id": "شناسه ملی",
    "economic_code": "کد اقتصادی",
    "registration_no": "شماره ثبت",
    "birth_date": "تاریخ تولد",
    "mobile": "موبایل",
    "phone": "تلفن",
    "home_phone": "تلفن منزل",
    "fax": "نمابر",
    "email": "ایمیل",
    "website": "وب‌سایت",
    "province": "استان",
    "city": "شهر",
    "street": "نشانی",
    "postal_code": "کد پستی",
    "category": "دسته‌بندی",
    "source": "منبع",
    "tags": "برچسب‌ها",
    "owner": "مسئول",
    "description": "توضیحات",
}
EXPORT_FIELDS = [*IMPORT_FIELDS, "created_at"]
EXPORT_HEADERS = {**IMPORT_FIELDS, "created_at": "تاریخ ایجاد"}
# Other spellings seen in files from other CRMs and Excel sheets (compared by search key).
ALIASES: dict[str, tuple[str, ...]] = {
    "kind": ("نوع هویت", "نوع شخص", "حقیقی/حقوقی", "type", "kind"),
    "role": ("وضعیت", "role", "status"),
    "title": ("پیشوند", "title", "salutation"),
    "first_name": ("اسم", "نام کوچک", "first name", "firstname", "given name"),
    "last_name": ("فامیلی", "نام‌خانوادگی", "last name", "lastname", "surname", "family name", "family"),
    "org_name": ("شرکت", "سازمان", "نام شرکت", "company", "organisation", "organization", "company name"),
    "full_name": ("نام و نام خانوادگی", "نام‌ونام‌خانوادگی", "full name", "fullname", "display name", "contact", "name"),
    "national_code": ("کدملی", "شماره ملی", "national code", "national id", "nationalcode", "melli code"),
    "legal_id": ("شناسه", "شناسه‌ملی", "legal id", "legal national id"),
    "economic_code": ("کد‌اقتصادی", "شماره اقتصادی", "economic code", "tax id", "economic id"),
    "registration_no": ("شماره‌ثبت", "registration", "registration no", "registration number"),
    "birth_date": ("تاریخ‌تولد", "تولد", "birth date", "birthday", "date of birth"),
    "mobile": ("تلفن همراه", "شماره موبایل", "همراه", "mobile", "cell", "cellphone", "mobile phone"),
    "phone": ("تلفن ثابت", "تلفن محل کار", "تلفن کار", "phone", "telephone", "tel", "work phone"),
    "home_phone": ("تلفن‌منزل", "home phone", "home"),
    "fax": ("فکس", "fax"),
    "email": ("پست الکترونیک", "ایمیل‌ها", "e-mail", "email", "mail", "email address"),
    "website": ("سایت", "وبسایت", "website", "web", "url", "site"),
    "province": ("state", "province", "region"),
    "city": ("city", "town"),
    "street": ("آدرس", "نشانی کامل", "address", "street", "street address"),
    "postal_code": ("کدپستی", "postal code", "postcode", "zip", "zip code"),
    "category": ("گروه", "دسته", "category", "group"),
    "source": ("نحوه آشنایی", "نحوه‌ی آشنایی", "منبع آشنایی", "source", "lead source"),
    "tags": ("برچسب", "tags", "tag", "labels"),
    "owner": ("کارشناس", "کاربر مسئول", "owner", "assigned to", "sales rep"),
    "description": ("یادداشت", "شرح", "description", "notes", "note", "comments"),
}
_KEYS = {search_key(name): field for field, label in IMPORT_FIELDS.items() for name in (label, field)}
_KEYS |= {search_key(alias): field for field, aliases in ALIASES.items() for alias in aliases}
UNCALCULATED = "فرمولی است که مقدارش در فایل ذخیره نشده و خالی خوانده شد؛ فایل را در اکسل باز و دوباره ذخیره کنید."


@dataclass
class ImportTable:
    headers: list[str]
    rows: list[list[str]]
    first_row_number: int = 2  # the spreadsheet's number of rows[0] (the header is row 1)
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (row number, Persian) read, but changed

    def numbered_rows(self) -> list[tuple[int, list[str]]]:
        """(row number as the spreadsheet shows it, cells) for non-empty rows."""
        return [(self.first_row_number + i, r) for i, r in enumerate(self.rows) if any(c.strip() for c in r)]


def guess_mapping(headers: list[str]) -> dict[int, str | None]:
    """Column index -> field (Persian or English header, folded); each field is used once."""
    used: set[str] = set()
    mapping: dict[int, str | None] = {}
    for index, header in enumerate(headers):
        field = _KEYS.get(search_key(header))
        if field in used:
            field = None
        mapping[index] = field
        if field:
            used.add(field)
    return mapping


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        return to_ascii_digits(format_date(day))  # Excel dates are Gregorian; the importer reads Jalali
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in DANGEROUS:
        text = text[1:]  # written neutralised by our export
    return text


def read_table(path: Path) -> ImportTable:
    """The first sheet of an XLSX file, or a CSV file (UTF-8 with or without BOM; , ; or tab)."""
    from python_calamine import CalamineError

    path = Path(path)
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return _read_xlsx(path)
        return _read_csv(path)
    except (OSError, UnicodeDecodeError, ValueError, KeyError, zipfile.BadZipFile, ParseError, CalamineError) as exc:
        raise ServiceError(f"فایل «{path.name}» خوانده نشد: قالب آن CSV (UTF-8) یا XLSX نیست.") from exc


def _read_xlsx(path: Path) -> ImportTable:
    # calamine (Rust) reads a 10,000-row sheet in a tenth of openpyxl's time; openpyxl still writes.
    from python_calamine import CalamineWorkbook

    scan = sheet_scan.scan(path)  # first: calamine must never see a sheet it cannot hold
    with CalamineWorkbook.from_path(str(path)) as book:
        rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False) if scan.rows else []
    table = _table(rows)
    for number, ref in scan.uncalculated:
        table.warnings.append((number, f"خانه {ref} {UNCALCULATED}"))
    table.warnings.sort(key=lambda w: w[0])
    return table


def _table(rows: Iterable[list]) -> ImportTable:
    """Header and body as text, each row as wide as the header; unsafe characters (text_guard) are
    stripped from cells and noted per row."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        raise ServiceError("فایل خالی است.")
    headers = [strip_unsafe(_cell_text(c)) for c in first]
    width = len(headers)
    table = ImportTable(headers, [])
    for number, row in enumerate(rows, start=table.first_row_number):
        cells = [_cell_text(c) for c in row[:width]]
        dirty = [headers[i] or str(i + 1) for i, c in enumerate(cells) if has_unsafe(c)]
        if dirty:
            cells = [strip_unsafe(c) for c in cells]
            names = "، ".join(f"«{h}»" for h in dirty)
            table.warnings.append((number, f"نویسه‌های کنترلی یا نامرئی تغییر جهت از {names} حذف شد."))
        table.rows.append(cells + [""] * (width - len(cells)))
    return table


def _read_csv(path: Path) -> ImportTable:
    text = path.read_text(encoding="utf-8-sig")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return _table(_csv_rows(csv.reader(io.StringIO(text), dialect)))


def _csv_rows(reader) -> Iterable[list[str]]:
    """The reader's rows up to the row limit; a broken row is a Persian error naming it, not a traceback."""
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            limit = format_number(csv.field_size_limit())
            reason = f"خانه‌ای بیش از {limit} نویسه دارد" if "field limit" in str(exc) else "قالب CSV آن خراب است"
            raise ServiceError(f"ردیف {format_number(number + 1)} فایل خوانده نشد: {reason}.") from exc
        number += 1
        if number > sheet_scan.MAX_ROWS + 1:
            raise ServiceError(sheet_scan.too_big(number))
        yield row


class SheetWriter:
    """Writes rows to an XLSX (RTL, bold Persian header) or CSV (UTF-8 BOM) file, chosen by suffix."""

    def __init__(self, path: Path, headers: list[str], title: str = "هویت‌ها") -> None:
        self.path = Path(path)
        self.xlsx = self.path.suffix.lower() == ".xlsx"
        if self.xlsx:
            self._sheet = XlsxSheet(self.path, headers, title)
        else:
            self._file = self.path.open("w", encoding="utf-8-sig", newline="")
            self._csv = csv.writer(self._file)
            self._csv.writerow(headers)

    def write(self, rows: Iterable[list[str]]) -> None:
        for row in rows:
            if self.xlsx:
                self._sheet.append(row)
            else:
                self._csv.writerow([neutralise(strip_unsafe(v or "")) for v in row])  # rows stored before text_guard

    def close(self) -> None:
        if self.xlsx:
            self._sheet.close()
        else:
            self._file.close()

    def abort(self) -> None:
        """Stops without leaving a partial file behind."""
        if self.xlsx:
            self._sheet.abort()
        else:
            self._file.close()
            self.path.unlink(missing_ok=True)
