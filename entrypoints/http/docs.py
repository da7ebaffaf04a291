"""The OpenAPI page at /docs, its Swagger UI scripts, styles and icon served by XunCha itself
from the installed `swagger-ui-bundle-v2` wheel: no CDN, so the page works without internet
and loads nothing from elsewhere. ReDoc is off (no package ships it); /openapi.json stays."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.responses import HTMLResponse
from starlette.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

SWAGGER_ASSETS_PATH = "/docs/assets"

# The page may load code only from this server and talk only to it.
DOCS_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def swagger_assets() -> StaticFiles:
    return StaticFiles(directory=str(swagger_ui_path))


def api_docs_router(app: FastAPI) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/docs")
    def docs() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} — API",
            swagger_js_url=f"{SWAGGER_ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{SWAGGER_ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{SWAGGER_ASSETS_PATH}/favicon-32x32.png",
        )
        return HTMLResponse(page.body, headers=DOCS_HEADERS)

    return router
