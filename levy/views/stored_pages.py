"""Pages served as stored while no data has changed (issue 13).

The busiest read-only pages (home, the levy pot, the ledger, the apprentices list, the
transfer queue) take 10-30 ms to work out and render, against about 1 ms for ``/healthz``.
Their HTML depends only on the data, the signed-in user and session, the address and the
day, so :func:`stored_page` keeps the page it rendered under the version of *any* data
(``ANY_DATA``, which every write to a data table bumps in the writer's transaction, see
``levy/models/projection.py``) and, while that version stands, sends the same page again
instead of working it out: one query, joined to the version, as for the home cards.

What keeps this correct:

* **Never stale.** A stored page is found only under the current data version; the version
  is read *before* the page is worked out, so a change made meanwhile is never hidden.
* **Never someone else's.** The key is made of SHA-256 digests of the session's user and
  session version and its CSRF token (every page carries a token tied to the session), of
  the endpoint, and of the address with its query, the day (``levy.clock``) and the rule
  table's change date (``LEVY_CHANGE_DATE``, configuration). Access is
  checked before the view runs (``levy.auth``), on a stored page as on any other.
* **Bounded.** Each session keeps one stored page per view (the address it opened last),
  so walking through filters or page numbers replaces a row rather than adding one.
* **Nothing skipped.** Only views that read (never write, never audit a read) are
  decorated; a request with a flash message waiting is rendered (the page shows and so
  removes it), and so is a session's first page (it creates the session's CSRF token, as
  the sign-in page does); a page is stored only if the view returned rendered HTML and
  left the session's CSRF token as it found it.
* **The nonce is this request's.** The page's ``<script nonce>`` is stored with the nonce
  it was rendered with and sent with this request's, which the CSP header names.

Older versions are removed the next time a page is stored (``services.projection.put``).
``LEVY_PAGE_STORE = False`` turns the store off (``make bench`` measures both).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, request, session

from levy import clock
from levy.domain.projection import ANY_DATA
from levy.rules_config import current_rules

F = TypeVar("F", bound=Callable[..., Any])

PREFIX = "page:view|"


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def settings_key() -> str:
    """What a page shows besides the data, the user and the address: the day
    (``levy.clock``) and the rule table's change date (configuration). The home page's
    stored cards are keyed by it too."""
    return f"{clock.today().isoformat()}|change:{current_rules().change_date.isoformat()}"


def page_key() -> tuple[str, str]:
    """(this session's stored pages of this view, this page's key): hex digests only."""
    mine = (
        PREFIX
        + _digest(str(session.get("_user_id", "")), str(session.get("csrf_token", "")))
        + "|"
        + _digest(request.endpoint or "")
    )
    return mine, f"{mine}|{_digest(request.full_path, settings_key())}"


def stored_page(view: F) -> F:
    """Serve this GET view's page as stored while no data has changed (module doc)."""

    @wraps(view)
    def serve(*args: Any, **kwargs: Any) -> Any:
        token = session.get("csrf_token")
        if (
            request.method != "GET"
            or token is None  # the page would create it: this session's first page
            or "_flashes" in session
            or not current_app.config["LEVY_PAGE_STORE"]
        ):
            return view(*args, **kwargs)
        from levy.services import projection

        mine, key = page_key()
        nonce = str(getattr(request, "csp_nonce", ""))
        version, found = projection.get(ANY_DATA, [key])
        if key in found:
            rendered_with, _, page = found[key].partition("\n")
            return page.replace(rendered_with, nonce) if rendered_with and nonce else page
        if version is None:
            version = projection.version_of(ANY_DATA)  # read before working anything out
        page = view(*args, **kwargs)
        if isinstance(page, str) and session.get("csrf_token") == token:
            # one stored page per session and view (the latest address): a session cannot
            # fill the table by walking through addresses
            projection.put(ANY_DATA, version, {key: (f"{nonce}\n{page}", "")}, replacing=mine)
        return page

    return serve  # type: ignore[return-value]  # same signature as ``view``
