"""levy: apprenticeship levy and cohort management for Worcestershire."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, send_from_directory
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from levy.config import DEFAULTS, check_security, database_url, from_environment, secret_key

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: Mapping[str, Any] | None = None, *, web: bool = True) -> Flask:
    """The app. ``web=False`` (``flask levy ...`` only, see ``wsgi.py``) skips the pages,
    forms and HTTP security, which a command never uses, so the command starts quickly."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("LEVY_INSTANCE_PATH", str(ROOT / "instance")),
        static_folder=str(ROOT / "static"),
        template_folder=str(ROOT / "templates"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(DEFAULTS)
    from_environment(app.config)  # LEVY_BASE_URL, LEVY_PROXY_COUNT
    app.config.from_prefixed_env()  # FLASK_* variables
    if test_config:
        app.config.from_mapping(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(
        app.config.get("SQLALCHEMY_DATABASE_URI") or os.environ.get("DATABASE_URL"),
        app.instance_path,
    )
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(app.instance_path)
    check_security(app.config, debug=app.debug)

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )

    from levy import cli

    if not web:
        # A command: the database, the rule table and the outbox are wired when a command
        # runs (``levy.cli.LevyCommand``), so ``flask levy --help`` lists the commands
        # without importing SQLAlchemy or the models (issue 13).
        cli.init_app(app)
        return app
    wire_data(app)

    from govuk_frontend_wtf.main import WTFormsHelpers

    from levy import auth, filters, security, views
    from levy.views import errors
    from levy.views.args import IdConverter

    WTFormsHelpers(app)
    app.url_map.converters["int"] = IdConverter  # an id beyond INTEGER is a 404

    security.init_app(app)  # first: the https redirect and the nonce come before access checks
    auth.init_app(app)
    filters.init_app(app)
    errors.init_app(app)
    views.init_app(app)
    cli.init_app(app)

    assets = ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"

    @app.route("/assets/<path:filename>")
    def govuk_assets(filename: str) -> Any:
        return send_from_directory(assets / "assets", filename, max_age=86400)

    @app.route("/govuk/<path:filename>")
    def govuk_js(filename: str) -> Any:
        return send_from_directory(assets, filename, max_age=86400)

    @app.route("/js/<path:filename>")
    def levy_js(filename: str) -> Any:
        return send_from_directory(ROOT / "frontend" / "js", filename, max_age=3600)

    auth.public(govuk_assets)
    auth.public(govuk_js)
    auth.public(levy_js)
    return app


def wire_data(app: Flask) -> None:
    """The database (and its migrations), sign-in, CSRF, the rule table and the outbox;
    once per app (``create_app`` for the web, the first command run otherwise)."""
    if "sqlalchemy" in app.extensions:
        return
    from levy import mail, rules_config
    from levy.cli import init_migrate  # Alembic is imported only by `flask db ...`
    from levy.extensions import csrf, db, login_manager

    db.init_app(app)
    init_migrate(app, db, str(ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    rules_config.init_app(app)  # the rule table for LEVY_CHANGE_DATE, on the app
    mail.init_app(app)
