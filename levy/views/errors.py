"""Error pages in the service's own style: 400, 403, 404, 405, 413, 500, 503.

An upload over ``MAX_CONTENT_LENGTH`` gets ``errors/too_large.html`` naming the limit,
after the rest of its body is read (``drain_body``), so the browser shows the page.

With the database unreachable every page answers the 503 page, rendered for an
anonymous visitor so that the page itself never asks the database who is signed in.

A database error is logged without its SQL parameters (apprentices' names, dates of
birth): an integrity error by its constraint, any other by its driver's first line,
with the stack of where it was raised (``describe_database_error``).
"""

from __future__ import annotations

from flask import Flask, current_app, g, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError, StatementError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge, SecurityError

from levy.extensions import login_manager
from levy.transaction import discard

MESSAGES = {
    400: (
        "There was a problem with your request",
        "The form could not be sent. Go back, reload the page and try again.",
    ),
    403: (
        "You do not have permission to see this page",
        "Your role does not give you access to this page. Ask an administrator if you need it.",
    ),
    404: (
        "Page not found",
        "If you typed the web address, check it is correct. The record may not exist, or may "
        "belong to another organisation or directorate.",
    ),
    405: ("There was a problem with your request", "That action is not available on this page."),
    413: ("The file is too large", "Upload a smaller file."),
    500: (
        "Sorry, there is a problem with the service",
        "Try again later. Nothing you entered was saved.",
    ),
    503: (
        "Sorry, the service is unavailable",
        "The service cannot reach its database at the moment. Try again in a few minutes. "
        "Nothing you entered was saved.",
    ),
}


BUSY = (
    "The service is busy saving someone else's changes. Try again in a minute. "
    "Nothing you entered was saved."
)


def is_busy(error: Exception) -> bool:
    """The database answered but could not take the lock in time (SQLite's "database is
    locked", PostgreSQL's lock or statement timeout, a serialization failure)."""
    orig = getattr(error, "orig", error)
    return "database is locked" in str(orig) or type(orig).__name__ in {
        "LockNotAvailable",
        "QueryCanceled",
        "SerializationFailure",
        "DeadlockDetected",
    }


def _render(code: int, detail: str | None = None) -> tuple[str, int]:
    title, text = MESSAGES.get(code, MESSAGES[500])
    return render_template("errors/error.html", code=code, title=title, text=detail or text), code


def _as_anonymous() -> None:
    """The outage page is shown as to an anonymous visitor: no user is looked up."""
    try:
        discard()
    except Exception:  # the connection is gone: nothing to roll back
        current_app.logger.debug("rollback after a database error failed", exc_info=True)
    g._login_user = login_manager.anonymous_user()


def render_error(code: int, detail: str | None = None) -> tuple[str, int]:
    try:
        return _render(code, detail)
    except (OperationalError, InterfaceError):  # the page needed the database, and it is down
        _as_anonymous()
        return _render(503)


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        return render_error(
            400,
            "The form had expired or was not sent from this service "
            "(missing or invalid security token). Go back, reload the "
            "page and try again.",
        )

    @app.errorhandler(RequestEntityTooLarge)
    def request_too_large(error: RequestEntityTooLarge) -> tuple[str, int, dict[str, str]]:
        if request.path.startswith("/api/"):
            drain_body(request.environ)
            return "Request too large", 413, {"Connection": "close"}
        try:
            return too_large()
        except (OperationalError, InterfaceError):
            _as_anonymous()
            return too_large()

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int] | HTTPException:
        if error.code is None or error.code < 400:
            return error
        if isinstance(error, SecurityError):  # an untrusted Host: no page can be built for it
            return "Bad request: this service does not answer to that host name.", 400
        if request.path.startswith("/api/"):
            return error
        return render_error(error.code, error.description if error.code == 400 else None)

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_error(error: OperationalError | InterfaceError) -> tuple[str, int]:
        _as_anonymous()
        if is_busy(error):  # reachable, but another writer held on past the wait
            app.logger.warning("database busy on %s %s", request.method, request.path)
            return _render(503, BUSY)
        app.logger.error(
            "database unreachable on %s: %s", request.path, describe_database_error(error)
        )
        return _render(503)

    @app.errorhandler(Exception)
    def server_error(error: Exception) -> tuple[str, int]:
        discard()
        if isinstance(error, StatementError):  # its text holds the SQL parameters
            app.logger.error(
                "unhandled error on %s: %s\n%s",
                request.path,
                describe_database_error(error),
                _where(error),
            )
        else:
            app.logger.exception("unhandled error on %s", request.path)
        return render_error(500)
