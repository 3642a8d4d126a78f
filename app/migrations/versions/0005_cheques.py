"""receipts: a cheque's Sayad id (شناسه صیادی), branch and state; index for the list of cheques due

Payments keep their numbers: they have had their own series («payment») from the start, only the
printed voucher looked like a receipt.

Revision ID: 0005_cheques
Revises: 0004_sort_keys
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_cheques"
down_revision = "0004_sort_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMNs: batch mode would copy and drop `receipts`, which receipt_allocations' key refuses.
    op.add_column("receipts", sa.Column("cheque_sayad", sa.String(length=16), nullable=True))
    op.add_column("receipts", sa.Column("cheque_branch", sa.String(length=100), nullable=True))
    states = ("received", "deposited", "cleared", "bounced", "returned")
    kind = sa.Enum(*states, name="chequestate", native_enum=False, length=16)
    op.add_column("receipts", sa.Column("cheque_state", kind, nullable=True))
    # Cheques already received are taken as still in the office's hands: the user moves them on.
    receipts = sa.table(
        "receipts",
        sa.column("cheque_state", sa.String()),
        sa.column("method", sa.String()),
        sa.column("direction", sa.String()),
    )
    op.execute(
        receipts.update()
        .where(receipts.c.method == "cheque", receipts.c.direction == "in")
        .values(cheque_state="received")
    )
    op.create_index("ix_receipts_cheque_due", "receipts", ["cheque_state", "cheque_due"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_receipts_cheque_due", table_name="receipts")
    op.drop_column("receipts", "cheque_state")
    op.drop_column("receipts", "cheque_branch")
    op.drop_column("receipts", "cheque_sayad")
