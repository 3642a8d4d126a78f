"""Access cases of the opportunities area: records, board, moves, merge, catalogue and sales lists."""

from __future__ import annotations

import tempfile
from pathlib import Path

from app.models import Opportunity, Tag
from app.models.enums import CustomFieldKind
from app.persian import search_key
from app.services.catalog.products import ProductData
from app.services.core.actor import SYSTEM
from app.services.core.errors import BatchRefused
from app.services.opportunities.data import LossData, OpportunityData, WinData
from app.services.opportunities.queries import OpportunityQuery
from app.services.opportunities.sales_lists import ensure_sales_defaults


def extend(world) -> None:
    ensure_sales_defaults(world.services.db)
    with world.services.db.write(SYSTEM) as s:
        first = s.get(Opportunity, world.records["opportunity_b"])
        twin = Opportunity(
            identity_id=first.identity_id,
            title="تکراری ب",
            title_key=search_key("تکراری ب"),
            pipeline_id=first.pipeline_id,
            stage_id=first.stage_id,
            owner_id=first.owner_id,
        )
        s.add(twin)
        s.flush()
        world.records["opportunity_b2"] = twin.id


def _stage(w, index: int):
    return w.services.pipelines.pipelines(SYSTEM)[0].stages[index].id


def _loss(w):
    return w.services.sales_lists.items(SYSTEM, "loss_reasons")[0].id


def _b(w):
    return w.records["opportunity_b"]


def _data(w, **values) -> OpportunityData:
    d = w.services.opportunity_records.get(SYSTEM, _b(w))
    base = dict(identity_id=d.identity_id, title=d.title, owner_id=d.owner_id, amount=d.amount)
    return OpportunityData(**(base | values))


def _update(w, a) -> bool:
    version = w.services.opportunity_records.get(SYSTEM, _b(w)).version
    return w.services.opportunity_records.update(a, _b(w), _data(w, title="ویرایش"), version).title == "ویرایش"


def _restore(w, a) -> bool:
    w.services.pipeline_moves.lose(SYSTEM, _b(w), LossData(_loss(w)))
    return w.services.pipeline_moves.restore(a, _b(w), _stage(w, 2)).id == _b(w)


def _undo(w, a) -> bool:
    result = w.services.opportunity_merge.merge(SYSTEM, _b(w), w.records["opportunity_b2"])
    return w.services.opportunity_merge.undo(a, result.merge_id) is None


def _delete_stage(w, a) -> bool:
    pipeline = w.services.pipelines.pipelines(SYSTEM)[0].id
    stage = w.services.pipelines.save_stage(w.admin, pipeline, "موقت", 5)
    return w.services.pipelines.delete_stage(a, stage) is None


def _product(w, code: str = "T-1"):
    return w.services.products.save(w.admin, ProductData(code=code, name="کالای آزمون"))


def _import(w, a) -> bool:
    folder = Path(tempfile.mkdtemp())
    (folder / "p.csv").write_text("کد,نام,قیمت\nI-1,کالای وارداتی,1000\n", encoding="utf-8-sig")
    return w.services.product_import.run(a, folder / "p.csv").created == 1


def _similar(w, a, method: str):
    """rep_b's other opportunity of the same customer, as count or rows of similar opportunities."""
    identity_id = w.services.opportunity_records.get(SYSTEM, _b(w)).identity_id
    return getattr(w.services.similar_opportunities, method)(a, identity_id, _b(w))


def _batch(w, call) -> bool:
    """rep_b's opportunity through a batch action: its refusal (naming it alone) is not reached."""
    try:
        return call(w.services.opportunity_batch, [_b(w)]) == 1
    except BatchRefused as refused:
        assert [r.record_id for r in refused.refusals] == [_b(w)]
        return False


def _tag(w):
    with w.services.db.write(SYSTEM) as s:
        tag = Tag(name="گروهی", name_key=search_key("گروهی"))
        s.add(tag)
        s.flush()
        return tag.id


def _board_ids(w, a) -> set:
    return {c.id for col in w.services.board.load(a).columns for c in col.cards}


def _column_page_ids(w, a) -> set:
    """The cards of rep_b's opportunity's column, read by pages as the board scrolls."""
    stage_id = w.services.opportunity_records.get(SYSTEM, _b(w)).stage_id
    return {c.id for c in w.services.board.column_page(a, None, stage_id, None).cards}


