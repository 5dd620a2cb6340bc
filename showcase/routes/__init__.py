"""The web routes, and the one table that turns domain errors into HTTP answers."""

from typing import Any
from urllib.parse import urlsplit

import msgspec
from litestar import MediaType, Request, Response
from litestar.exceptions import ClientException, HTTPException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.response import Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from showcase import errors
from showcase.i18n import COOKIE, current_language, negotiate
from showcase.i18n import gettext as _
from showcase.routes.access import loggable_path, request_id

STATUS = {
    errors.Invalid: 400,
    errors.Forbidden: 403,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.Locked: 423,
    errors.SchemaTooNew: 500,
    errors.SchemaTooOld: 500,
    errors.ReadOnly: 500,
}


TOO_DEEP = "the JSON body is nested too deeply"


class ErrorBody(msgspec.Struct):
    """Every error of the API: its status, what went wrong, and (for some) the details."""

    status_code: int
    detail: str
    extra: Any = None


ERROR_MEANING = {
    400: "the request is not valid: the detail names the field or line",
    401: "no valid credentials",
    403: "these credentials may not do this",
    404: "no such entry, track or sheet",
    409: "the state changed first: the detail says how",
    423: "judging is closed",
    429: "too many failed attempts from this address: wait (Retry-After)",
}

CREDENTIALS = (400, 401, 403, 429)  # what any route behind a token may answer


def answers(*codes: int) -> dict[int, ResponseSpec]:
    """The error answers a route documents in the OpenAPI schema, beside its success."""
    return {
        code: ResponseSpec(data_container=ErrorBody, description=ERROR_MEANING[code])
        for code in sorted(set(codes))
    }


class ShowcaseRequest(Request):
    """A request whose JSON body, however deeply nested, is a client's error (400), never a
    server's: the decoder's recursion limit is reached before any handler runs."""

    async def json(self) -> Any:
        try:
            return await super().json()
        except RecursionError:
            raise ClientException(TOO_DEEP) from None


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def set_language(request: Request) -> None:
    """Answers in the visitor's chosen language, else their browser's."""
    current_language.set(
        negotiate(request.cookies.get(COOKIE), request.headers.get("accept-language"))
    )


async def choose_language(request: Request) -> None:
    set_language(request)


def page_path(request: Request) -> str:
    """The page this answer shows, to come back to (after switching language): this address
    for a GET, and for a form's answer the page the form was on."""
    if request.method == "GET":
        query = request.url.query
        return request.url.path + (f"?{query}" if query else "")
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc == request.url.netloc and referer.path.startswith("/"):
        return referer.path + (f"?{referer.query}" if referer.query else "")
    return "/"


def error_response(
    request: Request,
    status: int,
    detail: str,
    extra: Any = None,
    headers: dict[str, str] | None = None,
) -> Response:
    if is_api(request):
        body: dict[str, Any] = {"status_code": status, "detail": detail}
        if extra is not None:
            body["extra"] = extra
        return Response(
            content=body, status_code=status, media_type=MediaType.JSON, headers=headers
        )
    set_language(request)
    titles = {
        400: _("That request could not be used"),
        401: _("Please log in"),
        403: _("Not allowed"),
        404: _("Page not found"),
        405: _("Not allowed"),
        409: _("Someone else saved first"),
        423: _("Judging is closed"),
        429: _("Too many attempts"),
    }
    return Template(
        template_name="errors/page.html",
        context={
            "status": status,
            "title": titles.get(status, _("Something went wrong")),
            "detail": detail if status < 500 else "",
        },
        status_code=status,
        headers=headers,
    )


def domain_error(request: Request, exc: errors.ShowcaseError) -> Response:
    return error_response(request, STATUS.get(type(exc), 400), exc.message, exc.extra)


def http_error(request: Request, exc: HTTPException) -> Response:
    detail = exc.detail
    if isinstance(exc, ValidationException) and isinstance(exc.extra, list):
        fields = [f"{e.get('key')}: {e.get('message')}" for e in exc.extra if isinstance(e, dict)]
        detail = f"{detail}: {'; '.join(fields)}" if fields else detail
    return error_response(request, exc.status_code, detail, exc.extra or None, exc.headers)


def server_error(request: Request, exc: Exception) -> Response:
    request.logger.exception(
        "%s unhandled error on %s %s",
        request_id(request.scope),
        request.method,
        loggable_path(request.url.path),
    )
    return error_response(request, HTTP_500_INTERNAL_SERVER_ERROR, "Internal Server Error")


EXCEPTION_HANDLERS: dict[Any, Any] = {
    errors.ShowcaseError: domain_error,
    HTTPException: http_error,
    HTTP_500_INTERNAL_SERVER_ERROR: server_error,
}
