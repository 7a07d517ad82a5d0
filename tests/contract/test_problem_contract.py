"""What the contract promises about errors, uploads and names, checked on the served document and real answers."""

from __future__ import annotations

import gc
import re
from typing import Any

import pytest

from app.core.errors import PROBLEM, AppError, Problem, problem_codes
from app.main import create_app
from tests.client import upload

pytestmark = pytest.mark.anyio
PROBLEM_REF = "#/components/schemas/Problem"


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return create_app().openapi()


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method, path, op) for path, item in spec["paths"].items() for method, op in item.items()]


def test_fastapi_validation_schemas_are_gone(spec: dict[str, Any]) -> None:
    assert not {"HTTPValidationError", "ValidationError"} & set(spec["components"]["schemas"])
    assert "HTTPValidationError" not in str(spec)


def test_every_error_response_is_one_problem_in_problem_json(spec: dict[str, Any]) -> None:
    wrong = []
    for method, path, op in operations(spec):
        for status, response in op["responses"].items():
            if int(status) < 400:
                continue
            content = response.get("content", {})
            schemas = [m.get("schema", {}).get("$ref") for m in content.values()]
            is_problem = list(content) == [PROBLEM] and schemas == [PROBLEM_REF]
            # a health probe's 503 is its own document (status + database), not an error of the request
            if not is_problem and not (int(status) >= 500 and schemas == ["#/components/schemas/Health"]):
                wrong.append(f"{method.upper()} {path} {status}: {content}")
    assert not wrong, "\n".join(wrong)


def test_every_operation_with_parameters_documents_its_422(spec: dict[str, Any]) -> None:
    missing = [f"{m.upper()} {p}" for m, p, op in operations(spec)
               if (op.get("parameters") or op.get("requestBody")) and "422" not in op["responses"]]
    assert not missing


def test_problem_schema_lists_every_code_of_the_error_tree(spec: dict[str, Any]) -> None:
    problem = spec["components"]["schemas"]["Problem"]
    assert problem["properties"]["code"]["enum"] == problem_codes()
    assert {"invalid_request", "missing_file", "report_not_found", "not_found"} <= set(problem_codes())
    assert set(problem["required"]) == {"type", "title", "status", "detail", "code", "instance"}
    item = spec["components"]["schemas"][problem["properties"]["errors"]["items"]["$ref"].rsplit("/", 1)[1]]
    assert set(item["required"]) == {"loc", "msg"}


def test_a_new_error_class_joins_the_code_enum() -> None:
    class Teapot(AppError):
        status = 418
        code = "contract_test_teapot"

    try:
        enum = create_app().openapi()["components"]["schemas"]["Problem"]["properties"]["code"]["enum"]
        assert "contract_test_teapot" in enum
    finally:
        del Teapot
        gc.collect()
    assert "contract_test_teapot" not in problem_codes()


def is_binary(prop: dict[str, Any]) -> bool:
    return prop.get("format") == "binary" or prop.get("items", {}).get("format") == "binary"


def test_every_file_part_is_a_required_binary_part_with_its_media_type(spec: dict[str, Any]) -> None:
    uploads = {op["operationId"]: op["requestBody"]["content"]["multipart/form-data"] for _, _, op in operations(spec)
               if "multipart/form-data" in op.get("requestBody", {}).get("content", {})}
    assert "upload_report" in uploads
    for op_id, body in uploads.items():
        form = spec["components"]["schemas"][body["schema"]["$ref"].rsplit("/", 1)[1]]
        files = [name for name, prop in form["properties"].items() if is_binary(prop)]
        assert files, f"{op_id} takes no binary part"
        for name in files:
            assert name in form.get("required", ()), (op_id, name)
            assert body["encoding"][name]["contentType"], (op_id, name)
    pdf = uploads["upload_report"]
    assert pdf["encoding"]["file"]["contentType"] == "application/pdf"
    form = spec["components"]["schemas"][pdf["schema"]["$ref"].rsplit("/", 1)[1]]
    assert form["properties"]["file"]["type"] == "string"


def test_operation_ids_tags_and_schema_names_are_readable(spec: dict[str, Any]) -> None:
    ids = [op.get("operationId", "") for _, _, op in operations(spec)]
    assert all(re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", i) for i in ids), ids
    assert len(ids) == len(set(ids))
    assert all(op.get("tags") for _, _, op in operations(spec))
    names = list(spec["components"]["schemas"])
    assert not [n for n in names if n.endswith("Out") or n.startswith("Body_") or "_" in n], names


async def test_error_answers_are_what_the_problem_schema_says(make_client, spec: dict[str, Any]) -> None:
    properties = set(spec["components"]["schemas"]["Problem"]["properties"])
    async with make_client() as client:
        answers = {
            "invalid_request": await client.get("/reports", params={"limit": 0}),
            "report_not_found": await client.get("/reports/nope"),
            "not_found": await client.get("/no/such/path"),
            "missing_file": await client.post("/reports"),
            "empty_file": await upload(client, b""),
        }
    for code, r in answers.items():
        assert r.headers["content-type"].startswith(PROBLEM), (code, r.text)
        body = r.json()
        assert set(body) <= properties, (code, body)
        problem = Problem.model_validate(body)
        assert (problem.code, problem.status) == (code, r.status_code)
        assert problem.code in problem_codes()
    assert answers["missing_file"].status_code == 400
    errors = Problem.model_validate(answers["invalid_request"].json()).errors
    assert [e.loc for e in errors] == [["query", "limit"]]


def test_optional_parameters_and_form_fields_are_not_nullable(spec: dict[str, Any]) -> None:
    """A query parameter or form field is left out, never sent as null."""
    nullable = [f"{m.upper()} {p} {param['name']}" for m, p, op in operations(spec)
                for param in op.get("parameters", ()) if {"type": "null"} in param["schema"].get("anyOf", ())]
    forms = [s for n, s in spec["components"]["schemas"].items() if n.endswith("Form")]
    nullable += [f"{form['title']}.{name}" for form in forms for name, prop in form["properties"].items()
                 if {"type": "null"} in prop.get("anyOf", ())]
    assert not nullable
