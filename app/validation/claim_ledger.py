"""Where each narrative claim ended: the narrative rules note, as they work, every figure they
tied to a table, checked against another claim, or left aside and why. `validate` opens one
ledger per run (`recording()`); outside a run the notes go nowhere."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Literal

from app.validation.claims import Mention

Outcome = Literal["tied", "checked", "unverified"]
ClaimKey = tuple[int, str, int]  # (id of the sentence, claim kind, offset in the sentence)

# why a claim stayed unverified (stable codes, the validation view counts them)
REASONS: dict[str, str] = {
    "unknown_measure": "the words before the figure name no measure the tables print",
    "no_table_figure": "the measure is known but no table prints it",
    "table_unit_unknown": "the table's unit was not read (元 or 万元?)",
    "not_in_tables": "a quantity the tables do not print (采购, 资产, 绩效 …)",
    "other_year": "a figure of another year than the report's",
    "budget_figure_in_final": "a budget figure quoted in a 决算 (its base is not printed in the tables)",
    "final_figure_in_budget": "a 决算 figure quoted in a 预算",
    "prior_year": "last year's figure, with no change stated against it",
    "change_without_base": "a change (增加/减少) against a prior figure neither the text nor the tables state",
    "no_table_rows": "no table rows were read to compare the narrative with",
    "name_not_in_tables": "a subject named without its code, no table row has the name",
    "per_subject_breakdown": "人员经费/项目支出 … of one subject, which the tables do not split",
    "sangong_part_elsewhere": "a 三公 item mentioned outside the 三公 passage",
    "no_base": "a percentage whose part and base are not both stated",
    "code_unknown": "a subject code neither the tables nor the catalog know",
    "code_not_printed": "a subject named without its code",
    "scope_ambiguous": "a subject named without code, its table rows disagree: the text does not say its fund scope",
}


def key_of(m: Mention) -> ClaimKey:
    return (id(m.sentence), m.kind, m.start)


@dataclass
class Ledger:
    tied: set[ClaimKey] = field(default_factory=set)
    checked: set[ClaimKey] = field(default_factory=set)
    reasons: dict[ClaimKey, str] = field(default_factory=dict)

    def outcome(self, key: ClaimKey, default_reason: str) -> tuple[Outcome, str | None]:
        """Tied wins over checked (a table figure is the stronger evidence), checked over unverified."""
        if key in self.tied:
            return "tied", None
        if key in self.checked:
            return "checked", None
        return "unverified", self.reasons.get(key, default_reason)


_LEDGER: ContextVar[Ledger | None] = ContextVar("claim_ledger", default=None)


@contextmanager
def recording() -> Iterator[Ledger]:
    ledger = Ledger()
    token = _LEDGER.set(ledger)
    try:
        yield ledger
    finally:
        _LEDGER.reset(token)


def tied(m: Mention) -> None:
    ledger = _LEDGER.get()
    if ledger is not None:
        ledger.tied.add(key_of(m))


def checked(mentions: Iterable[Mention | None]) -> None:
    """The figures one relation (a sum, share, change or comparison) was computed from."""
    ledger = _LEDGER.get()
    if ledger is not None:
        ledger.checked.update(key_of(m) for m in mentions if m is not None)


def unverified(m: Mention, reason: str) -> None:
    assert reason in REASONS, reason
    ledger = _LEDGER.get()
    if ledger is not None:
        ledger.reasons.setdefault(key_of(m), reason)
