"""Build app/catalog/subjects.json: the subject-code catalog used by the codes.* rules.

Sources: the national 类 list (functional) and 类/款 list (economic, 部门预算支出经济分类) written
below, plus every subject-coded row our own parser reads in the PDFs under shared/fixtures
(seeds, real reports, corpus). For each code it keeps the usual name (most printed), every name
printed in more than one report (or listed below as a rename), the classification, level, the
fiscal years it was seen in and, for renamed subjects, the years each name is valid in.
Ground-truth JSON is not read: the catalog is what the parser sees.

    .venv/bin/python scripts/build_catalog.py [--fixtures ../shared/fixtures] [--out app/catalog/subjects.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FUNCTIONAL_CLASSES = {
    "201": "一般公共服务支出",
    "202": "外交支出",
    "203": "国防支出",
    "204": "公共安全支出",
    "205": "教育支出",
    "206": "科学技术支出",
    "207": "文化旅游体育与传媒支出",
    "208": "社会保障和就业支出",
    "209": "社会保险基金支出",
    "210": "卫生健康支出",
    "211": "节能环保支出",
    "212": "城乡社区支出",
    "213": "农林水支出",
    "214": "交通运输支出",
    "215": "资源勘探工业信息等支出",
    "216": "商业服务业等支出",
    "217": "金融支出",
    "219": "援助其他地区支出",
    "220": "自然资源海洋气象等支出",
    "221": "住房保障支出",
    "222": "粮油物资储备支出",
    "223": "国有资本经营预算支出",
    "224": "灾害防治及应急管理支出",
    "227": "预备费",
    "229": "其他支出",
    "230": "转移性支出",
    "231": "债务还本支出",
    "232": "债务付息支出",
    "233": "债务发行费用支出",
    "234": "抗疫特别国债安排的支出",
}
# names the national catalog used before a rename: accepted for the code (codes.name_matches)
RENAMES = {
    "210": ["医疗卫生与计划生育支出"],
    "207": ["文化体育与传媒支出"],
    "220": ["国土海洋气象等支出"],
    "224": ["应急管理支出"],
    "20805": ["行政事业单位离退休"],
    "2080599": ["其他行政事业单位离退休支出"],
}
# the fiscal years a name of the national catalog is valid in (from, to; None: open), for the
# renames of 政府收支分类科目: 2019 (机构改革: 210, 207, 220) and 2020 (20805 养老支出)
HISTORY: dict[str, list[tuple[str, int | None, int | None]]] = {
    "210": [("医疗卫生与计划生育支出", None, 2018), ("卫生健康支出", 2019, None)],
    "207": [("文化体育与传媒支出", None, 2018), ("文化旅游体育与传媒支出", 2019, None)],
    "220": [("国土海洋气象等支出", None, 2018), ("自然资源海洋气象等支出", 2019, None)],
    "20805": [("行政事业单位离退休", None, 2019), ("行政事业单位养老支出", 2020, None)],
    "2080599": [("其他行政事业单位离退休支出", None, 2019), ("其他行政事业单位养老支出", 2020, None)],
}
ECONOMIC = {
    "301": "工资福利支出",
    "30101": "基本工资",
    "30102": "津贴补贴",
    "30103": "奖金",
    "30106": "伙食补助费",
    "30107": "绩效工资",
    "30108": "机关事业单位基本养老保险缴费",
    "30109": "职业年金缴费",
    "30110": "职工基本医疗保险缴费",
    "30111": "公务员医疗补助缴费",
    "30112": "其他社会保障缴费",
    "30113": "住房公积金",
    "30114": "医疗费",
    "30199": "其他工资福利支出",
    "302": "商品和服务支出",
    "30201": "办公费",
    "30202": "印刷费",
    "30203": "咨询费",
    "30204": "手续费",
    "30205": "水费",
    "30206": "电费",
    "30207": "邮电费",
    "30208": "取暖费",
    "30209": "物业管理费",
    "30211": "差旅费",
    "30212": "因公出国（境）费用",
    "30213": "维修（护）费",
    "30214": "租赁费",
    "30215": "会议费",
    "30216": "培训费",
    "30217": "公务接待费",
    "30218": "专用材料费",
    "30224": "被装购置费",
    "30225": "专用燃料费",
    "30226": "劳务费",
    "30227": "委托业务费",
    "30228": "工会经费",
    "30229": "福利费",
    "30231": "公务用车运行维护费",
    "30239": "其他交通费用",
    "30240": "税金及附加费用",
    "30299": "其他商品和服务支出",
    "303": "对个人和家庭的补助",
    "30301": "离休费",
    "30302": "退休费",
    "30303": "退职（役）费",
    "30304": "抚恤金",
    "30305": "生活补助",
    "30306": "救济费",
    "30307": "医疗费补助",
    "30308": "助学金",
    "30309": "奖励金",
    "30310": "个人农业生产补贴",
    "30311": "代缴社会保险费",
    "30399": "其他对个人和家庭的补助",
    "307": "债务利息及费用支出",
    "309": "资本性支出（基本建设）",
    "310": "资本性支出",
    "31001": "房屋建筑物购建",
    "31002": "办公设备购置",
    "31003": "专用设备购置",
    "31005": "基础设施建设",
    "31006": "大型修缮",
    "31007": "信息网络及软件购置更新",
    "31008": "物资储备",
    "31009": "土地补偿",
    "31010": "安置补助",
    "31011": "地上附着物和青苗补偿",
    "31012": "拆迁补偿",
    "31013": "公务用车购置",
    "31019": "其他交通工具购置",
    "31021": "文物和陈列品购置",
    "31022": "无形资产购置",
    "31099": "其他资本性支出",
    "311": "对企业补助（基本建设）",
    "312": "对企业补助",
    "313": "对社会保障基金补助",
    "399": "其他支出",
}
LEVELS = {3: 1, 5: 2, 7: 3}


def _plausible(code: str, classification: str) -> bool:
    if not code.isdigit() or len(code) not in LEVELS:
        return False
    if classification == "functional":
        return code[0] == "2" and code[:3] in FUNCTIONAL_CLASSES
    return classification == "economic" and code[0] == "3" and len(code) in (3, 5)


def read_pdf(path: str) -> list[tuple[str, str, str, int | None]]:
    """(code, classification, name, fiscal year) of every subject row the parser reads."""
    from app.parsing import ParseError, parse_pdf

    try:
        parsed = parse_pdf(Path(path).read_bytes())
    except ParseError:
        return []
    except Exception as exc:  # a parser crash on one file must not stop the catalog build
        print(f"  ! {Path(path).name}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return []
    year = parsed.meta.fiscal_year
    return [
        (li.code, li.classification, li.name, year)
        for li in parsed.line_items
        if li.code and li.classification and li.row_kind == "subject"
    ]


def build(fixtures: Path, workers: int) -> dict[str, object]:
    pdfs = sorted(str(p) for p in fixtures.rglob("*.pdf"))
    names: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    reports: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    years: dict[tuple[str, str], set[int]] = defaultdict(set)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for pdf, rows in zip(pdfs, pool.map(read_pdf, pdfs), strict=True):
            print(f"{len(rows):5d} rows  {Path(pdf).name}", file=sys.stderr)
            for code, cls, name, year in rows:
                if not _plausible(code, cls) or not name.strip():
                    continue
                key = (code, cls)
                names[key][name.strip()] += 1
                reports[(code, cls, name.strip())].add(pdf)
                if year:
                    years[key].add(year)
    official = {(c, "functional"): n for c, n in FUNCTIONAL_CLASSES.items()}
    official.update({(c, "economic"): n for c, n in ECONOMIC.items()})
    out = []
    for key in sorted(set(names) | set(official)):
        code, cls = key
        seen = names.get(key, Counter())
        usual = official.get(key) or (seen.most_common(1)[0][0] if seen else "")
        accepted = [usual, *RENAMES.get(code, [])]
        accepted += [n for n, _ in seen.most_common() if len(reports[(code, cls, n)]) > 1 and n not in accepted]
        if seen and key not in official and seen.most_common(1)[0][0] not in accepted:
            accepted.append(seen.most_common(1)[0][0])
        out.append(
            {
                "code": code,
                "name": usual,
                "classification": cls,
                "level": LEVELS[len(code)],
                "years": sorted(years.get(key, set())),
                "names": accepted,
                "official": key in official,
                "seen": sum(seen.values()),
            }
        )
    catalog: dict[str, object] = {"source": "national class list + codes read by the parser in shared/fixtures"}
    catalog["subjects"] = out
    return with_history(catalog)


def with_history(catalog: dict[str, object]) -> dict[str, object]:
    """Each renamed subject gets the years each of its names is valid in (codes.name_matches
    reads the name of the report's year); its historical names are accepted names."""
    for s in catalog["subjects"]:  # type: ignore[attr-defined]
        hist = HISTORY.get(s["code"])
        s.pop("history", None)
        if hist:
            s["history"] = [{"name": n, "from": a, "to": b} for n, a, b in hist]
            s["names"] += [n for n, _, _ in hist if n not in s["names"]]
        s["names"] += [n for n in RENAMES.get(s["code"], []) if n not in s["names"]]
    return catalog


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fixtures", type=Path, default=ROOT.parent / "shared" / "fixtures")
    ap.add_argument("--out", type=Path, default=ROOT / "app" / "catalog" / "subjects.json")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--history-only", action="store_true", help="only refresh the name history of the catalog at --out"
    )
    a = ap.parse_args()
    if a.history_only:
        catalog = with_history(json.loads(a.out.read_text("utf-8")))
    else:
        catalog = build(a.fixtures, a.workers)
    a.out.write_text(json.dumps(catalog, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(catalog['subjects'])} subjects → {a.out}", file=sys.stderr)  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
