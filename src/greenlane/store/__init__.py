"""The store: SQLAlchemy Core tables, Alembic migrations, and the database URL.

The setting ``database_url`` (``GREENLANE_DATABASE_URL``) picks the database: the embedded
default is a SQLite file (nothing to install); production is ``postgresql+psycopg://...``.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from greenlane.errors import StoreError, UnavailableError
from greenlane.settings import settings

MIGRATIONS = Path(__file__).parent / "migrations"


def database_url() -> str:
    """The configured database URL (the setting ``database_url``), or the embedded default."""
    return settings().database_url


def connect(url: str | None = None) -> sa.Engine:
    """An engine for ``url``; SQLite gets foreign keys on and a busy timeout.

    PostgreSQL plans every statement for its values (``plan_cache_mode=force_custom_plan``):
    the driver prepares a statement run five times, and PostgreSQL may then keep one plan
    made while a table was empty. A day's packings deleted by id in batches, in the day's
    transaction, went on seq-scanning a table grown to hundreds of thousands of rows (4 s a
    batch, quadratic over the day).
    """
    url = url or database_url()
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": 30})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    custom_plans = {"options": "-c plan_cache_mode=force_custom_plan"}
    return sa.create_engine(  # no per-checkout ping: it doubled round trips
        url, pool_recycle=300, connect_args=custom_plans
    )


def open_store(url: str | None = None) -> sa.Engine:
    """An engine for an existing store at the newest schema, or StoreError saying what to do.

    Unlike ``connect``, it never creates an SQLite file: a command pointed at the wrong place
    says so in one line instead of leaving an empty ``greenlane.db`` behind.
    """
    url = url or database_url()
    parsed = sa.engine.make_url(url)
    shown, database = parsed.render_as_string(hide_password=True), parsed.database or ":memory:"
    if url.startswith("sqlite") and database != ":memory:" and not Path(database).is_file():
        raise StoreError(
            f"no greenlane store at {database}: set GREENLANE_DATABASE_URL (after make demo: "
            "sqlite:///out/demo/greenlane.db), or create one with greenlane db upgrade"
        )
    engine = connect(url)
    try:
        found = current_revision(engine)
    except sa.exc.OperationalError as e:
        raise UnavailableError(f"the store at {shown} cannot be reached: {e.orig}") from None
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    if found != head:
        state = "not migrated" if found is None else f"at schema {found}, not {head}"
        raise StoreError(f"the store at {shown} is {state}: run greenlane db upgrade")
    return engine


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def alembic_config(url: str) -> Config:
    """Alembic's configuration for greenlane's migrations (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str | None = None) -> None:
    """Apply every migration up to the newest."""
    command.upgrade(alembic_config(url or database_url()), "head")


def current_revision(engine: sa.Engine) -> str | None:
    """The database's migration revision, or None when it was never migrated."""
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
