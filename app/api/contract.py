"""The OpenAPI document as generated clients read it: errors are `Problem`, schemas are named for what they are.

FastAPI documents a 422 on every operation with parameters as its own `HTTPValidationError`
(application/json); this service answers it, like every error, with problem+json (see
app/core/errors.py), so the document says so. Schema names become class names in generated
clients, so Python's `…Out` suffix for response models is dropped (`ReportOut` → `Report`) and
a multipart body is named for its operation (`UploadReportForm`), not `Body_upload_report`.
A query parameter or form field cannot be sent as null, only left out, so an optional one is
documented as its type alone (`kind: "final" | …`, not `anyOf[…, null]`), which also gives its
enum a plain name in generated clients. Everything else is FastAPI's own output.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from app.core.errors import InvalidRequest, Problem, problem_response

SCHEMAS = "#/components/schemas/"
FASTAPI_VALIDATION = ("HTTPValidationError", "ValidationError")


def _problem_schemas() -> dict[str, Any]:
    schema = Problem.model_json_schema(ref_template=SCHEMAS + "{model}")
    defs = schema.pop("$defs", {})
    return {**defs, "Problem": schema}


def _form_name(operation_id: str) -> str:
    return "".join(part.capitalize() for part in operation_id.split("_")) + "Form"


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """`anyOf: [X, {type: null}]` → X (with the outer title, description, default)."""
    members = [m for m in schema.get("anyOf", ()) if m != {"type": "null"}]
    if len(members) != 1 or len(members) == len(schema.get("anyOf", ())):
        return schema
    outer = {k: v for k, v in schema.items() if k != "anyOf" and not (k == "default" and v is None)}
    return {**members[0], **outer}


def _rename_refs(document: Any, renames: dict[str, str]) -> Any:
    if isinstance(document, dict):
        out = {k: _rename_refs(v, renames) for k, v in document.items()}
        ref = out.get("$ref")
        if isinstance(ref, str) and ref.removeprefix(SCHEMAS) in renames:
            out["$ref"] = SCHEMAS + renames[ref.removeprefix(SCHEMAS)]
        return out
    if isinstance(document, list):
        return [_rename_refs(v, renames) for v in document]
    return document


def document_contract(spec: dict[str, Any]) -> dict[str, Any]:
    schemas: dict[str, Any] = spec.setdefault("components", {}).setdefault("schemas", {})
    for name in FASTAPI_VALIDATION:
        schemas.pop(name, None)
    schemas.update(_problem_schemas())
    renames: dict[str, str] = {}
    for path in spec["paths"].values():
        for op in path.values():
            for status, response in op.get("responses", {}).items():
                refs = {m.get("schema", {}).get("$ref") for m in response.get("content", {}).values()}
                if SCHEMAS + "HTTPValidationError" in refs:
                    op["responses"][status] = problem_response(f"{InvalidRequest.code}: {InvalidRequest.title}")
                elif SCHEMAS + "Problem" in refs:  # e.g. `responses={401: {"model": Problem}}`: served as problem+json
                    op["responses"][status] = problem_response(response.get("description", ""))
            for param in op.get("parameters", ()):
                if not param.get("required"):
                    param["schema"] = _without_null(param["schema"])
            body_ref = op.get("requestBody", {}).get("content", {}).get("multipart/form-data", {}).get("schema", {})
            ref = body_ref.get("$ref", "")
            if ref.startswith(SCHEMAS + "Body_"):
                renames[ref.removeprefix(SCHEMAS)] = _form_name(op["operationId"])
                form = schemas[ref.removeprefix(SCHEMAS)]
                form["properties"] = {name: prop if name in form.get("required", ()) else _without_null(prop)
                                      for name, prop in form["properties"].items()}
    for name in list(schemas):
        if name.endswith("Out") and name.removesuffix("Out") not in schemas:
            renames[name] = name.removesuffix("Out")
    for old, new in renames.items():
        schemas[new] = {**schemas.pop(old), "title": new}
    spec = _rename_refs(spec, renames)
    spec["components"]["schemas"] = dict(sorted(spec["components"]["schemas"].items()))
    return spec


def install_contract(app: FastAPI) -> None:
    """Serve (and cache) the documented contract as `/openapi.json`, built on whatever
    `app.openapi` produced before (FastAPI's schema, and any additions to it)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_contract(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

