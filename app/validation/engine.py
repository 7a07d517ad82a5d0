"""Run every registered rule on a parsed report and gather one validation report."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from app.parsing.model import ParsedReport
from app.validation import (  # noqa: F401  (registers the rules)
    arith,
    codes,
    cross,
    disclosure,  # registers the 公开 compliance rules
    listing,
    narrative,
    ocr_suspect,
    performance,
    rounding,
    structure,
)
from app.validation.claim_coverage import Claim, coverage, read_claims
from app.validation.claim_ledger import recording
from app.validation.facts import active
from app.validation.model import Finding, Skip, ValidationReport
from app.validation.ocr_suspect import ocr_counts
from app.validation.registry import RULES, SkipRule
from app.validation.suspect import confirm_repeated
from app.validation.tolerance import Tally, tallying

log = logging.getLogger(__name__)

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class Run:
    """What the rules found on one report, and every narrative claim with the outcome they left it in."""

    findings: list[Finding]
    skipped: list[Skip]
    rules_run: int
    claims: list[Claim]
    tallies: dict[str, Tally]  # per rule: how its sums of rounded figures compared


def run_rules(report: ParsedReport) -> Run:
    """Every rule runs or says why it was skipped."""
    findings: list[Finding] = []
    skipped: list[Skip] = []
    run = 0
    tallies: dict[str, Tally] = {}
    # the year, the kind and each table's rows are read once for all rules; the narrative rules
    # note in the ledger where each claim ended
    with active(report), recording() as ledger:
        for rule in RULES.values():
            try:
                with tallying() as tallies[rule.id]:
                    found = list(rule.fn(report))
                findings.extend(found)
                run += 1
            except SkipRule as skip:
                skipped.append(Skip(rule.id, skip.reason))
            except Exception as exc:  # one faulty rule must not cost the report its other findings
                log.exception("validation rule %s failed", rule.id)
                skipped.append(Skip(rule.id, f"internal error: {type(exc).__name__}: {exc}"))
        claims = read_claims(report, ledger)
    found = rounding.regrade(ocr_suspect.regrade(report, confirm_repeated(findings)), tallies)
    return Run(found, skipped, run, claims, tallies)


def validate(report: ParsedReport) -> ValidationReport:
    """Every rule runs or says why it was skipped; findings come sorted by severity."""
    done = run_rules(report)
    findings = sorted(done.findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.location.page or 0))
    compliance = disclosure.compliance(findings, done.skipped)
    ocr = ocr_counts(report)
    return ValidationReport(rules_run=done.rules_run, rules_skipped=done.skipped, findings=findings,
                            compliance=compliance, claims=coverage(done.claims), ocr_figures=ocr.figures,
                            ocr_low_confidence=ocr.low_confidence)
