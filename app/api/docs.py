"""/docs (Swagger UI) and /redoc from assets this service ships (fastapi-offline's copies): the
pages name no other host, so they render without internet, and their CSP allows 'self' only
(plus the hash of Swagger UI's one inline script)."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS_URL = "/docs/assets"
ASSETS_DIR = Path(fastapi_offline.__file__).resolve().parent / "static"
TITLE = "Public-finance disclosures API"
SWAGGER_HTML = bytes(get_swagger_ui_html(
    openapi_url="/openapi.json", title=f"{TITLE} - Swagger UI", oauth2_redirect_url=None,
    swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js", swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
    swagger_favicon_url=f"{ASSETS_URL}/favicon.png").body)
REDOC_HTML = bytes(get_redoc_html(openapi_url="/openapi.json", title=f"{TITLE} - ReDoc",
                            redoc_js_url=f"{ASSETS_URL}/redoc.standalone.js", with_google_fonts=False,
                            redoc_favicon_url=f"{ASSETS_URL}/favicon.png").body)
INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.S)


def _script_hashes(*pages: bytes) -> str:
    return " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s).digest()).decode()}'"
                    for page in pages for s in INLINE_SCRIPT.findall(page))


# Swagger UI and ReDoc set inline styles as they render; ReDoc parses the document in a blob: worker.
DOCS_CSP = (f"default-src 'none'; script-src 'self' {_script_hashes(SWAGGER_HTML, REDOC_HTML)}; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
            "worker-src blob:; frame-ancestors 'none'")


def install_docs(app: FastAPI) -> None:
    """Needs `FastAPI(docs_url=None, redoc_url=None)`: these replace FastAPI's CDN pages."""
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS_DIR), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def _swagger() -> HTMLResponse:
        return HTMLResponse(SWAGGER_HTML)

    @app.get("/redoc", include_in_schema=False)
    def _redoc() -> HTMLResponse:
        return HTMLResponse(REDOC_HTML)
