"""Flask extensions, created unbound and wired in ``create_app``."""

from flask import current_app, g, has_request_context, request
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine

from levy.models.base import Base

# SQLite: how long a writer waits for another writer's transaction before giving up
# ("database is locked"), in seconds; the same wait is set with PRAGMA busy_timeout.
SQLITE_BUSY_SECONDS = 15
# Execution option read by the begin event: ``True`` starts the transaction with
# ``BEGIN IMMEDIATE`` (take SQLite's write lock now). Set by ``levy.services.locks``.
SQLITE_IMMEDIATE = "levy_sqlite_immediate"


def is_busy(error: Exception) -> bool:
    """The database answered but could not take the lock in time (SQLite's "database is
    locked" after the busy wait above, PostgreSQL's lock or statement timeout, a
    serialization failure): a page or command says "busy", not "unreachable"."""
    orig = getattr(error, "orig", error)
    return "database is locked" in str(orig) or type(orig).__name__ in {
        "LockNotAvailable",
        "QueryCanceled",
        "SerializationFailure",
        "DeadlockDetected",
    }


@event.listens_for(Engine, "do_connect")
def _sqlite_timeout(dialect, conn_rec, cargs, cparams):
    if dialect.name == "sqlite":
        cparams.setdefault("timeout", SQLITE_BUSY_SECONDS)


@event.listens_for(Engine, "connect")
def _sqlite_connect(dbapi_connection, connection_record):
    """SQLite: enforce foreign keys, let SQLAlchemy own transactions (so savepoints
    work), queue writers for up to 15 s instead of failing, and run in WAL mode (readers
    never block the writer, the writer never blocks readers)."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
        cursor.execute("PRAGMA journal_mode=WAL")  # a file database only; memory stays memory
        cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection):
    """SQLite: ``BEGIN IMMEDIATE`` for a transaction that will write (flagged by
    ``levy.services.locks``, or any transaction of a POST request past its CSRF check),
    so concurrent writers queue at the start instead of failing when a read transaction
    tries to write after another writer committed; plain ``BEGIN`` otherwise."""
    if connection.dialect.name == "sqlite":
        immediate = connection.get_execution_options().get(SQLITE_IMMEDIATE) or _writing_request()
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _writing_request() -> bool:
    """A POST that passed the CSRF check (or runs with CSRF off): it is about to write.
    One refused by the check only renders its 400 page and takes no write lock."""
    if not has_request_context() or request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    return bool(g.get("csrf_valid")) or not current_app.config.get("WTF_CSRF_ENABLED", True)


# create_savepoint: a session joined to an outer transaction (the tests' rollback
# fixture) turns commit() into RELEASE SAVEPOINT; with engines it changes nothing.
db = SQLAlchemy(model_class=Base, session_options={"join_transaction_mode": "create_savepoint"})
login_manager = LoginManager()
csrf = CSRFProtect()
