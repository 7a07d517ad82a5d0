"""Table regions on a page: the title above the grid, its number (公开03表), unit, department,
the lines of the grid itself and the notes under it; titleless regions continue a table."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.parsing.amounts import looks_decimal
from app.parsing.codes import code_cell, split_leading_code
from app.parsing.reader import HRule, PageData, TextLine, VRule
from app.parsing.settings import DEFAULT_SETTINGS, ParseSettings

NUMBER = re.compile(
    r"(部?公开\s*\d{1,2}\s*表|公开表\s*\d{1,2}|附表\s*[0-9一二三四五六七八九十]{1,3}(?:[-－]\d{1,2})?"
    r"|表\s*\d{1,2}(?:[-－]\d{1,2})?(?!\d)|表\s*[一二三四五六七八九十]{1,3}(?![\u4e00-\u9fff]))"
)
UNIT = re.compile(r"(?:金额)?单位\s*[：:（(]\s*(万元|千元|亿元|元)(?![\u4e00-\u9fff/])")
_UNIT_TAIL = re.compile(r"[（(]?(?:金额)?单位\s*[：:（(].*$")
_DEPT = re.compile(
    r"(编制部门|编制单位|预算主管部门|主管部门|部门名称|单位名称|部门[（(]单位[)）](?:名称)?|预算单位|填报单位|部门|单位)"
    r"\s*[：:]\s*([^\s：:]+)"
)
_ENUM = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．](?!\d)|附件\d*[：:]?)"
)
_TRAILING_PAREN = re.compile(r"[（(][^（()）]*[)）]$")
_GENERIC_TITLE = re.compile(r"^(?:\d{4}年度?)?(?:\S{0,20}?)?(?:部门|单位)?(?:综合)?(?:预算|决算)(?:公开)?报?表$")
_PROSE = re.compile(r"[。，；]|……|\.{3}|…")
_PAGE_NO = re.compile(
    r"^[-—–－~\s]*(?:第\s*)?(?:\d\s*){1,3}(?:页)?(?:\s*/\s*\d+|[，,\s]*共\s*\d{1,3}\s*页)?[-—–－~\s]*$"
)
_NOTE = re.compile(r"^(?:注|说明|备注|附注)\s*[：:0-9１-９]|^如本表为空|^本表")
_YEAR_ONLY = re.compile(r"^\d{4}\s*年?度?$")
_TITLE_KEYS = ("预算", "决算", "绩效", "收入", "支出", "经费", "情况", "资产", "采购")


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


@dataclass
class TitleInfo:
    title: str
    number: str | None


def parse_title(text: str, s: ParseSettings = DEFAULT_SETTINGS, number_hint: str | None = None) -> TitleInfo | None:
    """A table title line (`2026年部门收入预算总表`, `公开01表 收入支出决算总表`) or None;
    `number_hint` is a number label printed on an adjacent line."""
    t = compact(text)
    if not t or len(t) > s.max_title_chars or _PROSE.search(t):
        return None
    number = number_hint
    m = NUMBER.search(t)
    if m:
        number = m.group(1)
        t = (t[: m.start()] + t[m.end() :]).strip("：:、.．-— ")
    t = _UNIT_TAIL.sub("", t)
    if re.match(r"^第.{1,3}部分", t) or "目录" in t or "：" in t or ":" in t:
        return None
    t = _ENUM.sub("", t)
    t = re.sub(r"^年度?(?=\S)", "", t) if re.match(r"^年度?[^\d]", t) else t
    core = t
    while _TRAILING_PAREN.search(core):
        core = _TRAILING_PAREN.sub("", core)
    if len(core) < 4 or re.search(r"见|如下|下表|上表|详表|说明", t):
        return None
    if not core.endswith("表"):
        if not (number and any(k in core for k in _TITLE_KEYS) and len(core) <= 30):
            return None
    if _GENERIC_TITLE.match(core) and not any(k in core for k in ("收", "支", "绩效", "三公", "经费")):
        return None
    return TitleInfo(title=t, number=number)


def parse_unit(text: str) -> str | None:
    m = UNIT.search(compact(text).replace("（", "(").replace("）", ")"))
    return m.group(1) if m else None


def parse_department(text: str) -> str | None:
    for m in _DEPT.finditer(text):
        value = m.group(2).strip()
        if value in ("元", "万元", "千元", "亿元") or re.match(r"^[\d(（]", value) or len(value) < 3:
            continue
        value = UNIT.split(value)[0]
        value = re.sub(r"(?:金额)?单位$", "", value)
        if len(value) >= 3:
            return value
    return None


def is_page_number_text(text: str) -> bool:
    """`— 3 —`, `- 3 -`, `3`, `1 0` (digits drawn apart), `第3页`, `3/45`, `第3页，共45页`."""
    return bool(_PAGE_NO.match(text))


def is_page_number(line: TextLine, page_height: float | None = None) -> bool:
    """A page number line, in the top or bottom margin when the height is known."""
    if not is_page_number_text(line.text):
        return False
    if page_height is None:
        return True
    return line.top > 0.85 * page_height or line.bottom < 0.1 * page_height


def is_note(text: str) -> bool:
    return bool(_NOTE.match(compact(text)))


def is_prose(line: TextLine) -> bool:
    t = line.text
    return bool(_PROSE.search(t)) or max(len(w.text) for w in line.words) > 28


def is_meta_line(line: TextLine) -> bool:
    t = line.text
    c = compact(t)
    if parse_unit(t) or parse_department(t) or _YEAR_ONLY.match(c):
        return True
    m = NUMBER.fullmatch(c)
    return bool(m)


def is_tabular(line: TextLine) -> bool:
    """A line that looks like a table row: several cells, an amount or a code, no prose."""
    if len(line.words) < 2 or is_prose(line):
        return False
    for w in line.words:
        if looks_decimal(w.text) or code_cell(w.text) or split_leading_code(w.text)[0]:
            return True
    return False


@dataclass
class Region:
    """One table's part on one page."""

    page: int  # its number (not the page: a region outlives the page it was read from)
    title: str | None  # None: a continuation of the previous page's table
    number: str | None
    unit: str | None
    department: str | None
    lines: list[TextLine]  # the grid's lines (header + body), top to bottom
    hrules: list[HRule]
    vrules: list[VRule]
    top: float
    bottom: float
    notes: list[str] = field(default_factory=list)
    title_bbox: tuple[float, float, float, float] | None = None

    @property
    def ruled(self) -> bool:
        return len(self.hrules) >= 2


