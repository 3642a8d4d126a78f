"""A contract on paper: its DocumentData (from the database) and the blocks of its payment schedule
(for the renderer). The rest of the form is an invoice's: parties, line table, total in words."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ContractInstalment, ContractLine
from app.models.contract import Contract
from app.persian import format_date, format_money
from app.persian import to_persian_digits as fa
from app.services.core.access import SKIP

from .blocks import Block, Field, Grid
from .model import ContractInfo, DocumentData, DocumentKind, Instalment, Party, Settlement

ROWS_PER_GRID = 20  # a long schedule flows over pages in frames of this many rows
CANCELLED = "لغوشده (پس از تاریخ پایان)"


def contract_data(s: Session, contract: Contract, seller: Party, buyer: Party, unit) -> DocumentData:
    from .document_data import _lines, _number

    due = s.execute(
        select(ContractInstalment.due_date, ContractInstalment.amount)
        .where(ContractInstalment.contract_id == contract.id, ContractInstalment.deleted_at.is_(None))
        .order_by(ContractInstalment.position, ContractInstalment.due_date)
        .execution_options(**{SKIP: True})
    ).all()
    instalments = [Instalment(day, amount, day > contract.end_date) for day, amount in due]
    return DocumentData(
        kind=DocumentKind.CONTRACT,
        issue_date=contract.issue_date,
        seller=seller,
        buyer=buyer,
        number=_number(contract.number),
        lines=_lines(s, ContractLine, "contract_id", contract.id),
        settlement=Settlement.CREDIT,
        notes=contract.notes or "",
        money_unit=unit,
        contract=ContractInfo(contract.start_date, contract.end_date, instalments),
    )


def term_rows(info: ContractInfo) -> list[tuple[str, str]]:
    """The header box's rows below number and date."""
    return [("شروع", format_date(info.start_date)), ("پایان", format_date(info.end_date))]


def schedule_blocks(info: ContractInfo, unit) -> list[Block]:
    """«جدول اقساط»: one row per instalment (due date, amount, cancelled or not), in frames of
    ROWS_PER_GRID rows so that a long schedule flows onto the next page."""
    rows = [
        [
            Field("قسط", fa(str(n)), 0.5),
            Field("سررسید", format_date(i.due_date)),
            Field(f"مبلغ ({unit.value})", format_money(i.amount, unit, with_unit=False), 1.4),
            Field("وضعیت", CANCELLED if i.cancelled else "", 1.4),
        ]
        for n, i in enumerate(info.instalments, start=1)
    ]
    return [
        Grid(rows[start : start + ROWS_PER_GRID], "جدول اقساط" if start == 0 else None)
        for start in range(0, len(rows), ROWS_PER_GRID)
    ]
