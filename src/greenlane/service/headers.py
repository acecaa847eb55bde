"""Security headers on every response (a pure ASGI middleware: no per-request task overhead).

Pages run only scripts served from this origin (Plotly.js and charts.js); chart data arrives as
JSON data blocks, so the policy needs no inline script. Plotly sets inline styles, hence
``style-src 'unsafe-inline'``. FastAPI's interactive docs (/docs) load Swagger UI from this
origin (package fastapi-offline) with an inline bootstrap, so they are served without a CSP.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
COMMON = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
UNPOLICED = ("/docs",)
POLICED = [*COMMON, (b"content-security-policy", CSP.encode())]  # built once, not per request


class SecurityHeaders:
    """Adds the headers above to every HTTP response of ``app``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers to the response's start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = COMMON if str(scope.get("path", "")).startswith(UNPOLICED) else POLICED

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)
