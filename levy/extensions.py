"""Flask extensions, created unbound and wired in ``create_app``."""

from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine

from levy.models.base import Base


@event.listens_for(Engine, "connect")
def _sqlite_connect(dbapi_connection, connection_record):  # type: ignore[no-untyped-def]
    """SQLite: enforce foreign keys and let SQLAlchemy own transactions (so savepoints work)."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection):  # type: ignore[no-untyped-def]
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")


# create_savepoint: a session joined to an outer transaction (the tests' rollback
# fixture) turns commit() into RELEASE SAVEPOINT; with engines it changes nothing.
db = SQLAlchemy(model_class=Base, session_options={"join_transaction_mode": "create_savepoint"})
login_manager = LoginManager()
csrf = CSRFProtect()
