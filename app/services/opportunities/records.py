"""Creating, reading, editing and deleting one opportunity (the form's use cases).

Rules: the related identity and the title are required; the probability follows the stage unless
typed; with product lines the amount is their sum; the won/lost date and result fields are never
written here (see pipeline_moves); extra fields are checked against the admin's definitions.
"""

from __future__ import annotations

import decimal
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import (
    Identity,
    Opportunity,
    OpportunityCompetitor,
    OpportunityLine,
    OpportunityStatus,
    OpportunityTag,
    Pipeline,
    PriceList,
    Product,
    RecurringPlan,
    SalesTeam,
    Stage,
    Tag,
    User,
    new_id,
    opportunity_competitors,
    opportunity_tags,
    utcnow,
)
from app.models.enums import BuyingProcess
from app.persian import normalize_text, search_key, sort_key
from app.services.admin import assignment
from app.services.admin.custom_fields import CustomFieldService, FieldDef, clean_extra
from app.services.catalog.products import price_of
from app.services.core.access import SKIP, fetch, is_restricted
from app.services.core.actor import Actor
from app.services.core.concurrency import ensure_version
from app.services.core.database import Database
from app.services.core.errors import ValidationFailed
from app.services.core.links import replace_links
from app.services.documents.balances import BalanceService
from app.services.opportunities import days
from app.services.opportunities.data import (
    Choice,
    LineData,
    LineRow,
    OpportunityData,
    OpportunityDetail,
    gross_amount,
    line_total,
    to_quantity,
    weighted_amount,
)
from app.services.opportunities.moves import apply_stage, live_stage
from app.services.opportunities.pipelines import PipelineRow, PipelineService
from app.services.opportunities.recurring import PlanRow, RecurringPlanService, monthly, recurring_errors
from app.services.opportunities.sales_lists import KINDS, ListItem, SalesListService, ensure_sales_defaults


@dataclass(frozen=True)
class FormChoices:
    """Everything the opportunity form's pick lists offer (active items only)."""

    pipelines: list[PipelineRow]
    lists: dict[str, list[ListItem]]  # a key of sales_lists.KINDS -> items
    users: list[Choice]
    teams: list[Choice]
    price_lists: list[Choice]
    tags: list[str]
    fields: list[FieldDef]
    plans: list[PlanRow] = field(default_factory=list)  # recurring plans


def _line_errors(lines: tuple[LineData, ...]) -> dict[str, str]:
    for n, line in enumerate(lines, start=1):
        try:
            quantity = to_quantity(line.quantity)
        except (decimal.InvalidOperation, ValueError):
            return {"lines": f"تعداد ردیف {n} عدد معتبر نیست."}
        if quantity <= 0:
            return {"lines": f"تعداد ردیف {n} باید بیشتر از صفر باشد."}
        if line.unit_price is not None and line.unit_price < 0:
            return {"lines": f"قیمت واحد ردیف {n} نمی‌تواند منفی باشد."}
        gross = gross_amount(quantity, line.unit_price or 0)
        if line.discount < 0 or (line.unit_price is not None and line.discount > gross):
            return {"lines": f"تخفیف ردیف {n} باید بین صفر و مبلغ ردیف باشد."}
    return {}


def _basic_errors(data: OpportunityData) -> dict[str, str]:
    errors = {}
    if data.identity_id is None:
        errors["identity_id"] = "هویت مرتبط را انتخاب کنید."
    if not normalize_text(data.title or "").strip():
        errors["title"] = "عنوان فرصت را وارد کنید."
    elif len(data.title) > 300:
        errors["title"] = "عنوان حداکثر ۳۰۰ نویسه است."
    if not 0 <= data.priority <= 3:
        errors["priority"] = "اولویت بین صفر تا سه ستاره است."
    if data.probability is not None and not 0 <= data.probability <= 100:
        errors["probability"] = "احتمال باید بین ۰ و ۱۰۰ درصد باشد."
    if not data.lines and data.amount < 0:
        errors["amount"] = "مبلغ نمی‌تواند منفی باشد."
    return errors | _line_errors(data.lines)


