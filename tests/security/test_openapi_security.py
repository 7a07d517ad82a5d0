"""The served schema documents the bearer scheme, the guard's answers and the text rule."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.anyio, pytest.mark.slow]  # a server or worker, real uploads and parses


async def test_schema_documents_keys_and_limits(make_client) -> None:
    async with make_client() as client:
        spec = (await client.get("/openapi.json")).json()
    assert spec["components"]["securitySchemes"]["apiKey"]["scheme"] == "bearer"
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            public = path in {"/healthz", "/readyz"}
            assert ("security" in op) is not public, (method, path)
            if not public:
                for status in ("401", "403", "429"):
                    assert "application/problem+json" in op["responses"][status]["content"], (method, path, status)
            for param in op.get("parameters", []):
                if param["in"] == "header":  # HTTP's own (If-None-Match): a tab is legal there, never matched
                    continue
                for alt in param["schema"].get("anyOf", [param["schema"]]):
                    alt = alt.get("items", {}) if alt.get("type") == "array" else alt  # a repeated parameter
                    if alt.get("type") == "string" and "enum" not in alt:
                        assert alt["pattern"] == "^[^\\u0000-\\u001f\\u007f]*$", (method, path, param["name"])
