"""The contents page (目录): its entries in printed order, each a title and the page it names
(when printed: 一、收支预算总表……8). Fed the first pages of a report; pure, no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.parsing.model import ContentsEntry
from app.parsing.reader import PageData

SEARCH_PAGES = 8  # the 目录 comes after the cover, within the first pages
_HEAD = re.compile(r"^目\s*录$")
# dot leaders (…… ..... ···· ———) and the page number after them
_LEADER = re.compile(r"[.．…·⋯_—\-－]{3,}\s*(\d{1,4})?\s*$")
_TRAILING_PAGE = re.compile(r"\s+(\d{1,4})$")
_NUMBER = re.compile(
    r"^(第[一二三四五六七八九十]+部分[:：]?|[一二三四五六七八九十]+[、.．]|\d{1,2}\s*[、.．]|[（(][一二三四五六七八九十\d]+[)）])\s*"
)
_FOLIO = re.compile(r"^[-—–\s]*\d{1,4}[-—–\s]*$")  # a page's own folio (- 1 -)


def _entry(text: str, source_page: int) -> ContentsEntry | None:
    t = text.strip()
    if not t or _FOLIO.match(t):
        return None
    page: int | None = None
    m = _LEADER.search(t)
    if m is not None:
        page = int(m.group(1)) if m.group(1) else None
        t = t[: m.start()]
    elif (p := _TRAILING_PAGE.search(t)) is not None and _NUMBER.match(t):
        page, t = int(p.group(1)), t[: p.start()]
    n = _NUMBER.match(t)
    number = n.group(1).strip() if n else None
    title = re.sub(r"\s+", "", t[n.end() :] if n else t)
    if not title:
        return None
    return ContentsEntry(title=title, page=page, number=number, source_page=source_page)


def _looks_like_entries(page: PageData) -> bool:
    """A page continuing the 目录: most lines end in dot leaders."""
    lines = [ln.text for ln in page.lines if ln.text.strip() and not _FOLIO.match(ln.text.strip())]
    return len(lines) >= 3 and sum(1 for t in lines if _LEADER.search(t)) * 10 >= 6 * len(lines)


@dataclass
class ContentsReader:
    """Fed pages in order; keeps the entries of the first page headed 目录 (and of the pages
    that continue it)."""

    entries: list[ContentsEntry] = field(default_factory=list)
    state: str = "looking"  # looking → reading → done

    def feed(self, page: PageData) -> None:
        if self.state == "done":
            return
        if self.state == "looking":
            if page.number > SEARCH_PAGES:
                self.state = "done"
                return
            heads = [n for n, ln in enumerate(page.lines[:4]) if _HEAD.match(ln.text.strip())]
            if not heads:
                return
            self.state = "reading"
            lines = page.lines[heads[0] + 1 :]
        elif _looks_like_entries(page):
            lines = page.lines
        else:
            self.state = "done"
            return
        for ln in lines:
            e = _entry(ln.text, page.number)
            if e is not None:
                self.entries.append(e)


def is_table_entry(entry: ContentsEntry) -> bool:
    """An entry naming a table (…预算表, …情况表（按功能分类科目）), not a chapter of prose."""
    return bool(re.search(r"表(?:[（(][^）)]*[)）])?$", entry.title))
