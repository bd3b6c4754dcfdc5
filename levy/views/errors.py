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

import traceback

from flask import Flask, current_app, g, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError, StatementError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge, SecurityError

from levy.extensions import is_busy, login_manager
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


#: The most of a too-large upload read (and thrown away) so that the browser, still
#: sending, receives the 413 page rather than a reset connection; a larger body is cut off.
DRAIN_LIMIT = 128 * 1024 * 1024


def drain_body(environ: dict[str, object], limit: int = DRAIN_LIMIT) -> int:
    """Read and discard what is left of the request body, up to ``limit`` bytes: a server
    that answers before reading the body and then closes makes the client's network stack
    reset the connection, and the page is lost. Returns the bytes read."""
    stream = environ.get("wsgi.input")
    length = environ.get("CONTENT_LENGTH")
    try:
        left = int(str(length)) if length not in (None, "") else None
    except ValueError:
        return 0
    if stream is None or (left is None and not environ.get("wsgi.input_terminated")):
        return 0  # no known end: reading could wait for ever
    read = 0
    while read < limit and (left is None or read < left):
        want = min(1024 * 1024, limit - read, *(() if left is None else (left - read,)))
        try:
            chunk = stream.read(want)  # type: ignore[attr-defined]
        except (OSError, ValueError):
            break
        if not chunk:
            break
        read += len(chunk)
    return read


def _size(size: int) -> str:
    mb = 1024 * 1024
    return f"{size / mb:,.0f} MB" if size >= mb else f"{max(1, size // 1024):,} KB"


def too_large() -> tuple[str, int, dict[str, str]]:
    """The service's own page for an upload over ``MAX_CONTENT_LENGTH``."""
    drain_body(request.environ)
    limit = int(current_app.config.get("MAX_CONTENT_LENGTH") or 0)
    back = request.path if request.method == "POST" else None
    page = render_template(
        "errors/too_large.html", limit=_size(limit) if limit else "the limit", back=back
    )
    return page, 413, {"Connection": "close"}


BUSY = (
    "The service is busy saving someone else's changes. Try again in a minute. "
    "Nothing you entered was saved."
)


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
