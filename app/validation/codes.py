"""codes: subject codes against the (observed) subject catalog, and the code hierarchy."""

from __future__ import annotations

from collections.abc import Iterator

from app.catalog import fold_name, load_catalog, name_in_year, subject
from app.parsing.model import LineItem, ParsedReport
from app.validation.common import (
    OTHER,
    OTHER_STANDALONE,
    PERFORMANCE,
    PROJECT,
    coded,
    fiscal_year,
    once_per_report,
    table_role,
    where,
)
from app.validation.model import Finding
from app.validation.registry import SkipRule, rule

# tables whose rows are items (采购 品目, projects) printed beside the subject code they are paid from
ITEM_LISTS = (PROJECT, OTHER_STANDALONE, PERFORMANCE, OTHER)


def _rows(report: ParsedReport) -> list[LineItem]:
    rows = [li for li in coded(report.line_items) if li.classification in ("functional", "economic")]
    if not rows:
        raise SkipRule("no subject-coded rows were extracted")
    if not load_catalog():
        raise SkipRule("the subject catalog is empty")
    return rows


@rule(
    "codes.known",
    severity="warning",
    zh="科目编码存在于科目目录中（功能分类或经济分类）；类级编码不存在为警告，款/项未收录为提示",
    en="The code exists in the subject catalog; an unknown 类 is a warning, an unseen 款/项 a note",
    inputs=("line_items.code",),
)
def known(report: ParsedReport) -> Iterator[Finding]:
    found: list[Finding] = []
    for li in _rows(report):
        code = li.code or ""
        if subject(code) is not None:
            continue
        cls = subject(code[:3])
        table = report.tables[li.table_index]
        if cls is None:
            found.append(
                Finding(
                    "codes.known",
                    "warning",
                    f"{table.title} 科目编码 {code}（{li.name}）的类级 {code[:3]} 不在科目目录中",
                    expected="科目目录中的编码",
                    actual=code,
                    location=where(table, li),
                )
            )
        else:
            found.append(
                Finding(
                    "codes.known",
                    "info",
                    f"{table.title} 科目编码 {code}（{li.name}）未收录于已观测的科目目录"
                    f"（所属类 {cls.code} {cls.name}）",
                    expected="科目目录中的编码",
                    actual=code,
                    location=where(table, li),
                )
            )
    # one unknown code printed in several tables is one finding with every place
    yield from once_per_report(found, lambda f: f.actual)


@rule(
    "codes.name_matches",
    severity="warning",
    zh="表中科目名称与科目目录中该编码的名称一致（忽略空格、标点及已知的历史更名）",
    en="The printed name matches the catalog name of the code (ignoring spacing, punctuation and known renames)",
    inputs=("line_items.code", "line_items.name"),
)
def name_matches(report: ParsedReport) -> Iterator[Finding]:
    year = fiscal_year(report)  # names are the catalog's of the report's year
    mismatches: list[Finding] = []
    unchecked: list[tuple[LineItem, str]] = []
    for li in _rows(report):
        if table_role(report.tables[li.table_index]) in ITEM_LISTS:
            continue  # a 采购 item or a project listed under its subject code: its name is its own
        code = li.code or ""
        check = name_in_year(code, li.name, year)
        if check is None or check == "accepted" or not li.name.strip():
            continue
        s = subject(code)
        assert s is not None
        folded, usual = fold_name(li.name), fold_name(s.name)
        if (
            len(folded) >= 2
            and (usual.startswith(folded) or folded.startswith(usual))
            and abs(len(usual) - len(folded)) <= 2
        ):
            continue  # a name cut or extended by a wrapped cell, not a different name
        table = report.tables[li.table_index]
        if check == "no_entry":
            unchecked.append((li, s.name))
            continue
        mismatches.append(
            Finding(
                "codes.name_matches",
                "warning",
                f"{table.title} 科目 {code} 名称为“{li.name}”，科目目录中{_in(year)}为“{s.name}”",
                expected=s.name,
                actual=li.name,
                location=where(table, li),
            )
        )
    # the same name of the same code printed in several tables is one finding with every place
    yield from once_per_report(mismatches, lambda f: (f.location.code, fold_name(str(f.actual))))
    if unchecked:
        listed = "、".join(dict.fromkeys(f"{li.code}（{li.name}）" for li, _ in unchecked))
        first = unchecked[0][0]
        yield Finding(
            "codes.name_matches",
            "info",
            f"科目目录无以下科目{_in(year)}的名称记录，未核对其名称：{listed}",
            expected=None,
            actual=listed,
            location=where(report.tables[first.table_index], first),
            locations=[where(report.tables[li.table_index], li) for li, _ in unchecked],
        )


def _in(year: int | None) -> str:
    return f"{year}年" if year else ""


@rule(
    "codes.parent_present",
    severity="warning",
    zh="每个项级科目的款级、类级科目在同一表中列出",
    en="Each 项 has its 款 and 类 printed in the same table",
    inputs=("line_items.code",),
)
def parent_present(report: ParsedReport) -> Iterator[Finding]:
    rows = [li for li in coded(report.line_items) if li.classification in ("functional", "economic")]
    if not rows:
        raise SkipRule("no subject-coded rows were extracted")
    by_table: dict[int, set[str]] = {}
    for li in rows:
        by_table.setdefault(li.table_index, set()).add(li.code or "")
    # one finding per table (a table printing only 项 rows lacks many parents: one condition)
    missing: dict[int, list[tuple[LineItem, str]]] = {}
    for li in rows:
        table = report.tables[li.table_index]
        if table_role(table) in ITEM_LISTS:
            continue  # 采购 items and projects are listed under a code without its parents
        code = li.code or ""
        codes = by_table[li.table_index]
        wanted = [code[:3]] + ([code[:5]] if len(code) == 7 else [])
        gaps = missing.setdefault(li.table_index, [])
        gaps += [(li, c) for c in wanted if len(c) < len(code) and c not in codes and c not in {m for _, m in gaps}]
    for t_index, gaps in missing.items():
        if not gaps:
            continue
        table = report.tables[t_index]
        listed = "、".join(f"{li.code}（{li.name}）缺{m}" for li, m in gaps[:8]) + ("等" if len(gaps) > 8 else "")
        yield Finding(
            "codes.parent_present",
            "warning",
            f"{table.title} 有{len(gaps)}个上级科目未列出：{listed}",
            expected="、".join(m for _, m in gaps),
            actual=None,
            location=where(table, gaps[0][0]),
            locations=[where(table, li) for li, _ in gaps],
        )
