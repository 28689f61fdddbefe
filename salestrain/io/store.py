"""One store: every database salestrain keeps (gradebook, mentorship record, objection
sessions) is opened here, through SQLAlchemy.

What each database is, is declared once as a :class:`Kind` (its tables, its default file
name, the variable that may name it, the words its errors use); :func:`open_store` does
the rest the same way for all of them:

- **where**: a path or a SQLAlchemy URL as the user gave it, else the kind's environment
  variable, else a file in the per-user data folder (platformdirs'
  ``user_data_dir("salestrain")``, or ``$SALESTRAIN_DATA_DIR``). Never the working folder
  or a temporary one: the projector serves apps from a temporary folder that is deleted
  when it stops, and a mentor's record must outlive it.
- **reading never creates**: ``create=False`` (every read command) refuses a missing file,
  and a database without the kind's tables, with a named error; nothing is written.
- **SQLite** files get foreign keys and a busy timeout on every connection and are opened
  per use (no pooled handle outlives a call, so a file can be copied or replaced between
  sittings); **PostgreSQL** URLs use psycopg 3 when it is the driver installed.
- **errors** name the file (a URL with its password masked), the problem and the fix, in
  the user's language; a file that is not a database is never overwritten.
"""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, create_engine, event, inspect
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
from sqlalchemy.pool import NullPool

from salestrain.base.errors import DataError, SalestrainError
from salestrain.base.i18n import t

DATA_DIR_ENV = "SALESTRAIN_DATA_DIR"
APP_NAME = "salestrain"
# The problems a store reports; each kind may word any of them its own way.
PROBLEMS = ("no_folder", "missing", "not_database", "wrong_tables", "cannot_open",
            "bad_url", "missing_driver", "data_dir")
_NOT_A_DATABASE = re.compile(r"not a database|file is encrypted", re.IGNORECASE)


@dataclass(frozen=True)
class Kind:
    """One kind of database: its tables and how its errors are worded.

    ``messages`` maps a problem (see ``PROBLEMS``) to a catalog key; the rest use
    ``store.error.<problem>`` with ``{what}`` = the kind's ``store.what.<name>``. Every
    message may use ``{path}``, ``{folder}``, ``{url}``, ``{error}`` and ``{what}``.
    """

    name: str
    default_file: str
    metadata: MetaData
    error: type[SalestrainError] = DataError
    env_var: str | None = None
    messages: Mapping[str, str] = field(default_factory=dict)

    def fail(self, problem: str, **values: Any) -> SalestrainError:
        key = self.messages.get(problem, f"store.error.{problem}")
        values.setdefault("what", t(f"store.what.{self.name}"))
        for name in ("path", "folder", "url", "error", "tables"):
            values.setdefault(name, "")
        values.setdefault("reason", values["error"])  # the older catalogs' word for it
        return self.error(t(key, **values))


def data_dir() -> Path:
    """The per-user folder salestrain keeps its databases in (not created here)."""
    chosen = os.environ.get(DATA_DIR_ENV)
    if chosen:
        return Path(chosen).expanduser()
    import platformdirs  # only when needed: the CLI starts faster without it

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_path(kind: Kind) -> Path:
    """Where ``kind`` lives when the user names no file: its variable, else the data folder."""
    if kind.env_var and os.environ.get(kind.env_var) and "://" not in os.environ[kind.env_var]:
        return Path(os.environ[kind.env_var]).expanduser()
    return data_dir() / kind.default_file


def resolve_url(where: str | Path | None, kind: Kind) -> str:
    """A SQLAlchemy URL for what the user gave (a path means a SQLite file).

    A plain ``postgresql://`` (or Heroku-style ``postgres://``) URL means SQLAlchemy's
    default driver, psycopg2; salestrain installs psycopg 3 (``salestrain[postgres]``), so
    such a URL uses it unless psycopg2 is the one present. A URL naming its driver is kept.
    """
    given = str(where) if where else (os.environ.get(kind.env_var or "") or None)
    if not given:
        return f"sqlite:///{default_path(kind).resolve()}"
    if "://" not in given:
        return f"sqlite:///{Path(given).expanduser().resolve()}"
    scheme, rest = given.split("://", 1)
    if scheme in ("postgresql", "postgres") and not _importable("psycopg2") \
            and _importable("psycopg"):
        return f"postgresql+psycopg://{rest}"
    return given


