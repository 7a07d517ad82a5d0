"""The validation report (modelled on Frictionless reports): findings with evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass
class Location:
    table_index: int | None = None
    table_title: str | None = None
    page: int | None = None
    code: str | None = None
    row_label: str | None = None
    column: str | None = None
    bbox: tuple[float, float, float, float] | None = None


@dataclass
class Finding:
    rule_id: str
    severity: Severity
    message: str
    expected: Decimal | str | None = None
    actual: Decimal | str | None = None
    difference: Decimal | None = None
    location: Location = field(default_factory=Location)
    evidence: str | None = None
    # one condition is one finding: every place it was seen, `location` first (empty: only there)
    locations: list[Location] = field(default_factory=list)
    # a parse.suspect_read warning: the arith error it stands for (kept in the validator, not output)
    restates: Finding | None = field(default=None, repr=False, compare=False)


@dataclass
class Skip:
    rule_id: str
    reason: str


@dataclass
class Compliance:
    """The 公开 compliance checks (`disclosure.*` and the table set): rule ids by outcome."""

    passed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    not_applicable: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {"passed": len(self.passed), "failed": len(self.failed), "not_applicable": len(self.not_applicable)}


@dataclass
class ClaimCoverage:
    """Where the narrative's claims ended (claim kind → tied/checked/unverified → n), and why
    the unverified ones stayed so (reason → n)."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    reasons: dict[str, int] = field(default_factory=dict)

    @property
    def amounts_covered(self) -> Decimal | None:
        """The share of narrative amounts tied or checked (None without any)."""
        c = self.counts.get("amount", {})
        n = sum(c.values())
        return Decimal(c.get("tied", 0) + c.get("checked", 0)) / n if n else None


@dataclass
class ValidationReport:
    rules_run: int
    rules_skipped: list[Skip] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    compliance: Compliance = field(default_factory=Compliance)
    claims: ClaimCoverage = field(default_factory=ClaimCoverage)
    ocr_figures: int = 0  # line-item figures read by OCR from scanned pages (docs/ocr.md)
    ocr_low_confidence: int = 0  # of them, below parse.ocr_suspect's confidence floor

    @property
    def counts(self) -> dict[str, int]:
        out = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            out[f.severity] += 1
        return out

    @property
    def valid(self) -> bool:
        return self.counts["error"] == 0
