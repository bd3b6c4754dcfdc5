"""An upload over the request limit (``MAX_CONTENT_LENGTH``) gets the service's own "file
too large" page, also from a real server while the browser is still sending: the rest of
the body is read first, so the connection is not reset under the page (issue 26 §4, §8)."""

from __future__ import annotations

import http.client
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from levy.views.errors import drain_body
from tests.conftest import gunicorn, make_app

LIMIT = 1024 * 1024
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def small_limit_app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """CSRF on, as in production: its check reads the form, which is what finds the size."""
    return make_app(
        tmp_path_factory.mktemp("too-large"), WTF_CSRF_ENABLED=True, MAX_CONTENT_LENGTH=LIMIT
    )


def _multipart(size: int) -> tuple[bytes, str]:
    head = b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.xlsx"\r\n\r\n'
    return head + b"x" * size + b"\r\n--b--\r\n", "multipart/form-data; boundary=b"


def test_the_page_names_the_limit(small_limit_app: Any) -> None:
    body, kind = _multipart(2 * LIMIT)
    response = small_limit_app.test_client().post(
        "/levy/import", data=body, headers={"Content-Type": kind}
    )
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "<title>The file is too large" in page
    assert "The service takes files up to 1 MB. Nothing was uploaded or saved." in page
    assert 'href="/levy/import">Go back to the upload page' in page
    assert response.headers["Connection"] == "close"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[int]:
    """gunicorn, as in production: it answers and closes without reading the rest."""
    database = f"sqlite:///{tmp_path / 'served.db'}"
    with gunicorn(database, tmp_path, workers=1, FLASK_MAX_CONTENT_LENGTH=str(LIMIT)) as (base, _):
        yield int(base.rsplit(":", 1)[1])


def test_a_real_server_sends_the_page_not_a_reset(served: int) -> None:
    body, kind = _multipart(16 * LIMIT)
    for _ in range(3):  # a reset is a race: it showed on most tries before the fix
        connection = http.client.HTTPConnection("127.0.0.1", served, timeout=30)
        connection.request("POST", "/levy/import", body=body, headers={"Content-Type": kind})
        response = connection.getresponse()
        page = response.read().decode()
        connection.close()
        assert response.status == 413
        assert "The file is too large" in page


def test_draining_stops_at_the_body_and_at_the_limit() -> None:
    stream = io.BytesIO(b"x" * 5000)
    assert drain_body({"wsgi.input": stream, "CONTENT_LENGTH": "3000"}) == 3000
    assert stream.read() == b"x" * 2000  # nothing past the body is read
    stream = io.BytesIO(b"x" * 5000)
    assert drain_body({"wsgi.input": stream, "CONTENT_LENGTH": "5000"}, limit=100) == 100
    # no length and a stream with no known end: reading could wait for ever
    assert drain_body({"wsgi.input": io.BytesIO(b"x" * 10)}) == 0
    assert drain_body({"wsgi.input": io.BytesIO(b"x" * 10), "wsgi.input_terminated": True}) == 10
    assert drain_body({"wsgi.input": io.BytesIO(b""), "CONTENT_LENGTH": "nope"}) == 0
