"""The narrative against itself: shares (占 X%), completion rates, changes (增长/下降 X%, 增加 X万元),
and the parts listed after 其中 against their whole. Every figure brings its own rounding."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from app.parsing.model import ParsedReport, Sentence
from app.validation import claim_ledger, claims
from app.validation.claims import Block, Mention
from app.validation.common import fig, fiscal_year, fmt, report_kind
from app.validation.figures import candidates
from app.validation.model import Finding, Location, Severity
from app.validation.tolerance import Fig, judge, judge_pct

HUNDRED = Decimal(100)
_PRIOR_WORDS = ("上年", "上一年", "去年", "执行数")


def _fig(m: Mention) -> Fig:
    return Fig(m.value, m.unit)


def _finding(
    rule_id: str,
    severity: str,
    message: str,
    s: Sentence,
    label: str,
    expected: Decimal | str | None,
    actual: Decimal | str | None,
    diff: Decimal | None = None,
) -> Finding:
    sev: Severity = "info" if severity == "info" else ("warning" if severity == "warning" else "error")
    return Finding(
        rule_id, sev, message, expected, actual, diff, Location(page=s.page, row_label=label, bbox=s.bbox), s.text
    )


def known_figures(report: ParsedReport) -> dict[str, Fig]:
    """The first current-year figure the narrative states for each metric (for 占…的 bases)."""
    out: dict[str, Fig] = {}
    fy = fiscal_year(report)
    final = report_kind(report) == "final"
    for s in report.sentences:
        for m in claims.amounts(s):
            metric = claims.metric_of(m.label)
            if not metric or m.changes or metric in out or _is_prior(m, fy):
                continue
            if final and "预算" in m.label and "决算" not in m.label:
                continue
            out[metric] = _fig(m)
    return out


def ratio_bounds(num: Decimal, h_num: Decimal, den: Decimal, h_den: Decimal) -> tuple[Decimal, Decimal] | None:
    lo_d, hi_d = den - h_den, den + h_den
    if lo_d <= 0:
        return None
    vals = [a / b * HUNDRED for a in (num - h_num, num + h_num) for b in (lo_d, hi_d)]
    return min(vals), max(vals)


def _pct_finding(
    rule_id: str, s: Sentence, p: Mention, centre: Decimal, bounds: tuple[Decimal, Decimal], what: str
) -> Iterator[Finding]:
    j = judge_pct(p.value, bounds[0], bounds[1], centre)
    if j is None:
        return
    yield _finding(
        rule_id,
        j.severity,
        f"说明第{s.page}页{what}为{fmt(p.value)}%，按所述金额计算应为{fmt(j.expected)}%（差{fmt(j.difference)}个百分点）"
        + ("（尾数差异）" if j.severity == "info" else ""),
        s,
        f"{p.label}{fmt(p.value)}%",
        f"{fmt(j.expected)}%",
        f"{fmt(p.value)}%",
        j.difference,
    )


def check_shares(
    report: ParsedReport, s: Sentence, known: dict[str, Fig], earlier: list[Sentence] | None = None
) -> Iterator[Finding]:
    """占 X% of the sentence's whole (or of the named base, or of the whole an earlier sentence of
    the passage opened a list with), and 完成预算的 X%; shares of a list with no whole stated
    (支出包括：A，占x%；B，占y% …) that add up to 100% are shares of the parts' sum."""
    amounts = [a for a in claims.amounts(s) if not a.changes]
    unresolved: list[tuple[Mention, Mention]] = []
    for p in claims.percentages(s):
        before = [a for a in amounts if a.end <= p.start]
        if not before:
            continue
        label = p.label
        if "占" in label:
            part = before[-1]
            base_label = label[label.rfind("占") + 1 :].rstrip("的")
            base: Fig | None = None
            whole: Mention | None = None
            if base_label:
                metric = claims.metric_of(base_label)
                if metric in SHARE_BASES and len(base_label) <= 15:
                    base = known.get(metric)
                    if base is None:
                        cands = candidates(report, metric, claims.scope_of(base_label, report_kind(report)))
                        base = fig(report, cands[0].table, cands[0].value) if cands else None
            else:
                whole = _whole_before(s.text, part, amounts)
                if whole is None and len(before) == 1:
                    whole = _whole_opened(earlier or [])
                base = _fig(whole) if whole is not None else None
            if base is None:
                if not base_label:
                    unresolved.append((p, part))
                continue
            if base.value == 0:
                continue
            claim_ledger.checked((p, part, whole if not base_label else None))
            yield from _share(
                s, p, _fig(part), base, f"占比（{fmt(part.value)}{part.unit}÷{fmt(base.value)}{base.unit or ''}）"
            )
        elif "完成" in label and "预算" in label:
            seg = max(s.text.rfind("；", 0, p.start), s.text.rfind("其中", 0, p.start))
            in_seg = [a for a in before if a.start > seg]
            final = next((a for a in reversed(in_seg) if "决算" in a.label or "执行" in a.label), None)
            budget = next((a for a in reversed(in_seg) if "预算" in a.label and a is not final), None)
            if final is None or budget is None or budget.value == 0:
                continue
            what = f"完成预算比例（{fmt(final.value)}{final.unit}÷{fmt(budget.value)}{budget.unit}）"
            claim_ledger.checked((p, final, budget))
            yield from _share(s, p, _fig(final), _fig(budget), what)


    yield from _list_shares(s, unresolved)


