"""./run backup and ./run restore (portal/ops/backup.py) against the real PostgreSQL server: a backup
restored into a fresh database has the same rows in every table and the same uploaded files;
a failed run leaves nothing half-written."""

import subprocess
from urllib.parse import quote

import pytest
from django.conf import settings

from portal.ops import backup as backups
from portal.ops import embedded_db

TABLES = (
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
    "AND table_type = 'BASE TABLE' ORDER BY 1"
)


def _counts(url):
    """Every table's row count, one line a table (plain SQL: the embedded server has no libxml)."""
    tables = _psql(url, TABLES).split()
    union = " UNION ALL ".join(f"SELECT '{t}' AS t, count(*) AS n FROM \"{t}\"" for t in tables)
    return _psql(url, f"SELECT t || ' ' || n FROM ({union}) AS c ORDER BY t").splitlines()


def _url(name):
    db = settings.DATABASES["default"]
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    if host.startswith("/"):  # the embedded server listens on a unix socket in var/pgdata
        return f"postgres://{db['USER']}@/{name}?host={quote(host)}&port={port}"
    return f"postgres://{db['USER']}@{host}:{port}/{name}"


def _psql(url, sql):
    result = subprocess.run(
        [str(embedded_db.bin_dir() / "psql"), "-XAtq", "-c", sql, url], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def scratch(db):
    """The names of two scratch databases beside the test database, dropped afterwards."""
    base = settings.DATABASES["default"]["NAME"]
    names = [f"{base}_restored", f"{base}_restored_restoring"]
    maintenance = _url("postgres")
    yield names[0]
    rows = _psql(maintenance, f"SELECT datname FROM pg_database WHERE datname LIKE '{base}_restored%'")
    for name in rows.split():
        _psql(maintenance, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_tools_match_the_servers_major_version():
    assert backups._major(backups.tools_for(18) / "pg_dump") == 18  # the embedded server's own, from the wheel
    source = _url(settings.DATABASES["default"]["NAME"])
    major = backups.server_major(source)
    assert backups._major(backups.tools_for(major) / "pg_dump") == major
    with pytest.raises(backups.BackupError, match="PostgreSQL 9"):
        backups.tools_for(9)


def test_backup_then_restore_into_a_fresh_database_gives_the_same_rows_and_files(tmp_path, scratch):
    source = _url(settings.DATABASES["default"]["NAME"])  # committed rows: every migration's data
    media = tmp_path / "media"
    (media / "attachments").mkdir(parents=True)
    (media / "attachments" / "附件.txt").write_text("附件内容", encoding="utf-8")
    dump = backups.backup(database_url=source, media_root=media, backup_dir=tmp_path / "backups", stamp="20261201-1")
    assert sorted(p.name for p in (tmp_path / "backups").iterdir()) == [
        "portal-20261201-1.dump",
        "portal-20261201-1.media.tar.gz",
    ]

    target = _url(scratch)
    _psql(_url("postgres"), f'CREATE DATABASE "{scratch}"')
    restored_media = tmp_path / "restored-media"
    restored_media.mkdir()
    (restored_media / "old.txt").write_text("before")
    kept = backups.restore(dump, database_url=target, media_root=restored_media, stamp="1")
    assert kept == f"{scratch}_before_restore_1"

    before, after = _counts(source), _counts(target)
    assert before == after
    assert len(before) > 30 and sum(int(line.split()[1]) for line in before) > 100
    assert (restored_media / "attachments" / "附件.txt").read_text(encoding="utf-8") == "附件内容"
    assert (tmp_path / "restored-media.before-restore-1" / "old.txt").exists()


def test_a_failed_dump_leaves_nothing_behind(tmp_path, monkeypatch):
    """pg_dump of the right version that dies half-way (a full disk, a dropped connection)."""
    source = _url(settings.DATABASES["default"]["NAME"])
    major = backups.server_major(source)
    fake = tmp_path / "bin"
    fake.mkdir()
    for program in ("pg_dump", "pg_restore"):
        script = fake / program
        script.write_text(
            f"#!/bin/sh\nif [ \"$1\" = --version ]; then echo '{program} (PostgreSQL) {major}.0'; "
            'exit 0; fi\nfor a; do case $a in --file=*) echo partial > "${a#--file=}";; esac; done\n'
            "echo 'connection lost' >&2; exit 1\n"
        )
        script.chmod(0o755)
    monkeypatch.setenv("PG_BIN", str(fake))
    folder = tmp_path / "backups"
    with pytest.raises(backups.BackupError, match="connection lost"):
        backups.backup(database_url=source, media_root=tmp_path / "media", backup_dir=folder)
    assert list(folder.iterdir()) == []


def test_a_bad_dump_changes_nothing(tmp_path, scratch):
    target = _url(scratch)
    _psql(_url("postgres"), f'CREATE DATABASE "{scratch}"')
    _psql(target, "CREATE TABLE marker (id int); INSERT INTO marker VALUES (1)")
    bad = tmp_path / "portal-x.dump"
    bad.write_bytes(b"not a dump")
    with pytest.raises(backups.BackupError):
        backups.restore(bad, database_url=target, media_root=tmp_path / "media")
    assert _psql(target, "SELECT count(*) FROM marker").strip() == "1"
    assert not _psql(_url("postgres"), f"SELECT 1 FROM pg_database WHERE datname = '{scratch}_restoring'").strip()
