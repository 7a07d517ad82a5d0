"""narrative: the 情况说明 against the tables, and against itself."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from app.catalog import name_in_year, subject_name
from app.parsing.model import LineItem, ParsedReport, Sentence, Table
from app.validation import claim_ledger, claims, prior, prior_columns, sangong
from app.validation.claims import Block, Mention, SubjectRef
from app.validation.common import (
    GENERAL,
    cell,
    fig,
    fiscal_year,
    fmt,
    norm,
    once_per_report,
    report_kind,
    row_name,
    table_role,
)
from app.validation.cross import table_total, total_column
from app.validation.figures import Cand, candidates, labelled_rows, named_figures, subject_rows
from app.validation.model import Finding, Location, Severity
from app.validation.ratios import check_changes, check_delta_directions, check_share_runs, check_shares, known_figures
from app.validation.registry import SkipRule, rule
from app.validation.tolerance import Fig, Judgement, judge


def _need_sentences(report: ParsedReport) -> None:
    if not report.sentences:
        raise SkipRule("no narrative sentences were extracted")


def _loc(s: Sentence, label: str | None = None, cand: Cand | None = None) -> Location:
    return Location(
        table_index=cand.table.index if cand else None,
        table_title=cand.table.title if cand else None,
        page=s.page,
        code=cand.row.code if cand else None,
        row_label=label,
        column=cand.value.column if cand else None,
        bbox=s.bbox,
    )


def narrative_finding(
    rule_id: str,
    severity: Severity,
    message: str,
    s: Sentence,
    *,
    label: str | None = None,
    expected: Decimal | str | None = None,
    actual: Decimal | str | None = None,
    difference: Decimal | None = None,
    cand: Cand | None = None,
) -> Finding:
    return Finding(rule_id, severity, message, expected, actual, difference, _loc(s, label, cand), s.text)


def _skip_amount(m: Mention, report: ParsedReport) -> str | None:
    """Why the amount is not compared with the tables (a ledger reason), None when it is."""
    fy = fiscal_year(report)
    label = m.label
    if m.changes:
        return "change_without_base"  # a change is checked through its base, when stated
    if any(w in label for w in claims.SKIP_WORDS):
        return "prior_year" if any(w in label for w in ("上年", "去年")) else "not_in_tables"
    if fy is not None and any(y != fy for y in claims.years_in(label)):
        return "other_year"
    if report_kind(report) == "final" and "预算" in label and "三公" not in label and "决算" not in label:
        return "budget_figure_in_final"
    return "final_figure_in_budget" if report_kind(report) == "budget" and "决算" in label else None


def _in_context(m: Mention, block: Block) -> bool:
    """三公 parts are checked where the text is about the 三公 (not in a 机关运行经费 breakdown)."""
    metric = claims.metric_of(m.label) or ""
    if not metric.startswith("sangong_") or metric == "sangong_total":
        return True
    text = m.sentence.text
    return "机关运行" not in text[: m.start] and ("三公" in text or "三公" in block.context)


def _subject_for(m: Mention, block: Block, report: ParsedReport) -> SubjectRef | None:
    text = m.sentence.text
    for ref in claims.subjects_in(text):
        if 0 <= m.start - ref.end and claims.SUBJECT_GAP.fullmatch(text[ref.end : m.start]):
            return ref
    if block.subject is not None and block.numbered:
        label = m.label
        final = report_kind(report) == "final"
        if (final and "决算" in label and "预算" not in label) or (
            not final and ("安排" in label or "预算数" in label)
        ):
            return block.subject
    return None


def _breaks_down(report: ParsedReport, table: Table, m: Mention) -> bool:
    """The sentence lists parts of a whole that is this table's 合计."""
    from app.validation.ratios import _whole_before

    mentions = [a for a in claims.amounts(m.sentence) if not a.changes]
    whole = _whole_before(m.sentence.text, m, mentions)
    total = table_total(report, table)
    col = total_column(report, table)
    v = cell(total, col) if total is not None and col else None
    if whole is None or v is None:
        return False
    j = judge(Fig(whole.value, whole.unit), [fig(report, table, v)])
    return j is None or j.severity == "info"