def _whole_opened(earlier: list[Sentence]) -> Mention | None:
    """The whole an earlier sentence of the passage opens a list with (本年收入合计X万元，其中：), the
    sentence ending there or going on with the list's first shares (…，其中：基本支出A万元，占x%；)."""
    for sent in reversed(earlier[-HISTORY_SHARES:]):
        found = [a for a in claims.amounts(sent) if not a.changes]
        opened = [(a, at) for a in found if (at := _marker_after(sent.text, a)) is not None]
        if not opened:
            continue
        whole, at = opened[-1]
        rest = [seg for seg in re.split(r"[；;]", sent.text[at:].strip("：:，, 。")) if seg.strip("：:，, 。")]
        if all("占" in seg for seg in rest):
            return whole
    return None


HISTORY_SHARES = 8


def _bare_share(s: Sentence) -> tuple[Mention, Mention] | None:
    """(share, part) of a sentence that states one part and its share and names no whole or base
    (本年政府性基金预算收入66,107.38万元，占75.99%；)."""
    pcts = claims.percentages(s)
    amounts = [a for a in claims.amounts(s) if not a.changes]
    if len(pcts) != 1 or len(amounts) != 1 or amounts[0].end > pcts[0].start:
        return None
    p = pcts[0]
    if not p.label.endswith("占") or _whole_before(s.text, amounts[0], amounts) is not None:
        return None
    return p, amounts[0]


def check_share_runs(sentences: list[Sentence]) -> Iterator[Finding]:
    """Shares listed one per sentence (one list line each) with no whole stated: a run of such
    sentences is one list, checked like the shares of one sentence's list."""
    run: list[tuple[Mention, Mention]] = []
    for s in [*sentences, None]:
        found = _bare_share(s) if s is not None else None
        if found is not None:
            run.append(found)
            continue
        if len(run) >= 2:
            yield from _list_shares(run[-1][0].sentence, run)
        run = []


def _list_shares(s: Sentence, shares: list[tuple[Mention, Mention]]) -> Iterator[Finding]:
    """Shares of listed parts with no whole stated: when they add up to 100% (within a last-digit
    unit each), the whole is the parts' sum, and each share is checked against it."""
    parts = [part for _, part in shares]
    if len(shares) < 2 or len({id(a) for a in parts}) != len(parts):
        return  # each share needs its own part
    total_pct = sum((p.value for p, _ in shares), Decimal(0))
    slack = sum((_last_unit(p.value) for p, _ in shares), Decimal(0))
    if abs(total_pct - HUNDRED) > slack:
        return
    figs = [_fig(a) for a in parts]
    whole_y = sum((f.yuan for f in figs), Decimal(0))
    if whole_y == 0:
        return
    half = sum((f.half_unit_yuan for f in figs), Decimal(0))
    for p, part in shares:
        claim_ledger.checked((p, part))
        f = _fig(part)
        bounds = ratio_bounds(f.yuan, f.half_unit_yuan, whole_y, half)
        if bounds is None:
            continue
        what = f"占比（{fmt(part.value)}{part.unit}÷所列各项之和）"
        yield from _pct_finding("narrative.percentages", p.sentence, p, f.yuan / whole_y * HUNDRED, bounds, what)


