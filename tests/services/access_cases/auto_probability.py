"""Access cases of the automatic probability: an estimate is a record's, its settings the admin's."""

from __future__ import annotations

from app.services.opportunities.auto_probability import AutoProbabilityConfig
from app.services.opportunities.data import WinData


def _estimates(w, a) -> bool:
    """rep_b's open deal has an estimate once a deal was closed (a close of the admin's own)."""
    b = w.records["opportunity_b"]
    closed = w.services.opportunity_records.create(w.admin, w.services.opportunity_records.get(w.admin, b).to_data())
    w.services.pipeline_moves.win(w.admin, closed, WinData())
    return b in w.services.auto_probability.estimates(a, [b])


def _estimate(w, a) -> bool:
    _estimates(w, w.admin)
    return w.services.auto_probability.estimate(a, w.records["opportunity_b"]) is not None


CASES = {
    "auto_probability.estimates": _estimates,
    "auto_probability.estimate": _estimate,
    "auto_probability.save_config": lambda w, a: bool(
        w.services.auto_probability.save_config(a, AutoProbabilityConfig(("source",))).fields
    ),
    "auto_probability.retrain": lambda w, a: w.services.auto_probability.retrain(a).closes >= 0,
}
# The fields and start date the model learns from are the office's, read by every user.
NOT_RECORD_SCOPED = {"auto_probability.config"}
ADMIN_ONLY = {"auto_probability.save_config", "auto_probability.retrain"}