def resolve_tags(s: Session, names: Iterable[str]) -> list[uuid.UUID]:
    """Tag ids for the names, creating the missing tags (any user may add a tag)."""
    ids = []
    for name in dict.fromkeys(normalize_text(n).strip() for n in names if n and n.strip()):
        key = search_key(name)
        tag = s.scalars(select(Tag).where(Tag.name_key == key, Tag.deleted_at.is_(None))).first()
        if tag is None:
            tag = Tag(name=name, name_key=key)
            s.add(tag)
            s.flush()
        ids.append(tag.id)
    return ids


def assign_owner(opp: Opportunity, owner_id: uuid.UUID | None) -> None:
    """Hands a stored opportunity to `owner_id`; «تاریخ تخصیص» is the latest hand-over."""
    if owner_id != opp.owner_id:
        opp.assigned_at = utcnow() if owner_id is not None else None
    opp.owner_id = owner_id


class OpportunityRecordService:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._fields = CustomFieldService(db)
        self._balances = BalanceService(db)
        self._defaults_ready = False

    def _ensure_defaults(self) -> None:
        if not self._defaults_ready:
            ensure_sales_defaults(self._db)
            self._defaults_ready = True

    # --- reading ---------------------------------------------------------------------
    def choices(self, actor: Actor) -> FormChoices:
        """The form's pick lists: pipelines and stages, the admin's lists, users, teams, price lists,
        tags and extra fields. Anyone; reads only (creates the default lists on first use)."""
        self._ensure_defaults()
        lists = SalesListService(self._db)
        with self._db.read(actor) as s:
            users = s.execute(
                select(User.id, User.display_name).where(User.is_active.is_(True)).order_by(User.name_sort, User.id)
            )
            teams = s.execute(
                select(SalesTeam.id, SalesTeam.name).where(SalesTeam.deleted_at.is_(None)).order_by(SalesTeam.name)
            )
            prices = s.execute(
                select(PriceList.id, PriceList.name, PriceList.is_default).where(
                    PriceList.deleted_at.is_(None), PriceList.is_active.is_(True)
                )
            )
            tags = s.scalars(select(Tag.name).where(Tag.deleted_at.is_(None)).order_by(Tag.name_key))
            user_list, team_list = [Choice(*u) for u in users], [Choice(*t) for t in teams]
            prices = sorted(prices, key=lambda p: (not p.is_default, sort_key(p.name)))  # a few: the default first
            price_list, tag_list = [Choice(p.id, p.name) for p in prices], list(dict.fromkeys(tags))
        return FormChoices(
            PipelineService(self._db).pipelines(actor),
            {kind: lists.items(actor, kind) for kind in KINDS},
            user_list,
            team_list,
            price_list,
            tag_list,
            self._fields.fields(actor),
            RecurringPlanService(self._db).plans(actor),
        )

    def get(self, actor: Actor, opportunity_id: uuid.UUID) -> OpportunityDetail:
        """The whole opportunity for its form; raises NotFound/AccessDenied. Anyone who may see it; reads."""
        with self._db.read(actor) as s:
            detail = self._detail(s, fetch(s, Opportunity, opportunity_id, "فرصت"))
        return self._with_balance(actor, detail)

    def _with_balance(self, actor: Actor, detail: OpportunityDetail) -> OpportunityDetail:
        """The balance of the documents linked to the opportunity (the documents area's service)."""
        return replace(detail, balance=self._balances.opportunity_balance(actor, detail.id).balance)

    def _detail(self, s: Session, o: Opportunity) -> OpportunityDetail:
        identity = s.get(Identity, o.identity_id, execution_options={SKIP: True})
        referrer = s.get(Identity, o.referrer_id, execution_options={SKIP: True}) if o.referrer_id else None
        owner = s.get(User, o.owner_id) if o.owner_id else None
        stage = s.get(Stage, o.stage_id)
        tags = s.scalars(
            select(Tag.name)
            .join(opportunity_tags, opportunity_tags.c.tag_id == Tag.id)
            .where(opportunity_tags.c.opportunity_id == o.id)
            .order_by(Tag.name)
        ).all()
        competitors = s.scalars(
            select(opportunity_competitors.c.competitor_id).where(opportunity_competitors.c.opportunity_id == o.id)
        ).all()
        dialect = s.get_bind().dialect.name
        to_assign, to_close = s.execute(
            select(days.days_to_assign(dialect), days.days_to_close(dialect))
            .join(Identity, Identity.id == Opportunity.identity_id)
            .where(Opportunity.id == o.id)
            .execution_options(**{SKIP: True})  # the opportunity is already the actor's to read
        ).one()
        return OpportunityDetail(
            o.id, o.version, o.identity_id, identity.display_name if identity else "", o.title, o.status,
            o.pipeline_id, o.stage_id, stage.name if stage else "", o.amount, o.probability, o.probability_manual,
            weighted_amount(o.amount, o.probability), o.priority, o.owner_id, owner.display_name if owner else None,
            o.team_id, o.type_id, o.source_id, o.campaign_id, o.medium_id, o.referrer_id,
            referrer.display_name if referrer else None, o.expected_close, o.closed_on, to_close, o.close_reason_id,
            o.close_reason, o.close_note, o.lost_to_id, o.won_amount, o.buying_process, o.price_list_id,
            o.description, tuple(tags), tuple(competitors), dict(o.extra or {}), tuple(self._lines(s, o.id)),
            0, o.created_at, o.merged_into_id, o.recurring_amount, o.recurring_plan_id,
            monthly(o.recurring_amount, s.get(RecurringPlan, o.recurring_plan_id).months if o.recurring_plan_id else 0),
            o.assigned_at, to_assign,
        )  # fmt: skip

    @staticmethod
    def _lines(s: Session, opportunity_id: uuid.UUID) -> list[LineRow]:
        stmt = (
            select(OpportunityLine, Product)
            .join(Product, Product.id == OpportunityLine.product_id)
            .where(OpportunityLine.opportunity_id == opportunity_id, OpportunityLine.deleted_at.is_(None))
            .order_by(OpportunityLine.position)
        )
        return [
            LineRow(
                line.id,
                p.id,
                p.code,
                (line.description or p.name) if p.is_other else p.name,
                p.unit,
                to_quantity(line.quantity),
                line.unit_price,
                line.discount,
                line_total(line.quantity, line.unit_price, line.discount),
                line.description,
                p.is_other,
            )  # fmt: skip
            for line, p in s.execute(stmt)
        ]

    # --- writing ---------------------------------------------------------------------
    def create(self, actor: Actor, data: OpportunityData) -> uuid.UUID:
        """A new open opportunity; owner defaults to the actor. Anyone for identities they may see
        (an own-documents user only for themselves). Raises ValidationFailed, AccessDenied. Writes."""
        return self.create_many(actor, [data])[0]

    def create_many(self, actor: Actor, items: list[OpportunityData]) -> list[uuid.UUID]:
        """Several new opportunities in one transaction (all or none); as create(). Writes."""
        self._ensure_defaults()
        fields = self._fields.fields(actor, include_inactive=True)
        ids = []
        with self._db.write(actor) as s, s.no_autoflush:  # one flush at the end: batched INSERTs
            cache: dict = {}
            made = []
            for data in items:
                opp = Opportunity(id=new_id(), status=OpportunityStatus.OPEN, extra={})
                self._apply(s, actor, opp, data, fields, new=True, cache=cache)
                opp.assigned_at = utcnow() if opp.owner_id is not None else None
                ids.append(opp.id)
                made.append((opp, data))
            self._route(s, actor, made, cache)
        return ids

    @staticmethod
    def _route(s: Session, actor: Actor, made: list, cache: dict) -> None:
        """New opportunities to the member whose turn it is, when a team's rule routes them (the
        customer's city, the opportunity's source and tags are the rule's conditions)."""
        if is_restricted(actor):
            return  # an own-documents user keeps what they create: nothing to look up
        records = [
            assignment.NewRecord(
                "opportunities", opp.id, data.owner_id is not None, opp.source_id,
                cache[data.identity_id].primary_city, frozenset(resolve_tags(s, data.tags)), data.team_id,
            )
            for opp, data in made
        ]  # fmt: skip
        routed = assignment.route(s, actor, records, "create")
        for opp, _data in made:
            if opp.id in routed:
                opp.owner_id, opp.team_id = routed[opp.id].user_id, routed[opp.id].team_id
                opp.assigned_at = utcnow()

    def update(self, actor: Actor, opportunity_id: uuid.UUID, data: OpportunityData, version: int) -> OpportunityDetail:
        """Saves the form. Whoever may change the opportunity; the stage changes only while it is open.

        Raises ValidationFailed, ConcurrentChange (someone saved since `version`), NotFound, AccessDenied. Writes.
        """
        fields = self._fields.fields(actor, include_inactive=True)
        with self._db.write(actor) as s:
            opp = fetch(s, Opportunity, opportunity_id, "فرصت")
            ensure_version(opp, version)
            self._apply(s, actor, opp, data, fields, new=False)
            s.flush()
            detail = self._detail(s, opp)
        return self._with_balance(actor, detail)

    def soft_delete(self, actor: Actor, opportunity_id: uuid.UUID) -> None:
        """Moves the opportunity to the recycle bin. Whoever may change it; raises NotFound/AccessDenied. Writes."""
        with self._db.write(actor) as s:
            fetch(s, Opportunity, opportunity_id, "فرصت").deleted_at = utcnow()

    def _apply(
        self, s: Session, actor: Actor, opp: Opportunity, data: OpportunityData, fields, new: bool, cache=None
    ) -> None:
        """Checks and writes the form's values; `cache` keeps look-ups across a create_many."""
        cache = {} if cache is None else cache
        errors = _basic_errors(data)
        extra, extra_errors = clean_extra(fields, data.extra)
        errors |= extra_errors | recurring_errors(s, data.recurring_amount, data.recurring_plan_id)
        if errors:
            raise ValidationFailed(errors)
        # A customer or referrer the opportunity already has stays, even a colleague's (docs/access.md);
        # a new one must be one the actor may see.
        if data.identity_id not in cache and (new or data.identity_id != opp.identity_id):
            cache[data.identity_id] = fetch(s, Identity, data.identity_id, "هویت")  # kept: the identity map is weak
        if data.referrer_id not in (None, *cache) and (new or data.referrer_id != opp.referrer_id):
            cache[data.referrer_id] = fetch(s, Identity, data.referrer_id, "معرف")
        if new and data.stage_id is None:
            if "first_stage" not in cache:
                cache["first_stage"] = self._stage(s, None, opp, new)
            stage = cache["first_stage"]
        else:
            stage = self._stage(s, data.stage_id, opp, new)
        owner_id = data.owner_id if data.owner_id is not None else (actor.user_id if new else opp.owner_id)
        if ("user", owner_id) not in cache:
            cache[("user", owner_id)] = s.get(User, owner_id) if owner_id is not None else None
        owner = cache[("user", owner_id)]
        if owner_id is not None and owner is None:
            raise ValidationFailed({"owner_id": "کاربر انتخاب‌شده پیدا نشد."})
        team_id = data.team_id
        if team_id is None and new and owner is not None:
            team_id = owner.team_id
        if team_id is not None:
            fetch(s, SalesTeam, team_id, "تیم فروش")
        title = normalize_text(data.title).strip()
        opp.identity_id, opp.title, opp.title_key = data.identity_id, title, search_key(title)
        if not new:
            assign_owner(opp, owner_id)
        opp.owner_id, opp.team_id, opp.priority = owner_id, team_id, data.priority
        opp.type_id, opp.source_id, opp.campaign_id = data.type_id, data.source_id, data.campaign_id
        opp.medium_id, opp.referrer_id, opp.expected_close = data.medium_id, data.referrer_id, data.expected_close
        opp.buying_process = BuyingProcess(data.buying_process) if data.buying_process else None
        opp.price_list_id = data.price_list_id
        opp.recurring_amount = data.recurring_amount or None  # none or both (recurring_errors)
        opp.recurring_plan_id = data.recurring_plan_id
        opp.description = (data.description or "").strip() or None
        kept = {k: v for k, v in (opp.extra or {}).items() if k not in {f.key for f in fields}}
        opp.extra = kept | extra
        opp.probability_manual = data.probability is not None
        if stage is not None:
            apply_stage(opp, stage)
        if data.probability is not None:
            opp.probability = data.probability
        elif stage is None:  # same stage, back to its default
            opp.probability = s.scalar(select(Stage.probability).where(Stage.id == opp.stage_id))
        if new:
            s.add(opp)
        opp.amount = self._save_lines(s, opp, data, new) if data.lines else data.amount
        if not data.lines and not new:
            self._save_lines(s, opp, data, new)
        if data.tags or data.competitor_ids:
            s.flush()  # the association rows refer to the opportunity
        if data.tags or not new:
            replace_links(s, OpportunityTag, opp, "tag_id", resolve_tags(s, data.tags))
        if data.competitor_ids or not new:
            replace_links(s, OpportunityCompetitor, opp, "competitor_id", data.competitor_ids)

    def _stage(self, s: Session, stage_id: uuid.UUID | None, opp: Opportunity, new: bool) -> Stage | None:
        """The stage to apply, or None to keep the current one."""
        if stage_id is None:
            if not new:
                return None
            pipeline = s.scalars(
                select(Pipeline).where(Pipeline.deleted_at.is_(None)).order_by(Pipeline.is_default.desc())
            ).first()
            return s.scalars(
                select(Stage)
                .where(Stage.pipeline_id == pipeline.id, Stage.deleted_at.is_(None))
                .order_by(Stage.position)
            ).first()
        if not new and stage_id == opp.stage_id:
            return None
        if not new and opp.status is not OpportunityStatus.OPEN:
            raise ValidationFailed({"stage_id": "مرحله فرصت بسته را نمی‌توان تغییر داد؛ ابتدا آن را بازگردانید."})
        return live_stage(s, stage_id)

    @staticmethod
    def _save_lines(s: Session, opp: Opportunity, data: OpportunityData, new: bool) -> int:
        """Writes the lines in order (updating rows in place) and returns their sum."""
        existing = (
            []
            if new
            else list(
                s.scalars(
                    select(OpportunityLine)
                    .where(OpportunityLine.opportunity_id == opp.id, OpportunityLine.deleted_at.is_(None))
                    .order_by(OpportunityLine.position)
                )
            )
        )
        total = 0
        for position, line in enumerate(data.lines):
            product = fetch(s, Product, line.product_id, "محصول")
            price = (
                line.unit_price
                if line.unit_price is not None
                else price_of(s, product, data.price_list_id, data.identity_id)
            )
            quantity = to_quantity(line.quantity)
            discount = min(line.discount, gross_amount(quantity, price))
            description = (line.description or "").strip() or None if product.is_other else None
            row = existing[position] if position < len(existing) else OpportunityLine(opportunity_id=opp.id)
            if row.product_id != product.id:
                row.product_id = product.id
            if row.quantity is None or to_quantity(row.quantity) != quantity:
                row.quantity = quantity
            row.unit_price, row.discount, row.description, row.position = price, discount, description, position
            s.add(row)
            total += line_total(quantity, price, discount)
        for row in existing[len(data.lines) :]:
            row.deleted_at = utcnow()
        return total