def _last_unit(value: Decimal) -> Decimal:
    exp = value.as_tuple().exponent
    return Decimal(1).scaleb(exp if isinstance(exp, int) else 0)


SHARE_BASES = frozenset(
    {
        "total",
        "fiscal_total",
        "income_sub",
        "spend_sub",
        "sangong_total",
        "general_spend",
        "fiscal_spend",
        "fiscal_income",
        "basic",
        "general_basic",
    }
)
_WHOLE_MARKERS = ("其中", "包括", "主要用于", "分别为", "具体为", "构成")


def _whole_before(text: str, part: Mention, amounts: list[Mention]) -> Mention | None:
    """The whole a share refers to: the figure printed right before the 其中/包括/主要用于 that
    opens the list the part belongs to (本年收入合计2946.25万元，其中：…；其他收入6.2万元，占0.21%)."""
    marks = [(k, w) for w in _WHOLE_MARKERS for k in _finditer(text, w) if k < part.start]
    if not marks:
        return None
    k, _ = max(marks)
    before = [m for m in amounts if m.end <= k and m is not part]
    if not before or not re.fullmatch(r"[，,：:\s]*", text[before[-1].end : k]):
        return None
    return before[-1]


def _finditer(text: str, word: str) -> list[int]:
    out, i = [], text.find(word)
    while i != -1:
        out.append(i)
        i = text.find(word, i + 1)
    return out


def _share(s: Sentence, p: Mention, part: Fig, base: Fig, what: str) -> Iterator[Finding]:
    bounds = ratio_bounds(part.yuan, part.half_unit_yuan, base.yuan, base.half_unit_yuan)
    if bounds is None:
        return
    yield from _pct_finding("narrative.percentages", s, p, part.yuan / base.yuan * HUNDRED, bounds, what)


def _is_prior(m: Mention, fy: int | None) -> bool:
    years = claims.years_in(m.label)
    return any(w in m.label for w in _PRIOR_WORDS) or (fy is not None and any(y < fy for y in years))


# the words of a bare comparison (比2025年年初预算数增加 X万元, 较上年执行数减少 X万元, 同比增长): once they
# are gone nothing names a measure, so the change is of the figure its clause stated last
_PRONOUN = re.compile(
    r"与上年相比|比上年|较上年|同比|上一?年度?|去年|同期|相比|今年|本年|年度|20\d{2}年|"
    r"年初预算数?|预算执行数|执行数|决算数|预算数?|决算|年初|全年|调整后?|比|较|与|"
    r"[增减]加|[增减]少|下降|增长|降低|上升|提高|增幅|降幅|减幅|[增减降]|[了约为达的]|[，,\s）)]"
)


def _base_for(
    delta: Mention, plain: list[Mention], block: list[Sentence], history: list[Sentence], fy: int | None
) -> Mention | None:
    """The current figure a change (增加/减少 X万元) refers to: the same metric stated before it,
    or — for a bare 比上年减少 — the first figure of its own passage."""
    metric = claims.metric_of(delta.label)
    if metric is not None:
        for m in reversed(plain):
            if m.start < delta.start and claims.metric_of(m.label) == metric and not _is_prior(m, fy):
                return m
        for sent in reversed(history):
            for m in claims.amounts(sent):
                if not m.changes and claims.metric_of(m.label) == metric and not _is_prior(m, fy):
                    return m
        return None
    if _PRONOUN.sub("", delta.label):
        return None
    nearest = next((m for m in reversed(plain) if m.start < delta.start and not _is_prior(m, fy)), None)
    if nearest is not None:
        return nearest
    for sent in reversed(block):
        for m in reversed(claims.amounts(sent)):
            if not m.changes and not _is_prior(m, fy):
                return m
    return None


