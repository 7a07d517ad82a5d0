"""Table kinds from titles and canonical measures from column labels (see docs/tables.md)."""

from __future__ import annotations

import re
from dataclasses import replace

from app.parsing.model import Column, HeaderRole, LineItem, SangongItem, TableKind

_NOISE = re.compile(r"[\s\"“”'‘’「」《》]")


def _norm(text: str) -> str:
    return _NOISE.sub("", text)


def table_kind(title: str) -> TableKind:
    """One kind of the documented vocabulary for a table title (决算 and 预算 sets); `other`."""
    t = _norm(title)
    if "绩效" in t:
        if "自评" in t:
            return "performance_self_eval"
        if "目标" in t:
            return "performance_target"
        return "performance_eval"
    if "三公" in t:
        return "three_public"
    if "机关运行经费" in t:
        return "agency_operation"
    if "政府采购" in t:
        return "government_procurement"
    if "国有资产" in t or "资产占用" in t or "资产使用" in t:
        return "state_assets"
    if "政府性基金" in t:
        return "government_fund"
    if "国有资本经营" in t:
        return "state_capital"
    if "财政拨款" in t and ("收支" in t or "收入支出" in t) and "一般公共预算" not in t:
        return "fiscal_grant_summary"
    if "一般公共预算" in t:
        if "基本支出" in t:
            return "general_public_basic"
        if "项目支出" in t:
            return "general_public_project"
        if "经济分类" in t:
            return "general_public_economic"
        return "general_public_expenditure"
    if "结转" in re.sub(r"不含(上年)?结转", "", t) and not ("收支" in t or "收入支出" in t):
        return "carryover"  # 上年结转资金支出表, 结转结余情况表: not the 支出表
    if "收支" in t or "收入支出" in t:
        return "income_expenditure_summary"
    if "基本支出" in t:
        return "basic_expenditure"
    if "项目支出" in t:
        return "project_expenditure"
    if "收入" in t:
        return "income"
    if "支出" in t:
        return "expenditure"
    return "other"


PERFORMANCE_KINDS: frozenset[TableKind] = frozenset({"performance_self_eval", "performance_target", "performance_eval"})

# (keywords, measure): the first rule whose keyword occurs in a label part wins
_SPECIFIC: tuple[tuple[tuple[str, ...], str], ...] = (
    (("人员经费", "人员支出", "工资福利"), "personnel"),
    (("公用经费", "公用支出", "日常公用"), "public"),
    (("对附属单位补助",), "subsidy_to_affiliated"),
    (("上缴上级",), "remit_to_superior"),
    (("附属单位上缴",), "affiliated_remittance"),
    (("事业单位经营收入", "经营收入", "经营服务收入"), "operating_income"),
    (("事业单位经营支出", "经营支出"), "operating_expense"),
    (("基本支出",), "basic"),
    (("项目支出",), "project"),
    (("使用非财政拨款结余",), "non_grant_balance_used"),
    (("年初结转", "上年结转", "年初财政拨款结转"), "carryover_begin"),
    (("年末结转", "结转下年", "年末财政拨款结转"), "carryover_end"),
    (("一般公共预算",), "general_public_budget"),
    (("政府性基金",), "government_fund"),
    (("国有资本经营",), "state_capital"),
    (("财政专户",), "special_account"),
    (("财政拨款",), "fiscal_grant"),
    (("上级补助",), "superior_subsidy"),
    (("事业收入",), "business_income"),
    (("其他收入", "其它收入"), "other_income"),
    (("其他资金",), "other_funds"),
    (("因公出国",), "outbound"),
    (("公务接待",), "reception"),
    (("公务用车购置及运行", "公务用车购置和运行"), "vehicle"),
    (("公务用车运行", "运行维护费", "运行费"), "vehicle_operation"),
    (("公务用车购置", "购置费"), "vehicle_purchase"),
    (("机关运行经费",), "agency_operation"),
    (("三公",), "three_public"),
)
_GENERIC: tuple[tuple[tuple[str, ...], str], ...] = (
    (("决算数", "执行数", "决算", "实际支出", "实际完成", "统计数"), "actual"),
    (("预算数", "预算", "批复"), "budget"),
    (("合计", "小计", "总计"), "total"),
    (("金额",), "amount"),
)
_SKIP = ("行次", "栏次", "序号")
# every measure `column_measure` can give: a specific or generic word, or a specific (or 合计) with
# its 预算数 / 决算数 leaf (docs/tables.md); the API documents it as the `measure` vocabulary
MEASURES: tuple[str, ...] = tuple(dict.fromkeys(
    [m for _, m in _SPECIFIC] + [m for _, m in _GENERIC]
    + [f"{p}_{g}" for p in [*(m for _, m in _SPECIFIC), "total"] for g in ("budget", "actual")]))


