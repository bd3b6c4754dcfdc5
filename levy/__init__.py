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


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """The app: the same for the web server, every ``flask`` command and the tests.

    Every extension is set up here, the database included, so a command sees exactly
    what a page sees (the forecast's commitments, the rule table, the outbox)."""
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

    from flask_migrate import Migrate
    from govuk_frontend_wtf.main import WTFormsHelpers

    from levy import auth, cli, filters, mail, rules_config, security, views
    from levy.extensions import csrf, db, login_manager
    from levy.views import errors
    from levy.views.args import IdConverter

    db.init_app(app)
    Migrate(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    rules_config.init_app(app)  # the rule table for LEVY_CHANGE_DATE, on the app
    mail.init_app(app)
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