def check_changes(
    report: ParsedReport, s: Sentence, block: list[Sentence], history: list[Sentence], rule_id: str
) -> Iterator[Finding]:
    """增长/下降 X% (and 增加/减少 X万元) against the two amounts it compares."""
    fy = fiscal_year(report)
    all_amounts = claims.amounts(s)
    for p in claims.percentages(s):
        word = p.direction
        if word == 0 and not p.changes:
            rated = _rate_of(s, p, all_amounts)
            if rated is None:
                continue
            word = rated.direction
        seg_start = _clause_start(s.text, p.start)
        before = [a for a in all_amounts if a.end <= p.start and a.start > seg_start]
        if not _bracketed(s.text, p.start):  # a note in brackets (（购置费0万元；运行费6.54万元。）) is no part
            before = [a for a in before if not _bracketed(s.text, a.start)]
        plain = [a for a in before if not a.changes]
        prior = next((a for a in reversed(plain) if _is_prior(a, fy)), None)
        current = next((a for a in reversed(plain) if a is not prior and not _is_prior(a, fy)), None)
        delta = next((a for a in reversed(before) if a.changes and a.direction != 0), None)
        if prior is not None and current is not None:
            claim_ledger.checked((p, prior, current))
            cur, old = _fig(current), _fig(prior)
            diff = cur.yuan - old.yuan
            sign = (diff > 0) - (diff < 0)
            if rule_id == "narrative.direction":
                if word and sign and word != sign:
                    yield _direction(
                        s, p, word, sign, f"{fmt(prior.value)}{prior.unit}→{fmt(current.value)}{current.unit}"
                    )
                continue
            if old.value == 0:
                continue
            h = cur.half_unit_yuan + old.half_unit_yuan
            bounds = ratio_bounds(abs(diff), h, old.yuan, old.half_unit_yuan)
            if bounds is not None:
                basis = f"{fmt(prior.value)}{prior.unit}→{fmt(current.value)}{current.unit}"
                yield from _pct_finding(rule_id, s, p, abs(diff) / old.yuan * HUNDRED, bounds, f"增减幅度（{basis}）")
        elif delta is not None:
            if rule_id == "narrative.direction":
                if word and delta.direction != word:
                    yield _direction(s, p, word, delta.direction, f"{delta.label}{fmt(delta.value)}{delta.unit}")
                continue
            base_m = _base_for(delta, plain, block, history, fy)
            if base_m is None:
                continue
            claim_ledger.checked((p, delta, base_m))
            cur, d = _fig(base_m), _fig(delta)
            old_y = cur.yuan - delta.direction * d.yuan
            if old_y <= 0:
                continue
            bounds = ratio_bounds(d.yuan, d.half_unit_yuan, old_y, cur.half_unit_yuan + d.half_unit_yuan)
            if bounds is not None:
                basis = f"{fmt(base_m.value)}{base_m.unit}，{delta.label}{fmt(delta.value)}{delta.unit}"
                yield from _pct_finding(rule_id, s, p, d.yuan / old_y * HUNDRED, bounds, f"增减幅度（{basis}）")


def _clause_start(text: str, i: int) -> int:
    """Where the ；-clause holding position i starts: a ； inside brackets separates notes, not clauses."""
    k = i
    while True:
        k = max(text.rfind("；", 0, k), text.rfind(";", 0, k))
        if k == -1 or not _bracketed(text, k) or _bracketed(text, i):
            return k


def _rate_of(s: Sentence, p: Mention, found: list[Mention]) -> Mention | None:
    """The change a bracketed percentage right after it is the rate of (较上年减少3.33万元（56%）)."""
    for a in found:
        if a.changes and a.direction != 0 and s.text[a.end : p.start].strip() in ("（", "("):
            return a
    return None


def _direction(s: Sentence, p: Mention, word: int, sign: int, figures: str) -> Finding:
    said = "增加/增长" if word > 0 else "减少/下降"
    real = "增加" if sign > 0 else "减少"
    return _finding(
        "narrative.direction",
        "error",
        f"说明第{s.page}页称{said}{fmt(p.value)}%，但所述金额为{figures}，实际为{real}",
        s,
        f"{p.label}{fmt(p.value)}%",
        real,
        said,
    )


_PART_MARKERS = ("其中", "主要包括", "具体包括", "包括", "主要用于以下方面", "分别为", "具体为")