def _named_in_breakdown(report: ParsedReport, m: Mention, rows: list[tuple[Table, LineItem]]) -> bool:
    """A 类 named without its code in a breakdown of the general-budget table's own total
    (一般公共预算财政拨款支出2940.05万元，主要用于以下方面：社会保障和就业支出…): its scope is that table's."""
    return bool(rows) and all(
        len(li.code or "") == 3 and table_role(t) == GENERAL and _breaks_down(report, t, m) for t, li in rows
    )


def _check_named(m: Mention, cands: list[Cand], report: ParsedReport) -> Iterator[Finding]:
    """A subject named without code and outside a breakdown: the text does not say the fund scope
    (all funds, 财政拨款, 项目支出 of it …), so a table row that agrees ties it, and one that does not
    leaves it unverified rather than an error (三公/项目 passages name subjects of their own scope)."""
    usable = [c for c in cands if c.value.unit is not None or c.table.amount_unit is not None]
    if not usable:
        claim_ledger.unverified(m, "table_unit_unknown" if cands else "unknown_measure")
        return
    got = _judge_cands(Fig(m.value, m.unit), usable, report)
    if got is None or got[0].severity == "info":
        claim_ledger.tied(m)
        if got is not None:
            yield _amount_finding(m, row_name(m.label), *got, report)
        return
    claim_ledger.unverified(m, "scope_ambiguous")


def _title_of(block: Block, m: Mention) -> str:
    """The block's first sentence when it is a title of its own (（一）因公出国（境）费用。): short,
    stating no figure, and not the figure's sentence."""
    first = block.sentences[0] if block.sentences else None
    if first is None or first is m.sentence or len(first.text) > 30 or claims.amounts(first):
        return ""
    return first.text


def _subject_cands(report: ParsedReport, rows: list[tuple[Table, LineItem]]) -> list[Cand]:
    """A subject row's whole amount in each table; none at all when the general-budget table
    prints the subject under columns whose whole we cannot tell (执行数 | 预算数 …)."""
    out: list[Cand] = []
    for t, li in rows:
        col = total_column(report, t)
        v = cell(li, col) if col else None
        if v is None:
            if table_role(t) == GENERAL:
                return []
            continue
        out.append(Cand(t, li, v))
    return out


_TOTAL_METRICS = frozenset({"basic", "project", "personnel", "public", "general_basic"})


def _itemised(block: Block) -> bool:
    """A numbered list item about one subject (2.“农林水支出”科目83万元，主要用于人员经费18万元…)."""
    first = block.sentences[0].text if block.sentences else ""
    return block.numbered and (block.subject is not None or "科目" in first or "（类）" in first or "(类)" in first)


def _judge_cands(actual: Fig, cands: list[Cand], report: ParsedReport) -> tuple[Judgement, Cand] | None:
    """None when any candidate agrees; else the closest disagreement (rounding ones first)."""
    results: list[tuple[Judgement, Cand]] = []
    for c in cands:
        if c.value.unit is None and c.table.amount_unit is None:
            continue  # the table's unit was not read: 3252.59 could be 元 or 万元
        j = judge(actual, [fig(report, c.table, c.value)])
        if j is None:
            return None
        results.append((j, c))
    if not results:
        return None
    infos = [r for r in results if r[0].severity == "info"]
    return infos[0] if infos else results[0]


