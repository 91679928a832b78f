"""One JSON error shape for every error, and the translation of hubgraph errors to HTTP.

Every error response is ``{"ok": false, "error": str, "errors": [str], "status": int}``.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph.errors import BadQuery, HubgraphError, UnknownEntity

__all__ = ["error_body", "error_response", "install_error_handlers"]


def error_body(status: int, message: str, errors: list[str] | None = None) -> dict[str, object]:
    """The body of every JSON error."""
    return {"ok": False, "error": message, "errors": errors or [message], "status": status}


def error_response(status: int, message: str, errors: list[str] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    """A JSON error response."""
    return JSONResponse(error_body(status, message, errors), status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    """Route every error through :func:`error_body`."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error_response(exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        return error_response(422, "invalid request", errors)

    @app.exception_handler(UnknownEntity)
    async def unknown(_: Request, exc: UnknownEntity) -> JSONResponse:
        return error_response(404, str(exc))

    @app.exception_handler(BadQuery)
    async def bad_query(_: Request, exc: BadQuery) -> JSONResponse:
        return error_response(400, str(exc))

    @app.exception_handler(HubgraphError)
    async def hubgraph_error(_: Request, exc: HubgraphError) -> JSONResponse:
        return error_response(500, str(exc))
