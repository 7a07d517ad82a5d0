"""The column header of an indicator table: where it is and what each column holds.

A header is found by its 三级指标 / 指标名称 / 指标内容 cell; the header band is the run of
header-looking lines around it. Cells printed on two lines (指标 / 性质) are stacked back
together, and a cell spanning several others (年度指标值 over 指标值 | 度量单位) is a parent,
not a column."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.parsing.performance.lines import Line, compact, phrases
from app.parsing.performance.view import Word

ROLE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (role, re.compile(pattern))
    for role, pattern in [
        ("level1", r"一级指标(名称)?"),
        ("level2", r"二级指标(名称)?"),
        ("name", r"(三级指标|绩效指标|三级)?(指标)?(名称|内容)|三级指标"),
        ("operator", r"指标性质|运算符号?|计算符号|比较符号?|指标值类型|指标类型|符号|指标属性"),
        ("target", r"(年度|全年|预期|计划|绩效)?(指标值|目标值|指标目标值)|年度指标"),
        ("unit", r"(度量|计量)?单位"),
        ("actual", r"(全年)?(实际)?完成值|实际完成(指标值|情况)?|(全年)?实际(指标)?值"),
        ("weight", r"(指标)?(分值|权重)(权重|分值)?|分值权重"),
        ("score", r"(自评)?得分|(自)?评分"),
        ("completion", r"完成(程度|率|比例)"),
        ("deviation", r"(偏差|未完成)?原因(分析)?(说明)?(及|和)?(改进措施)?|改进措施|偏差原因分析及改进措施"),
        ("direction", r"指标方向性?|方向"),
        ("remark", r"备注"),
        ("proj_name", r"项目名称|单位名称|项目"),
        ("proj_amount", r"项目金额|资金总额|金额|当年财政拨款预算金额|预算金额|项目资金"),
        ("proj_goal", r"(年度|当年|整体|项目)(绩效)?目标|绩效目标|年度总体目标|总体目标"),
        ("proj_period", r"项目期"),
    ]
]
NAME_ANCHORS = ("三级指标", "指标名称", "指标内容", "三级指标名称", "绩效指标名称")
KEYWORDS = sorted(
    {
        "一级指标",
        "二级指标",
        "三级指标",
        "指标名称",
        "指标内容",
        "指标性质",
        "指标值",
        "度量单位",
        "计量单位",
        "实际完成值",
        "全年完成值",
        "分值",
        "得分",
        "权重",
        "指标权重",
        "是否核心",
        "目标值",
        "年度指标值",
        "完成程度",
        "运算符号",
        "指标方向性",
        "备注",
        "指标值类型",
        "指标解释",
        "指标值内容",
        "评（扣）分标准",
    },
    key=len,
    reverse=True,
)
_HEADER_VOCAB = (
    "一级指标二级指标三级指标指标名称指标内容指标性质运算符号计算比较类型指标值年度目标值预期计划全年绩效"
    "度量计量单位实际完成值分值得分权重自评完成程度率比例偏差原因分析及和改进措施未说明经费保障制度人员硬件"
    "条件其他指标方向性备注项目名称金额期资金总额当年财政拨款预算整体是否核心序号编码解释评扣标准"
    "一般公共政府性基金专户管理按收入支出性质分基本申请部门年度属"
)
HEADER_CHARS = frozenset(_HEADER_VOCAB)
BODY_WORDS = frozenset(
    {
        "产出指标",
        "效益指标",
        "满意度指标",
        "成本指标",
        "数量指标",
        "质量指标",
        "时效指标",
        "经济效益指标",
        "社会效益指标",
        "生态效益指标",
        "可持续影响指标",
        "服务对象满意度指标",
        "经济成本指标",
        "社会成本指标",
        "生态环境成本指标",
        "满意度",
        "效益",
        "产出",
        "成本",
    }
)
_PARENS = re.compile(r"[（(][^（()）]{0,8}[）)]")
_NON_LEAF_PARENTS = ("绩效指标", "年度指标值", "年度目标值", "未完成原因分析", "偏差原因分析")
# spanning titles over groups of columns: never a column of their own
PARENT_ONLY = frozenset(
    {"绩效指标", "绩效目标指标", "部门整体支出年度绩效目标", "年度预算申请", "按收入性质分", "按支出性质分"}
)


@dataclass
class HeaderCell:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    children: int = 0
    parent: str | None = None

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Column:
    role: str
    label: str
    hx0: float  # header text extent
    hx1: float
    x0: float = 0.0  # column extent, set by the column stage
    x1: float = 0.0

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2 if self.x1 > self.x0 else (self.hx0 + self.hx1) / 2


@dataclass
class Header:
    columns: list[Column]
    top: float
    bottom: float
    size: float
    roles: set[str] = field(default_factory=set)

    def column(self, role: str) -> Column | None:
        return next((c for c in self.columns if c.role == role), None)


def strip_parens(text: str) -> str:
    return _PARENS.sub("", compact(text))


def classify(label: str, parent: str | None = None) -> str:
    """The role of a header cell from its printed label ("other" when unknown)."""
    t = strip_parens(label).rstrip("：:")
    if not t:
        return "other"
    if t == "内容" and parent and re.search("目标值|指标值", parent):
        return "target"
    for role, pattern in ROLE_PATTERNS:
        if pattern.fullmatch(t):
            return role
    return "other"


def is_header_phrase(text: str) -> bool:
    t = strip_parens(text)
    if t in BODY_WORDS:
        return False
    bare = re.sub(r"[（）()\d%％]", "", t)
    if not bare:  # "(%)", "（90" / "分）" fragments of a header cell, not a bare number
        return bool(re.search(r"[（）()]", t)) or not t
    return all(ch in HEADER_CHARS for ch in bare)


def is_header_line(line: Line) -> bool:
    return all(is_header_phrase(p.text) for p in phrases(line))


def split_keywords(word: Word) -> list[Word]:
    """A phrase like 一级指标二级指标 (two cells printed touching) cut into its keywords."""
    chars = word.chars
    text = "".join(c[0] for c in chars)
    if classify(text) != "other" or len(text) < 6:
        return [word]
    out: list[Word] = []
    i = 0
    while i < len(text):
        kw = next((k for k in KEYWORDS if text.startswith(k, i)), None)
        if kw is None:
            return [word]
        j = i + len(kw)
        if j < len(text) and text[j] in "(（":  # a bracketed unit stays with its label: 指标权重(%)
            close = next((k for k in range(j + 1, len(text)) if text[k] in ")）"), -1)
            if close < 0:
                return [word]
            j = close + 1
        part = chars[i:j]
        out.append(Word(text[i:j], part[0][1], part[-1][2], word.top, word.bottom, word.size, part))
        i = j
    return out


def _is_anchor(text: str) -> bool:
    return strip_parens(text) in NAME_ANCHORS


def _has_anchor(lines: list[Line], i: int) -> bool:
    """Line i holds the 三级指标 / 指标名称 cell, printed on one line or stacked (三级 / 指标)."""
    ps = [k for p in phrases(lines[i]) for k in split_keywords(p)]
    if any(_is_anchor(k.text) for k in ps):
        return True
    below = [q for ln in lines[i + 1 : i + 3] for q in phrases(ln)]
    for p in ps:
        text, bottom = compact(p.text), p.bottom
        for q in below:
            ov = min(p.x1, q.x1) - max(p.x0, q.x0)
            if ov > 0.5 * min(p.x1 - p.x0, q.x1 - q.x0) and 0 <= q.top - bottom < 0.6 * p.size:
                text, bottom = text + compact(q.text), q.bottom
                if _is_anchor(text):
                    return True
    return False


def _band(lines: list[Line], i: int) -> list[Line]:
    """The contiguous header-looking lines around line i."""
    band = [lines[i]]
    j = i - 1
    while j >= 0 and is_header_line(lines[j]) and band[0].top - lines[j].bottom < 2.0 * lines[i].size:
        band.insert(0, lines[j])
        j -= 1
    j = i + 1
    # below the anchor only the tail of a wrapped header cell (性质 under 指标), printed tight
    while j < len(lines) and is_header_line(lines[j]) and lines[j].top - band[-1].bottom < 0.6 * lines[i].size:
        band.append(lines[j])
        j += 1
    return band


def _stack(band: list[Line]) -> list[HeaderCell]:
    """Header phrases → header cells: fragments printed one above the other are joined."""
    cells: list[HeaderCell] = []
    for line in band:
        ps = [k for p in phrases(line) for k in split_keywords(p)]
        owners: list[HeaderCell | None] = []
        for p in ps:
            best: HeaderCell | None = None
            for c in cells:
                ov = min(c.x1, p.x1) - max(c.x0, p.x0)
                if ov <= 0.5 * min(c.x1 - c.x0, p.x1 - p.x0):
                    continue
                if p.top < c.bottom - 1 or p.top - c.bottom > 1.6 * p.size:
                    continue
                if best is None or c.bottom > best.bottom:
                    best = c
            owners.append(best)
        for p, owner in zip(ps, owners, strict=True):
            shared = sum(1 for o in owners if o is owner)
            if (
                owner is not None
                and shared == 1
                and owner.children == 0
                and classify(owner.text) != "name"
                and strip_parens(owner.text) not in _NON_LEAF_PARENTS
            ):
                owner.text += p.text
                owner.x0, owner.x1 = min(owner.x0, p.x0), max(owner.x1, p.x1)
                owner.bottom = max(owner.bottom, p.bottom)
                continue
            parent = None
            if owner is not None:
                owner.children += 1
                parent = owner.text
            cells.append(HeaderCell(p.text, p.x0, p.x1, p.top, p.bottom, p.size, parent=parent))
    return cells


def find_headers(lines: list[Line]) -> list[Header]:
    """Every indicator-table header on a page (lines sorted top to bottom)."""
    headers: list[Header] = []
    used: set[int] = set()
    for i in range(len(lines)):
        if i in used:
            continue
        if not _has_anchor(lines, i):
            continue
        band = _band(lines, i)
        used.update(id_ for id_, ln in enumerate(lines) if ln in band)
        cells = _stack(band)
        leaves = [c for c in cells if c.children == 0 and strip_parens(c.text) not in PARENT_ONLY]
        columns = [Column(classify(c.text, c.parent), c.text, c.x0, c.x1) for c in leaves]
        columns.sort(key=lambda c: c.hx0)
        if not any(c.role == "proj_name" for c in columns):  # project columns only come with a name
            columns = [c for c in columns if not c.role.startswith("proj_")]
        roles = {c.role for c in columns}
        if "name" not in roles or not roles & {"target", "actual", "operator", "weight"}:
            continue
        size = sorted(c.size for c in cells)[len(cells) // 2]
        headers.append(Header(columns, band[0].top, band[-1].bottom, size, roles))
    return headers
