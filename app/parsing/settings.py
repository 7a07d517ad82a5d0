"""Tunables of the table stages, in one validated object (after the `TableSettings` of the reference PDF library)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ParseSettings:
    """Geometry tolerances in PDF points unless said otherwise."""

    rule_max_thickness: float = 2.5  # a filled rect thinner than this is a ruling line
    rule_min_length: float = 3.0  # shorter segments are glyph decoration, not rules
    rule_join_gap: float = 2.0  # collinear segments closer than this are one rule
    rule_same_line: float = 1.2  # segments this close across are the same rule
    word_gap_ratio: float = 0.3  # a gap wider than this × font size splits words
    line_overlap: float = 0.5  # chars overlapping a line this much (of their height) join it
    dedupe_tolerance: float = 1.0  # overprinted (fake-bold) glyphs within this are one glyph
    band_rule_min_share: float = 0.35  # a horizontal rule must span this share of the table width
    col_rule_min_share: float = 0.12  # a vertical rule must cover this share of the grid's height
    max_title_chars: int = 60


DEFAULT_SETTINGS = ParseSettings()
