"""Pure parsing core: PDF bytes in, `ParsedReport` out. Knows no database and no HTTP."""

from app.parsing.errors import ParseError
from app.parsing.model import ParsedReport
from app.parsing.pipeline import parse_pdf

PARSER_VERSION = "0.1.0"

__all__ = ["PARSER_VERSION", "ParseError", "ParsedReport", "parse_pdf"]
