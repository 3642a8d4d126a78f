"""An office user issuing invoices in a spawned process (not a test module): spawned children import
their target by module name, which a test module under pytest's importlib mode does not have."""

from __future__ import annotations

import random
import time

from sqlalchemy.engine import make_url

from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.registry import Services


def issue(url: str, actor: Actor, invoice_ids: list, seed: int, go, results) -> None:
    """An office user issuing their drafts one transaction each, a little apart."""
    rnd = random.Random(seed)
    url = make_url(url).update_query_dict({"options": "-c lock_timeout=20000 -c statement_timeout=60000"})
    services = Services(Database(url.render_as_string(hide_password=False)))
    issued, errors = [], []
    go.wait()
    for invoice_id in invoice_ids:
        time.sleep(rnd.random() * 0.05)
        try:
            issued.append((invoice_id, services.invoices.issue(actor, invoice_id).number))
        except Exception as exc:  # anything fails the test, with its message
            errors.append(repr(exc))
    services.db.dispose()
    results.put((issued, errors))
