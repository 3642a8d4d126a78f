"""DocumentData → PDF bytes: quotes, invoices, returns (the official form), contracts (the same form
with the contract's term and its payment schedule: contract_print.py) and receipt vouchers.

Layout (iran-rules.md §1.1), A4 portrait, right to left:
title and number/date box, «مشخصات فروشنده», «مشخصات خریدار», the 11-column
line table with its totals row, «جمع کل» and the settlement boxes, the amount
in words, «توضیحات», and the two stamp-and-signature boxes.  Long tables flow
onto more pages; each repeats the table header and every page has a footer
«صفحه ۱ از ۲».  Blocks are measured first, paginated, then drawn.
"""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from app.persian import amount_in_words, format_date, format_money, format_number

from .arithmetic import compute_lines, compute_totals
from .blocks import (
    Block,
    ContinuationHeader,
    DocumentHeader,
    Field,
    Grid,
    SettlementRow,
    Signatures,
    Spacer,
    watermark,
)
from .contract_print import schedule_blocks, term_rows
from .doc_numbers import PROVISIONAL, PROVISIONAL_NOTE, provisional_label
from .drawing import CONTENT_BOTTOM, MARGIN_TOP, MUTED, PAGE_H, PAGE_W, X_LEFT, X_RIGHT, Pen
from .model import Cheque, DocumentData, DocumentKind, Party, PartyType, PaymentMethod, ReceiptInfo, Settlement
from .pagination import Pages, Placed, table_rows
from .pdf_text import FONT, persian_id, register_fonts
from .table import LineTable, money_text, money_words

TITLES = {
    DocumentKind.QUOTE: "پیش‌فاکتور",
    DocumentKind.INVOICE: "صورتحساب فروش کالا و خدمات",
    DocumentKind.RETURN: "صورتحساب برگشت از فروش",
    DocumentKind.RECEIPT: "رسید دریافت وجه",
    DocumentKind.PAYMENT: "رسید پرداخت وجه",
    DocumentKind.CONTRACT: "قرارداد مالی",
}
DRAFT = "پیش‌نویس"
NOT_LEGAL = "فاقد شماره قطعی"
GAP = 6.0


def _title(data: DocumentData) -> str:
    return f"{DRAFT} {TITLES[data.kind]}" if data.is_draft else TITLES[data.kind]


def _number(data: DocumentData) -> str:
    if data.is_provisional:
        return provisional_label(persian_id(data.provisional_number))
    return persian_id(data.number.strip())


def _info(data: DocumentData) -> list[tuple[str, str]]:
    # A draft has no number at all: «شماره: پیش‌نویس» in the number box looked like a serial.
    first = ("وضعیت", DRAFT) if data.is_draft else ("شماره", _number(data))
    if data.is_provisional:  # issued on a laptop: says plainly it is not the legal number yet
        first = (PROVISIONAL, f"{persian_id(data.provisional_number)} ({PROVISIONAL_NOTE})")
    rows = [first, ("تاریخ", format_date(data.issue_date))]
    if data.kind is DocumentKind.QUOTE and data.valid_until:
        rows.append(("اعتبار تا", format_date(data.valid_until)))
    if data.kind is DocumentKind.RETURN:
        rows.append(("صورتحساب مرجع", persian_id(data.original_invoice_number)))
    if data.contract is not None:
        rows += term_rows(data.contract)
    return rows


def _identity(p: Party) -> tuple[str, str]:
    if p.party_type is PartyType.PERSON:
        return "کد ملی", persian_id(p.national_id)
    parts = [
        (label, persian_id(v)) for label, v in (("شناسه ملی", p.national_id), ("شماره ثبت", p.registration_number)) if v
    ]
    if not parts:
        return "شناسه ملی / شماره ثبت", ""
    # Both values in one RTL run: the first (شناسه ملی) sits next to its label.
    return " / ".join(label for label, _ in parts), " / ".join(v for _, v in parts)


def party_block(title: str, p: Party) -> Grid:
    id_label, id_value = _identity(p)
    # The middle column is wide enough for a 14-digit economic code of the widest digits (۳).
    return Grid(
        [
            [
                Field("نام شخص حقیقی / حقوقی", p.name, 2.3),
                Field("شماره اقتصادی", persian_id(p.economic_code), 1.45),
                Field(id_label, id_value, 1.76),
            ],
            [
                Field("نشانی کامل", persian_id(p.address), 2.3),
                Field("کد پستی ۱۰ رقمی", persian_id(p.postal_code), 1.45),
                Field("شماره تلفن / نمابر", persian_id(p.phone), 1.76),
            ],
        ],
        title,
    )


