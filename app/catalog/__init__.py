"""The subject-code catalog (政府收支分类科目) used by validation, shipped as package data.

It is observed, not official: `scripts/build_catalog.py` builds it from the national 类 list and
the codes our parser reads in the fixture reports, with every name seen and the years it was seen.
It is keyed by year: a renamed subject carries the years each of its names is valid in
(20805 行政事业单位离退休 until 2019, 行政事业单位养老支出 from 2020), and `name_in_year` says
when the catalog has no entry for a code in a year rather than guessing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

NameCheck = Literal["accepted", "mismatch", "no_entry"]

_SPACE = re.compile(r"[\s\u3000]+")
_FOLD = str.maketrans({"（": "(", "）": ")", "“": '"', "”": '"', "、": ",", "，": ",", "：": ":"})


@dataclass(frozen=True)
class Subject:
    code: str
    name: str  # the usual name (the most often printed one)
    classification: str  # functional | economic
    level: int  # 1 类, 2 款, 3 项
    years: tuple[int, ...] = ()
    names: tuple[str, ...] = ()  # every accepted name: the usual one, renames, variants seen more than once
    official: bool = False  # from the national class list rather than observed only
    # (name, first year, last year) of names valid only in some years (None: open); others: any year
    history: tuple[tuple[str, int | None, int | None], ...] = ()

    def valid_in(self, name: str, year: int | None) -> bool:
        """The name is valid for the code in that year (any year when None)."""
        for n, first, last in self.history:
            if n == name:
                return year is None or ((first is None or year >= first) and (last is None or year <= last))
        return True

    def has_year(self, year: int | None) -> bool:
        """The catalog knows the code's names in that year: a national subject always (with its
        renames), an observed one between the first and last year it was seen."""
        if year is None or self.official or self.history:
            return True
        return bool(self.years) and min(self.years) <= year <= max(self.years)


def fold_name(name: str) -> str:
    """A name for comparison: no spaces, ASCII brackets and punctuation, no trailing （类）（款）（项）."""
    out = _SPACE.sub("", name).translate(_FOLD)
    return re.sub(r"\((?:\d*)(?:类|款|项)\)$", "", out)


@lru_cache(maxsize=1)
def load_catalog() -> dict[str, Subject]:
    """code → Subject, read once from app/catalog/subjects.json."""
    raw: dict[str, Any] = json.loads(resources.files(__package__).joinpath("subjects.json").read_text("utf-8"))
    out: dict[str, Subject] = {}
    for s in raw.get("subjects", []):
        out[s["code"]] = Subject(
            code=s["code"],
            name=s["name"],
            classification=s["classification"],
            level=int(s["level"]),
            years=tuple(s.get("years", [])),
            names=tuple(s.get("names", [s["name"]])),
            official=bool(s.get("official", False)),
            history=tuple((h["name"], h.get("from"), h.get("to")) for h in s.get("history", [])),
        )
    return out


def subject(code: str) -> Subject | None:
    return load_catalog().get(code)


def subject_name(code: str) -> str | None:
    s = subject(code)
    return s.name if s else None


def name_accepted(code: str, name: str) -> bool | None:
    """True when the name is one the catalog accepts for the code, None when the code is unknown."""
    s = subject(code)
    if s is None:
        return None
    folded = fold_name(name)
    return any(fold_name(n) == folded for n in (s.name, *s.names))


def name_in_year(code: str, name: str, year: int | None) -> NameCheck | None:
    """Whether the name is the code's in the report's year: accepted, a mismatch, or no_entry
    when the catalog does not know the code's names in that year; None for an unknown code."""
    s = subject(code)
    if s is None:
        return None
    folded = fold_name(name)
    if any(fold_name(n) == folded and s.valid_in(n, year) for n in (s.name, *s.names)):
        return "accepted"
    return "mismatch" if s.has_year(year) else "no_entry"


def subjects() -> list[Subject]:
    return sorted(load_catalog().values(), key=lambda s: (s.classification, s.code))


_LEVELS = {"类": 1, "款": 2, "项": 3}


def _bare_name(name: str) -> str:
    """一般公共服务支出 = 一般公共服务 (the narrative drops or adds the 支出 of a 类's name)."""
    folded = fold_name(name)
    return folded[: -len("支出")] if folded.endswith("支出") and len(folded) > 4 else folded


@lru_cache(maxsize=1)
def _by_name() -> dict[tuple[int, str], tuple[Subject, ...]]:
    out: dict[tuple[int, str], list[Subject]] = {}
    for s in load_catalog().values():
        if s.classification != "functional":
            continue
        for n in dict.fromkeys(_bare_name(x) for x in (s.name, *s.names)):
            out.setdefault((s.level, n), []).append(s)
    return {k: tuple(v) for k, v in out.items()}


def code_of_path(names: list[str], levels: list[str]) -> str | None:
    """The functional code a subject path names without codes (公共安全支出（类）司法（款）基层司法业务（项）):
    each name at its level under the one before; None unless one subject fits."""
    parent = ""
    for name, level in zip(names, levels, strict=True):
        found = [
            s for s in _by_name().get((_LEVELS[level], _bare_name(name)), ()) if s.code.startswith(parent)
        ]
        if len({s.code for s in found}) != 1:
            return None
        parent = found[0].code
    return parent or None