@rule(
    "narrative.amounts",
    severity="error",
    zh="情况说明中的金额（收支总计、本年收入/支出合计、财政拨款、基本/项目支出、人员/公用经费、三公、机关运行经费、"
    "各科目（类/款/项））与表中数据一致（万元/元换算，允许说明自身的四舍五入）",
    en="Amounts stated in the narrative match the table cells they restate (unit-aware, with the text's own rounding)",
    inputs=("sentences", "tables", "line_items"),
)
def amounts(report: ParsedReport) -> Iterator[Finding]:
    _need_sentences(report)
    if not report.line_items:
        for s in report.sentences:
            for m in claims.amounts(s):
                claim_ledger.unverified(m, "no_table_rows")
        raise SkipRule("no table rows to compare the narrative with")
    for block in claims.blocks(report.sentences):
        for s in block.sentences:
            for m in claims.amounts(s):
                reason = _skip_amount(m, report) or (None if _in_context(m, block) else "sangong_part_elsewhere")
                if reason == "change_without_base" and _in_context(m, block):
                    tie = prior.change_tie(report, m, _title_of(block, m))
                    if tie is not None:
                        claim_ledger.tied(m)
                        if tie.judgement is not None:
                            yield _change_finding(m, tie, report)
                        continue
                    ref = prior_columns.subject_before(m)
                    col_tie = prior_columns.column_tie(report, m, subject_rows(report, ref)) if ref else None
                    if col_tie is not None:
                        claim_ledger.tied(m)
                        if col_tie.judgement is not None:
                            yield _column_change_finding(m, col_tie, report)
                        continue
                if reason is not None:
                    claim_ledger.unverified(m, reason)
                    continue
                yield from _check_amount(m, block, report)


def _check_amount(m: Mention, block: Block, report: ParsedReport) -> Iterator[Finding]:
    ref = _subject_for(m, block, report)
    metric: str | None = None
    if ref is not None:
        cands = _subject_cands(report, subject_rows(report, ref))
        what = "".join(f"{n}（{c}{lv}）" for n, c, lv in zip(ref.names, ref.codes, ref.levels, strict=True))
    else:
        metric = claims.metric_of(m.label) or claims.heading_metric(m.label, _title_of(block, m))
        if metric in _TOTAL_METRICS and _itemised(block):
            claim_ledger.unverified(m, "per_subject_breakdown")
            return  # 人员经费/项目支出 … of one subject in a per-subject list, not the table totals
        if metric is None:
            # a subject the figure's own words name (（2080506）, 2210203-购房补贴, “卫生健康支出”科目)
            sub = claims.labelled_subject(m.label)
            rows = labelled_rows(report, sub) if sub is not None else []
            cands = _subject_cands(report, rows)
            what = row_name(m.label)
            if sub is not None and sub.code is None and not _named_in_breakdown(report, m, rows):
                # … or a row the summary tables print by that name (事业单位经营收入, 上缴上级支出)
                yield from _check_named(m, cands + named_figures(report, sub.name), report)
                return
        else:
            cands = candidates(report, metric, claims.scope_of(m.label, report_kind(report)))
            what = m.label
    usable = [c for c in cands if c.value.unit is not None or c.table.amount_unit is not None]
    if not usable:
        reason = "table_unit_unknown" if cands else ("unknown_measure" if ref is None and metric is None
                                                     else "no_table_figure")
        claim_ledger.unverified(m, reason)
        return
    claim_ledger.tied(m)
    got = _judge_cands(Fig(m.value, m.unit), usable, report)
    if got is None:
        return
    yield _amount_finding(m, what, *got, report)


def _change_finding(m: Mention, tie: prior.PriorTie, report: ParsedReport) -> Finding:
    """A stated change against the table's current minus prior-year figure."""
    j, table = tie.judgement, report.tables[tie.table_index]
    assert j is not None
    cur, old = tie.current, tie.prior
    unit = table.amount_unit or report.meta.amount_unit or ""
    said = "增加" if m.direction > 0 else "减少"
    return narrative_finding(
        "narrative.amounts",
        j.severity,
        f"说明第{m.sentence.page}页称{m.label}{fmt(m.value)}{m.unit}，而{table.title}"
        f"{sangong.NAMES[cur.item]} {cur.scope.label()} {fmt(cur.value.amount)}{unit} − {old.scope.label()} "
        f"{fmt(old.value.amount)}{unit} = {fmt(j.expected)}{m.unit}（{said}应为{fmt(abs(j.expected))}，"
        f"差{fmt(j.difference)}）" + ("（尾数差异）" if j.severity == "info" else ""),
        m.sentence,
        label=m.label,
        expected=j.expected,
        actual=m.direction * m.value,
        difference=j.difference,
        cand=Cand(table, cur.row, cur.value),
    )


