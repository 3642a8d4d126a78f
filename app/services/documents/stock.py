"""Stock movements of documents: issued invoices take goods out, issued returns bring them back.

Frozen stock is not stored: it is the quantity named by accepted quotes that no issued invoice
has taken yet, computed when asked (app.services.catalog.products.frozen_quantities, shown with each
product's on-hand and available stock), so it can never drift.

Products are admin-managed lists, yet any rep who issues an invoice moves stock: the movement is
one relative SQL UPDATE (`on_hand = on_hand - q`, version bumped so an open product form notices),
atomic under concurrent writers. The issued document itself is the record of the movement.

On an office server a user's own role may not write products.on_hand at all: the server's trigger
makes the same movement from the document's lines when it turns issued
(app.services.server.functions.STOCK), so here nothing is written for such a session. The app's change
capture does not see a trigger's writes: `note_server_moves` names the moved products afterwards, so the
journal (laptops' pulls) and the live refresh hear of the new stock.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import Product
from app.services.catalog.products import frozen_quantities
from app.services.core import capture
from app.services.core.access import SKIP
from app.services.core.changes import Op
from app.services.server import security as server_security


def _quantities(lines: Iterable) -> dict[uuid.UUID, Decimal]:
    moved: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
    for line in lines:
        if line.product_id is not None:
            moved[line.product_id] += Decimal(line.quantity)
    return moved


def move(session: Session, lines: Iterable, sign: int) -> None:
    """Adds `sign` × each line's quantity to its product's stock (tracked products only)."""
    if server_security.on_own_role(session.connection()):
        return  # the server moves it when the document is issued
    for product_id, quantity in sorted(_quantities(lines).items()):
        session.execute(
            update(Product)
            .where(Product.id == product_id, Product.track_stock.is_(True))
            .values(on_hand=Product.on_hand + float(sign * quantity), version=Product.version + 1)
            .execution_options(synchronize_session=False, **{SKIP: True})
        )


def note_server_moves(session: Session, lines: Iterable) -> None:
    """After the flush that issued a document on a user's own role: the products the server's trigger
    moved, noted as changed with their stock as it now stands (the trigger's UPDATE holds their rows
    until COMMIT, so this is the committed value). Elsewhere `move` wrote them through the app already."""
    if not server_security.on_own_role(session.connection()):
        return
    ids = sorted(_quantities(lines))
    if not ids:
        return
    stmt = select(Product.id, Product.on_hand, Product.version).where(
        Product.id.in_(ids), Product.track_stock.is_(True)
    )
    for product_id, on_hand, version in session.execute(stmt.execution_options(**{SKIP: True})):
        capture.note(session, Product.__tablename__, product_id, Op.UPDATE, {"on_hand": on_hand, "version": version})


def reduce(session: Session, lines: Iterable) -> None:
    """Issuing an invoice: the goods leave the stock."""
    move(session, lines, -1)


def restock(session: Session, lines: Iterable) -> None:
    """Issuing a return: the goods come back."""
    move(session, lines, +1)


__all__ = ["frozen_quantities", "move", "note_server_moves", "reduce", "restock"]
