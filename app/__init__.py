"""Structured Chinese public-finance disclosures: 部门预算/部门决算 PDFs in, validated data out."""

__version__ = "0.1.0"
