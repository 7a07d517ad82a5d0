"""What the narrative (情况说明) claims: amounts and percentages with the words before them,
the subject (类/款/项) a passage is about, and which table figure an amount restates."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from app.parsing.model import Sentence

_AMOUNT = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(亿元|万元|千元|元)")
_PCT = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*[%％]")
_CLAUSE = "，,；;。：:、"
_SUBJECT = re.compile(r"([^\s，,。；;：:、（）()0-9]{2,30}?)\s*[（(]\s*(\d{0,3})\s*(类|款|项)\s*[）)]")
_ITEM_START = re.compile(r"^\s*(?:\d+[、.．](?!\d)|（\d+）|\(\d+\))")
_HEAD_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|（[一二三四五六七八九十]+）|第[一二三四五六七八九十]+部分)"
)
UP_WORDS = ("增加", "增长", "上升", "提高", "增幅")
DOWN_WORDS = ("减少", "下降", "降低", "降幅", "减幅", "下降了")
_YEAR = re.compile(r"(20\d{2})\s*年")
_CHANGE_TAIL = re.compile(r"(?:增加|减少|增长|下降|上升|降低|提高|增幅|降幅|减幅|增|减|降)(?:了|约|为|达)?\s*$")


@dataclass
class Mention:
    kind: str  # amount | pct
    value: Decimal
    unit: str | None
    start: int
    end: int
    label: str  # the clause text before the figure
    sentence: Sentence

    @property
    def changes(self) -> bool:
        """A change (增加/减少 X万元, 下降 X%): the verb stands right before the figure."""
        return bool(_CHANGE_TAIL.search(self.label))

    @property
    def direction(self) -> int:
        """+1 for 增加/增长, −1 for 减少/下降, 0 when the words do not say."""
        tail = self.label[-8:]
        if any(w in tail for w in DOWN_WORDS):
            return -1
        if any(w in tail for w in UP_WORDS):
            return 1
        return 0


@dataclass
class SubjectRef:
    """A subject path such as 公共安全支出（204类）司法（06款）行政运行（01项）."""

    names: list[str]
    codes: list[str]  # the code parts printed inside the brackets, "" when not printed
    levels: list[str]  # 类 / 款 / 项
    end: int  # offset just after the path in its sentence

    @property
    def code(self) -> str | None:
        if self.codes and all(self.codes) and self.levels[0] == "类":
            joined = "".join(self.codes)
            return joined if len(joined) in (3, 5, 7) else None
        return None


HISTORY = 12  # how far back a change (增加 X万元) looks for the figure it changes


@dataclass
class Block:
    """A list item or paragraph: sentences from one numbered item to the next."""

    sentences: list[Sentence] = field(default_factory=list)
    subject: SubjectRef | None = None
    numbered: bool = False
    context: str = ""  # the headings (一、… and （一）…) the block sits under
    history: list[Sentence] = field(default_factory=list)  # the section's last HISTORY sentences before it

    def before(self, n: int) -> list[Sentence]:
        """The last HISTORY sentences of the section before the block's n-th sentence."""
        return (self.history + self.sentences[max(0, n - HISTORY) : n])[-HISTORY:]

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.sentences)


_FIGURE_END = re.compile(r"(?:万元|亿元|千元|元|[%％])")


def _joins(text: str, i: int) -> bool:
    """The 、 at i pairs the two sides of one measure (收、支总计, 收入、支出预算总计): no clause break."""
    return text[i] == "、" and text[i - 1 : i] in ("收", "入") and text[i + 1 : i + 2] == "支"


def _label(text: str, start: int) -> str:
    """The words before a figure: back to the clause start, the previous figure, or an
    unclosed bracket (公务用车购置及运行维护费6.54万元（公务用车购置费0万元）)."""
    i = start
    while i > 0 and (text[i - 1] not in _CLAUSE or _joins(text, i - 1)):
        i -= 1
    seg = text[i:start]
    last = None
    for m in _FIGURE_END.finditer(seg):
        last = m
    if last is not None and re.search(r"\d\s*$", seg[: last.start()]):
        seg = seg[last.end() :]
    for open_ch, close_ch in (("（", "）"), ("(", ")")):
        k = seg.rfind(open_ch)
        if k != -1 and close_ch not in seg[k:]:
            seg = seg[k + 1 :]
    return seg.strip()


_THRESHOLD = re.compile(r"\s*(?:[（(]\s*含\s*[）)])?\s*(?:以上|以下)")


