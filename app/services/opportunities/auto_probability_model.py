"""The automatic probability's model: naive Bayes written as smoothed per-factor log-odds.

Why this model: every figure it shows can be said in one sentence and checked by hand. The base is
the office's win rate over the closed deals; each chosen field's value moves the log-odds by how
much more (or less) often deals with that value were won than the base, and the moves add up
(naive Bayes: the fields are taken as independent given the result). Each value's win rate is
smoothed towards the base with SMOOTHING imaginary deals, so a source seen in two deals moves the
estimate a little, one seen in two hundred moves it fully. It trains from GROUP BY counts alone
(closed and won per value), so 50,000 opportunities cost one small query per field.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from app.persian import to_persian_digits

SMOOTHING = 10.0  # imaginary deals at the base rate added to every value's counts
_EDGE = 0.01  # estimates stay within 1..99%: no history makes a deal certain


def logit(p: float) -> float:
    return math.log(p / (1 - p))


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def _bounded(p: float) -> float:
    return min(1 - _EDGE, max(_EDGE, p))


@dataclass(frozen=True)
class Factor:
    """One value's pull on the estimate: its win rate alone against the base, in percentage points."""

    label: str  # the field: «منبع»
    value: str  # its value: «نمایشگاه»
    points: int  # +12 / -7
    weight: float  # the log-odds it adds

    @property
    def text(self) -> str:
        sign = "+" if self.points >= 0 else "−"
        return f"{self.label}: {self.value} {sign}{to_persian_digits(str(abs(self.points)))}٪"


@dataclass(frozen=True)
class Estimate:
    percent: int
    factors: tuple[Factor, ...]  # the strongest first
    base_percent: int
    closes: int  # closed deals it learned from


@dataclass(frozen=True)
class Weight:
    name: str
    weight: float
    closes: int
    won: int


@dataclass
class Model:
    closes: int
    won: int
    labels: dict[str, str] = field(default_factory=dict)  # field key -> Persian label
    weights: dict[str, dict] = field(default_factory=dict)  # field key -> value key -> Weight

    @property
    def base(self) -> float:
        """The win rate over the closed deals, with one imaginary win and loss (never 0 or 1)."""
        return (self.won + 1) / (self.closes + 2)

    def add_counts(self, key: str, label: str, rows) -> None:
        """Rows (value key, name, closed, won) of one field: its values' smoothed log-odds over the base."""
        base = self.base
        values = self.weights.setdefault(key, {})
        self.labels[key] = label
        for value, name, closes, won in rows:
            rate = _bounded((int(won or 0) + SMOOTHING * base) / (closes + SMOOTHING))
            values[value] = Weight(name, logit(rate) - logit(base), closes, int(won or 0))

    def estimate(self, values: dict[str, list[tuple]]) -> Estimate:
        """The estimate of a deal from its values: {field key: [(value key, name), ...]}."""
        base = logit(self.base)
        total, factors = base, []
        for key, pairs in values.items():
            known = self.weights.get(key, {})
            for value, name in pairs:
                weight = known.get(value)
                if weight is None:  # a value never seen in a closed deal says nothing
                    continue
                total += weight.weight
                points = round(100 * (sigmoid(base + weight.weight) - self.base))
                factors.append(Factor(self.labels[key], name, points, weight.weight))
        factors.sort(key=lambda f: -abs(f.weight))
        return Estimate(
            percent=round(100 * _bounded(sigmoid(total))),
            factors=tuple(f for f in factors if f.points),
            base_percent=round(100 * self.base),
            closes=self.closes,
        )

    def strongest(self, count: int) -> list[Factor]:
        """The values that move the estimate most (smoothing has already shrunk the rarely seen ones)."""
        base = logit(self.base)
        factors = [
            Factor(self.labels[key], w.name, round(100 * (sigmoid(base + w.weight) - self.base)), w.weight)
            for key, values in self.weights.items()
            for w in values.values()
        ]
        factors.sort(key=lambda f: -abs(f.weight))
        return [f for f in factors if f.points][:count]
