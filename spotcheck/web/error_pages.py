"""Error answers for people: a browser asking for a page (anything outside ``/api`` and the OpenAPI document) gets
an HTML error page with the same fixed wording the API sends as JSON (docs/api.md "Errors"), never internals."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from spotcheck.web.rendering import templates

__all__ = ["error_page", "wants_html"]

_TITLES = {
    400: ("请求被拒绝", "Request refused"),
    401: ("需要登录", "Sign-in needed"),
    403: ("无权访问", "Forbidden"),
    404: ("未找到", "Not found"),
    405: ("不支持的请求方式", "Method not allowed"),
    409: ("当前状态不允许此操作", "Not allowed now"),
    422: ("输入无效", "Invalid input"),
    500: ("内部错误", "Internal error"),
    503: ("暂时无法访问数据", "Storage unavailable"),
}


def wants_html(request: Request) -> bool:
    """Pages answer a browser (one that accepts text/html) in HTML; the API (``/api``, ``/openapi.json``) keeps
    JSON for everyone, and so does any path for a client that did not ask for HTML."""
    path = request.url.path
    if path.startswith(("/api/", "/openapi")) or path == "/api":
        return False
    return "text/html" in request.headers.get("accept", "")


def error_page(request: Request, status: int, detail: str, message: str = "") -> HTMLResponse:
    zh, en = _TITLES.get(status, ("出错了", "Error"))
    context = {"status": status, "title_zh": zh, "title_en": en, "detail": detail, "message": message}
    response = templates.TemplateResponse(request, "error.html", context, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    return response
