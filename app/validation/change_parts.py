"""A change broken down into the changes of its parts (收入预算增加406.29万元，其中一般公共预算收入增加
524.29万元，国有资本经营预算收入减少100万元 …): the whole change is the signed sum of the parts'."""

from __future__ import annotations

import re
from collections.abc import Iterator

from app.parsing.model import Sentence
from app.validation import claim_ledger, claims
from app.validation.claims import Mention
from app.validation.common import fmt
from app.validation.model import Finding, Location
from app.validation.tolerance import Fig, judge

# words that open the list of parts; only a 其中 list is complete by convention (主要是 names the main ones)
_MARKERS = ("其中", "主要是", "主要包括", "具体包括", "包括", "分别为", "具体为")
_COMPLETE = "其中"


def _signed(m: Mention) -> Fig:
    return Fig(m.direction * m.value, m.unit)


def _opened(text: str, m: Mention) -> tuple[int, str] | None:
    """(where the parts begin, the marker) when a marker follows the change directly."""
    gap = text[m.end : m.end + 10]
    for w in _MARKERS:
        k = gap.find(w)
        if k != -1 and re.fullmatch(r"[，,：:\s]*", gap[:k]):
            return m.end + k + len(w), w
    return None


def check_change_parts(s: Sentence) -> Iterator[Finding]:
    """A change whose parts add up (signed) is checked with them; a 其中 list of two or more
    parts that does not add up is a warning (a 主要是 list may leave parts out, so it only checks)."""
    text = s.text
    changes = [a for a in claims.amounts(s) if a.changes and a.direction != 0]
    for whole in changes:
        opened = _opened(text, whole)
        if opened is None:
            continue
        start, marker = opened
        stop = re.search(r"[；;。]", text[start:])
        end = start + stop.start() if stop else len(text)
        parts = [a for a in changes if start <= a.start < end]
        if not parts or any(_opened(text, a) for a in parts):
            continue  # a nested breakdown: the parts are not of one level
        j = judge(_signed(whole), [_signed(a) for a in parts])
        if j is None or j.severity == "info":
            claim_ledger.checked((whole, *parts))
            if j is None:
                continue
        elif marker != _COMPLETE or len(parts) < 2:
            continue
        said = f"{whole.label}{fmt(whole.value)}{whole.unit}"
        yield Finding(
            "narrative.parts_sum",
            "info" if j.severity == "info" else "warning",
            f"说明第{s.page}页“{said}”，但{marker}各项增减之和为{fmt(j.expected)}{whole.unit}（差{fmt(j.difference)}）"
            + ("（尾数差异）" if j.severity == "info" else ""),
            j.expected,
            whole.direction * whole.value,
            j.difference,
            Location(page=s.page, row_label=said, bbox=s.bbox),
            s.text,
        )