def _notes(data: DocumentData) -> Grid:
    return Grid([[Field("توضیحات", data.notes, min_lines=2)]])


def _sales_blocks(data: DocumentData) -> tuple[list[Block], LineTable, list[Block]]:
    amounts = compute_lines(line.to_input() for line in data.lines)
    totals = compute_totals(amounts)
    unit = data.printed_unit
    table = LineTable(data.lines, amounts, totals, unit)
    settlement = data.settlement
    cash = settlement in (Settlement.CASH, Settlement.BOTH)
    credit = settlement in (Settlement.CREDIT, Settlement.BOTH)
    words_label = "مبلغ قابل استرداد به حروف" if data.kind is DocumentKind.RETURN else "مبلغ قابل پرداخت به حروف"
    schedule = schedule_blocks(data.contract, unit) if data.contract is not None else []
    closing: list[Block] = [
        SettlementRow(cash, credit, f"جمع کل ({unit.value})", money_text(totals.tbill, unit)),
        Grid([[Field(words_label, money_words(totals.tbill, unit))]]),
        *schedule,
        _notes(data),
        Spacer(GAP),
        Signatures("مهر و امضای فروشنده", "مهر و امضای خریدار"),
    ]
    first = [party_block("مشخصات فروشنده", data.seller), Spacer(GAP), party_block("مشخصات خریدار", data.buyer)]
    return first, table, closing


def _cheque_rows(ch: Cheque) -> list[list[Field]]:
    state = [Field("وضعیت چک", ch.state)] if ch.state else []  # cheques we pay have no state of ours
    return [
        [
            Field("شماره چک", persian_id(ch.number)),
            Field("شناسه صیادی", persian_id(ch.sayad_id), 1.4),
            Field("تاریخ سررسید", format_date(ch.due_date)),
        ],
        [Field("بانک", ch.bank), Field("شعبه", ch.branch), *state],
    ]


def _statement(data: DocumentData, info: ReceiptInfo, money: str, purpose: str) -> str:
    """What the voucher certifies; a credit (اعتباری) moves no money, so it does not say it was paid."""
    company, customer = data.seller.name, data.buyer.name
    paying = data.kind is DocumentKind.PAYMENT
    if info.method is PaymentMethod.CREDIT:
        moved = "پرداخت" if paying else "دریافت"
        return f"مبلغ {money}{purpose} به‌صورت اعتباری در حساب {customer} منظور شد؛ وجهی {moved} نشده است."
    if paying:
        how = f"به روش {info.method.label}"
        return f"بدین‌وسیله {customer} دریافت مبلغ {money} از {company}{purpose} {how} را تأیید می‌کند."
    if info.cheque:
        number = persian_id(info.cheque.number)
        return (
            f"بدین‌وسیله دریافت چک شماره {number} به مبلغ {money} از {customer}{purpose} تأیید می‌شود؛ "
            "این رسید پس از وصول وجه چک معتبر است."
        )
    return f"بدین‌وسیله دریافت مبلغ {money} از {customer}{purpose} به روش {info.method.label} تأیید می‌شود."


def _receipt_blocks(data: DocumentData) -> list[Block]:
    """A receipt (the company receives) or a payment (the company pays back): the company's block and
    signature box come first (top, right) in both; the wording and the signature labels follow who pays."""
    info = data.receipt
    assert info is not None  # DocumentData.validate
    unit = data.printed_unit
    money = format_money(info.amount, unit)
    paying = data.kind is DocumentKind.PAYMENT
    credit = info.method is PaymentMethod.CREDIT
    moved = "پرداختی" if paying else "دریافتی"
    day = format_date(info.paid_on or data.issue_date)
    rows = [
        [
            Field("مبلغ" if credit else f"مبلغ {moved}", money),
            Field("تاریخ" if credit else ("تاریخ پرداخت" if paying else "تاریخ دریافت"), day),
        ],
        [Field("مبلغ به حروف", amount_in_words(info.amount, unit))],
        [Field("روش پرداخت", info.method.label), Field("شماره پیگیری / مرجع", persian_id(info.reference))],
    ]
    if info.cheque:
        rows += _cheque_rows(info.cheque)
    purpose = ""
    invoices = "، ".join(persian_id(n) for n in info.invoice_numbers if n)
    if invoices:
        rows.append([Field("بابت صورتحساب شماره", invoices)])
        purpose = f" بابت صورتحساب شماره {invoices}"
    instalments = "، ".join(info.instalments)
    if instalments:
        rows.append([Field("بابت", instalments)])
        purpose += f" بابت {instalments}" if not purpose else f" و {instalments}"
    if info.return_number:
        number, when = persian_id(info.return_number), format_date(info.return_date)
        rows.append([Field("بابت برگشت از فروش شماره", number), Field("تاریخ برگشت از فروش", when)])
        purpose = f" بابت استرداد وجه برگشت از فروش شماره {number} مورخ {when}"
    if paying:
        parties = ("مشخصات پرداخت‌کننده", "مشخصات دریافت‌کننده")
        signatures = Signatures("مهر و امضای پرداخت‌کننده", "امضای دریافت‌کننده")
    else:
        parties = ("مشخصات دریافت‌کننده", "مشخصات پرداخت‌کننده")
        signatures = Signatures("مهر و امضای دریافت‌کننده", "امضای پرداخت‌کننده")
    return [
        party_block(parties[0], data.seller),
        Spacer(GAP),
        party_block(parties[1], data.buyer),
        Spacer(GAP),
        Grid(rows, "مشخصات مبلغ اعتباری" if credit else f"مشخصات وجه {moved}"),
        Grid([[Field("", _statement(data, info, money, purpose))]]),
        _notes(data),
        Spacer(GAP),
        signatures,
    ]