CASES = {
    "opportunities.groups": lambda w, a: (
        sum(g.count for g in w.services.opportunities.groups(a, OpportunityQuery(text="تکراری ب"), "stage")) == 1
    ),
    "board.load": lambda w, a: _b(w) in _board_ids(w, a),
    "board.card": lambda w, a: w.services.board.card(a, _b(w)).id == _b(w),
    "board.column_page": lambda w, a: _b(w) in _column_page_ids(w, a),
    "opportunity_records.get": lambda w, a: w.services.opportunity_records.get(a, _b(w)).id == _b(w),
    "opportunity_records.create": lambda w, a: bool(w.services.opportunity_records.create(a, _data(w, title="تازه"))),
    "opportunity_records.create_many": lambda w, a: bool(
        w.services.opportunity_records.create_many(a, [_data(w, title="یک"), _data(w, title="دو")])
    ),
    "opportunity_records.update": _update,
    "opportunity_records.soft_delete": lambda w, a: w.services.opportunity_records.soft_delete(a, _b(w)) is None,
    "pipeline_moves.move": lambda w, a: w.services.pipeline_moves.move(a, _b(w), _stage(w, 3)).probability == 80,
    "pipeline_moves.win": lambda w, a: w.services.pipeline_moves.win(a, _b(w), WinData()) is None,
    "pipeline_moves.lose": lambda w, a: w.services.pipeline_moves.lose(a, _b(w), LossData(_loss(w))) is None,
    "pipeline_moves.restore": _restore,
    "opportunity_batch.move": lambda w, a: _batch(w, lambda b, ids: b.move(a, ids, _stage(w, 3))),
    "opportunity_batch.assign": lambda w, a: _batch(w, lambda b, ids: b.assign(a, ids, w.rep_a.user_id)),
    "opportunity_batch.add_tag": lambda w, a: _batch(w, lambda b, ids: b.add_tag(a, ids, _tag(w))),
    "opportunity_batch.lose": lambda w, a: _batch(w, lambda b, ids: b.lose(a, ids, LossData(_loss(w)))),
    "opportunity_merge.merge": lambda w, a: bool(
        w.services.opportunity_merge.merge(a, _b(w), w.records["opportunity_b2"]).merge_id
    ),
    "opportunity_merge.undo": _undo,
    "opportunity_merge.merges": lambda w, a: w.services.opportunity_merge.merges(a, _b(w)) == [],
    "pipelines.save_pipeline": lambda w, a: bool(w.services.pipelines.save_pipeline(a, "خدمات")),
    "pipelines.save_stage": lambda w, a: bool(
        w.services.pipelines.save_stage(a, w.services.pipelines.pipelines(SYSTEM)[0].id, "ارائه", 50)
    ),
    "pipelines.move_stage": lambda w, a: w.services.pipelines.move_stage(a, _stage(w, 0), 1) is None,
    "pipelines.delete_stage": _delete_stage,
    "products.save": lambda w, a: bool(w.services.products.save(a, ProductData(code="A-1", name="کالا"))),
    "products.delete": lambda w, a: w.services.products.delete(a, _product(w)) is None,
    "product_import.run": _import,
    "products.save_group": lambda w, a: bool(w.services.products.save_group(a, "گروه")),
    "products.delete_group": lambda w, a: (
        w.services.products.delete_group(a, w.services.products.save_group(w.admin, "گروه خالی")) is None
    ),
    "price_lists.save_list": lambda w, a: bool(w.services.price_lists.save_list(a, "عمده")),
    "price_lists.delete_list": lambda w, a: (
        w.services.price_lists.delete_list(a, w.services.price_lists.save_list(w.admin, "موقت")) is None
    ),
    "price_lists.set_price": lambda w, a: (
        w.services.price_lists.set_price(a, w.services.price_lists.save_list(w.admin, "ویژه"), _product(w), 100) is None
    ),
    "sales_lists.save_item": lambda w, a: bool(w.services.sales_lists.save_item(a, "campaigns", "نوروز")),
    "sales_lists.move_item": lambda w, a: (
        w.services.sales_lists.move_item(a, "types", w.services.sales_lists.items(SYSTEM, "types")[0].id, 1) is None
    ),
    "custom_fields.save_field": lambda w, a: bool(
        w.services.custom_fields.save_field(a, "شیوه پرداخت", CustomFieldKind.TEXT)
    ),
    "recurring_plans.save_plan": lambda w, a: bool(w.services.recurring_plans.save_plan(a, "شش‌ماهه", 6)),
    # rep_a's own opportunity is similar too (a shared phone): the count is reached with rep_b's in it.
    "similar_opportunities.count": lambda w, a: _similar(w, a, "count") == _similar(w, SYSTEM, "count"),
    "similar_opportunities.rows": lambda w, a: w.records["opportunity_b2"] in {r.id for r in _similar(w, a, "rows")},
}
# The catalogue, pipelines and lists are the whole office's: the same for every user.
NOT_RECORD_SCOPED = {
    "opportunities.scope_choices",
    "opportunity_records.choices",
    "pipelines.pipelines",
    "products.groups",
    "products.search",
    "products.prices_for",
    "products.count",
    "products.get",
    "products.by_code",
    "products.price_for",
    "price_lists.lists",
    "price_lists.prices",
    "sales_lists.items",
    "custom_fields.fields",
    "recurring_plans.plans",
}
ADMIN_ONLY = {
    "pipelines.save_pipeline",
    "pipelines.save_stage",
    "pipelines.move_stage",
    "pipelines.delete_stage",
    "products.save",
    "products.delete",
    "product_import.run",
    "products.save_group",
    "products.delete_group",
    "price_lists.save_list",
    "price_lists.delete_list",
    "price_lists.set_price",
    "sales_lists.save_item",
    "sales_lists.move_item",
    "custom_fields.save_field",
    "recurring_plans.save_plan",
}