def _wide_rules(page: PageData, top: float, bottom: float, lines: list[TextLine]) -> list[HRule]:
    if lines:
        x0 = min(ln.x0 for ln in lines)
        x1 = max(ln.x1 for ln in lines)
        width = max(x1 - x0, page.width * 0.3)
    else:
        width = page.width * 0.5
    return [r for r in page.hrules if top - 1 <= r.y <= bottom + 1 and (r.x1 - r.x0) >= 0.3 * width]


def _build(
    page: PageData,
    title: TitleInfo | None,
    lines: list[TextLine],
    top: float,
    bottom: float,
    title_line: TextLine | None,
) -> Region | None:
    lines = [ln for ln in lines if not is_page_number(ln, page.height)]
    unit = None
    dept = None
    number = title.number if title else None
    meta_end = -1
    for i, ln in enumerate(lines):
        if is_meta_line(ln):
            meta_end = i
            unit = unit or parse_unit(ln.text)
            dept = dept or parse_department(ln.text)
            m = NUMBER.search(compact(ln.text))
            if m and number is None:
                number = m.group(1)
        elif i > meta_end + 2 or is_tabular(ln):
            break
    if title is None:
        meta_end = -1 if not (0 <= meta_end < 3) else meta_end
    body = lines[meta_end + 1 :]
    rules = _wide_rules(page, top, bottom, body)
    grid_top, grid_bottom = top, bottom
    notes: list[str] = []
    if len(rules) >= 2:
        grid_top, grid_bottom = rules[0].y, rules[-1].y
        inside = [ln for ln in body if ln.bottom > grid_top - 2 and (ln.top + ln.bottom) / 2 < grid_bottom]
        above = [ln for ln in body if ln.bottom <= grid_top - 2]
        # header text printed just above the first rule (three-line tables) is part of the grid
        if title is not None and above and not any(is_prose(a) for a in above):
            inside = above + inside
            grid_top = min(grid_top, above[0].top)
        notes = [ln.text for ln in body if (ln.top + ln.bottom) / 2 >= grid_bottom]
        body = inside
    else:
        if title is None:  # continuation: skip running page headers until the table starts
            while body and not is_tabular(body[0]):
                body = body[1:]
        kept: list[TextLine] = []
        for ln in body:
            if is_note(ln.text) or (kept and is_prose(ln) and len(ln.words) == 1 and len(ln.text) > 20):
                notes.append(ln.text)
                break
            kept.append(ln)
        tail = body[len(kept) :]
        notes += [ln.text for ln in tail[1:]] if tail else []
        body = kept
        if body:
            grid_top, grid_bottom = body[0].top, body[-1].bottom
    hr = [r for r in page.hrules if grid_top - 1.5 <= r.y <= grid_bottom + 1.5]
    vr = [r for r in page.vrules if r.bottom > grid_top - 1 and r.top < grid_bottom + 1]
    tb = (title_line.x0, title_line.top, title_line.x1, title_line.bottom) if title_line else None
    return Region(
        page=page.number,
        title=title.title if title else None,
        number=number,
        unit=unit,
        department=dept,
        lines=body,
        hrules=hr,
        vrules=vr,
        top=grid_top,
        bottom=grid_bottom,
        notes=notes,
        title_bbox=tb,
    )