def _column_change_finding(m: Mention, tie: prior_columns.ColumnTie, report: ParsedReport) -> Finding:
    """A stated change against a subject row's current minus prior-year column."""
    j = tie.judgement
    assert j is not None
    unit = fig(report, tie.table, tie.current).unit or ""
    row = f"{tie.row.code or ''} {tie.row.name}".strip()
    return narrative_finding(
        "narrative.amounts",
        j.severity,
        f"说明第{m.sentence.page}页称{m.label}{fmt(m.value)}{m.unit}，而{tie.table.title} {row} {tie.current.column} "
        f"{fmt(tie.current.amount)}{unit} − {tie.prior.column} {fmt(tie.prior.amount)}{unit} "
        f"= {fmt(j.expected)}{m.unit}"
        f"（差{fmt(j.difference)}）" + ("（尾数差异）" if j.severity == "info" else ""),
        m.sentence,
        label=m.label,
        expected=j.expected,
        actual=m.direction * m.value,
        difference=j.difference,
        cand=Cand(tie.table, tie.row, tie.current),
    )


def _amount_finding(m: Mention, what: str, j: Judgement, c: Cand, report: ParsedReport) -> Finding:
    table_fig = fig(report, c.table, c.value)
    return narrative_finding(
        "narrative.amounts",
        j.severity,
        f"说明第{m.sentence.page}页“{what}{fmt(m.value)}{m.unit}”与{c.table.title}"
        f"{(' ' + c.row.code) if c.row.code else ''} {c.row.name} {c.value.column} "
        f"{fmt(c.value.amount)}{table_fig.unit or ''}不一致（折合{fmt(j.expected)}{m.unit}，差{fmt(j.difference)}）"
        + ("（尾数差异）" if j.severity == "info" else ""),
        m.sentence,
        label=what,
        expected=j.expected,
        actual=m.value,
        difference=j.difference,
        cand=c,
    )


@rule(
    "narrative.percentages",
    severity="error",
    zh="说明中的占比（占X%）、完成率与增减幅度（增长/下降X%）与所述金额相符（允许末位一个单位的误差）",
    en="Stated shares (占 X%), completion rates and changes (增长/下降 X%) follow from the stated amounts",
    inputs=("sentences",),
)
def percentages(report: ParsedReport) -> Iterator[Finding]:
    _need_sentences(report)
    known = known_figures(report)
    for block in claims.blocks(report.sentences):
        for n, s in enumerate(block.sentences):
            yield from check_shares(report, s, known, block.before(n))
            yield from check_changes(
                report, s, block.sentences[:n], block.before(n), "narrative.percentages"
            )
    yield from check_share_runs(report.sentences)


@rule(
    "narrative.direction",
    severity="error",
    zh="“增加/增长”“减少/下降”（百分比或金额）以及“决算数大于/小于/等于预算数”的表述与金额变化方向一致",
    en="增加/减少 and 决算数大于/小于/等于预算数 agree with the sign of the change between the stated amounts",
    inputs=("sentences",),
)
def direction(report: ParsedReport) -> Iterator[Finding]:
    _need_sentences(report)
    for block in claims.blocks(report.sentences):
        for n, s in enumerate(block.sentences):
            yield from check_changes(
                report, s, block.sentences[:n], block.before(n), "narrative.direction"
            )
            yield from _budget_vs_final(block, n, s)
            yield from check_delta_directions(report, s)


_COMPARE_WORDS = {"小于": -1, "低于": -1, "少于": -1, "大于": 1, "高于": 1, "超过": 1, "多于": 1, "等于": 0}


