"""disclosure: what a 部门预算/决算 must make public (公开 compliance), after
《地方预决算公开操作规程》(财预〔2016〕143号) and the 财政部 部门预算/决算 公开 templates.

A missing disclosure is a compliance gap, not an arithmetic inconsistency: every rule here is a
`warning`. The required table set and the note on an empty table are `structure.required_tables`
and `structure.empty_table_explained`; they count in the compliance summary with these rules."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from app.parsing.contents import is_table_entry
from app.parsing.kinds import sangong_item, table_kind
from app.parsing.model import ContentsEntry, LineItem, ParsedReport, Sentence, Table
from app.validation.common import BASIC, GENERAL, SANGONG, items_of, norm, tables_of, where
from app.validation.model import Compliance, Finding, Location, Skip
from app.validation.registry import RULES, SkipRule, rule
from app.validation.sangong import ABROAD, NAMES, PURCHASE, RECEPTION, RUNNING, VEHICLE

RULES_143 = "《地方预决算公开操作规程》（财预〔2016〕143号）"
# the rules of other families that are 公开 checks too (the table set, the note on an empty table)
OTHER_COMPLIANCE_RULES = ("structure.required_tables", "structure.empty_table_explained")

_NOT_APPLICABLE = re.compile(r"无|未安排|未发生|未开展|没有|不涉及|为0|为零|均为0")
_SANGONG = re.compile(r"三公|因公出国|公务用车|公务接待")
_CHANGE = re.compile(r"增加|减少|增长|下降|上升|持平|相同|一致|无变化|增减|变化|比上年|较上年|同比|与上年")
_FLAT = re.compile(r"持平|相同|一致|无变化|未发生变化|没有变化")
_REASON = re.compile(r"原因|主要是|主要用于|由于|因为|因\S{1,20}(?:增加|减少)|系|用于|严格|压减|厉行节约|落实")
_HEADER_ROWS = 6  # the rows of a table grid that may hold its header
_HEADING = 30  # characters: a sentence this short, without an amount, is a heading
_AMOUNT = re.compile(r"(\d[\d,，]*(?:\.\d+)?)\s*(?:万元|元|千元|亿元)")


def _disclosing(report: ParsedReport) -> None:
    """Only a 部门预算 or 决算 owes these disclosures: another document (a notice …) is not applicable."""
    if report.meta.kind not in ("final", "budget"):
        raise SkipRule("the parsed metadata does not say the report is a 预算 or 决算")


def _sentences(report: ParsedReport) -> list[Sentence]:
    _disclosing(report)
    if not report.sentences:
        raise SkipRule("no narrative (情况说明) was extracted")
    return report.sentences


def _about(report: ParsedReport, pattern: re.Pattern[str]) -> list[Sentence]:
    """The sentences on a topic; a short heading on it (（三）国有资产占有使用情况) brings the two after it."""
    sentences = _sentences(report)
    picked: dict[int, Sentence] = {}
    for n, s in enumerate(sentences):
        text = norm(s.text)
        if not pattern.search(text):
            continue
        picked[n] = s
        if len(text) <= _HEADING and not _AMOUNT.search(text):
            picked.update({k: sentences[k] for k in range(n + 1, min(n + 3, len(sentences)))})
    return [picked[k] for k in sorted(picked)]


def _gap(rule_id: str, message: str, expected: str, actual: str | None, location: Location) -> Finding:
    return Finding(rule_id, "warning", message, expected=expected, actual=actual, location=location)


def _narrative_location(sentences: Iterable[Sentence]) -> Location:
    first = next(iter(sentences), None)
    return Location(page=first.page, bbox=first.bbox, row_label=first.text[:40]) if first else Location()


# ------------------------------------------------------------------ the 目录 against the body


_YEAR_WORDS = re.compile(r"20\d{2}年度?|[（(]?本级[)）]?|部门|单位|预算单位")
# 部门预算表 / 2026年部门决算表 / 预算公开表: the part holding the tables, not one table
_WHOLE_SET = re.compile(r"^(?:市级|区级|县级)?(?:预算|决算)(?:公开)?表$")


def _title_key(report: ParsedReport, title: str) -> str:
    """A table title without what varies between the 目录 and the body: year, department, quotes."""
    t = norm(title)
    if report.meta.department:
        t = t.replace(norm(report.meta.department), "")
    return _YEAR_WORDS.sub("", t)


def _listed_tables(report: ParsedReport) -> list[ContentsEntry]:
    """The 目录 entries that name one table (not a part heading such as 第二部分 部门预算表)."""
    out = []
    for e in report.contents:
        if not is_table_entry(e) or (e.number or "").startswith("第"):
            continue
        key = _title_key(report, e.title)
        if _WHOLE_SET.match(key):
            continue
        out.append(e)
    return out


@rule(
    "disclosure.toc_tables_present",
    severity="warning",
    zh=f"目录所列各表均在正文中公开（{RULES_143} 部门预决算公开：公开内容完整、目录与正文一致）",
    en="Every table the contents page (目录) lists is printed in the body of the report",
    inputs=("contents", "tables"),
)
def toc_tables_present(report: ParsedReport) -> Iterator[Finding]:
    _disclosing(report)
    if not report.contents:
        raise SkipRule("the report prints no contents page (目录), or its entries were not read")
    listed = _listed_tables(report)
    if not listed:
        raise SkipRule("the 目录 lists no tables")
    body = [(t, _title_key(report, t.title)) for t in report.tables]
    used: set[int] = set()
    missing: list[ContentsEntry] = []
    for entry in listed:
        key = _title_key(report, entry.title)
        hit = next((t for t, b in body if t.index not in used and b and (key in b or b in key)), None)
        if hit is None:  # the same table under another wording: the same kind, not yet matched
            kind = table_kind(entry.title)
            same = [t for t, _ in body if t.index not in used and t.kind == kind]
            hit = same[0] if kind != "other" and same else None
        if hit is None:
            missing.append(entry)
        else:
            used.add(hit.index)
    if not missing:
        return
    titles = "、".join(f"“{e.title}”" for e in missing)
    locations = [Location(page=e.source_page, row_label=e.title) for e in missing]
    found = _gap(
        "disclosure.toc_tables_present",
        f"目录列有{len(listed)}张表，其中{len(missing)}张正文中未见：{titles}",
        "、".join(e.title for e in missing),
        None,
        locations[0],
    )
    found.locations = locations
    yield found


# ------------------------------------------------------------------ detail of the subject codes


def _classification(li: LineItem) -> str:
    """The parser's, else the code's: functional codes are 2xx (类 201–234), economic 3xx / 5xx."""
    if li.classification:
        return li.classification
    return "functional" if (li.code or "").startswith("2") else "economic"


def _leaves(items: list[LineItem], classification: str) -> list[LineItem]:
    """Coded subject rows with an amount and no child row under them in the same table."""
    rows = [li for li in items if li.code and li.row_kind == "subject" and _classification(li) == classification]
    codes = {li.code for li in rows if li.code}
    following = {id(a): b for a, b in zip(items, items[1:], strict=False)}  # the next row printed
    leaves = []
    for li in rows:
        code = li.code or ""
        if any(c != code and c.startswith(code) for c in codes):
            continue
        after = following.get(id(li))
        if after is not None and (len(after.code or "") > len(code) or (after.row_kind == "item" and after.values)):
            continue  # its 款 rows follow under another numbering (部门经济 301 → 政府经济 50101) or unread codes
        if not any(v.amount != 0 for v in li.values):
            continue  # a zero row needs no detail
        leaves.append(li)
    return leaves


def _detail(
    report: ParsedReport, rule_id: str, role: str, classification: str, digits: int, level: str
) -> Iterator[Finding]:
    _disclosing(report)
    tables = [t for t in tables_of(report, role) if not t.empty]
    coded_tables = [(t, _leaves(items_of(report, t), classification)) for t in tables]
    coded_tables = [(t, leaves) for t, leaves in coded_tables if leaves]
    if not coded_tables:
        raise SkipRule(f"no {classification} subject rows with amounts in the {role} tables")
    for t, leaves in coded_tables:
        short = [li for li in leaves if len(li.code or "") < digits]
        if not short:
            continue
        codes = "、".join(f"{li.code} {li.name}".strip() for li in short[:8]) + ("…" if len(short) > 8 else "")
        yield _gap(
            rule_id,
            f"{t.title} 未细化到{level}：{codes}",
            f"{digits}位{level}科目",
            ", ".join(li.code or "" for li in short),
            where(t, short[0]),
        )


@rule(
    "disclosure.general_to_item",
    severity="warning",
    zh=(
        f"一般公共预算（财政拨款）支出按功能分类公开到项级科目（7位编码）"
        f"（{RULES_143} 部门预决算细化：一般公共预算支出公开到支出功能分类项级科目）"
    ),
    en="General public budget expenditure is disclosed down to 项 (7-digit functional codes)",
    inputs=("tables.kind", "line_items.code"),
)
def general_to_item(report: ParsedReport) -> Iterator[Finding]:
    yield from _detail(report, "disclosure.general_to_item", GENERAL, "functional", 7, "项级")


@rule(
    "disclosure.basic_to_kuan",
    severity="warning",
    zh=(
        f"一般公共预算基本支出按经济分类公开到款级科目（5位编码）"
        f"（{RULES_143} 部门预决算细化：基本支出公开到经济分类款级科目）"
    ),
    en="General public budget basic expenditure is disclosed down to 款 (5-digit economic codes)",
    inputs=("tables.kind", "line_items.code"),
)
def basic_to_kuan(report: ParsedReport) -> Iterator[Finding]:
    yield from _detail(report, "disclosure.basic_to_kuan", BASIC, "economic", 5, "款级")


# ------------------------------------------------------------------ “三公”经费


def _sangong_tables(report: ParsedReport) -> list[Table]:
    _disclosing(report)
    tables = [t for t in tables_of(report, SANGONG) if not t.empty and (t.columns or items_of(report, t))]
    if not tables:
        raise SkipRule("no non-empty “三公”经费 table was extracted")
    return tables


@rule(
    "disclosure.sangong_items",
    severity="warning",
    zh=(
        f"“三公”经费表分列因公出国（境）费、公务用车购置及运行费（购置费、运行费）、公务接待费"
        f"（{RULES_143} “三公”经费公开细化到具体项目，公务用车分购置和运行）"
    ),
    en="The 三公 table shows its items, with 公务用车 split into 购置 and 运行",
    inputs=("tables.columns.sangong_item", "line_items.sangong_item"),
)
def sangong_items(report: ParsedReport) -> Iterator[Finding]:
    for t in _sangong_tables(report):
        items = {c.sangong_item for c in t.columns} | {li.sangong_item for li in items_of(report, t)}
        items |= {v.sangong_item for li in items_of(report, t) for v in li.values}
        items |= {sangong_item(c) for row in t.grid[:_HEADER_ROWS] for c in row if c}  # a header over empty cells
        missing = [i for i in (ABROAD, PURCHASE, RUNNING, RECEPTION) if i not in items]
        if not missing:
            continue
        vehicle_unsplit = VEHICLE in items and (PURCHASE in missing or RUNNING in missing)
        what = "、".join(NAMES[i] for i in missing)
        message = f"{t.title} 未分列：{what}"
        if vehicle_unsplit:
            message += "（公务用车购置及运行费未分为购置费和运行费）"
        yield _gap(
            "disclosure.sangong_items",
            message,
            "、".join(NAMES[i] for i in (ABROAD, PURCHASE, RUNNING, RECEPTION)),
            what,
            where(t),
        )


@rule(
    "disclosure.sangong_change_explained",
    severity="warning",
    zh=(
        f"说明中解释“三公”经费的增减变化及其原因"
        f"（{RULES_143} “三公”经费公开应说明增减变化原因）"
    ),
    en="The narrative explains the change of the 三公 expenditure and why",
    inputs=("sentences",),
)
def sangong_change_explained(report: ParsedReport) -> Iterator[Finding]:
    about = _about(report, _SANGONG)
    for s in about:
        t = norm(s.text)
        if _FLAT.search(t) or (_CHANGE.search(t) and _REASON.search(t)):
            return
    yield _gap(
        "disclosure.sangong_change_explained",
        "说明中未解释“三公”经费的增减变化原因" if about else "说明中未提及“三公”经费",
        "“三公”经费比上年增减及原因",
        None,
        _narrative_location(about),
    )


# ------------------------------------------------------------------ topics of the 情况说明


def _nonzero_amount(text: str) -> bool:
    return any(Decimal(m.group(1).replace(",", "").replace("，", "")) != 0 for m in _AMOUNT.finditer(text))


def _topic(
    report: ParsedReport,
    rule_id: str,
    topic: re.Pattern[str],
    name: str,
    parts: tuple[tuple[str, re.Pattern[str]], ...] = (),
    need_amount: bool = True,
) -> Iterator[Finding]:
    about = _about(report, topic)
    if not about:
        yield _gap(rule_id, f"说明中未公开{name}情况", name, None, Location())
        return
    texts = [norm(s.text) for s in about]
    if not any(_nonzero_amount(t) for t in texts) and any(_NOT_APPLICABLE.search(t) for t in texts):
        return  # “本部门无…” / “未安排…”: the topic is covered by saying why there is nothing
    missing = [label for label, pat in parts if not any(pat.search(t) for t in texts)]
    if need_amount and not any(_AMOUNT.search(t) for t in texts):
        missing.insert(0, "金额")
    if missing:
        yield _gap(
            rule_id,
            f"说明中{name}情况未公开：{'、'.join(missing)}",
            "、".join(["金额"] * need_amount + [label for label, _ in parts]),
            "、".join(missing),
            _narrative_location(about),
        )


@rule(
    "disclosure.agency_operation_explained",
    severity="warning",
    zh=f"说明中公开机关运行经费安排（金额）（{RULES_143} 部门预决算公开内容：机关运行经费）",
    en="The narrative states the 机关运行经费 (with its amount)",
    inputs=("sentences",),
)
def agency_operation_explained(report: ParsedReport) -> Iterator[Finding]:
    yield from _topic(report, "disclosure.agency_operation_explained", re.compile(r"机关运行经费"), "机关运行经费")


@rule(
    "disclosure.procurement_explained",
    severity="warning",
    zh=(
        "说明中公开政府采购情况：总额，货物、工程、服务（决算另有授予中小企业的份额）"
        f"（{RULES_143} 部门预决算公开内容：政府采购）"
    ),
    en="The narrative states government procurement: total, goods/works/services (决算: the SME share)",
    inputs=("sentences",),
)
def procurement_explained(report: ParsedReport) -> Iterator[Finding]:
    parts: tuple[tuple[str, re.Pattern[str]], ...] = (
        ("货物", re.compile(r"货物")),
        ("工程", re.compile(r"工程")),
        ("服务", re.compile(r"服务")),
    )
    if report.meta.kind == "final":  # the contracts awarded to SMEs are a 决算 figure (the budget has none yet)
        parts += (("中小企业", re.compile(r"中小企业|小微企业")),)
    yield from _topic(report, "disclosure.procurement_explained", re.compile(r"政府采购"), "政府采购", parts)


@rule(
    "disclosure.state_assets_explained",
    severity="warning",
    zh=(
        f"说明中公开国有资产占用情况（车辆、大型设备等）"
        f"（{RULES_143} 部门预决算公开内容：国有资产占用）"
    ),
    en="The narrative states the state assets held (vehicles, large equipment …)",
    inputs=("sentences",),
)
def state_assets_explained(report: ParsedReport) -> Iterator[Finding]:
    yield from _topic(
        report,
        "disclosure.state_assets_explained",
        re.compile(r"国有资产"),
        "国有资产占用",
        (("车辆/设备/资产", re.compile(r"车辆|用车|设备|资产总额|房屋|辆|台")),),
        need_amount=False,
    )


@rule(
    "disclosure.performance_explained",
    severity="warning",
    zh=(
        f"说明中公开绩效目标设置或绩效评价情况"
        f"（{RULES_143} 部门预决算公开内容：绩效目标设置及绩效评价结果）"
    ),
    en="The narrative states the performance targets set or the performance evaluation",
    inputs=("sentences",),
)
def performance_explained(report: ParsedReport) -> Iterator[Finding]:
    yield from _topic(
        report,
        "disclosure.performance_explained",
        re.compile(r"绩效(?:目标|评价|自评|管理|运行监控)"),
        "绩效",
        need_amount=False,
    )


@rule(
    "disclosure.glossary",
    severity="warning",
    zh=f"报告附有名词解释（{RULES_143} 部门预决算公开应对专业性较强的名词进行解释）",
    en="The report explains its technical terms (名词解释)",
    inputs=("sentences",),
)
def glossary(report: ParsedReport) -> Iterator[Finding]:
    if any("名词解释" in norm(s.text) for s in _sentences(report)):
        return
    yield _gap("disclosure.glossary", "报告未附名词解释", "名词解释", None, Location())


# ------------------------------------------------------------------ the compliance summary


def compliance_rule_ids() -> list[str]:
    return [r.id for r in RULES.values() if r.family == "disclosure"] + [
        r for r in OTHER_COMPLIANCE_RULES if r in RULES
    ]


def compliance(findings: list[Finding], skipped: list[Skip]) -> Compliance:
    """Each 公开 check passed (ran, nothing found), failed (a finding) or not applicable (skipped)."""
    failed_ids = {f.rule_id for f in findings if f.severity != "info"}
    skipped_ids = {s.rule_id for s in skipped}
    out = Compliance()
    for rid in compliance_rule_ids():
        if rid in skipped_ids:
            out.not_applicable.append(rid)
        elif rid in failed_ids:
            out.failed.append(rid)
        else:
            out.passed.append(rid)
    return out