def _marker_after(text: str, m: Mention) -> int | None:
    """Where the parts begin when a 其中/包括/主要用于以下方面 follows the figure directly."""
    gap = text[m.end : m.end + 10]
    for w in _PART_MARKERS:
        k = gap.find(w)
        if k != -1 and re.fullmatch(r"[，,：:\s]*", gap[:k]):
            return m.end + k + len(w)
    return None


def _bracketed(text: str, i: int) -> bool:
    """Whether position i sits inside brackets (a note about a part, not a part)."""
    for open_ch, close_ch in (("（", "）"), ("(", ")")):
        j = text.rfind(open_ch, 0, i)
        if j != -1 and text.find(close_ch, j) > i:
            return True
    return False


def check_parts(report: ParsedReport, s: Sentence) -> Iterator[Finding]:
    """X万元，其中：a万元、b万元 … — the parts may not add up to more than the whole.

    A sentence may state several wholes: side by side (收入…，其中…；支出…，其中…) or one inside
    another's list (…主要包括：a；b万元，其中结转c万元；…). Each whole is read both ways (its parts
    run to the next whole, or to the next ；) and a finding needs every reading to disagree.
    Explanations (主要原因…) carry figures that are not parts."""
    fy = fiscal_year(report)
    text = s.text
    found = [text.find(w) for w in ("主要原因", "原因是", "原因：", "原因:")]
    cut = min([k for k in found if k != -1], default=len(text))
    mentions = [a for a in claims.amounts(s) if not a.changes and a.start < cut]
    wholes: list[tuple[Mention, int]] = []
    for m in mentions:
        at = _marker_after(text, m)
        if at is not None:
            wholes.append((m, at))
    for n, (whole, start) in enumerate(wholes):
        ends = {wholes[n + 1][0].start if n + 1 < len(wholes) else cut}
        semi = re.search(r"[；;]", text[start:cut])
        if semi:
            ends.add(start + semi.start())
        readings = []
        for end in sorted(ends):
            parts = [
                a
                for a in mentions
                if start <= a.start < end
                and not _bracketed(text, a.start)
                and not _is_prior(a, fy)
                and not a.label.startswith(("比", "较"))
            ]
            if parts:
                readings.append(parts)
        results = [(list(_sum_finding(s, whole, parts, "其中各项")), parts) for parts in readings]
        if results and all(found for found, _ in results):
            yield from min(results, key=lambda r: abs(r[0][0].difference or Decimal(0)))[0]


def _sum_finding(s: Sentence, whole: Mention, parts: list[Mention], what: str) -> Iterator[Finding]:
    claim_ledger.checked((whole, *parts))
    j = judge(_fig(whole), [_fig(a) for a in parts])
    if j is None or (j.severity == "error" and j.difference > 0):
        return  # fewer parts than the whole: the list may name only the main ones
    yield _finding(
        "narrative.parts_sum",
        j.severity,
        f"说明第{s.page}页“{whole.label}{fmt(whole.value)}{whole.unit}”，但{what}之和为{fmt(j.expected)}{whole.unit}"
        f"（差{fmt(j.difference)}）" + ("（尾数差异）" if j.severity == "info" else ""),
        s,
        f"{whole.label}{fmt(whole.value)}{whole.unit}",
        j.expected,
        whole.value,
        j.difference,
    )


LIST_KEYS = (("年初预算", ()), ("决算", ("预算",)), ("预算安排", ("执行",)))


def _keyed(block: Block, key: str, exclude: tuple[str, ...]) -> list[Mention]:
    return [
        a
        for s in block.sentences
        for a in claims.amounts(s)
        if key in a.label and not any(e in a.label for e in exclude) and not a.changes
    ]


def check_item_lists(blocks: list[Block]) -> Iterator[Finding]:
    """A stated total (年初预算为X，决算为Y … 其中：) against the same figure of each numbered item below."""
    for n, head in enumerate(blocks):
        if head.numbered:
            continue
        items: list[Block] = []
        for k in range(n + 1, len(blocks)):  # the numbered items right below it
            if not blocks[k].numbered:
                break
            items.append(blocks[k])
        if len(items) < 2:
            continue
        for key, exclude in LIST_KEYS:
            whole = _keyed(head, key, exclude)
            per_item = [_keyed(b, key, exclude) for b in items]
            if len(whole) != 1 or any(len(x) != 1 for x in per_item):
                continue
            yield from _sum_finding(whole[0].sentence, whole[0], [x[0] for x in per_item], f"以下{len(items)}项{key}数")


