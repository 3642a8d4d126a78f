"""Documents from the database: render a 50-line invoice, issue 1,000 invoices. Prints JSON.

    python bench/documents.py [--lines 50] [--runs 20] [--invoices 1000] [--dir DIR]

- render: a 50-line issued invoice loaded from the database and rendered to PDF through
  PrintService.pdf (DB read + DocumentData + ReportLab); median of `runs` after one warm-up
  (target < 150 ms); "render_only_median_ms" is the renderer alone on the same DocumentData.
- issue: `invoices` drafts (two lines each) are made first (not timed), then issued
  (a) in one `issue_many` call, one transaction: numbers 1..N (target < 5 s);
  (b) one `issue` call and one transaction each, as a rep clicking «صدور» (own documents);
  the commit's fsync dominates (b): "commit_ms" is an empty write transaction on the same disk.
The database is a fresh SQLite file in `--dir` (default: a temporary folder on disk).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.models import AccessLevel, Identity, IdentityKind, Product, Setting, User  # noqa: E402
from app.persian import search_key  # noqa: E402
from app.services.admin.settings import CompanyInfo  # noqa: E402
from app.services.core import migrations  # noqa: E402
from app.services.core.actor import SYSTEM, Actor  # noqa: E402
from app.services.core.database import Database  # noqa: E402
from app.services.core.registry import Services  # noqa: E402
from app.services.documents.invoice_views import InvoiceDraft  # noqa: E402
from app.services.documents.lines import LineDraft  # noqa: E402

DAY = __import__("datetime").date(2025, 11, 22)


def _setup(services: Services, products: int) -> tuple[Actor, Actor, object, list]:
    admin = services.users.ensure_admin()
    services.settings.save_company(admin, CompanyInfo(name="شرکت پیوند تجارت پارس", economic_code="411337894159"))
    with services.db.write(SYSTEM) as s:
        user = User(login="bench_rep", display_name="نماینده", access_level=AccessLevel.OWN_DOCUMENTS)
        s.add(user)
        s.flush()
        rep = Actor(user.id, user.login, user.display_name, user.access_level)
        customer = Identity(
            kind=IdentityKind.ORGANISATION, display_name="فروشگاه نگین", name_key=search_key("فروشگاه نگین"),
            owner_id=rep.user_id, legal_id="10380284790",
        )  # fmt: skip
        s.add(customer)
        ids = []
        for i in range(products):
            name = f"کالای شماره {i + 1} با شرح نسبتاً طولانی برای آزمون"
            p = Product(code=f"P-{i:04d}", name=name, name_key=search_key(name), default_price=1_250_000, on_hand=10**6)
            s.add(p)
            s.flush()
            ids.append(p.id)
        return admin, rep, customer.id, ids


def _median_ms(fn, runs: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=50)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--invoices", type=int, default=1000)
    parser.add_argument("--per-call", type=int, default=200, help="invoices issued one call each (b)")
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(dir=args.dir))
    db = Database(f"sqlite:///{(folder / 'bench.db').as_posix()}")
    migrations.upgrade(db)
    services = Services(db)
    admin, rep, customer, products = _setup(services, args.lines)
    result: dict = {"db": str(folder), "lines": args.lines}

    # --- render ------------------------------------------------------------------------
    lines = [
        LineDraft("", Decimal(i % 7 + 1), 1_250_000 + i * 1000, i * 100, None, pid) for i, pid in enumerate(products)
    ]
    big = services.invoices.create(rep, InvoiceDraft(customer, DAY, lines))
    big = services.invoices.issue(rep, big.id)
    pdf = services.printing.pdf(rep, "invoice", big.id)
    result["render_pages"] = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    result["render_median_ms"] = _median_ms(lambda: services.printing.pdf(rep, "invoice", big.id), args.runs)
    from app.services.documents import render_pdf

    data = services.printing.document(rep, "invoice", big.id)
    result["render_only_median_ms"] = _median_ms(lambda: render_pdf(data), args.runs)
    result["render_target_ms"] = 150

    # --- issue -------------------------------------------------------------------------
    two = [LineDraft("", Decimal(3), 1_250_000, 50_000, None, products[0]), LineDraft("نصب", Decimal(1), 4_000_000)]
    draft = InvoiceDraft(customer, DAY, two)
    start = time.perf_counter()
    ids = [services.invoices.create(rep, draft).id for _ in range(args.invoices)]
    result["create_drafts_s"] = round(time.perf_counter() - start, 2)

    start = time.perf_counter()
    issued = services.invoices.issue_many(rep, ids)
    result["issue_many_s"] = round(time.perf_counter() - start, 2)
    result["issue_many_invoices"] = len(issued)
    numbers = sorted(n.number for n in issued)
    result["issue_target_s"] = 5.0

    singles = [services.invoices.create(rep, draft).id for _ in range(args.per_call)]
    start = time.perf_counter()
    for invoice_id in singles:
        numbers.append(services.invoices.issue(rep, invoice_id).number)
    per_call = (time.perf_counter() - start) / max(len(singles), 1)
    result["issue_one_per_call_ms"] = round(per_call * 1000, 1)
    result["issue_one_per_call_1000_s"] = round(per_call * 1000, 1)
    result["numbers_gapless"] = sorted(numbers) == list(range(2, len(numbers) + 2))  # 1 is the big one

    def empty_commit() -> None:
        with db.write(SYSTEM) as s:
            s.merge(Setting(key="bench", value=time.time()))

    result["commit_ms"] = _median_ms(empty_commit, 50)
    db.dispose()
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
