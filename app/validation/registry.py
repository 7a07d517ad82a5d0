"""The rule registry: data, listed by `GET /rules`, run in order by `validate`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from app.parsing.model import ParsedReport
from app.validation.model import Finding, Severity


class SkipRule(Exception):
    """Raised by a rule whose inputs are missing; the reason is reported, never silent."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


RuleFn = Callable[[ParsedReport], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    family: str
    severity: Severity
    description_zh: str
    description_en: str
    inputs: tuple[str, ...]
    fn: RuleFn
    ties: tuple[str, ...] = ()  # the pairs of tables printing the same quantity that the rule checks


RULES: dict[str, Rule] = {}


def rule(
    rule_id: str,
    *,
    severity: Severity,
    zh: str,
    en: str,
    inputs: tuple[str, ...] = (),
    ties: tuple[str, ...] = (),
) -> Callable[[RuleFn], RuleFn]:
    """Register a rule function under a stable slug id `family.name`."""

    def register(fn: RuleFn) -> RuleFn:
        family = rule_id.split(".", 1)[0]
        RULES[rule_id] = Rule(rule_id, family, severity, zh, en, inputs, fn, ties)
        return fn

    return register