def amounts(sentence: Sentence) -> list[Mention]:
    """The amounts a sentence states; a threshold (单价100万元（含）以上设备) bounds a category and
    states no figure, so it is not one."""
    text = sentence.text
    out = []
    for m in _AMOUNT.finditer(text):
        if _THRESHOLD.match(text, m.end()):
            continue
        value = Decimal(m.group(1).replace(",", ""))
        out.append(Mention("amount", value, m.group(2), m.start(), m.end(), _label(text, m.start()), sentence))
    return out


def percentages(sentence: Sentence) -> list[Mention]:
    text = sentence.text
    return [
        Mention("pct", Decimal(m.group(1).replace(",", "")), "%", m.start(), m.end(), _label(text, m.start()), sentence)
        for m in _PCT.finditer(text)
    ]


# the words a subject path and its figure may have between them (…（项）支出874万元, …（项）2026年预算数为236.83万元)
SUBJECT_GAP = re.compile(r"\s*(?:20\d{2}年度?)?(?:预算数|预算|决算数|决算|支出|安排|合计|共计|为|是)*\s*")


def subjects_in(text: str) -> list[SubjectRef]:
    """Every subject path (X（类）Y（款）Z（项）, parts adjacent) of a text, in order."""
    groups: list[list[re.Match[str]]] = []
    for m in _SUBJECT.finditer(text):
        if groups and m.start() - groups[-1][-1].end() <= 1:
            groups[-1].append(m)
        else:
            groups.append([m])
    out = []
    for group in groups:
        names = [re.sub(r"^(?:\d*[、.．]|[一二三四五六七八九十]+、|其中[:：]?)", "", m.group(1)) for m in group]
        out.append(SubjectRef(names, [m.group(2) for m in group], [m.group(3) for m in group], group[-1].end()))
    return out


def subject_of(text: str) -> SubjectRef | None:
    found = subjects_in(text)
    return found[0] if found else None


_LEVEL1 = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|第[一二三四五六七八九十]+部分)")
_LEVEL2 = re.compile(r"^\s*[（(][一二三四五六七八九十]+[）)]")


def blocks(sentences: list[Sentence]) -> list[Block]:
    """Numbered items (1、 2、 …) each with the sentences that follow; headings start a block too.
    Each block knows the headings above it and the earlier sentences of its 一、 section."""
    out: list[Block] = []
    level1 = level2 = ""
    section: list[Sentence] = []
    for s in sentences:
        if _LEVEL1.match(s.text):
            level1, level2, section = s.text[:60], "", []
        elif _LEVEL2.match(s.text):
            level2 = s.text[:60]
        starts = bool(_ITEM_START.match(s.text)) or bool(_HEAD_START.match(s.text))
        new_para = bool(out) and out[-1].sentences and s.paragraph != out[-1].sentences[-1].paragraph
        if not out or starts or (new_para and not out[-1].numbered):
            numbered = bool(_ITEM_START.match(s.text))
            out.append(Block(numbered=numbered, context=level1 + level2, history=section[-HISTORY:]))
        block = out[-1]
        block.sentences.append(s)
        section.append(s)
        if block.subject is None and len(block.sentences) == 1:
            block.subject = subject_of(s.text)
    return out


_LABEL_CODE = re.compile(r"[（(]\s*(\d{7}|\d{5}|\d{3})\s*[）)]|^(\d{7}|\d{5}|\d{3})\s*[-—－―:：.．\s]")
_LABEL_LEAD = re.compile(
    r"^(?:\d{1,2}[、.．](?!\d)|[（(]\d{1,2}[）)]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|其中[：:]?|包括|主要为)+"
)
_LABEL_NOISE = re.compile(
    r"[“”\"‘’'「」]|科目|[（(](?:\d{0,7})?[类款项][）)]|[（(]\s*\d{3,7}\s*[）)]|^\d{3,7}\s*[-—－―:：.．\s]?"
)
_LABEL_TAIL = re.compile(r"(?:20\d{2}年)?(?:预算数|预算|决算数|安排|共计|合计|为|是|的)+$")


@dataclass(frozen=True)
class LabelSubject:
    """The subject a figure's own words name, where they are a subject and nothing else:
    a printed code (（2080506）, 2210203-购房补贴, 对个人和家庭的补助（509）) and the name
    (“卫生健康支出”科目, 社会保障和就业（类）支出 → 社会保障和就业支出)."""

    code: str | None
    name: str


def labelled_subject(label: str) -> LabelSubject | None:
    text = _LABEL_LEAD.sub("", label.strip())
    found = _LABEL_CODE.search(text)
    code = next((g for g in found.groups() if g), None) if found else None
    name = _LABEL_TAIL.sub("", _LABEL_NOISE.sub("", text)).strip()
    if re.search(r"[\d，,。；;：:、]", name):
        return None  # more than a subject's name (a clause, a figure, a list)
    if code is None and len(name) < 4:
        return None
    return LabelSubject(code, name)


