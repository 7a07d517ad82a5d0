"""A whole that opens a numbered list (项目支出54,693.88万元，具体包括：) against the figure each
numbered item leads with (1.生态环境管理项目22,346.88万元，主要包括：… 2.污染防治项目…): the items
are the whole's parts, so they add up to it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from app.validation import claim_ledger, claims
from app.validation.claims import Block, Mention
from app.validation.common import fmt
from app.validation.model import Finding, Location, Severity
from app.validation.tolerance import Fig, judge

_OPENERS = ("具体包括", "主要包括", "包括", "其中", "具体为", "分别为", "主要用于以下方面", "主要用于")
_COMPLETE = ("具体包括", "其中", "具体为", "分别为")  # the others may name the main items only
_NUMBER = re.compile(r"^\s*(?:(\d+)[、.．](?!\d)|[（(](\d+)[）)])")


def _opened_whole(block: Block) -> tuple[Mention, str] | None:
    """The figure a block ends on and the word after it that opens a list (X万元，具体包括：)."""
    last = block.sentences[-1] if block.sentences else None
    found = [a for a in claims.amounts(last) if not a.changes] if last is not None else []
    if last is None or not found:
        return None
    opener = re.sub(r"[，,：:。\s]", "", last.text[found[-1].end :])
    return (found[-1], opener) if opener in _OPENERS else None


def _lead(block: Block) -> tuple[str, int, Mention] | None:
    """(numbering style, number, the figure the item leads with): the item's first figure, its
    words being the item's name alone."""
    first = block.sentences[0].text if block.sentences else ""
    numbered = _NUMBER.match(first)
    if numbered is None:
        return None
    found = claims.amounts(block.sentences[0])
    if not found or found[0].changes or re.search(r"[，,；;。：:]", first[numbered.end() : found[0].start]):
        return None
    style = "1." if numbered.group(1) else "(1)"
    return style, int(numbered.group(1) or numbered.group(2)), found[0]


def _shown(d: Decimal) -> Decimal:
    """An amount in the whole's unit, to the cent of it (an item printed in 元 among 万元 ones)."""
    return d.quantize(Decimal("0.01")) if d != d.quantize(Decimal("0.01")) else d


def check_item_sums(blocks: list[Block]) -> Iterator[Finding]:
    """Items that add up to their whole are checked with it; items that exceed it are an error, and
    items of a complete list (具体包括, 其中) that fall short of it a warning."""
    for n, head in enumerate(blocks):
        if head.numbered:
            continue
        opened = _opened_whole(head)
        if opened is None:
            continue
        whole, opener = opened
        items: list[Mention] = []
        style = None
        for block in blocks[n + 1 :]:
            if not block.numbered:
                break
            lead = _lead(block)
            if lead is None:
                if style is None:
                    break
                continue  # an item of another level (（1） under 1.), or one without a lead figure
            if style is None:
                style = lead[0]
            if lead[0] != style:
                continue
            if lead[1] != len(items) + 1:
                items = []
                break  # the numbers do not run 1, 2, 3 …: not one list
            items.append(lead[2])
        if len(items) < 2:
            continue
        j = judge(Fig(whole.value, whole.unit), [Fig(a.value, a.unit) for a in items])
        short = j is not None and j.severity == "error" and j.difference > 0
        if short and opener not in _COMPLETE:
            continue  # the main items only
        if j is None or j.severity == "info":
            claim_ledger.checked((whole, *items))
            if j is None:
                continue
        s = whole.sentence
        said = f"{whole.label}{fmt(whole.value)}{whole.unit}"
        severity: Severity = "info" if j.severity == "info" else ("warning" if short else "error")
        yield Finding(
            "narrative.parts_sum",
            severity,
            f"说明第{s.page}页“{said}”，但以下{len(items)}项之和为{fmt(_shown(j.expected))}{whole.unit}"
            f"（差{fmt(_shown(j.difference))}）"
            + ("（尾数差异）" if severity == "info" else ""),
            j.expected,
            whole.value,
            j.difference,
            Location(page=s.page, row_label=said, bbox=s.bbox),
            s.text,
        )
