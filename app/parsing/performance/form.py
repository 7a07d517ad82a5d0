"""The form printed above (and below) an indicator table: 项目名称, 主管部门, 实施单位, the fund
block, 年度总体目标 and, after the table, 总分 / 自评得分 and the grade."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from app.parsing.performance.lines import Line, cell_text, compact, phrases
from app.parsing.performance.values import to_decimal
from app.parsing.performance.view import Word

_PREFIX = r"(其中[：:]?|[（(][一二三四五六七八九十][）)]|\d+[.、．])*"
NAME_LABEL = re.compile(r"^(项目[（(]?政策[）)]?名称|项目名称|政策名称|一级项目名称|专项名称|二级项目名称)[：:]?")
DEPT_LABEL = re.compile(r"^(部门[（(]单位[）)]名称|部门名称|单位名称|预算单位名称|预算部门名称)[：:]?")
SUPERVISOR_LABEL = re.compile(r"^(主管部门及代码|主管部门|资金主管部门|主管单位)[：:]?")
IMPLEMENTER_LABEL = re.compile(r"^(实施单位|项目实施单位)[：:]?")
FUND_COLUMNS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
TASK_KEYS = ("项目下达金额", "批复金额")
TASK_COLUMNS = (
    "项目下达金额",
    "项目执行金额",
    "项目执行率",
    "分值",
    "得分",
    "批复金额",
    "实际支出金额",
    "预算执行率",
)
FUND_ROW = re.compile(
    _PREFIX + r"(年度资金总额|资金总额|当年财政拨款|财政拨款小计|财政拨款|上年结转资金|上年结转|其他资金|"
    r"一般公共预算|政府性基金|国有资本经营预算|财政专户管理资金|单位资金)"
)
INLINE_FUND = re.compile(
    _PREFIX + r"((年度|实施期)?(预算)?资金总额|项目预算金额|项目下达金额|项目执行金额|全年执行数|执行率|"
    r"部门年初预算收入金额|部门年初预算支出金额|财政拨款|上年结转|其他资金)([（(][^）)]*[）)])?[：:]?"
)
GOAL_TARGET_HEAD = re.compile(r"^(预期目标|年初设定目标|年初总体目标|年度目标|计划目标|年度总体目标)$")
GOAL_ACTUAL_HEAD = re.compile(r"^(全年)?(实际完成情况|完成情况|全年完成情况|实际完成)$")
GOAL_LABEL = re.compile(
    r"^(年度总体目标|总体目标|年度目标|项目实施期目标|实施期目标|年度绩效目标|当年整体绩效目标|"
    r"整体绩效目标|绩效目标|总体绩效目标)[：:]?"
)
_LABEL_PIECES = "年度总体目标项目实施期绩效标"
STOP_LABELS = (NAME_LABEL, DEPT_LABEL, SUPERVISOR_LABEL, IMPLEMENTER_LABEL)
SCORE_LABEL = re.compile(r"(总分|自评得分|总得分|评价得分|综合得分|自评总分|得分合计)(?!小计)")
GRADE = re.compile(r"^(评价等级|等级|绩效等级|自评等级)?[：:]?(优秀|良好|优|良|中|差|合格|不合格)$")
_STOP = re.compile(r"^(金额)?单位([：:]|$|万元|元)|^(实施单位|主管部门)$|^(部门|单位)?(预算)?(编码|代码)")
_SECTION = re.compile(r"^[一二三四五六七八九十]+、")
_NUMBERED = re.compile(
    r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.、．])"
)  # a heading, not a title
_YEAR = re.compile(r"^(19|20)\d\d$")
TITLE = re.compile(r"绩效.{0,12}表|绩效自评情况")


@dataclass
class Form:
    title: str | None = None
    name: str | None = None
    scope: str = "project"
    department: str | None = None
    implementer: str | None = None
    funds: dict[str, Decimal] = field(default_factory=dict)
    fund_rows: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    execution_rate: Decimal | None = None
    goal_target: str | None = None
    goal_actual: str | None = None
    unit_name: str | None = None  # 部门名称 / 单位名称
    amount_unit: str | None = None

    @property
    def empty(self) -> bool:
        return self.title is None and self.name is None


def _value_right(line: Line, label: Word, rest: str, lines: Sequence[Line], stacked: Sequence[Word] = ()) -> str:
    """The text printed right of a label, up to the next label on the line (or a two-line label
    beside the line: 实施 / 单位)."""
    parts = [rest] if rest else []
    limit = min((b.x0 for b in stacked if b.x0 > label.x1 and b.top < line.bottom and b.bottom > line.top), default=1e9)
    for p in phrases(line):
        if p.x0 <= label.x0:
            continue
        if p.x0 >= limit:
            break
        t = compact(p.text)
        if any(lab.match(t) for lab in STOP_LABELS) or _STOP.match(t):
            break
        cut = re.search(r"实施单位|主管部门|(部门|单位)?(预算)?编码", t)
        if cut:  # a value and the next label printed as one run
            parts.append(t[: cut.start()])
            break
        parts.append(p.text)
    if not parts:  # a label beside a value printed on other lines of its cell
        near = [w for ln in lines if ln is not line and abs(ln.yc - line.yc) < 1.6 * line.size for w in ln.words]
        return _right_of(label, near)
    return "".join(parts).strip()


def _right_of(label: Word, words: Sequence[Word]) -> str:
    """The words right of a label up to the next label among them."""
    ws = [w for w in words if w.x0 > label.x1 - 1]
    stops = [w.x0 for w in ws if _STOP.match(compact(w.text)) or any(lab.match(compact(w.text)) for lab in STOP_LABELS)]
    limit = min(stops, default=float("inf"))
    return cell_text([w for w in ws if w.x0 < limit])


_LABELS = (
    (NAME_LABEL, "name"),
    (DEPT_LABEL, "dept"),
    (SUPERVISOR_LABEL, "department"),
    (IMPLEMENTER_LABEL, "implementer"),
)


def _stacked(lines: Sequence[Line], i: int, p: Word) -> Word | None:
    """A label printed on two lines of its cell (项目 / 名称, 主管 / 部门: 福州), joined."""
    if len(compact(p.text)) > 4 or any(lab.match(compact(p.text)) for lab, _ in _LABELS):
        return None
    for ln in lines[i + 1 : i + 3]:
        for q in phrases(ln):
            ov = min(p.x1, q.x1) - max(p.x0, q.x0)
            if ov > 0.5 * min(p.x1 - p.x0, q.x1 - q.x0) and 0 <= q.top - p.bottom < 0.8 * p.size:
                text = compact(p.text) + compact(q.text)
                if any(lab.fullmatch(text) for lab, _ in _LABELS):
                    return Word(text, min(p.x0, q.x0), max(p.x1, q.x1), p.top, q.bottom, p.size)
    return None


def _value_beside(label: Word, lines: Sequence[Line]) -> str:
    """The words right of a two-line label, on its lines, up to the next label."""
    top, bottom = label.top - 0.3 * label.size, label.bottom + 0.3 * label.size
    return _right_of(label, [w for ln in lines for w in ln.words if w.bottom > top and w.top < bottom])


def _parse_labels(form: Form, lines: Sequence[Line]) -> None:
    stacked = {(i, p.x0): s for i, ln in enumerate(lines) for p in phrases(ln) if (s := _stacked(lines, i, p))}
    for i, line in enumerate(lines):
        for p in phrases(line):
            t = compact(p.text)
            value: str | None = None
            attr = next((a for lab, a in _LABELS if lab.match(t)), None)
            if attr is not None:
                lab = next(lab for lab, a in _LABELS if a == attr)
                m = lab.match(t)
                assert m is not None
                rest = re.sub(r"^及(代码?)?", "", t[m.end() :])  # 主管部门及 / 代码 on two lines
                value = _value_right(line, p, rest, lines, list(stacked.values())) or None
            else:
                two_line = stacked.get((i, p.x0))
                if two_line is None:
                    continue
                attr = next(a for lab, a in _LABELS if lab.fullmatch(two_line.text))
                value = _value_beside(two_line, lines) or None
            if attr == "dept":
                form.unit_name = form.unit_name or value
                form.department = form.department or value
            elif getattr(form, attr) is None:
                setattr(form, attr, value)


def _fund_block(form: Form, lines: Sequence[Line]) -> None:
    head_i = None
    heads: list[Word] = []
    for i, line in enumerate(lines):
        hs = [p for p in phrases(line) if compact(p.text) in FUND_COLUMNS]
        if len(hs) >= 2:
            head_i, heads = i, hs
            break
    if head_i is None:
        _inline_funds(form, lines)
        return
    spacing = min((b.xc - a.xc for a, b in zip(heads, heads[1:], strict=False)), default=60.0)
    for line in lines[head_i + 1 : head_i + 10]:
        ps = phrases(line)
        label_i = next((i for i, p in enumerate(ps) if FUND_ROW.match(compact(p.text))), None)
        if label_i is None:
            if any(GOAL_TARGET_HEAD.match(compact(p.text)) for p in ps):
                break
            continue
        m = FUND_ROW.match(compact(ps[label_i].text))
        assert m is not None
        label = m.group(2)
        row: dict[str, Decimal] = {}
        for p in line.words:
            if p.x0 <= ps[label_i].x1:
                continue
            head = min(heads, key=lambda h: abs(h.xc - p.xc))
            if abs(head.xc - p.xc) > spacing * 0.6:
                continue
            d = to_decimal(p.text)
            if d is not None and (p.text.strip().endswith("%") <= ("率" in head.text)):
                row[compact(head.text)] = d  # a percentage only under a rate column (昭化 prints 100% as a stand-in)
        if not row:
            continue
        if label in ("年度资金总额", "资金总额") and not form.funds:
            form.funds = dict(row)
            if "执行率" in row:
                form.execution_rate = row["执行率"]
        else:
            form.fund_rows.setdefault(label, row)
    if not form.funds and not form.fund_rows:
        _inline_funds(form, lines)


def _task_block(form: Form, lines: Sequence[Line]) -> None:
    """盘锦 部门整体: 年度主要任务 rows (对应项目 | 项目下达金额 | 项目执行金额 | 项目执行率 | 分值 | 得分)."""
    for i, line in enumerate(lines):
        heads = [p for p in phrases(line) if compact(p.text) in TASK_COLUMNS]
        if len(heads) < 2 or not any(compact(h.text) in TASK_KEYS for h in heads):
            continue
        for row_line in lines[i + 1 : i + 30]:
            ws = list(row_line.words)
            nums = [w for w in ws if w.x0 > heads[0].x0 - 10 and to_decimal(w.text) is not None]
            names = [w for w in ws if w.x1 <= heads[0].x0 + 5 and compact(w.text) not in ("年度主要任务", "对应项目")]
            if GOAL_TARGET_HEAD.match(compact(row_line.text)) or any(
                GOAL_TARGET_HEAD.match(compact(p.text)) for p in phrases(row_line)
            ):
                break
            if not nums or not names:
                continue  # the 年度主要任务 label printed on a line of its own
            row: dict[str, Decimal] = {}
            for w in nums:
                head = min(heads, key=lambda h: abs(h.xc - w.xc))
                d = to_decimal(w.text)
                if d is not None:
                    row[compact(head.text)] = d
            form.fund_rows.setdefault(compact(names[-1].text), row)
        return


def _inline_funds(form: Form, lines: Sequence[Line]) -> None:
    for line in lines:
        ps = phrases(line)
        for i, p in enumerate(ps):
            t = compact(p.text)
            m = INLINE_FUND.match(t)
            if not m:
                continue
            rest = t[m.end() :]
            value = to_decimal(rest) if rest else (to_decimal(ps[i + 1].text) if i + 1 < len(ps) else None)
            if value is None:
                continue
            label = m.group(2)
            if label == "执行率":
                form.execution_rate = value
            else:
                form.funds.setdefault(label, value)


def _goals(form: Form, lines: Sequence[Line]) -> None:
    for i, line in enumerate(lines):
        ps = phrases(line)
        tgt = next((p for p in ps if GOAL_TARGET_HEAD.match(compact(p.text))), None)
        act = next((p for p in ps if GOAL_ACTUAL_HEAD.match(compact(p.text))), None)
        if tgt is None and act is not None:
            tgt = next((p for p in ps if compact(p.text) == "目标"), None)
        if tgt is not None and act is not None and tgt.xc < act.xc:
            mid = (tgt.x1 + act.x0) / 2
            rest = []
            for ln in lines[i + 1 :]:
                if _SECTION.match(compact(ln.text)) or any(FUND_ROW.match(compact(p.text)) for p in phrases(ln)):
                    break
                rest.append(ln)
            years = [w for ln in rest for w in ln.words if _YEAR.match(w.text) and w.x1 < tgt.x0]
            if len(years) >= 2 and rest:  # one row per year (玉溪 部门年度目标): keep the first
                cut = 2 * years[0].yc - rest[0].top + 1
                rest = [ln for ln in rest if ln.yc < cut]
            body = [w for ln in rest for w in ln.words if not _is_label_piece(w.text) and not _YEAR.match(w.text)]
            left = [w for w in body if w.xc < mid]
            right = [w for w in body if w.xc >= mid]
            form.goal_target = cell_text(left) or None
            form.goal_actual = cell_text(right) or None
            return
    _single_goal(form, lines)


def _single_goal(form: Form, lines: Sequence[Line]) -> None:
    """A budget's one goal: the text right of 年度目标 / 总体目标 / 项目实施期目标."""
    for i, line in enumerate(lines):
        for p in phrases(line):
            m = GOAL_LABEL.match(compact(p.text))
            if not m:
                continue
            inline = compact(p.text)[m.end() :]
            words = [
                w
                for ln in lines[max(i - 3, 0) : i + 12]
                for w in ln.words
                if w.x0 > p.x1 - 1 and abs(ln.yc - line.yc) < 6 * line.size
            ]
            text = (inline + cell_text(words)).strip()
            if text:
                form.goal_target = text
                return


