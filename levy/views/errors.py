"""Error pages in the service's own style: 400, 403, 404, 405, 413, 500, 503.

With the database unreachable every page answers the 503 page, rendered for an
anonymous visitor so that the page itself never asks the database who is signed in.

A database error is logged without its SQL parameters (apprentices' names, dates of
birth): an integrity error by its constraint, any other by its driver's first line,
with the stack of where it was raised (``describe_database_error``).
"""

from __future__ import annotations

import traceback

from flask import Flask, current_app, g, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError, StatementError
from werkzeug.exceptions import HTTPException, SecurityError

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
    413: ("The file is too large", "Upload a file smaller than 32 MB."),
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


def constraint_of(error: IntegrityError) -> str:
    """The constraint an integrity error broke, never the values that broke it:
    PostgreSQL's constraint name (or table.column for NOT NULL), SQLite's own message
    (``UNIQUE constraint failed: apprentice.reference``, which holds no values)."""
    diag = getattr(error.orig, "diag", None)
    if diag is not None:  # psycopg: the message's DETAIL line holds the values
        if diag.constraint_name:
            return str(diag.constraint_name)
        if diag.table_name and diag.column_name:
            return f"{diag.table_name}.{diag.column_name}"
        return f"SQLSTATE {getattr(error.orig, 'sqlstate', None) or 'unknown'}"
    return str(error.orig).splitlines()[0] if error.orig is not None else "unknown"


def describe_database_error(error: StatementError) -> str:
    """One line for the log: the kind of error and what failed, with no SQL parameters
    (``str(error)`` carries them: ``[parameters: ('Sam', '2000-05-17')]``)."""
    if isinstance(error, IntegrityError):
        return f"IntegrityError: constraint {constraint_of(error)}"
    orig = getattr(error, "orig", None)
    if getattr(orig, "sqlstate", None):  # PostgreSQL answered: its message may quote values
        return f"{type(error).__name__}: SQLSTATE {orig.sqlstate}"  # type: ignore[union-attr]
    first = str(orig).splitlines()[0] if orig is not None and str(orig) else ""
    return f"{type(error).__name__}: {first or type(orig).__name__}"


def _where(error: BaseException) -> str:
    """Where ``error`` was raised: the stack alone, without the exception's message."""
    return "".join(traceback.format_tb(error.__traceback__)).rstrip()


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
    def database_unreachable(error: Exception) -> tuple[str, int]:
        app.logger.error(
            "database unreachable on %s: %s", request.path, describe_database_error(error)
        )
        _as_anonymous()
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
