"""The fixed reports: pipeline, funnel, win/loss, performance, forecast, activities, team targets."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import and_, case, func, null, select

from app.models import Activity, Identity, Invoice, Opportunity, Pipeline, SalesReturn, SalesTeam, User
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.reports import engine, scopes, sources
from app.services.reports.data import COUNT, DAYS, MONEY, PERCENT, Column, DrillRecord, Report, ReportRow, rate
from app.services.reports.periods import ReportFilter, grain_key, month_key_label, months_of
from app.services.reports.scopes import SCOPES, Drill, drill_conditions, needs_owner

PERFORMANCE_BY = {"rep": "فروشنده", "team": "تیم", "source": "منبع", "campaign": "کمپین", "product": "کالا"}
FUNNEL_STEPS = ("سرنخ", "مخاطب", "فرصت", "برنده")
DRILL_LIMIT = 5000  # a drill-down lists at most this many records
REPORTS = {
    "pipeline": "کاریز بر اساس مرحله",
    "funnel": "قیف فروش و نرخ تبدیل",
    "reasons": "برد و باخت بر اساس دلیل",
    "competitors": "باخت به رقیبان",
    **{f"performance_{by}": f"عملکرد بر اساس {label}" for by, label in PERFORMANCE_BY.items()},
    "forecast": "پیش‌بینی فروش بر اساس ماه بستن",
    "activities": "فعالیت‌های فروشندگان",
    "targets": "هدف تیم‌ها و فروش خالص",
}


@dataclass(frozen=True)
class FilterChoices:
    """What the filter bar offers: (id, name) of active users, live teams and pipelines."""

    reps: list[tuple[uuid.UUID, str]]
    teams: list[tuple[uuid.UUID, str]]
    pipelines: list[tuple[uuid.UUID, str]]


class ReportService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def report(self, actor: Actor, key: str, f: ReportFilter) -> Report:
        """One of REPORTS by its key."""
        if key.startswith("performance_"):
            return self.performance(actor, f, key.removeprefix("performance_"))
        method = {"reasons": self.win_loss_by_reason, "competitors": self.losses_by_competitor}.get(key)
        return (method or getattr(self, key))(actor, f)

    def choices(self, actor: Actor) -> FilterChoices:
        """Anyone; reads (users, teams and pipelines are readable by all)."""
        with self._db.read(actor) as s:

            def named(model, name, *where):
                rows = s.execute(select(model.id, name).where(*where)).all()
                return sorted(((i, n) for i, n in rows), key=lambda r: engine.sort_key(r[1]))

            return FilterChoices(
                named(User, User.display_name, User.is_active.is_(True)),
                named(SalesTeam, SalesTeam.name, SalesTeam.deleted_at.is_(None)),
                named(Pipeline, Pipeline.name, Pipeline.deleted_at.is_(None)),
            )

    def _rows(self, s, f: ReportFilter, dim: str, scopes: list[str], measures, build) -> tuple[list[ReportRow], dict]:
        """One row per value of `dim` over the scopes' groups (`build(label, figures, drill_of)` makes it),
        and the groups' figures."""
        figures: dict = {}
        for scope in scopes:
            for (value,), found in engine.grouped(s, Drill(scope, f), [dim], measures[scope]):
                figures.setdefault(value, {})[scope] = found
        names = engine.labels(s, dim, list(figures))
        rows = [
            build(names[v], figures[v], lambda scope, v=v: Drill(scope, f, ((dim, v),)))
            for v in engine.order(s, dim, list(figures), names)
        ]
        return rows, figures

    def _total(self, s, f, dim: str, scopes: list[str], measures, build, groups: dict) -> ReportRow:
        """The total row: counts and sums add the groups up (an average is a sum over a count); a total
        by product is its own query (an opportunity with two products is in two groups)."""
        additive = all(fn in engine.ADDITIVE for scope in scopes for fn in measures[scope].values())
        if additive and dim != "product":
            figures = {
                scope: {name: sum(g.get(scope, {}).get(name) or 0 for g in groups.values()) for name in measures[scope]}
                for scope in scopes
            }
        else:
            figures = {scope: engine.grouped(s, Drill(scope, f), [], measures[scope])[0][1] for scope in scopes}
        return build("جمع", figures, lambda scope: Drill(scope, f))

    def _report(self, actor, f, key, title, header, columns, dim, measures, build) -> Report:
        scopes = list(measures)
        with self._db.read(actor) as s:
            rows, groups = self._rows(s, f, dim, scopes, measures, build)
            total = self._total(s, f, dim, scopes, measures, build, groups)
        return Report(key, title, header, tuple(columns), tuple(rows), total)

    def pipeline(self, actor: Actor, f: ReportFilter) -> Report:
        """Open opportunities by stage now (the period does not apply: the pipeline is today's)."""
        measures = {"open": {"count": engine.COUNT, "amount": engine.SUM["amount"], "weighted": engine.SUM["weighted"]}}

        def build(label, fig, drill):
            v = fig["open"]
            values = (v["count"], engine.whole(v["amount"]), engine.whole(v["weighted"]) // 100)
            return ReportRow(label, values, (drill("open"),) * 3)

        columns = [Column("تعداد", COUNT), Column("مبلغ", MONEY), Column("مبلغ وزنی", MONEY)]
        return self._report(actor, f, "pipeline", "کاریز بر اساس مرحله", "مرحله", columns, "stage", measures, build)

    def funnel(self, actor: Actor, f: ReportFilter) -> Report:
        """Identities created in the period, and how many went on to contact, opportunity and won."""
        created, steps = scopes.funnel(f)
        # one pass: each step counts the identities meeting its condition and the ones before
        narrowed = [func.count(case((and_(*steps[:step]), 1))) for step in range(1, len(FUNNEL_STEPS))]
        with self._db.read(actor) as s:
            counts = list(s.execute(select(func.count(), *narrowed).select_from(Identity).where(*created)).one())
        rows = []
        for step, label in enumerate(FUNNEL_STEPS):
            previous = counts[step - 1] if step else counts[0]
            drill = Drill(f"funnel{step}", f)
            values = (counts[step], rate(counts[step], previous), rate(counts[step], counts[0]))
            rows.append(ReportRow(label, values, (drill, None, None)))
        columns = (Column("تعداد", COUNT), Column("تبدیل از مرحله قبل", PERCENT), Column("تبدیل از ابتدا", PERCENT))
        return Report("funnel", "قیف فروش و نرخ تبدیل", "مرحله", columns, tuple(rows))

    def win_loss_by_reason(self, actor: Actor, f: ReportFilter) -> Report:
        measures = {
            "won": {"count": engine.COUNT, "amount": engine.SUM["amount"]},
            "lost": {"count": engine.COUNT, "amount": engine.SUM["amount"]},
        }

        def build(label, fig, drill):
            won, lost = fig.get("won", {}), fig.get("lost", {})
            values = (
                won.get("count", 0),
                engine.whole(won.get("amount", 0)),
                lost.get("count", 0),
                engine.whole(lost.get("amount", 0)),
            )
            return ReportRow(label, values, (drill("won"), drill("won"), drill("lost"), drill("lost")))

        columns = [Column("برد", COUNT), Column("مبلغ برد", MONEY), Column("باخت", COUNT), Column("مبلغ باخت", MONEY)]
        return self._report(actor, f, "reasons", "برد و باخت بر اساس دلیل", "دلیل", columns, "reason", measures, build)

    def losses_by_competitor(self, actor: Actor, f: ReportFilter) -> Report:
        measures = {"lost": {"count": engine.COUNT, "amount": engine.SUM["amount"]}}

        def build(label, fig, drill):
            v = fig["lost"]
            return ReportRow(label, (v["count"], engine.whole(v["amount"])), (drill("lost"),) * 2)

        columns = [Column("باخت", COUNT), Column("مبلغ باخت", MONEY)]
        return self._report(actor, f, "competitors", "باخت به رقیبان", "رقیب", columns, "competitor", measures, build)

    def performance(self, actor: Actor, f: ReportFilter, by: str) -> Report:
        """Per rep, team, source, campaign or product (an opportunity counts under each product of its lines):
        deals closed in the period, win rate, average won deal, days to close."""
        measures = {
            "closed": {
                "won": engine.SUM["won"],
                "lost": engine.SUM["lost"],
                **{f"{name}_sum": engine.SUM[name] for name in ("won_amount", "won_days")},
                **{f"{name}_n": engine.PRESENT[name] for name in ("won_amount", "won_days")},
            }
        }

        def build(label, fig, drill):
            v = fig["closed"]
            won, lost = engine.whole(v["won"]), engine.whole(v["lost"])
            size = engine.average(v["won_amount_sum"], v["won_amount_n"])
            days = engine.average(v["won_days_sum"], v["won_days_n"])
            values = (won, lost, rate(won, won + lost), size, days)
            drills = (drill("won"), drill("lost"), drill("closed"), drill("won"), drill("won"))
            return ReportRow(label, values, drills)

        columns = [
            Column("برد", COUNT),
            Column("باخت", COUNT),
            Column("نرخ برد", PERCENT),
            Column("میانگین مبلغ برد", MONEY),
            Column("میانگین روز تا بستن", DAYS),
        ]
        title = f"عملکرد بر اساس {PERFORMANCE_BY[by]}"
        return self._report(actor, f, f"performance_{by}", title, PERFORMANCE_BY[by], columns, by, measures, build)

    def forecast(self, actor: Actor, f: ReportFilter) -> Report:
        """Open opportunities expected to close in the period, by Jalali month."""
        measures = {
            "forecast": {"count": engine.COUNT, "amount": engine.SUM["amount"], "weighted": engine.SUM["weighted"]}
        }

        def build(label, fig, drill):
            v = fig["forecast"]
            values = (v["count"], engine.whole(v["amount"]), engine.whole(v["weighted"]) // 100)
            return ReportRow(label, values, (drill("forecast"),) * 3)

        columns = [Column("تعداد", COUNT), Column("مبلغ", MONEY), Column("مبلغ وزنی", MONEY)]
        return self._report(
            actor, f, "forecast", "پیش‌بینی فروش بر اساس ماه بستن", "ماه", columns, "close_month", measures, build
        )

    def activities(self, actor: Actor, f: ReportFilter) -> Report:
        """Per assignee: activities done in the period, and planned ones overdue now."""
        measures = {"activities_done": {"count": engine.COUNT}, "activities_overdue": {"count": engine.COUNT}}

        def build(label, fig, drill):
            done = fig.get("activities_done", {}).get("count", 0)
            overdue = fig.get("activities_overdue", {}).get("count", 0)
            return ReportRow(label, (done, overdue), (drill("activities_done"), drill("activities_overdue")))

        columns = [Column("انجام‌شده", COUNT), Column("معوق", COUNT)]
        return self._report(
            actor, f, "activities", "فعالیت‌های فروشندگان", "فروشنده", columns, "assignee", measures, build
        )

    def targets(self, actor: Actor, f: ReportFilter) -> Report:
        """Each team's monthly target against its members' issued invoices net of returns, per Jalali month."""
        months = months_of(f.start, f.end)
        with self._db.read(actor) as s:
            teams = select(SalesTeam.id, SalesTeam.name, SalesTeam.monthly_target).where(SalesTeam.deleted_at.is_(None))
            if f.team_id:
                teams = teams.where(SalesTeam.id == f.team_id)
            teams = sorted(s.execute(teams), key=lambda t: engine.sort_key(t.name))
            sums = {}
            for scope, month_dim in (("invoices", "invoice_month"), ("returns", "return_month")):
                amounts = engine.grouped(
                    s, Drill(scope, f), ["owner_team", month_dim], {"amount": engine.SUM["amount"]}
                )
                sums[scope] = {key: engine.whole(v["amount"]) for key, v in amounts}
        rows = []
        for team in teams:
            for month in months:
                key = grain_key(month, "month")
                invoiced = sums["invoices"].get((team.id, key), 0)
                returned = sums["returns"].get((team.id, key), 0)
                net = invoiced - returned
                keys = (("owner_team", team.id),)
                drills = (
                    None,
                    Drill("invoices", f, (*keys, ("invoice_month", key))),
                    Drill("returns", f, (*keys, ("return_month", key))),
                    None,
                    None,
                )
                label = f"{team.name} — {month_key_label(key)}"
                rows.append(
                    ReportRow(label, (team.monthly_target, invoiced, returned, net, team.monthly_target - net), drills)
                )
        columns = (
            Column("هدف ماهانه", MONEY),
            Column("فاکتورهای صادرشده", MONEY),
            Column("برگشت از فروش", MONEY),
            Column("فروش خالص", MONEY),
            Column("فاصله تا هدف", MONEY),
        )
        return Report("targets", "هدف تیم‌ها و فروش خالص", "تیم و ماه", columns, tuple(rows))

    def drill(self, actor: Actor, drill: Drill) -> list[DrillRecord]:
        """The records behind a figure, as the access policy lets the actor see them."""
        if drill.scope in sources.RECORDS:  # a pivot cell of activities or documents
            with self._db.read(actor) as s:
                rows = sources.drill(s, drill, DRILL_LIMIT)
            return [
                DrillRecord(kind, i, "" if title is None else str(title), amount) for kind, i, title, amount in rows
            ]
        model, _ = SCOPES[drill.scope]
        title, amount, kind = {
            Opportunity: (Opportunity.title, Opportunity.amount, "opportunity"),
            Identity: (Identity.display_name, None, "identity"),
            Activity: (Activity.summary, None, "activity"),
            Invoice: (Invoice.number, Invoice.total_after_discount, "invoice"),
            SalesReturn: (SalesReturn.number, SalesReturn.total_after_discount, "return"),
        }[model]
        statement = select(model.id, title, null() if amount is None else amount)
        if needs_owner(drill):
            statement = statement.select_from(model).join(User, User.id == model.owner_id)
        statement = statement.where(*drill_conditions(drill)).order_by(model.id).limit(DRILL_LIMIT)
        with self._db.read(actor) as s:
            return [
                DrillRecord(kind, row[0], "" if row[1] is None else str(row[1]), row[2]) for row in s.execute(statement)
            ]
