from __future__ import annotations

from typing import Any

from levy import create_app


def test_healthz_ok(client: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_database_error(tmp_path: Any) -> None:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/levy.db",
        }
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "error"


def test_unexpected_error_gives_500_page_and_rolls_back(
    app: Any, client: Any, login_as: Any, monkeypatch: Any
) -> None:
    import levy.views.main as main_views

    def boom(user: Any) -> list[Any]:
        raise RuntimeError("boom")

    login_as("admin")
    monkeypatch.setattr(main_views, "cards_for", boom)
    response = client.get("/")
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.data
    assert b"boom" not in response.data
