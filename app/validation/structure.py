"""structure: is the report complete and coherent?"""

from __future__ import annotations

import re
from collections.abc import Iterator

from app.parsing.model import ParsedReport
from app.validation.common import (
    BASIC,
    EXPENDITURE,
    FISCAL_SUMMARY,
    GENERAL,
    GOV_FUND,
    INCOME,
    OTHER,
    PERFORMANCE,
    ROLE_NAMES,
    SANGONG,
    STATE_CAPITAL,
    SUMMARY,
    fiscal_year,
    items_of,
    norm,
    once_per_report,
    report_kind,
    table_role,
    where,
)
from app.validation.model import Finding, Location
from app.validation.registry import SkipRule, rule

STANDARD = frozenset(
    {SUMMARY, INCOME, EXPENDITURE, FISCAL_SUMMARY, GENERAL, BASIC, SANGONG, GOV_FUND, STATE_CAPITAL}
)  # an empty one of these needs a note; a title-only detection (a TOC line) is not a table
REQUIRED = {
    "final": (SUMMARY, INCOME, EXPENDITURE, FISCAL_SUMMARY, GENERAL, BASIC, SANGONG, GOV_FUND, STATE_CAPITAL),
    "budget": (SUMMARY, INCOME, EXPENDITURE, FISCAL_SUMMARY, GENERAL, BASIC, SANGONG, GOV_FUND, STATE_CAPITAL),
}
EMPTY_NOTE = re.compile(
    r"(本表|此表|该表).{0,6}(无数据|为空|空表|无内容)|空表|无此项|不涉及|没有.{0,12}(收入|支出|预算|经费)|无.{0,16}(收入|支出|预算|经费|安排)"
)
_TOPICS = {SANGONG: "三公", GOV_FUND: "政府性基金", STATE_CAPITAL: "国有资本经营"}
_YEAR = re.compile(r"(20\d{2})\s*年")
_COMPARE_YEAR = re.compile(r"(?:比|较|与|同比|相比|对比)\s*(20\d{2})\s*年")
# the narrative says the tables are published elsewhere (另行公开 / 单独公开 / 详见附件 / 附件：…部门预算报表 /
# 表格附后 …), in a sentence about the tables or the budget (not any "见附件1" of a circular)
PUBLISHED_SEPARATELY = re.compile(
    r"(另行|单独|另外|分别|专门|另表)(公开|发布|公布|印发|上传|披露)|(详见|见|参见)附(件|表)"
    r"|附件[:：\d一二三四五六七八九十]*.{0,40}(报表|表格|公开表|预算表|决算表)|(报表|表格|公开表).{0,8}(附后|另附|附于)"
)
_TABLE_TOPIC = re.compile(r"预算|决算|报表|表格|公开表|附表")
_DEPT_LABEL = re.compile(r"(?:编制部门|部门名称|主管部门)[:：]\s*([^\s:：,，;；]{4,40}?)(?=单位[:：]|金额单位|$|\s)")


@rule(
    "structure.required_tables",
    severity="warning",
    zh="按报告类型（决算九张表/预算九张表）应公开的标准表齐全（《地方预决算公开操作规程》（财预〔2016〕143号）及财政部部门预算、决算公开表格）",
    en="The standard tables for the report kind (决算: the nine tables; 预算: the budget set) are present",
    inputs=("meta.kind", "tables"),
)
def required_tables(report: ParsedReport) -> Iterator[Finding]:
    kind = report_kind(report)
    if kind not in REQUIRED:
        raise SkipRule("the report kind (决算/预算) is unknown")
    if not report.tables:
        raise SkipRule("no tables were extracted")
    present = {table_role(t) for t in report.tables}
    missing = [r for r in REQUIRED[kind] if r not in present]
    if not missing:
        return
    names = "、".join(ROLE_NAMES[r] for r in missing)
    yield Finding(
        rule_id="structure.required_tables",
        severity="warning",
        message=f"{'决算' if kind == 'final' else '预算'}报告缺少标准表：{names}",
        expected=", ".join(ROLE_NAMES[r] for r in REQUIRED[kind]),
        actual=", ".join(sorted({t.title for t in report.tables if table_role(t) not in (OTHER, PERFORMANCE)})),
        location=Location(),
    )


@rule(
    "structure.no_standard_tables",
    severity="error",
    zh="文件中至少有一张部门预算/决算标准表（收支总表、收入表、支出表……）；说明表格另行公开的为警告",
    en="The document prints at least one standard budget/final-account table (a warning when it says they are "
       "published separately)",
    inputs=("tables", "sentences"),
)
def no_standard_tables(report: ParsedReport) -> Iterator[Finding]:
    if not (report.tables or report.sentences or report.contents):
        raise SkipRule("the document has no text to judge")
    if any(table_role(t) in STANDARD for t in report.tables):
        return
    said = next((s for s in report.sentences
                 if PUBLISHED_SEPARATELY.search(t := norm(s.text)) and _TABLE_TOPIC.search(t)), None)
    found = sorted({t.title for t in report.tables})
    yield Finding(
        rule_id="structure.no_standard_tables",
        severity="warning" if said else "error",
        message="未找到任何部门预算/决算标准表" + ("（说明称表格另行公开）" if said else "：可能不是预算或决算报告"),
        expected="、".join(ROLE_NAMES[r] for r in REQUIRED["final"][:3]) + " …",
        actual="、".join(found) if found else None,
        location=Location(page=said.page, bbox=said.bbox, row_label=said.text[:40]) if said else Location(),
        evidence=said.text if said else None,
    )