def has_content(region: Region) -> bool:
    """The region holds a table: a ruled grid or at least two tabular lines."""
    if not region.lines:
        return False
    if region.ruled and len(region.lines) >= 1:
        return True
    if region.title and region.number and NUMBER.fullmatch(compact(region.number)):
        return True  # the report itself numbers it as a table (玉溪 公开12表 is a text table)
    tabular = sum(1 for ln in region.lines if is_tabular(ln))
    if region.title is None:
        return tabular >= 2
    # a titled table without rules: one row of figures, or an empty table's header lines
    header_like = sum(1 for ln in region.lines[:6] if len(ln.words) >= 2 and not is_prose(ln))
    return tabular >= 1 or header_like >= 2


def _adjacent_number(lines: list[TextLine], i: int) -> str | None:
    """A number label (公开12表) starting the line just below line i (玉溪 公开12表 p16)."""
    for j in (i + 1,):
        if 0 <= j < len(lines) and abs(lines[j].top - lines[i].top) < 60:
            m = NUMBER.match(compact(lines[j].text))
            if m:
                return m.group(1)
    return None


def find_regions(page: PageData, s: ParseSettings = DEFAULT_SETTINGS) -> list[Region]:
    """Regions of a page in reading order; the first has title None when it continues a table."""
    lines = page.lines
    cands: list[tuple[int, TitleInfo]] = []
    for i, ln in enumerate(lines):
        info = parse_title(ln.text, s)
        if info is None:
            hint = _adjacent_number(lines, i)
            info = parse_title(ln.text, s, hint) if hint else None
        if info is None:
            continue
        if info.number is None:  # a number label printed on its own line just above
            for j in (i - 1, i - 2):
                if j >= 0 and NUMBER.fullmatch(compact(lines[j].text)):
                    info.number = NUMBER.fullmatch(compact(lines[j].text)).group(1)  # type: ignore[union-attr]
                    break
        cands.append((i, info))
    while True:
        regions: list[Region] = []
        dropped = False
        starts = [i for i, _ in cands]
        first_top = lines[starts[0]].top if starts else page.height + 1
        # the label line above the first title belongs to it, not to the continuation
        if starts and starts[0] > 0 and NUMBER.fullmatch(compact(lines[starts[0] - 1].text)):
            first_top = lines[starts[0] - 1].top
        head = [ln for ln in lines if ln.bottom <= first_top]
        if head:
            r = _build(page, None, head, 0.0, first_top, None)
            if r is not None and has_content(r):
                regions.append(r)
        keep: list[tuple[int, TitleInfo]] = []
        for k, (i, info) in enumerate(cands):
            end = cands[k + 1][0] if k + 1 < len(cands) else len(lines)
            seg = list(lines[i + 1 : end])
            if k + 1 < len(cands) and seg and NUMBER.fullmatch(compact(seg[-1].text)):
                seg = seg[:-1]
            bottom = lines[end].top if end < len(lines) else page.height
            r = _build(page, info, seg, lines[i].bottom, bottom, lines[i])
            if r is None or not has_content(r):
                dropped = True
                continue
            keep.append((i, info))
            regions.append(r)
        if not dropped:
            return regions
        cands = keep