def _layout(data: DocumentData) -> list[Placed]:
    title = _title(data)
    number = DRAFT if data.is_draft else _number(data) if data.is_provisional else f"شماره: {_number(data)}"
    summary = f"{number}   تاریخ: {format_date(data.issue_date)}"
    pages = Pages(ContinuationHeader(title, summary))
    pages.place(DocumentHeader(title, _info(data), data.logo_path))
    pages.fresh = False
    if data.kind in (DocumentKind.RECEIPT, DocumentKind.PAYMENT):
        for block in _receipt_blocks(data):
            pages.add(block)
        return pages.pages
    first, table, closing = _sales_blocks(data)
    for block in first:
        pages.add(block)
    pages.add(Spacer(GAP))
    head = table.title.height + table.header.height + table.totals.height
    pages.add(table.title, head + (2 * table.totals.height + table.rows[0].height if table.rows else 0))
    pages.place(table.header)
    # The closing blocks (total, words, notes, signatures) stay together on one page,
    # unless very long notes make them taller than a page: then they flow like the rest.
    height = sum(b.height for b in closing) + GAP
    # Room on a continued page under its header, the table head and the carried-forward row.
    room = CONTENT_BOTTOM - MARGIN_TOP - pages.continuation.height - 4 - table.header.height - table.totals.height
    fits = height + table.totals.height + (table.rows[-1].height if table.rows else 0) <= room
    table_rows(pages, table, table.totals.height + (height if fits else 0))
    pages.place(table.totals)  # the last row kept room for it
    if height > pages.room():
        pages.new_page()
    pages.add(Spacer(GAP))
    together = height <= pages.room()
    for block in closing:
        if together:
            pages.place(block)
        else:
            pages.add(block)
    return pages.pages


def _footer(pen: Pen, data: DocumentData, page: int, count: int) -> None:
    y = PAGE_H - 16
    pen.hline(X_LEFT, X_RIGHT, y - 10, 0.4)
    pen.text(PAGE_W / 2, y, f"صفحه {format_number(page)} از {format_number(count)}", 8, align="center")
    label = _title(data) if data.is_draft else f"{TITLES[data.kind]} {_number(data)}".strip()
    pen.text(X_RIGHT, y, label, 7, color=MUTED)


def render_pdf(data: DocumentData) -> bytes:
    """The document as PDF bytes; raises ValidationError (Persian `.message`) for bad data."""
    data.validate()
    register_fonts()
    pages = _layout(data)
    buffer = io.BytesIO()
    # initialFontName: otherwise every page names a non-embedded Helvetica it never uses.
    canvas = Canvas(buffer, pagesize=(PAGE_W, PAGE_H), pageCompression=1, initialFontName=FONT)
    # Persian digits in the title, as on the page (viewers show it in the window and tab).
    canvas.setTitle(_title(data) if data.is_draft else f"{TITLES[data.kind]} {_number(data)}".strip())
    canvas.setAuthor(data.seller.name)
    canvas.setCreator("Peyvand")
    pen = Pen(canvas)
    for n, placed in enumerate(pages, start=1):
        for block, top in placed:
            block.draw(pen, top)
        _footer(pen, data, n, len(pages))
        pen.finish_page()
        if data.is_draft:
            watermark(canvas, DRAFT)
        elif data.is_provisional:
            watermark(canvas, NOT_LEGAL)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def write_pdf(data: DocumentData, path: str | Path) -> Path:
    """Render `data` and write it to `path` (parents created); returns the path."""
    target = Path(path)
    pdf = render_pdf(data)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(pdf)
    return target
