"""A table's column headers as a tree (the header parts and their roles, as the parser said them
in `Column.header`), and the identities the tree implies: a 合计 column is the sum of its
siblings, a 小计 the sum of its group, 年初结转 + 本年收入 − 本年支出 = 年末结转."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from app.parsing.model import HeaderRole, LineItem, Table


@dataclass
class Node:
    name: str
    roles: frozenset[HeaderRole] = frozenset()
    column: str | None = None  # the column label printed for this node, if any
    children: list[Node] = field(default_factory=list)

    def child(self, name: str, roles: frozenset[HeaderRole]) -> Node:
        for c in self.children:
            if c.name == name:
                return c
        node = Node(name, roles)
        self.children.append(node)
        return node

    @property
    def memo(self) -> bool:
        """An "of which" breakdown (其中：…) or a memo block (政府采购 …): not a component."""
        return "memo" in self.roles

    def subtotal(self) -> Node | None:
        for c in self.children:
            if "subtotal" in c.roles and not c.children:
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


def column_tree(table: Table, labels: list[str]) -> Node:
    """The header tree of the labels the table's columns describe (others have no header)."""
    headers = {c.label: c.header for c in table.columns}
    root = Node("")
    for label in labels:
        header = headers.get(label)
        if not header:
            continue
        node = root
        for name, roles in header:
            node = node.child(name, roles)
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


def identities(table: Table, labels: list[str]) -> Iterator[Identity]:
    root = column_tree(table, labels)
    top = root.children
    if top and top[0].column is not None and "total" in top[0].roles and len(top) > 2:
        nodes = [n for n in top[1:] if not n.memo]
        parts = tuple(c for n in nodes for c in n.series())
        known = tuple(c for n in nodes if "component" in n.roles for c in n.series())
        no_carry = tuple(c for n in nodes if "carry" not in n.roles for c in n.series())
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


def _find(top: list[Node], role: HeaderRole) -> Node | None:
    return next((n for n in top if role in n.roles), None)


def _carry(top: list[Node]) -> Identity | None:
    """年初结转 + 本年收入 − 本年支出 = 年末结转, where the table prints those four blocks."""
    begin, end = _find(top, "carry_in"), _find(top, "carry_out")
    income, spend = _find(top, "income"), _find(top, "spending")
    if not (begin and end and income and spend):
        return None
    b, i, s, e = begin.series(), income.series(), spend.series(), end.series()
    if len(b) != 1 or len(e) != 1 or not i or not s:
        return None
    return Identity(e[0], (b[0], *i), minus=tuple(s), kind="carry")
