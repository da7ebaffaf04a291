"""The offices' web app, served by XunCha itself: the page at `/app/`, its own modules from
webapp/static, the third-party code it uses from webapp/node_modules (installed from the npm
registry by name and lockfile: `npm ci`, run here when missing), the bulk clue registration
from a filled-in template, and the exports (entrypoints/http/exports.py)."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from pathlib import Path
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, FastAPI, File, Form, Header, Request, Response, UploadFile
from fastapi.responses import FileResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from domain.errors import LimitExceeded
from entrypoints.http.exports import XLSX, exports_router
from entrypoints.http.submissions import worded_item
from entrypoints.http.uploads import MAX_UPLOAD_BYTES
from entrypoints.http.web_session import WebAuth
from graphql_schema.errors import language_of
from services.authorization import Acting
from services.imports.clue_rows import clue_items, clue_template
from services.runtime import Runtime
from services.submissions.batch import Batch, require_submitter

log = logging.getLogger(__name__)

# The checkout's folder; an installed copy (the image) names its own with XUNCHA_WEBAPP_DIR.
WEBAPP = Path(os.environ.get("XUNCHA_WEBAPP_DIR") or Path(__file__).resolve().parents[2] / "webapp")
VENDOR = {"echarts": Path("node_modules/echarts/dist")}  # URL name -> folder served, in WEBAPP
# Everything the page loads comes from this server; nothing inline.
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


def ensure_packages(webapp: Path = WEBAPP) -> bool:
    """Install the web app's npm packages from its lockfile when they are missing; whether they
    are there. Without npm the app still works, without its charts."""
    if all((webapp / folder).is_dir() for folder in VENDOR.values()):
        return True
    npm = shutil.which("npm")
    if npm is None:
        log.warning(
            "npm is not installed: the web app's charts are missing (run `npm ci` in %s)", webapp
        )
        return False
    log.info("installing the web app's packages (npm ci) in %s", webapp)
    done = subprocess.run(  # noqa: S603 - a fixed command
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=webapp,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        log.warning("npm ci failed in %s: %s", webapp, done.stderr[-2000:])
    return all((webapp / folder).is_dir() for folder in VENDOR.values())


def mount_webapp(app: FastAPI, runtime: Runtime, auth: WebAuth) -> None:
    static = StaticFiles(directory=WEBAPP / "static", check_dir=False)
    app.mount("/app/static", static, name="webapp")
    for name, folder in VENDOR.items():
        app.mount(
            f"/app/vendor/{name}",
            StaticFiles(directory=WEBAPP / folder, check_dir=False),
            name=f"webapp-{name}",
        )
    app.include_router(webapp_router(runtime, auth))
    app.include_router(exports_router(runtime, auth))


def webapp_router(runtime: Runtime, auth: WebAuth) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/")
    def root() -> RedirectResponse:
        return RedirectResponse("/app/")

    @router.get("/app/")
    def page() -> FileResponse:
        return FileResponse(
            WEBAPP / "static" / "index.html",
            headers={"Content-Security-Policy": POLICY, "Cache-Control": "no-cache"},
        )

    @router.get("/app/import/clues/template.xlsx")
    def clue_template_file() -> Response:
        return Response(
            clue_template(),
            media_type=XLSX,
            headers={"Content-Disposition": 'attachment; filename="clue-template.xlsx"'},
        )

    @router.post("/app/import/clues")
    def import_clues(
        request: Request,
        file: Annotated[UploadFile, File()],
        tenant_id: Annotated[UUID, Form(alias="tenantId")],
        authorization: Annotated[str | None, Header()] = None,
    ) -> dict[str, Any]:
        """Register one clue a row through the batch submission: each row's outcome."""
        principal = auth.principal(request, authorization)
        acting = Acting.of(principal)
        require_submitter(runtime, acting, tenant_id)
        data = file.file.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise LimitExceeded(f"A file may hold at most {MAX_UPLOAD_BYTES} bytes")
        parsed = clue_items(file.filename or "", data, tenant_id)
        outcomes = Batch(runtime, principal.subject, acting, tenant_id).run(parsed.items)
        language = language_of(request.headers.get("accept-language"))
        rows = [
            {"row": row} | worded_item(outcome, language)
            for row, outcome in zip(parsed.rows, outcomes, strict=True)
        ]
        refused = [
            {"row": p.row, "status": "REJECTED", "error": {"message": f"{p.column}: {p.reason}"}}
            for p in parsed.problems
        ]
        return {"rows": sorted(rows + refused, key=lambda r: r["row"])}

    return router
