"""Indicator values: operators, numbers with units, and whether an actual value meets its target."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from app.parsing.text import CJK

_SPELLINGS: dict[str, tuple[str, ...]] = {
    "≥": (">=", "≧", "＞＝", "＞=", ">＝", "=>", "大于等于", "大于或等于", "不低于", "不少于", "不小于"),
    "≤": ("<=", "≦", "＜＝", "＜=", "<＝", "=<", "小于等于", "小于或等于", "不高于", "不超过", "不大于", "不多于"),
    "=": ("＝", "==", "等于"),
    ">": ("＞", "大于", "高于", "超过"),
    "<": ("＜", "小于", "低于"),
    "定性": (),
}
OPERATORS: dict[str, str] = {s: op for op, spellings in _SPELLINGS.items() for s in (op, *spellings)}
# symbols may prefix a value (`≥30次`); words only count before a number (`不少于350个`)
_SYMBOLS = sorted((k for k in OPERATORS if not CJK.search(k)), key=len, reverse=True)
_WORDS = sorted((k for k in OPERATORS if CJK.search(k) and k != "定性"), key=len, reverse=True)
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?")
_PLACEHOLDERS = frozenset({"", "-", "—", "--", "——", "—-", "－", "/", "／", "无", "空", "不适用"})


def normalise_operator(text: str | None) -> str | None:
    """One of ≥ ≤ = > < 定性 for an operator cell (`>=`, `≧`, `不低于` …), else None."""
    if not text:
        return None
    t = "".join(text.split())
    if t in OPERATORS:
        return OPERATORS[t]
    return "定性" if t.startswith("定性") else None


def blank(text: str | None) -> bool:
    """Empty or a placeholder (—, /, 无)."""
    return text is None or "".join(text.split()) in _PLACEHOLDERS


@dataclass(frozen=True)
class Value:
    operator: str | None
    text: str  # the value without a symbol operator (number as printed, or the text)
    unit: str | None


def split_value(text: str) -> Value:
    """`≥30次` → (≥, 30, 次); `=100%` → (=, 100, %); `显著提升` → (None, 显著提升, None);
    `不少于350个` keeps its text but says ≥."""
    t = "".join(text.split())
    op = None
    for sym in _SYMBOLS:
        if t.startswith(sym):
            op, t = OPERATORS[sym], t[len(sym) :]
            break
    else:
        word = next((w for w in _WORDS if t.startswith(w) and _NUMBER.match(t[len(w) :])), None)
        if word is not None:
            return Value(OPERATORS[word], t, None)
    m = _NUMBER.match(t)
    if not m:
        return Value(op, t, None)
    num, rest = m.group(), t[m.end() :]
    if rest and (len(rest) > 8 or re.search(r"\d|[，,；;。、]", rest)):
        return Value(op, t, None)  # a phrase that starts with a number: keep it whole
    return Value(op, num, rest or None)


def to_decimal(text: str | None) -> Decimal | None:
    """A plain printed number (`5.00`, `1,234.5`, `90%`, `10分`), else None."""
    if text is None:
        return None
    t = "".join(text.split()).replace(",", "").replace("，", "")
    t = re.sub(r"(%|％|分)$", "", t)
    if not re.fullmatch(r"[+-]?\d+(\.\d+)?", t):
        return None
    try:
        return Decimal(t)
    except InvalidOperation:  # pragma: no cover - guarded by the regex
        return None


def leading_decimal(text: str | None) -> Decimal | None:
    """The number a value starts with after any operator (`94.64`, `53次`, `不少于350个`), else None."""
    if not text:
        return None
    t = "".join(text.split())
    for op in (*_SYMBOLS, *_WORDS):
        if t.startswith(op):
            t = t[len(op) :]
            break
    m = _NUMBER.match(t)
    return Decimal(m.group().replace(",", "")) if m else None


_GRADES = ("优", "良", "中", "差")
_ACHIEVED = re.compile(r"^(全部或基本达成|全部达成|基本达成|已完成|完成|达成|达到|达标|实现)")
_MISSED = re.compile(r"^(部分达成|未达成|未完成|未达到|未达标|未实现)")


def is_met(operator: str | None, target: str | None, actual: str | None, direction: str | None = None) -> bool | None:
    """Whether `actual` satisfies `target` under `operator`; None when they cannot be compared
    (no actual, a number against a text, or no operator and no direction saying which way is good)."""
    if blank(actual) or blank(target):
        return None
    assert actual is not None and target is not None
    a, t = leading_decimal(actual), leading_decimal(target)
    if a is not None and t is not None:
        op = operator if operator not in (None, "定性") else None
        if op is None and direction:
            op = "≤" if direction.startswith("反向") else "≥" if direction.startswith("正向") else None
        if op is None:
            return True if a == t else None
        return {"≥": a >= t, "≤": a <= t, "=": a == t, ">": a > t, "<": a < t}[op]
    sa, st = "".join(actual.split()), "".join(target.split())
    if _MISSED.match(sa):  # 盘锦 prints the completion grade as the actual value
        return False
    if _ACHIEVED.match(sa):
        return True
    if a is None and t is None:
        if sa == st:
            return True
        if sa in _GRADES and st in _GRADES:
            return _GRADES.index(sa) <= _GRADES.index(st)
    return None
