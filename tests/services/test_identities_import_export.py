"""Import (CSV/XLSX, mapping, duplicates, errors, cancel) and export (XLSX RTL, CSV BOM, formulas)."""

from __future__ import annotations

import pytest
from openpyxl import Workbook, load_workbook

from app.services.identities.importer import ImportCancelled, write_error_report
from app.services.identities.records import IdentityData, PhoneData
from app.services.identities.service import IdentityQuery
from app.services.identities.table import ImportTable, guess_mapping

CSV = (
    "نام,نام خانوادگی,موبایل,ایمیل,کد ملی,شهر,دسته‌بندی,برچسب‌ها,نام سازمان,نوع\n"
    "علی,کریمی,09121234567,a@example.ir,0068415941,تهران,مشتریان,مهم،vip,,\n"
    "مریم,,0912,bad,,,,,,\n"
    ",,۰۹۳۵۱۱۱۲۲۳۳,,,,,,شرکت آلفا,سازمان\n"
    "علی,کریمی دوم,09121234567,,,,,,,\n"
    ",,,,,,,,,\n"
    "سارا,,,,123,,,,,\n"
)


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(CSV, encoding="utf-8-sig")
    return path


def _run(services, actor, path, on_duplicate="skip"):
    table = services.identity_import.read(path)
    return table, services.identity_import.run(actor, table, guess_mapping(table.headers), on_duplicate)


def test_headers_in_persian_and_english_are_recognised() -> None:
    headers = ["First Name", "نام‌خانوادگی", "Mobile", "E-mail", "کدملی", "Company", "zip", "نحوه آشنایی", "???"]
    assert list(guess_mapping(headers).values()) == [
        "first_name",
        "last_name",
        "mobile",
        "email",
        "national_code",
        "org_name",
        "postal_code",
        "source",
        None,
    ]


def test_csv_import_reports_bad_rows_by_number_and_skips_duplicates(services, admin, csv_file, tmp_path) -> None:
    table, result = _run(services, admin, csv_file)
    assert (result.total, result.created, result.skipped, result.failed) == (5, 2, 1, 2)
    assert [e.row_number for e in result.errors] == [3, 7]
    assert "شماره موبایل معتبر نیست" in result.errors[0].reason and "ایمیل" in result.errors[0].reason
    assert "کد ملی" in result.errors[1].reason
    ali = services.identities.search(admin, IdentityQuery(text="کریمی"))[0]
    detail = services.identities.get(admin, ali.id)
    assert (detail.category_name, sorted(detail.tags), detail.addresses[0].city) == ("مشتریان", ["vip", "مهم"], "تهران")
    org = services.identities.search(admin, IdentityQuery(text="آلفا"))[0]
    assert org.mobile == "09351112233" and org.kind.value == "organisation"
    history = services.history.record_history(admin, "identities", ali.id)
    assert [h.action for h in history] == ["create"]
    report = tmp_path / "errors.xlsx"
    write_error_report(report, table, result.errors)
    sheet = load_workbook(report).active
    assert sheet.sheet_view.rightToLeft
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("ردیف", "دلیل", "نام") and rows[1][0] == "3" and rows[2][0] == "7"


def test_duplicates_can_be_merged_or_created(services, admin, csv_file) -> None:
    services.identities.create(admin, IdentityData(last_name="کریمی", phones=[PhoneData("09121234567")]))
    _table, merged = _run(services, admin, csv_file, "merge")
    assert (merged.created, merged.merged) == (1, 2)
    (karimi,) = services.identities.search(admin, IdentityQuery(text="09121234567"))
    detail = services.identities.get(admin, karimi.id)
    assert detail.first_name == "علی" and detail.emails == ["a@example.ir"] and detail.national_code == "0068415941"
    _table, created = _run(services, admin, csv_file, "create")
    assert (created.created, created.merged, created.skipped) == (3, 0, 0)
    assert services.identities.count(admin, IdentityQuery(text="09121234567")) == 3


def test_a_cancelled_import_leaves_nothing(services, admin) -> None:
    rows = [[f"نفر {i}", f"0912{i:07d}"] for i in range(600)]
    table = ImportTable(["نام خانوادگی", "موبایل"], rows)
    calls = {"n": 0}

    def cancelled() -> bool:
        calls["n"] += 1
        return calls["n"] > 3  # after part of the rows were written

    with pytest.raises(ImportCancelled):
        services.identity_import.run(admin, table, {0: "last_name", 1: "mobile"}, "skip", None, cancelled)
    assert services.identities.count(admin, IdentityQuery()) == 0
    result = services.identity_import.run(admin, table, {0: "last_name", 1: "mobile"})
    assert result.created == 600 and services.identities.count(admin, IdentityQuery(text="09120000599")) == 1


def test_xlsx_import_with_numbers_dates_and_a_preview(services, admin, tmp_path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Last name", "Mobile", "تاریخ تولد", "Role"])
    sheet.append(["رضایی", 9121234567, "1370/05/12", "مخاطب"])
    sheet.append(["احمدی", "09350000000", "1370/13/40", "سرنخ"])
    path = tmp_path / "people.xlsx"
    book.save(path)
    table = services.identity_import.read(path)
    preview = services.identity_import.preview(admin, table, guess_mapping(table.headers))
    assert preview[0].error is None and preview[1].error == "تاریخ نامعتبر است"
    result = services.identity_import.run(admin, table, guess_mapping(table.headers))
    assert (result.created, result.failed) == (1, 1)
    row = services.identities.search(admin, IdentityQuery(text="رضایی"))[0]
    detail = services.identities.get(admin, row.id)
    assert detail.phones[0].number == "09121234567" and detail.role.value == "contact"
    assert detail.birth_date.isoformat() == "1991-08-03"


def test_export_round_trip_xlsx_and_csv(demo_services, demo_admin, tmp_path) -> None:
    services, admin = demo_services, demo_admin
    query = IdentityQuery(text="09", sort="created_at")
    count = services.identities.count(admin, query)
    xlsx, csv = tmp_path / "out.xlsx", tmp_path / "out.csv"
    assert services.identity_export.export(admin, query, xlsx) == count
    assert services.identity_export.export(admin, query, csv) == count
    assert csv.read_bytes()[:3] == b"\xef\xbb\xbf"
    sheet = load_workbook(xlsx, read_only=False).active
    assert sheet.sheet_view.rightToLeft and sheet["A1"].value == "نوع" and sheet["A1"].font.bold
    for path in (xlsx, csv):
        table = services.identity_import.read(path)
        assert len(table.rows) == count
        result = services.identity_import.run(admin, table, guess_mapping(table.headers), "skip")
        assert (result.skipped, result.created, result.failed) == (count, 0, 0), result.errors[:3]


def test_exported_cells_never_run_as_formulas(services, admin, tmp_path) -> None:
    services.identities.create(admin, IdentityData(last_name='=HYPERLINK("http://x")', description="+1 -2 @me"))
    path = tmp_path / "out.xlsx"
    services.identity_export.export(admin, IdentityQuery(), path)
    sheet = load_workbook(path).active
    values = [c.value for c in sheet[2]]
    assert '\'=HYPERLINK("http://x")' in values and "'+1 -2 @me" in values
    assert all(not (isinstance(v, str) and v[:1] in "=+-@") for v in values)
    table = services.identity_import.read(path)
    assert table.rows[0][table.headers.index("نام خانوادگی")] == '=HYPERLINK("http://x")'