_BARE = re.compile(r"^(?:20\d{2}年度?|本年|全年|年初)?(?:预算数|预算|决算数|决算|安排|执行数)?(?:为|是|共计)?$")
_HEADING_MARK = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|\d+[、.．](?!\d))|[。：:，,\s]+$"
)


def heading_metric(label: str, heading: str) -> str | None:
    """The measure of a figure whose words state only its period or scope (2026年预算数109.22万元)
    under a title that names it (（一）因公出国（境）费用。)."""
    if not _BARE.match(label.strip()) or not heading:
        return None
    return metric_of(_HEADING_MARK.sub("", heading))


def years_in(label: str) -> set[int]:
    return {int(y) for y in _YEAR.findall(label)}


# metric keys, most specific first: (key, words any of which names it, words that rule it out)
METRICS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("fiscal_total", ("财政拨款收支总计", "财政拨款收支总预算", "财政拨款收支预算"), ()),
    ("total", ("收支总计", "收入总计", "支出总计", "收支总预算", "收支预算"), ("财政拨款",)),
    ("income_sub", ("本年收入合计",), ()),
    ("spend_sub", ("本年支出合计",), ()),
    ("sangong_abroad", ("因公出国",), ()),
    ("sangong_vehicle", ("公务用车购置及运行", "公务用车购置和运行"), ()),
    ("sangong_purchase", ("公务用车购置费", "车辆购置费", "公务用车购置"), ()),
    ("sangong_running", ("公务用车运行",), ()),
    ("sangong_reception", ("公务接待",), ()),
    ("sangong_total", ("三公",), ()),
    ("operating", ("机关运行经费",), ()),
    ("general_basic", ("一般公共预算财政拨款基本支出", "一般公共预算基本支出"), ()),
    (
        "general_spend",
        ("一般公共预算财政拨款支出", "一般公共预算拨款支出", "一般公共预算支出"),
        ("基本支出", "项目支出"),
    ),
    ("fiscal_spend", ("财政拨款支出",), ("一般公共预算", "政府性基金", "国有资本")),
    ("general_income", ("一般公共预算财政拨款收入", "一般公共预算拨款收入", "一般公共预算收入"), ()),
    ("fiscal_income", ("财政拨款收入",), ("政府性基金", "国有资本", "一般公共预算")),
    ("personnel", ("人员经费",), ("公用经费",)),
    ("public", ("公用经费",), ("人员经费", "日常公用")),
    ("basic", ("基本支出",), ("项目支出",)),
    ("project", ("项目支出",), ("基本支出", "绩效")),
    ("other_income", ("其他收入",), ()),
    ("business_income", ("事业收入",), ("经营",)),
    ("income_budget", ("收入预算",), ("财政拨款", "政府性基金", "国有资本", "一般公共预算", "事业", "其他")),
    ("spend_budget", ("支出预算",), ("财政拨款", "政府性基金", "国有资本", "一般公共预算", "拨款")),
)
SKIP_WORDS = ("采购", "预留", "资产", "绩效", "涉及", "车辆", "设备", "执行数", "上年", "去年", "平均", "中标", "成交")


_TAIL = re.compile(
    r"^(?:[（(]?境[）)]?)?(?:费用|维护费|费|支出|经费)*(?:20\d{2}年度?|本年|当年|年初|全年|调整|预算数?|决算数?|执行数|"
    r"安排|合计|共计|总额|支出|为|是|计|的|：|:|\s)*$"
)


# spellings of one measure (收、支总计 = 收入支出总计 = 收支总计; 财政拨款预算支出 = 财政拨款支出),
# brought to the one METRICS names
_SPELLINGS = (
    (re.compile(r"收入?、支出?|收入支出"), "收支"),
    (re.compile(r"(收支|财政拨款)预算(总计|支出|收入)"), r"\1\2"),
)


def metric_of(label: str) -> str | None:
    for pattern, repl in _SPELLINGS:
        label = pattern.sub(repl, label)
    for key, words, exclude in METRICS:
        hit = next((w for w in words if w in label), None)
        if hit is None or any(e in label for e in exclude):
            continue
        if key.startswith("sangong_") and key != "sangong_total":
            rest = label[label.rfind(hit) + len(hit) :]
            if not _TAIL.match(rest):
                continue  # 用于支付因公出国（境）工作的国内服务费: a detail, not the item itself
        return key
    return None


def scope_of(label: str, kind: str) -> str:
    """预算 or 决算: what a figure about the 三公 or a subject states."""
    if "决算" in label or "执行" in label or "实际" in label:
        return "决算"
    if "预算" in label:
        return "预算"
    return "决算" if kind == "final" else "预算"
