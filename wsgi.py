"""WSGI entry point: ``gunicorn -w 4 -b 127.0.0.1:8000 wsgi:app``.

``flask --app wsgi levy ...`` (a command, never a page) builds the app without its pages
(``create_app(web=False)``) so commands start quickly (issue 13). Every other use (gunicorn,
``flask run``, ``flask routes``, ``flask shell``, ``flask db``) gets the whole app.
"""

from __future__ import annotations

import os
import sys

from levy import create_app

_FLASK_OPTIONS_WITH_VALUE = {"--app", "-A", "--env-file", "-e"}


def _levy_command_only(argv: list[str]) -> bool:
    """True when this process is the ``flask`` command running ``flask levy ...``."""
    if os.path.basename(argv[0]) not in {"flask", "__main__.py"} or "flask.cli" not in sys.modules:
        return False
    args = iter(argv[1:])
    for arg in args:
        if arg in _FLASK_OPTIONS_WITH_VALUE:
            next(args, None)
        elif not arg.startswith("-"):
            return arg == "levy"
    return False


app = create_app(web=not _levy_command_only(sys.argv))
