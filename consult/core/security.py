"""Response headers that keep pages from being framed, sniffed, leaked or cached.

The Content-Security-Policy allows scripts and styles only from our own ``static/``:
no inline ``<script>``, ``<style>`` or ``style=""`` anywhere (the browser tests run
with this policy enforced and fail on a violation). Pages for a signed-in person
(their account, the personal-data export, officials' pages) are never stored by a
browser or proxy cache.
"""

from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, request, session

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HSTS_VALUE = "max-age=31536000"  # a year; without includeSubDomains: the city's other hosts are not ours


def _personal() -> bool:
    """The page was made for a signed-in person (their name is in the header at least)."""
    user = g.get("_login_user")
    # is_anonymous, not is_authenticated: that one reads the user's status, which a commit
    # has expired, and would cost every signed-in POST one more SELECT.
    if user is not None and not user.is_anonymous:
        return True
    return "_user_id" in session


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")  # frame-ancestors for browsers without CSP 2
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if current_app.config.get("HSTS"):
        headers.setdefault("Strict-Transport-Security", HSTS_VALUE)
    if request.endpoint != "static" and _personal():
        headers["Cache-Control"] = "no-store"
    return response


def register_security_headers(app: Flask) -> None:
    app.after_request(add_security_headers)


def safe_next(target: str | None) -> str | None:
    """A path on this site, or None: ``next`` must never send anyone elsewhere."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target
