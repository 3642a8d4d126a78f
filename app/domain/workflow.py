"""Allowed state transitions, declared once per model (after Tryton's `Workflow` and `_transitions`).

    ROLE_FLOW = Workflow("هویت", {(LEAD, CONTACT): "تبدیل به مخاطب", ...}, labels=ROLE_LABELS)
    ROLE_FLOW.check(identity.role, IdentityRole.CONTACT)   # raises TransitionRefused

Each transition names the action that makes it (Persian, for menus and history). A refusal says the
record's current state and the one asked for, unless the declaration gives a sharper sentence for
that target (`refusals`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from app.domain.errors import TransitionRefused

S = TypeVar("S", bound=Hashable)


@dataclass(frozen=True)
class Workflow(Generic[S]):
    record: str
    """The record's Persian name, e.g. «پیش‌فاکتور»."""
    transitions: Mapping[tuple[S, S], str]
    """(from, to) -> the Persian name of the action that makes the move."""
    label: Callable[[S], str] = str
    """A state's Persian name."""
    refusals: Mapping[S, str] = field(default_factory=dict)
    """Target state -> the sentence to refuse with when the move there is not allowed."""
    refusal: str = "{record} با وضعیت «{current}» را نمی‌توان به «{wanted}» برد."
    """The refusal otherwise, with {record}, {current} and {wanted} filled in."""

    def can(self, current: S, wanted: S) -> bool:
        return (current, wanted) in self.transitions

    def targets(self, current: S) -> list[S]:
        """The states `current` may move to, in declaration order."""
        return [to for (frm, to) in self.transitions if frm == current]

    def action(self, current: S, wanted: S) -> str:
        return self.transitions[(current, wanted)]

    def check(self, current: S, wanted: S) -> None:
        """Raises TransitionRefused unless the move is declared."""
        if self.can(current, wanted):
            return
        message = self.refusals.get(wanted) or self.refusal.format(
            record=self.record, current=self.label(current), wanted=self.label(wanted)
        )
        raise TransitionRefused(message, current, wanted)
