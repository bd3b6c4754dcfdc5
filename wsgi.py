"""WSGI entry point: ``gunicorn -w 4 -b 127.0.0.1:8000 wsgi:app``, and the app that
``flask --app wsgi ...`` runs its commands on: one app for both."""

from levy import create_app

app = create_app()
