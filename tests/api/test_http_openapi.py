"""The served OpenAPI document as a front-end team reads it: every property of the main models says
what it is, every vocabulary is an enum (in bodies and in query parameters), and errors are
documented as problem+json, the content type they are served with."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.server import serving

pytestmark = pytest.mark.slow  # a server or worker, real uploads and parses

MODELS = ["Report", "ReportList", "FileInfo", "Counts", "FindingCounts", "ReportError", "Table", "TableDetail",
          "TableList", "Column", "LineItem", "LineItemList", "Value", "Programme", "ProgrammeList", "ProgrammeRef",
          "Indicator", "IndicatorList", "Finding", "FindingDetail", "Figure", "Location", "Validation", "Skip",
          "Compliance", "Claims", "ClaimCounts", "Rule", "RuleList", "Subject", "SubjectList", "PageSize",
          "PageList", "ReportSummary", "SummaryFigure", "SummarySource", "SummaryRow", "SummaryList"]
VOCABULARIES = {"Report": ["status", "kind"], "Table": ["kind"], "TableDetail": ["kind"],
                "Column": ["measure"], "Value": ["measure"],
                "LineItem": ["table_kind", "row_kind", "classification"], "Finding": ["severity"],
                "Rule": ["severity"], "Validation": ["status"], "Programme": ["scope"], "SummaryFigure": ["key"],
                "SummaryRow": ["key", "kind"], "Figure": ["role"], "Subject": ["classification"]}
QUERY_VOCABULARIES = {"table_kind", "measure", "row_kind", "classification", "kind", "status", "key", "format"}


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with serving(tmp_path_factory.mktemp("openapi")) as base:
        yield httpx.get(f"{base}/openapi.json", timeout=60).json()


def resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    return spec["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else schema


def enum_values(spec: dict[str, Any], schema: dict[str, Any]) -> list[Any]:
    schema = resolve(spec, schema)
    if "enum" in schema:
        return list(schema["enum"])
    return [v for member in schema.get("anyOf", []) for v in enum_values(spec, member)]


def test_every_property_of_the_main_models_has_a_description(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    missing = [f"{name}.{prop}" for name in MODELS for prop, schema in schemas[name]["properties"].items()
               if not schema.get("description")]
    assert not missing, missing
    examples = [f"{name}.{prop}" for name in MODELS for prop, schema in schemas[name]["properties"].items()
                if schema.get("examples")]
    assert len(examples) >= 30, examples


def test_every_vocabulary_is_an_enum(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    for name, props in VOCABULARIES.items():
        for prop in props:
            values = enum_values(spec, schemas[name]["properties"][prop])
            assert len(values) >= 2, (name, prop)
    measures = enum_values(spec, schemas["Value"]["properties"]["measure"])
    assert {"total", "basic", "project", "personnel", "public", "reception_budget", "total_actual"} <= set(measures)
    kinds = enum_values(spec, schemas["Table"]["properties"]["kind"])
    assert {"income_expenditure_summary", "three_public", "other"} <= set(kinds)
    free = []
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            for param in op.get("parameters", []):
                if param["name"] in QUERY_VOCABULARIES and not enum_values(spec, param["schema"]):
                    free.append(f"{method.upper()} {path} {param['name']}")
    assert not free, free


def test_errors_are_documented_as_problem_json(spec: dict[str, Any]) -> None:
    errors = [(path, method, status, response) for path, ops in spec["paths"].items()
              for method, op in ops.items() for status, response in op["responses"].items()
              if status[0] in "45" and path != "/readyz"]  # a probe: 503 is its Health body, not an error
    assert len(errors) > 40
    for path, method, status, response in errors:
        content = response.get("content", {})
        assert list(content) == ["application/problem+json"], (method, path, status, list(content))
        assert content["application/problem+json"]["schema"]["$ref"].endswith("/Problem")
    problem = spec["components"]["schemas"]["Problem"]["properties"]
    assert {"type", "title", "status", "code"} <= set(problem)


def test_the_served_vocabulary_refuses_what_it_does_not_list(tmp_path: Path) -> None:
    with serving(tmp_path) as base:
        r = httpx.get(f"{base}/line-items", params={"measure": "no_such_measure"})
        assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
        assert httpx.get(f"{base}/line-items", params={"measure": "total_actual", "table_kind": "income"}).is_success
