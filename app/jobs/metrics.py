"""Prometheus metrics of the job pipeline (served at /metrics)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

REPORTS_FINISHED = Counter("reports_finished_total", "Reports whose parse job finished, by outcome", ["status", "code"])
PARSE_SECONDS = Histogram("report_parse_seconds", "Wall time of parse + validate per report",
                          buckets=(0.5, 1, 2, 5, 10, 20, 40, 80, 160, 320))
PAGES_PARSED = Counter("report_pages_parsed_total", "Pages of successfully parsed reports")