def _is_label_piece(text: str) -> bool:
    t = compact(text)
    return bool(t) and len(t) <= 6 and all(ch in _LABEL_PIECES for ch in t)


def parse_form(lines: Sequence[Line]) -> Form:
    """Programme fields from the lines printed above an indicator header."""
    form = Form()
    for i, line in enumerate(lines):
        t = compact(line.text)
        if TITLE.search(t) and len(t) <= 60 and not NAME_LABEL.match(t) and not _NUMBERED.match(t):
            above = lines[i - 1] if i else None
            if (
                above is not None
                and line.top - above.bottom < 0.8 * line.size
                and abs(above.size - line.size) < 1
                and not TITLE.search(compact(above.text))
                and not re.fullmatch(r"[（(]?\d{4}年度?[）)]?", compact(above.text))
                and not any(lab.match(compact(above.text)) for lab in STOP_LABELS)
            ):
                t = compact(above.text) + t  # a title wrapped onto two lines (泉州)
            form.title = t
    _parse_labels(form, lines)
    title = form.title or ""
    if "整体" in title or (form.name is None and form.unit_name is not None and "项目" not in title):
        form.scope = "department"
        form.name = form.name or form.unit_name
    _fund_block(form, lines)
    _task_block(form, lines)
    _goals(form, lines)
    if re.search(r"[（(]万", "".join(compact(ln.text) for ln in lines)):
        form.amount_unit = "万元"
    return form