def _match(part: str, rules: tuple[tuple[tuple[str, ...], str], ...]) -> str | None:
    for words, measure in rules:
        if any(w in part for w in words):
            return measure
    return None


def column_measure(label: str) -> str | None:
    """Canonical measure of a column label whose spanned parts are joined with `/`."""
    parts = [_norm(p) for p in label.split("/") if _norm(p)]
    if not parts or any(s in parts[-1] for s in _SKIP):
        return None
    leaf = parts[-1]
    specific = _match(leaf, _SPECIFIC)
    if specific:
        return specific
    generic = _match(leaf, _GENERIC)
    parent = next((m for p in reversed(parts[:-1]) if (m := _match(p, _SPECIFIC))), None)
    if parent is None and generic in ("budget", "actual") and any(_match(p, _GENERIC) == "total" for p in parts[:-1]):
        parent = "total"  # 合计/预算数
    if parent:
        return f"{parent}_{generic}" if generic in ("budget", "actual") else parent
    if generic:
        return generic
    return next((m for p in reversed(parts[:-1]) if (m := _match(p, _GENERIC))), None)


def sangong_item(text: str, context: SangongItem | None = None) -> SangongItem | None:
    """Which 三公 item a header part or row label names (the 小计 under 公务用车购置及运行费 is the
    vehicle item; a 合计 / 总计 or 三公 label the total)."""
    t = _norm(text)
    if "因公出国" in t:
        return "outbound"
    if "接待" in t:
        return "reception"
    if "购置及运行" in t or "购置和运行" in t:
        return "vehicle"
    if "运行" in t and "机关运行" not in t:
        return "vehicle_operation"
    if "购置" in t and "购置数" not in t:
        return "vehicle_purchase"
    if t == "小计" and context == "vehicle":
        return "vehicle"
    if "三公" in t or t.endswith(("合计", "总计")):
        return "total"
    return None


def column_sangong_item(label: str) -> SangongItem | None:
    """The item of a spanned header (公务用车购置及运行费/小计/预算数 → vehicle): the last part naming one."""
    item: SangongItem | None = None
    for part in re.split(r"[/／]", label):
        if _norm(part):
            item = sangong_item(part, item) or item
    return item


def sangong_items(kind: TableKind, columns: list[Column], items: list[LineItem]) -> list[Column]:
    """Mark the 三公 items of a three_public table's columns, cells and rows (in place for the
    rows); the columns come back marked."""
    if kind != "three_public":
        return columns
    for li in items:
        li.sangong_item = sangong_item(li.name)
        li.values = [replace(v, sangong_item=column_sangong_item(v.column)) for v in li.values]
    return [replace(c, sangong_item=column_sangong_item(c.label)) for c in columns]


_TOTAL_WORDS = ("合计", "总计", "本年收入合计", "本年支出合计", "收入合计", "支出合计", "支出总计", "收入总计")
_SUBTOTAL_WORDS = ("小计", "合计", "金额")
_MEMO = ("政府采购", "备注", "说明")  # with 其中 (of which): breakdowns and memo blocks, not components
_COMPONENT_WORDS = (
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
_CARRY_IN = ("年初结转", "上年结转", "年初财政拨款结转")
_CARRY_OUT = ("年末结转", "年末财政拨款结转")


def header_roles(part: str) -> frozenset[HeaderRole]:
    """What one printed header part says of the columns under it."""
    t = _norm(part)
    roles: set[HeaderRole] = set()
    if t in _TOTAL_WORDS:
        roles.add("total")
    if t in _SUBTOTAL_WORDS:
        roles.add("subtotal")
    if t.startswith("其中") or any(m in t for m in _MEMO):
        roles.add("memo")
    if any(w in t for w in _COMPONENT_WORDS):
        roles.add("component")
    if "结转" in t or "结余" in t:
        roles.add("carry")
    if any(w in t for w in _CARRY_IN):
        roles.add("carry_in")
    if any(w in t for w in _CARRY_OUT):
        roles.add("carry_out")
    if "本年收入" in t:
        roles.add("income")
    if "本年支出" in t:
        roles.add("spending")
    return frozenset(roles)


def column_header(label: str) -> tuple[tuple[str, frozenset[HeaderRole]], ...]:
    """A label's header parts (spanned parts joined with `/`), each with its roles."""
    parts = [t for p in re.split(r"[/／]", label) if (t := _norm(p))]
    return tuple((p, header_roles(p)) for p in parts)