def _budget_vs_final(block: Block, n: int, s: Sentence) -> Iterator[Finding]:
    text = norm(s.text)
    if "决算" not in text or "预算" not in text:
        return
    word = next((w for w in _COMPARE_WORDS if f"决算数{w}" in text or f"决算{w}" in text), None)
    if word is None:
        return
    budget = final = None
    for earlier in reversed(block.sentences[: n + 1]):
        for m in reversed(claims.amounts(earlier)):
            if m.start >= len(s.text) and earlier is s:
                continue
            if final is None and "决算" in m.label:
                final = m
            elif budget is None and "预算" in m.label and "决算" not in m.label:
                budget = m
        if budget and final:
            break
    if budget is None or final is None:
        return
    claim_ledger.checked((budget, final))
    diff = final.value * _f(final.unit) - budget.value * _f(budget.unit)
    sign = (diff > 0) - (diff < 0)
    want = _COMPARE_WORDS[word]
    if sign == want:
        return
    yield narrative_finding(
        "narrative.direction",
        "error",
        f"说明称“决算数{word}预算数”，但所述年初预算{fmt(budget.value)}{budget.unit}、决算{fmt(final.value)}{final.unit}",
        s,
        label=f"决算数{word}预算数",
        expected="大于" if sign > 0 else ("小于" if sign < 0 else "等于"),
        actual=word,
        difference=final.value - budget.value if final.unit == budget.unit else None,
    )


def _f(unit: str | None) -> Decimal:
    from app.validation.tolerance import factor

    return factor(unit)


@rule(
    "narrative.parts_sum",
    severity="error",
    zh="说明中“其中”列举的各部分金额之和不超过（且一般等于）所述总额；分项列举的年初预算/决算之和等于总述数；"
    "所述增减额等于所比两数之差",
    en="The parts listed after 其中 add up to the stated whole (and itemised lists to their stated total); "
    "a stated change (增加/减少 X万元) is the difference of the two amounts it compares",
    inputs=("sentences",),
)
def parts_sum(report: ParsedReport) -> Iterator[Finding]:
    _need_sentences(report)
    from app.validation.change_parts import check_change_parts
    from app.validation.item_sums import check_item_sums
    from app.validation.ratios import check_deltas, check_item_lists, check_parts

    all_blocks = claims.blocks(report.sentences)
    for block in all_blocks:
        for s in block.sentences:
            yield from check_parts(report, s)
            yield from check_deltas(report, s)
            yield from check_change_parts(s)
    yield from check_item_lists(all_blocks)
    yield from check_item_sums(all_blocks)


@rule(
    "narrative.subject_names",
    severity="warning",
    zh="说明中按编码引用的科目名称与表中（或科目目录中）该编码的名称一致",
    en="A subject the narrative names by its code (（210类）) has the name the tables (or the catalog) give the code",
    inputs=("sentences", "line_items"),
)
def subject_names(report: ParsedReport) -> Iterator[Finding]:
    _need_sentences(report)
    names: dict[str, str] = {}
    for li in report.line_items:
        if li.code and li.row_kind == "subject":
            names.setdefault(li.code, li.name)
    found: list[Finding] = []
    for s in report.sentences:
        for ref in claims.subjects_in(s.text):
            if not all(ref.codes) or ref.levels[0] != "类":
                continue
            code = ""
            for name, part in zip(ref.names, ref.codes, strict=True):
                code += part
                printed = names.get(code) or subject_name(code)
                if printed is None or norm(printed) == norm(name):
                    continue
                if name_in_year(code, name, fiscal_year(report)) in ("accepted", "no_entry"):
                    continue  # the code's name in the report's year (20805 行政事业单位离退休 until 2019)
                found.append(
                    narrative_finding(
                        "narrative.subject_names",
                        "warning",
                        f"说明中科目 {code} 写作“{name}”，表中为“{printed}”",
                        s,
                        label=f"{name}（{code}）",
                        expected=printed,
                        actual=name,
                    )
                )
    # one wrong name of one code, however many sentences repeat it, is one finding
    yield from once_per_report(found, lambda f: (f.expected, norm(str(f.actual))))
