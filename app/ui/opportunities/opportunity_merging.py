"""The opportunity form's «ادغام با…» and «لغو ادغام»: another opportunity of the same identity
merges into the open one, undoable."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QInputDialog

from app.services.core.labels import OPPORTUNITY_STATUS
from app.services.opportunities.queries import OpportunityQuery
from app.ui.errors import show_error
from app.ui.ops import op


class MergeActions:
    """Mixin for OpportunityForm (it provides detail, _merges, save, load and the services)."""

    def choose_merge(self) -> None:
        """«ادغام با…»: asks which other opportunity of the same identity merges into this one."""
        d = self.detail
        if d is None or (self.is_dirty() and not self.save()):
            return
        d, search, actor = self.detail, self._services.opportunities.search, self._actor
        query = OpportunityQuery(identity_id=d.identity_id, status=None, sort="title")
        found = op(self, lambda: search(actor, query, 0, 500)).run()
        if found is None:
            return
        others = [r for r in found if r.id != d.id]
        if not others:
            show_error(self, "این هویت فرصت دیگری برای ادغام ندارد.")
            return
        labels = [f"{r.title} ({OPPORTUNITY_STATUS[r.status]})" for r in others]
        label, ok = QInputDialog.getItem(self, "ادغام فرصت", "این فرصت در فرصت فعلی ادغام شود:", labels, 0, False)
        if ok:
            self.merge_other(others[labels.index(label)].id)

    def merge_other(self, merged_id: uuid.UUID) -> bool:
        """Merges another opportunity of the same identity into this one (undoable)."""
        d = self.detail
        if d is None or (self.is_dirty() and not self.save()):
            return False
        d, merges, actor = self.detail, self._services.opportunity_merge, self._actor
        if op(self, lambda: merges.merge(actor, d.id, merged_id)).run() is None:
            return False
        self.load(d.id)
        return True

    def undo_merge(self) -> None:
        """Undoes the latest merge into this opportunity."""
        if not self._merges:
            return
        last, merges, actor = self._merges[0], self._services.opportunity_merge, self._actor
        undo = op(self, lambda: merges.undo(actor, last.merge_id))
        undo.run()
        if undo.succeeded:
            self.load(last.survivor_id)