def shown(url: str) -> str:
    """The URL with any password masked, fit for an error message or a log."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return repr(url)


def sqlite_file(url: str) -> Path | None:
    """The file behind a SQLite URL; ``None`` for an in-memory database or another dialect."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _importable(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")  # SQLite ignores REFERENCES without it
    cursor.execute("PRAGMA busy_timeout=30000")  # wait for another grader, do not fail
    cursor.close()


@dataclass
class Store:
    """An open database of one kind. Use :meth:`begin` for writes, :meth:`connect` to read."""

    engine: Engine
    kind: Kind
    url: str

    @property
    def shown(self) -> str:
        return shown(self.url)

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back on any error."""
        with self._translated(), self.engine.begin() as conn:
            yield conn

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        with self._translated(), self.engine.connect() as conn:
            yield conn

    @contextmanager
    def _translated(self) -> Iterator[None]:
        # A file that stopped being a database (overwritten by an editor) between two
        # calls gets the same named error as at opening; other errors are the caller's.
        try:
            yield
        except DatabaseError as exc:
            if _NOT_A_DATABASE.search(str(exc.orig)):
                file = sqlite_file(self.url)
                raise self.kind.fail("not_database", path=file or self.shown,
                                     url=self.shown, error=exc.orig) from None
            raise

    def dispose(self) -> None:
        self.engine.dispose()


def open_store(kind: Kind, where: str | Path | None = None, *, create: bool) -> Store:
    """Open ``kind``'s database; ``create=True`` makes the file and tables when missing.

    With ``create=False`` (read commands) a missing file, or a database without the
    kind's tables, is the kind's named error and nothing is written anywhere.
    """
    url = resolve_url(where, kind)
    file = sqlite_file(url)
    values = {"url": shown(url), "path": file or shown(url)}
    if file is not None:
        _check_file(kind, file, where, create, values)
    try:
        engine = create_engine(url, poolclass=NullPool) if file is not None \
            else create_engine(url)
    except ImportError as exc:
        raise kind.fail("missing_driver", error=exc, **values) from None
    except ArgumentError as exc:
        raise kind.fail("bad_url", error=exc, **values) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    store = Store(engine, kind, url)
    try:
        with store._translated():
            if create:
                kind.metadata.create_all(engine)
            else:
                present = set(inspect(engine).get_table_names())
                missing = [name for name in kind.metadata.tables if name not in present]
                if missing:
                    raise kind.fail("wrong_tables", tables=", ".join(missing), **values)
    except OperationalError as exc:
        engine.dispose()
        raise kind.fail("cannot_open", error=exc.orig, **values) from None
    except BaseException:
        engine.dispose()
        raise
    return store


def _check_file(kind: Kind, file: Path, where: str | Path | None, create: bool,
                values: dict[str, Any]) -> None:
    folder = file.parent
    # The default place (also when an app passes it on as a path) is made on first use;
    # a folder the user named is not.
    named = bool(kind.env_var and os.environ.get(kind.env_var)) or (
        bool(where) and file != (data_dir() / kind.default_file).resolve())
    if file.is_dir():
        raise kind.fail("cannot_open", error=t("store.is_folder"), **values)
    if not folder.is_dir():
        if named:
            # A typo is likelier than a wish for new folders.
            raise kind.fail("no_folder", folder=folder, **values)
        if not create:
            raise kind.fail("missing", folder=folder, **values)
        # Private: it holds learners' records.
        try:
            folder.mkdir(parents=True, mode=0o700, exist_ok=True)
        except OSError as exc:
            raise kind.fail("data_dir", folder=folder, error=exc, **values) from None
    if not create and not file.exists():
        raise kind.fail("missing", folder=folder, **values)