def stated_changes(report: ParsedReport, s: Sentence) -> Iterator[tuple[Mention, Mention, Mention]]:
    """(change, prior, current) where a clause states both amounts and the change between them
    (支出预算866561.92万元，比2025年年初预算数847128.49万元增加19433.43万元). Only clauses with
    exactly one prior and one current figure before the change: any other reading is unsure."""
    fy = fiscal_year(report)
    found = claims.amounts(s)
    for delta in found:
        if not delta.changes or delta.direction == 0:
            continue
        seg = max(s.text.rfind(c, 0, delta.start) for c in "；;。")
        plain = [a for a in found if seg < a.start and a.end <= delta.start and not a.changes]
        plain += _prior_noted(s.text, delta, found, fy)
        prior = [a for a in plain if _is_prior(a, fy)]
        current = [a for a in plain if not _is_prior(a, fy)]
        if len(plain) != 2 or len(prior) != 1 or len(current) != 1:
            continue
        m_prior, m_cur = claims.metric_of(prior[0].label), claims.metric_of(current[0].label)
        if m_prior and m_cur and m_prior != m_cur:
            continue
        yield delta, prior[0], current[0]


def _prior_noted(text: str, delta: Mention, found: list[Mention], fy: int | None) -> list[Mention]:
    """The prior figure a bracket right after the change states (增加23,460.16万元（去年预算数为0万元）)."""
    if not text[delta.end :].lstrip().startswith(("（", "(")):
        return []
    close = min((k for k in (text.find("）", delta.end), text.find(")", delta.end)) if k != -1), default=-1)
    inside = [a for a in found if delta.end < a.start and (close == -1 or a.end <= close) and not a.changes]
    return inside[:1] if len(inside) == 1 and _is_prior(inside[0], fy) else []


def check_deltas(report: ParsedReport, s: Sentence) -> Iterator[Finding]:
    """A stated change (增加/减少 X万元) equals the difference of the two amounts it compares."""
    for delta, prior, current in stated_changes(report, s):
        claim_ledger.checked((delta, prior, current))
        j = judge(_fig(delta), [_fig(current), _fig(prior)], signs=[delta.direction, -delta.direction])
        if j is None or (j.severity == "error" and abs(j.difference) >= 2 * delta.value):
            continue  # the direction is wrong, not the amount: narrative.direction says so
        yield _finding(
            "narrative.parts_sum",
            j.severity,
            f"说明第{s.page}页“{delta.label}{fmt(delta.value)}{delta.unit}”，但所述两数"
            f"（{fmt(prior.value)}{prior.unit}→{fmt(current.value)}{current.unit}）之差为{fmt(j.expected)}{delta.unit}"
            f"（差{fmt(j.difference)}）" + ("（尾数差异）" if j.severity == "info" else ""),
            s,
            f"{delta.label}{fmt(delta.value)}{delta.unit}",
            j.expected,
            delta.value,
            j.difference,
        )


def check_delta_directions(report: ParsedReport, s: Sentence) -> Iterator[Finding]:
    """增加 vs 减少 of a stated change against the two amounts it compares."""
    for delta, prior, current in stated_changes(report, s):
        diff = _fig(current).yuan - _fig(prior).yuan
        sign = (diff > 0) - (diff < 0)
        if sign == 0 or sign == delta.direction:
            continue
        said = "增加" if delta.direction > 0 else "减少"
        real = "增加" if sign > 0 else "减少"
        yield _finding(
            "narrative.direction",
            "error",
            f"说明第{s.page}页称{said}{fmt(delta.value)}{delta.unit}，但所述金额为"
            f"{fmt(prior.value)}{prior.unit}→{fmt(current.value)}{current.unit}，实际为{real}",
            s,
            f"{delta.label}{fmt(delta.value)}{delta.unit}",
            real,
            said,
        )
