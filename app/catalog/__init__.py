"""The subject-code catalog (政府收支分类科目) used by validation, shipped as package data.

It is observed, not official: `scripts/build_catalog.py` builds it from the national 类 list and
the codes our parser reads in the fixture reports, with every name seen and the years it was seen.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

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


def subjects() -> list[Subject]:
    return sorted(load_catalog().values(), key=lambda s: (s.classification, s.code))
