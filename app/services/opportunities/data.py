"""What the opportunity services take and give: plain dataclasses and the amount arithmetic.

Money is integer Rial. A line's total is quantity × unit price − discount, rounded half up when
the quantity is fractional; with lines, an opportunity's amount is their sum and is not typed.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from dataclasses import dataclass, field

from app.models.enums import BuyingProcess, OpportunityStatus

ONE = decimal.Decimal(1)


def to_quantity(value: object) -> decimal.Decimal:
    """A quantity as a Decimal with at most three decimals (the column's scale)."""
    quantity = value if isinstance(value, decimal.Decimal) else decimal.Decimal(str(value))
    return quantity.quantize(decimal.Decimal("0.001"), decimal.ROUND_HALF_UP)


def gross_amount(quantity: object, unit_price: int) -> int:
    """quantity × unit price in whole Rial (half up)."""
    return int((to_quantity(quantity) * unit_price).quantize(ONE, decimal.ROUND_HALF_UP))


def line_total(quantity: object, unit_price: int, discount: int = 0) -> int:
    return gross_amount(quantity, unit_price) - discount


def weighted_amount(amount: int, probability: int) -> int:
    """amount × probability %, whole Rial (half up)."""
    return int((decimal.Decimal(amount) * probability / 100).quantize(ONE, decimal.ROUND_HALF_UP))


def initials(name: str | None) -> str:
    """«مریم احمدی» → «م.ا»: the owner's mark on a board card."""
    parts = (name or "").split()
    return ".".join(p[0] for p in parts[:2])


@dataclass(frozen=True)
class LineData:
    """A product line as typed: unit_price None takes the price list's price."""

    product_id: uuid.UUID
    quantity: decimal.Decimal | int | float | str = 1
    unit_price: int | None = None
    discount: int = 0
    description: str | None = None  # the «سایر» product's text


@dataclass(frozen=True)
class OpportunityData:
    """An opportunity as the form sends it. probability None follows the stage's default."""

    identity_id: uuid.UUID | None
    title: str
    stage_id: uuid.UUID | None = None  # None: the default pipeline's first stage
    amount: int = 0  # ignored when there are lines
    probability: int | None = None
    priority: int = 0
    owner_id: uuid.UUID | None = None  # None: the acting user
    team_id: uuid.UUID | None = None
    type_id: uuid.UUID | None = None
    source_id: uuid.UUID | None = None
    campaign_id: uuid.UUID | None = None
    medium_id: uuid.UUID | None = None
    referrer_id: uuid.UUID | None = None
    expected_close: dt.date | None = None
    buying_process: BuyingProcess | None = None
    price_list_id: uuid.UUID | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()
    competitor_ids: tuple[uuid.UUID, ...] = ()
    extra: dict = field(default_factory=dict)  # custom field id (str) -> value
    lines: tuple[LineData, ...] = ()
    recurring_amount: int | None = None  # Rial per period of the plan; None: no recurring revenue
    recurring_plan_id: uuid.UUID | None = None


@dataclass(frozen=True)
class LineRow:
    id: uuid.UUID
    product_id: uuid.UUID
    code: str
    name: str  # the product's name, or the line's description for «سایر»
    unit: str
    quantity: decimal.Decimal
    unit_price: int
    discount: int
    total: int
    description: str | None
    is_other: bool


@dataclass(frozen=True)
class OpportunityDetail:
    id: uuid.UUID
    version: int
    identity_id: uuid.UUID
    identity_name: str
    title: str
    status: OpportunityStatus
    pipeline_id: uuid.UUID
    stage_id: uuid.UUID
    stage_name: str
    amount: int
    probability: int
    probability_manual: bool
    weighted_amount: int
    priority: int
    owner_id: uuid.UUID | None
    owner_name: str | None
    team_id: uuid.UUID | None
    type_id: uuid.UUID | None
    source_id: uuid.UUID | None
    campaign_id: uuid.UUID | None
    medium_id: uuid.UUID | None
    referrer_id: uuid.UUID | None
    referrer_name: str | None
    expected_close: dt.date | None
    closed_on: dt.date | None
    days_to_close: int | None
    close_reason_id: uuid.UUID | None
    close_reason: str | None
    close_note: str | None
    lost_to_id: uuid.UUID | None
    won_amount: int | None
    buying_process: BuyingProcess | None
    price_list_id: uuid.UUID | None
    description: str | None
    tags: tuple[str, ...]
    competitor_ids: tuple[uuid.UUID, ...]
    extra: dict
    lines: tuple[LineRow, ...]
    balance: int
    created_at: dt.datetime
    merged_into_id: uuid.UUID | None
    recurring_amount: int | None = None
    recurring_plan_id: uuid.UUID | None = None
    monthly_recurring: int = 0  # MRR, see recurring.monthly
    assigned_at: dt.datetime | None = None  # when it got its owner (a rule's or the creator's)
    days_to_assign: int | None = None  # from the customer's creation to assigned_at (opportunities/days.py)

    def to_data(self) -> OpportunityData:
        """The saved values as the form would send them (a conflict's «their» side)."""
        return OpportunityData(
            identity_id=self.identity_id,
            title=self.title,
            stage_id=self.stage_id,
            amount=self.amount,
            probability=self.probability if self.probability_manual else None,
            priority=self.priority,
            owner_id=self.owner_id,
            team_id=self.team_id,
            type_id=self.type_id,
            source_id=self.source_id,
            campaign_id=self.campaign_id,
            medium_id=self.medium_id,
            referrer_id=self.referrer_id,
            expected_close=self.expected_close,
            buying_process=self.buying_process,
            price_list_id=self.price_list_id,
            description=self.description,
            tags=self.tags,
            competitor_ids=self.competitor_ids,
            extra=dict(self.extra),
            lines=tuple(
                LineData(line.product_id, line.quantity, line.unit_price, line.discount, line.description)
                for line in self.lines
            ),
            recurring_amount=self.recurring_amount,
            recurring_plan_id=self.recurring_plan_id,
        )


@dataclass(frozen=True)
class WinData:
    final_amount: int | None = None  # None: the estimated amount
    reason_id: uuid.UUID | None = None
    note: str | None = None
    closed_on: dt.date | None = None  # None: today


@dataclass(frozen=True)
class LossData:
    reason_id: uuid.UUID | None  # required: the service refuses None
    competitor_id: uuid.UUID | None = None
    note: str | None = None
    closed_on: dt.date | None = None  # None: today


@dataclass(frozen=True)
class BoardCard:
    """One card: everything the delegate paints, loaded in the board's one query."""

    id: uuid.UUID
    stage_id: uuid.UUID
    title: str
    identity_name: str
    amount: int
    probability: int
    priority: int
    tags: tuple[str, ...]
    owner_name: str | None
    owner_initials: str
    expected_close: dt.date | None
    version: int
    # Deal health (activities area, app/services/opportunities/health.py); None draws nothing.
    health: object | None = None
    monthly_recurring: int = 0  # MRR in whole Rial (recurring.monthly)
    tag_colors: tuple[str | None, ...] = ()  # "#rrggbb" per tag (None: the default chip), as `tags`

    @property
    def weighted_amount(self) -> int:
        return weighted_amount(self.amount, self.probability)


@dataclass(frozen=True)
class BoardColumn:
    """A stage's column: its first page of cards and the whole column's count and sums (one grouped
    query), so the header is right before the rest of the cards are loaded."""

    stage_id: uuid.UUID
    name: str
    probability: int
    cards: list[BoardCard]
    folded: bool = False  # the user's choice, else the administrator's default for the stage
    count: int = 0
    total: int = 0
    weighted_raw: int = 0  # Σ amount × probability (percent), rounded once in weighted_total
    monthly_recurring: int = 0
    has_more: bool = False  # cards after the first page (BoardService.column_page)

    @property
    def weighted_total(self) -> int:
        return weighted_amount(self.weighted_raw, 1)


@dataclass(frozen=True)
class ColumnPage:
    """The next cards of a column after a given card, and whether more follow."""

    cards: list[BoardCard]
    has_more: bool


@dataclass(frozen=True)
class Choice:
    """An item of a pick list (id and Persian label)."""

    id: uuid.UUID
    name: str