def same_title(a: str | None, b: str | None) -> bool:
    """Two printings of one table's title (a running head may drop the year or a prefix)."""
    if a is None or b is None:
        return a == b
    a, b = (re.sub(r"[（(]?\d{4}年度?[）)]?", "", t) for t in (a, b))
    return bool(a and b) and (a in b or b in a)


def parse_footer(lines: Sequence[Line]) -> tuple[Decimal | None, str | None]:
    """(total score, grade) from the lines after a table: 总分 100 91.92 优, 自评得分：82分 …"""
    score: Decimal | None = None
    grade: str | None = None
    for line in lines:
        ps = [compact(p.text) for p in phrases(line)]
        for i, t in enumerate(ps):
            m = SCORE_LABEL.search(t)
            if m and "小计" not in t:
                nums = []
                rest = t[m.end() :].lstrip("：:")
                if rest:
                    nums.append(rest)
                for u in ps[i + 1 :]:
                    if SCORE_LABEL.search(u) or re.search(r"[\u4e00-\u9fff]{2,}", u):
                        break
                    nums.append(u)
                decs = [d for d in (to_decimal(n) for n in nums) if d is not None]
                if decs:
                    score = decs[-1]
                for u in nums:
                    g = GRADE.match(u)
                    if g:
                        grade = g.group(2)
            g = GRADE.match(t)
            if g and g.group(1) and grade is None:
                grade = g.group(2)
        if score is not None and grade is None:
            last = ps[-1] if ps else ""
            g = GRADE.match(last)
            if g:
                grade = g.group(2)
    return score, grade
