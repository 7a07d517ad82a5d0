"""Pure validation core: `ParsedReport` in, `ValidationReport` out (勾稽 checks)."""

from app.validation.engine import validate
from app.validation.model import Finding, Location, Skip, ValidationReport
from app.validation.registry import RULES, Rule

__all__ = ["RULES", "Finding", "Location", "Rule", "Skip", "ValidationReport", "validate"]
