"""HTTP security: headers (Flask-Talisman), trusted proxies, pages that must not be cached.

* A strict Content-Security-Policy: scripts only from this service, inline scripts only
  with the per-request nonce (GOV.UK Frontend's ``js-enabled`` line in its page template
  gets it through ``cspNonce``), no framing, no plugins, forms post only here.
* ``X-Frame-Options: DENY``, ``X-Content-Type-Options: nosniff``,
  ``Referrer-Policy: strict-origin-when-cross-origin``.
* The https redirect and HSTS only when ``LEVY_BASE_URL`` is https (so ``make run``
  on http://127.0.0.1 still works).
* ``/healthz`` answers whatever the host and scheme: a load balancer checks it by the
  server's address over plain http, without the public host name that
  ``TRUSTED_HOSTS`` holds. It says only whether the database answers, and builds no link.
* ``LEVY_PROXY_COUNT`` trusted proxies: ``ProxyFix`` takes the client's address,
  scheme and host from their ``X-Forwarded-*`` headers, so the sign-in throttle keys
  on the real client and not on the proxy.
* ``Cache-Control: no-store`` on every page and download behind sign-in (care leavers,
  apprentices, users, the audit trail all hold personal data); ``no_store(response)``
  marks any other response.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Flask, abort, make_response, request
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix

HEALTH_CHECK = "/healthz"

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    # a few templates size bars and lay out lists with style attributes; no <style> blocks
    "style-src-attr": "'unsafe-inline'",
    "img-src": ["'self'", "data:"],
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def no_store(response: Any) -> Any:
    """``Cache-Control: no-store`` on a response (personal data: never kept by a browser)."""
    response = make_response(response)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


def _is_health_check(environ: dict[str, Any]) -> bool:
    return environ.get("PATH_INFO") == HEALTH_CHECK and environ.get("REQUEST_METHOD") in (
        "GET",
        "HEAD",
    )


class _Talisman(Talisman):
    """Talisman, with the health check answered over plain http too."""

    def _force_https(self) -> Any:
        if _is_health_check(request.environ):
            return None
        return super()._force_https()


class HealthCheckHost:
    """WSGI middleware: a health check that comes by the server's address (a load
    balancer does not send the public host name) is answered as if sent to the trusted
    host, so ``TRUSTED_HOSTS`` does not refuse it. Every other request keeps its Host."""

    def __init__(self, app: Flask, wsgi_app: Any) -> None:
        self.app, self.wsgi_app = app, wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        trusted = self.app.config.get("TRUSTED_HOSTS")
        if trusted and _is_health_check(environ):
            environ["HTTP_HOST"] = str(trusted[0]).lstrip(".")
        return self.wsgi_app(environ, start_response)


def init_app(app: Flask) -> None:
    from levy.config import check_secret_key_entropy

    check_secret_key_entropy(app.config, debug=app.debug)  # the key signs every session
    https = bool(app.config["LEVY_HTTPS"])
    # one Talisman per app: it keeps its settings on itself
    app.extensions["talisman"] = _Talisman(
        app,
        force_https=https,
        force_https_permanent=True,
        strict_transport_security=https,
        strict_transport_security_max_age=31536000,
        strict_transport_security_include_subdomains=False,
        content_security_policy=CSP,
        content_security_policy_nonce_in=["script-src"],
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        session_cookie_secure=https,
        session_cookie_http_only=True,
        session_cookie_samesite="Lax",
        x_content_type_options=True,
        force_file_save=False,
    )

    @app.before_request
    def refuse_nul_bytes() -> None:
        # no field or query parameter ever holds a NUL byte, and PostgreSQL refuses one in
        # text: a 400 naming the problem, before any view reads it (forms refuse the other
        # control characters field by field)
        for name, value in (*request.args.items(multi=True), *request.form.items(multi=True)):
            if "\x00" in value or "\x00" in name:
                abort(
                    400, "The address or the form holds a NUL character: remove it and try again."
                )

    @app.after_request
    def signed_in_pages_are_not_kept(response: Any) -> Any:
        # every page behind sign-in may hold personal data (care leavers, apprentices,
        # users, the audit trail, businesses): browsers and proxies must not keep it
        from levy.auth import view_access

        view = app.view_functions.get(request.endpoint or "")
        if view is not None and view_access(view)[1] is not None:
            response.headers["Cache-Control"] = "no-store"
            response.headers.setdefault("Pragma", "no-cache")
        return response

    app.wsgi_app = HealthCheckHost(app, app.wsgi_app)  # type: ignore[method-assign]  # as below
    proxies = int(app.config["LEVY_PROXY_COUNT"])
    if proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # the WSGI middleware pattern Flask documents
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
