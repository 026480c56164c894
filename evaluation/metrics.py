"""Scores shared by the location and the name evaluations, so `evaluation.run` prints one kind of table."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Scores:
    """Confusion counts for one method on one category of cases; precision etc. derive from them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, expected: bool, predicted: bool) -> None:
        if expected and predicted:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif expected:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def precision(self) -> float:
        # No positive prediction at all: nothing claimed, nothing wrong.
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class MethodScores:
    """One method (ours or a baseline) over a whole evaluation set."""

    method: str
    overall: Scores = field(default_factory=Scores)
    per_category: dict[str, Scores] = field(default_factory=dict)
    ms_per_record: float = 0.0
    #: Cases the method declined to decide (e.g. `in_xuar == "uncertain"`), counted as negative above.
    abstained: int = 0
    #: Case IDs it got wrong, for the report's "what we miss" section.
    errors: list[str] = field(default_factory=list)

    def add(self, case_id: str, category: str, expected: bool, predicted: bool) -> None:
        self.overall.add(expected, predicted)
        self.per_category.setdefault(category, Scores()).add(expected, predicted)
        if expected != predicted:
            self.errors.append(case_id)
