"""A table's column headers as a tree (spanned headers are joined with "/"), and the identities
the tree implies: a 合计 column is the sum of its siblings, a 小计 the sum of its group."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from app.parsing.model import LineItem, Table
from app.validation.common import col_parts, norm

TOTAL_WORDS = ("合计", "总计", "本年收入合计", "本年支出合计", "收入合计", "支出合计", "支出总计", "收入总计")
SUBTOTAL_WORDS = ("小计", "合计", "金额")
MEMO = ("其中", "政府采购", "备注", "说明")  # "of which" breakdowns and memo blocks: not components
COMPONENT_WORDS = (
    "基本支出",
    "项目支出",
    "上缴上级",
    "经营支出",
    "附属单位",
    "人员经费",
    "公用经费",
    "财政拨款",
    "一般公共预算",
    "政府性基金",
    "国有资本",
    "财政专户",
    "事业收入",
    "上级补助",
    "经营收入",
    "其他收入",
    "其它收入",
    "结转",
    "结余",
    "收入",
    "支出",
)
CARRY_IN = ("年初结转", "上年结转", "年初财政拨款结转")
CARRY_OUT = ("年末结转", "年末财政拨款结转")


@dataclass
class Node:
    name: str
    column: str | None = None  # the column label printed for this node, if any
    children: list[Node] = field(default_factory=list)

    def child(self, name: str) -> Node:
        for c in self.children:
            if c.name == name:
                return c
        node = Node(name)
        self.children.append(node)
        return node

    @property
    def memo(self) -> bool:
        """An "of which" breakdown (其中：…) or a memo block (政府采购 …): not a component."""
        name = norm(self.name)
        return name.startswith(MEMO[0]) or any(m in name for m in MEMO[1:])

    def subtotal(self) -> Node | None:
        for c in self.children:
            if c.name in SUBTOTAL_WORDS and not c.children:
                return c
        return None

    def series(self) -> list[str]:
        """The columns whose sum is this node's amount: its own column, its 小计, or its parts."""
        if self.column is not None:
            return [self.column]
        sub = self.subtotal()
        if sub is not None and sub.column is not None:
            return [sub.column]
        out: list[str] = []
        for c in self.children:
            if not c.memo:
                out.extend(c.series())
        return out


def table_columns(table: Table, items: list[LineItem]) -> list[str]:
    """The table's value columns in printed order."""
    labels = [c.label for c in table.columns]
    seen = set(labels)
    for li in items:
        for v in li.values:
            if v.column not in seen:
                seen.add(v.column)
                labels.append(v.column)
    return labels


def column_tree(labels: list[str]) -> Node:
    root = Node("")
    for label in labels:
        parts = col_parts(label)
        if not parts:
            continue
        node = root
        for p in parts:
            node = node.child(p)
        node.column = label
    return root


@dataclass(frozen=True)
class Identity:
    """total = Σ parts (+ Σ plus − Σ minus for carry-forward identities), by column label."""

    total: str
    parts: tuple[str, ...]
    minus: tuple[str, ...] = ()
    kind: str = "sum"  # sum | group | carry
    alternatives: tuple[tuple[str, ...], ...] = ()  # other readings of the parts; any that fits will do


def identities(labels: list[str]) -> Iterator[Identity]:
    root = column_tree(labels)
    top = root.children
    if top and top[0].column is not None and top[0].name in TOTAL_WORDS and len(top) > 2:
        nodes = [n for n in top[1:] if not n.memo]
        parts = tuple(c for n in nodes for c in n.series())
        known = tuple(c for n in nodes if any(w in norm(n.name) for w in COMPONENT_WORDS) for c in n.series())
        no_carry = tuple(
            c for n in nodes if not any(w in norm(n.name) for w in CARRY_IN + ("结转", "结余")) for c in n.series()
        )
        alts = tuple(a for a in (known, no_carry) if a and a != parts)
        if parts:
            yield Identity(top[0].column, parts, kind="sum", alternatives=alts)
    yield from _groups(root)
    carry = _carry(top)
    if carry is not None:
        yield carry


def _groups(node: Node) -> Iterator[Identity]:
    for c in node.children:
        sub = c.subtotal()
        others = [g for g in c.children if g is not sub and not g.memo]
        if sub is not None and sub.column is not None and len(others) >= 2 and not c.memo:
            parts = [col for g in others for col in g.series()]
            yield Identity(sub.column, tuple(parts), kind="group")
        yield from _groups(c)


def _find(top: list[Node], words: tuple[str, ...]) -> Node | None:
    for n in top:
        if any(w in norm(n.name) for w in words):
            return n
    return None


def _carry(top: list[Node]) -> Identity | None:
    """年初结转 + 本年收入 − 本年支出 = 年末结转, where the table prints those four blocks."""
    begin = _find(top, CARRY_IN)
    end = _find(top, CARRY_OUT)
    income = _find(top, ("本年收入",))
    spend = _find(top, ("本年支出",))
    if not (begin and end and income and spend):
        return None
    b, i, s, e = begin.series(), income.series(), spend.series(), end.series()
    if len(b) != 1 or len(e) != 1 or not i or not s:
        return None
    return Identity(e[0], (b[0], *i), minus=tuple(s), kind="carry")
