"""The department a report is about: the one its cover title names (`XX2026年部门预算`,
`2026年度 / XX / 单位预算公开`), else the cover's label (`编制部门：XX`, `预算单位：XX`), else the one
its table headers print, else the running title of the page after the cover. A unit of a
机构设置 list, or a name cited in a sentence, is never taken; a document with no budget
title and no label (a 通知, a 公报) has none."""

from __future__ import annotations

import re
from collections import Counter

from app.parsing.reader import PageData
from app.parsing.regions import compact, is_page_number, parse_department

_YEAR = re.compile(r"(?<![〔\[（(])(?:20\d{2}|二〇[二三]\d)\s*(?:年度|年)?")
_TITLE = re.compile(
    r"(?P<dept>[^\s：:，。；、]+?)(?:年度|年)?(?:区级|市级|省级|县级)?(?:部门|单位)(?:综合)?(?:预算|决算)"
)
_LEAD = re.compile(r"^(?:附件\d*[：:]?)")
# a scope note after the name: 本级 (the organ itself) or 汇总 (with its units); the department is the same
_SCOPE = re.compile(r"[（(](?:部门)?(?:本级|汇总|合并|含所属单位|含下属单位)[)）]$")
# an organ's name ends in what organs are called; a document number, a date or a phrase does not
_ORGAN = re.compile(
    r"[\u4e00-\u9fff]{2,}(?:局|委员会|委|办公室|办公厅|办|厅|部|院|中心|学校|学院|大学|馆|站|队|所|处|室|会|社|台|团"
    r"|政府|法院|检察院|监狱|宫|园|场|署|集团|公司|医院|校|科|组|团体|联合会|协会|总工会|分局|支队|大队|管委会"
    r"|管理委员会|机关)$"
)


def _cover_lines(pages: list[PageData], index: int) -> list[str]:
    if index >= len(pages):
        return []
    page = pages[index]
    return [compact(ln.text) for ln in page.lines if not is_page_number(ln, page.height)]


def _organ(name: str) -> str | None:
    """`name` as a department's name (scope note and trailing year dropped), or None."""
    name = _YEAR.split(_YEAR.sub("", name, count=1) if _YEAR.match(name) else name)[0]
    name = _SCOPE.sub("", name.strip("：:，。 "))
    if not 3 <= len(name) <= 40 or re.search(r"[\dA-Za-z]", name):
        return None
    core = _SCOPE.sub("", re.sub(r"[（(][^（()）]*[)）]$", "", name))
    return name if _ORGAN.search(core) else None


def _titled(lines: list[str]) -> str | None:
    """The department of a budget title on these lines, a title broken over lines included."""
    text = _LEAD.sub("", _YEAR.sub("", "".join(lines)))
    for m in _TITLE.finditer(text):
        dept = _organ(m.group("dept"))
        if dept:
            return dept
    return None


def _labelled(lines: list[str]) -> str | None:
    for line in lines:
        d = parse_department(line)
        if d and (dept := _organ(d)):
            return dept
    return None


def department(pages: list[PageData], headed: list[str | None]) -> str | None:
    """The department of a report from its first pages and the department each table's header
    prints (`headed`, None where a table prints none)."""
    cover = _cover_lines(pages, 0)
    dept = _titled(cover) or _labelled(cover)
    if dept:
        return dept
    counts = Counter(d for h in headed if h and (d := _organ(h)))
    if counts:
        return counts.most_common(1)[0][0]
    following = _cover_lines(pages, 1)
    return _titled(following[:3]) or _labelled(following)