@rule(
    "structure.empty_table_explained",
    severity="warning",
    zh="空表附有说明（如“本部门无政府性基金预算财政拨款收入，故本表为空表”）（财预〔2016〕143号：无数据的表也应公开并说明）",
    en="An empty standard table carries a note saying why it is empty",
    inputs=("tables", "sentences"),
)
def empty_table_explained(report: ParsedReport) -> Iterator[Finding]:
    empties = [t for t in report.tables if table_role(t) in STANDARD and t.empty and (t.columns or len(t.grid) > 1)]
    if not report.tables:
        raise SkipRule("no tables were extracted")
    for t in empties:
        topic = _TOPICS.get(table_role(t))
        texts = [t.note or ""] + [s.text for s in report.sentences if s.page in t.pages or (topic and topic in s.text)]
        texts += ["".join(c or "" for c in row) for row in t.grid]
        if any(EMPTY_NOTE.search(norm(x)) for x in texts):
            continue
        yield Finding(
            rule_id="structure.empty_table_explained",
            severity="warning",
            message=f"{t.title} 为空表，但未说明原因",
            expected="空表说明",
            actual=None,
            location=where(t),
        )


@rule(
    "structure.unit_declared",
    severity="warning",
    zh="每张金额表都注明金额单位（元/万元）",
    en="Every amount table declares its unit (元/万元)",
    inputs=("tables",),
)
def unit_declared(report: ParsedReport) -> Iterator[Finding]:
    if not report.tables:
        raise SkipRule("no tables were extracted")
    for t in report.tables:
        if table_role(t) in (OTHER, PERFORMANCE) or t.amount_unit:
            continue
        if not any(li.values for li in items_of(report, t)):
            continue
        yield Finding(
            rule_id="structure.unit_declared",
            severity="warning",
            message=f"{t.title} 未注明金额单位",
            expected="元 / 万元",
            location=where(t),
        )


@rule(
    "structure.year_consistent",
    severity="warning",
    zh="封面、表名与说明中的年度一致（表名年度=报告年度，说明中的比较基期早于报告年度）",
    en="The fiscal year agrees across cover, table titles and narrative (comparisons refer to an earlier year)",
    inputs=("meta.fiscal_year", "tables", "sentences"),
)
def year_consistent(report: ParsedReport) -> Iterator[Finding]:
    fy = fiscal_year(report)  # the parsed metadata's: the year is never re-derived here
    if fy is None:
        raise SkipRule("the fiscal year is unknown (the parsed metadata has none)")
    found: list[Finding] = []
    for t in report.tables:
        years = {int(y) for y in _YEAR.findall(t.title or "")}
        if years and fy not in years:
            found.append(
                Finding(
                    rule_id="structure.year_consistent",
                    severity="warning",
                    message=f"表名年度 {'、'.join(map(str, sorted(years)))} 与报告年度 {fy} 不一致：{t.title}",
                    expected=str(fy),
                    actual=str(min(years)),
                    location=where(t),
                )
            )
    for s in report.sentences:
        bad = sorted({int(y) for y in _COMPARE_YEAR.findall(s.text) if int(y) >= fy})
        if not bad:
            continue
        found.append(
            Finding(
                rule_id="structure.year_consistent",
                severity="warning",
                message=f"说明中与{bad[0]}年比较，但报告年度为{fy}年，比较基期应为{fy - 1}年",
                expected=str(fy - 1),
                actual=str(bad[0]),
                location=Location(page=s.page, bbox=s.bbox, row_label=s.text[:40]),
                evidence=s.text,
            )
        )
    # one finding per wrong year (in titles, in the narrative), with every place it is printed
    yield from once_per_report(found, lambda f: (f.location.table_index is None, f.actual))


@rule(
    "structure.department_consistent",
    severity="warning",
    zh="封面与各表“编制部门”的部门名称一致",
    en="The department name is the same on the cover and in every table header",
    inputs=("meta.department", "tables.grid"),
)
def department_consistent(report: ParsedReport) -> Iterator[Finding]:
    dept = norm(report.meta.department)
    if not dept:
        raise SkipRule("the department name is unknown")
    for t in report.tables:
        for row in t.grid[:4]:
            for c in row:
                m = _DEPT_LABEL.search(norm(c)) if c else None
                if m is None:
                    continue
                name = m.group(1)
                if name in dept or dept in name:
                    continue
                yield Finding(
                    rule_id="structure.department_consistent",
                    severity="warning",
                    message=f"{t.title} 编制部门“{name}”与报告部门“{report.meta.department}”不一致",
                    expected=report.meta.department,
                    actual=name,
                    location=where(t),
                )


@rule(
    "structure.blank_page",
    severity="warning",
    zh="报告中没有多余的空白页（如目录后的空表页）",
    en="The report has no stray blank page (e.g. an empty table frame after the TOC)",
    inputs=("blank_pages",),
)
def blank_page(report: ParsedReport) -> Iterator[Finding]:
    if report.meta.pages == 0:
        raise SkipRule("the page count is unknown")
    last = report.meta.pages
    for p in report.blank_pages:
        if p == last:
            continue  # a trailing blank page is a print artefact, not a gap in the report
        yield Finding(
            rule_id="structure.blank_page",
            severity="warning",
            message=f"第{p}页为空白页（无任何文字内容）",
            expected="有内容的页面",
            actual="空白页",
            location=Location(page=p),
        )
