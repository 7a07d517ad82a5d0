"""Narrative sentences (情况说明) in reading order, numbers kept with their words."""

from __future__ import annotations

from pdfplumber.pdf import PDF

from app.parsing.model import Sentence


def extract_sentences(pdf: PDF) -> list[Sentence]:
    """The report's prose, one Sentence per 。-terminated sentence, with its page."""
    return []
