"""Subject codes (政府收支分类科目): parsing, inherited parts, classification, level, parent."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.parsing.model import Classification

# a code at the start of a label cell: "2010101 行政运行", "[30227]委托业务费", "201-一般公共服务支出",
# "208 05 05 机关事业单位…"
_LEADING = re.compile(
    r"^\s*[\[【(（]?\s*(\d{3})(?:\s*(\d{2}))?(?:\s*(\d{2}))?\s*[\]】)）]?\s*(?:[-—_－:：、]\s*)?(?=[^\d,.，%]|$)"
)
_DIGITS = re.compile(r"^\d+$")
_SPLIT_PART = re.compile(r"^\d{2,3}$")


@dataclass(frozen=True)
class Code:
    code: str
    classification: Classification | None
    level: int | None
    parent: str | None


def classify(code: str, economic_hint: bool = False) -> Code:
    """Classification, level and parent of a code string of digits."""
    n = len(code)
    cls: Classification | None
    if economic_hint or (code[0] in "35" and n in (3, 5)):
        cls = "economic"
    elif code[0] in "12" and n in (3, 5, 7):
        cls = "functional"
    else:
        cls = None
    if cls is None:
        return Code(code, None, None, None)
    level = {3: 1, 5: 2, 7: 3}.get(n)
    parent = code[:-2] if level and level > 1 else None
    return Code(code, cls, level, parent)


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def code_cell(text: str) -> str | None:
    """A whole cell holding one code, possibly spaced (`208 05 05`) → its digits."""
    t = compact(text)
    t = t.strip("[]【】()（）")
    if _DIGITS.match(t) and 3 <= len(t) <= 7:
        return t
    return None


def split_leading_code(label: str) -> tuple[str | None, str]:
    """`2010101 行政运行` → ("2010101", "行政运行"); a label without a code → (None, label)."""
    m = _LEADING.match(label)
    if not m:
        return None, label
    digits = "".join(g for g in m.groups() if g)
    rest = label[m.end() :].strip()
    if not rest or len(digits) not in (3, 5, 7) or digits[0] not in "1235":
        return None, label
    if re.match(r"^[年月日%万元亿]", rest):  # "2026年…", "100万元" are not codes
        return None, label
    return digits, rest


def is_split_part(text: str) -> bool:
    """A 类 (3 digits) or 款/项 (2 digits) part printed in its own column."""
    return bool(_SPLIT_PART.match(compact(text)))


class PartInheritance:
    """Builds full codes from 类/款/项 columns where child rows leave parent parts blank
    (拉萨 seed p4, 烟台 corpus): a blank part is taken from the last row that printed it."""

    def __init__(self) -> None:
        self.parts: list[str] = ["", "", ""]

    def code(self, parts: list[str]) -> str | None:
        parts = [compact(p) for p in parts] + [""] * (3 - len(parts))
        parts = parts[:3]
        if not any(parts):
            return None
        if len(parts[0]) in (5, 7) and not parts[1] and not parts[2]:  # whole code in the 类 column
            parts = [parts[0][:3], parts[0][3:5], parts[0][5:7]]
        last = max(i for i, p in enumerate(parts) if p)
        full = list(parts)
        for i in range(last):
            if not full[i] and (i == 0 or full[0] == self.parts[0]):
                full[i] = self.parts[i]
        if any(not full[i] for i in range(last + 1)) or len(full[0]) != 3:
            return None
        if any(len(full[i]) != 2 for i in range(1, last + 1)):
            return None
        self.parts = [full[i] if i <= last else "" for i in range(3)]
        code = "".join(full[: last + 1])
        return code if len(code) in (3, 5, 7) else None
