"""`./run start` and `./run test`: everything a fresh machine needs, in order.

start: database (embedded unless DATABASE_URL is set) → migrate → static files →
demo data the first time (or, with --empty, a county with no demo data and its first account)
→ gunicorn on 127.0.0.1:8000 and the background-job worker beside it (mail, text messages,
guide builds), stopping everything on Ctrl-C.
test:  ruff check, import contracts (lint-imports) → database → pytest (settings portal.settings_test) with any further arguments.
"""

import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR = BASE_DIR / "var"
PYTHON = sys.executable


def _secret_key():
    path = VAR / "secret_key"
    if not path.exists():
        VAR.mkdir(exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def _environment():
    env = os.environ.copy()
    env.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    env.setdefault("SECRET_KEY", _secret_key())
    if not env.get("DATABASE_URL"):
        from portal.ops import embedded_db

        print("Starting the embedded PostgreSQL server (data in var/pgdata) ...", flush=True)
        env["DATABASE_URL"] = embedded_db.database_url()
    return env


def _manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def start(args):
    env = _environment()
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    # Served over plain http on the loopback address: secure-only cookies would never come back.
    env.setdefault("SECURE_COOKIES", "false")
    env.setdefault("SECURE_SSL_REDIRECT", "false")
    bind = env.get("PORTAL_BIND", "127.0.0.1:8000")
    env.setdefault("SITE_BASE_URL", f"http://{bind}")
    _manage(env, "migrate", "--noinput")
    _manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    if "--empty" in args:  # a real county: no demo data, the first county-office account (docs/go-live.md)
        _manage(env, "setup_county", "--first-time")
    else:
        _manage(env, "seed_demo", "--first-time")
        _manage(env, "demo_logins")
    print(
        f"\n政企通 is being served on http://{bind}/  (admin: http://{bind}/admin/)  — Ctrl-C stops it.\n", flush=True
    )
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "portal.wsgi", "--config", "python:portal.ops.gunicorn_conf", "--bind", bind],
        cwd=BASE_DIR,
        env=env,
    )
    worker = subprocess.Popen([PYTHON, "manage.py", "task_worker"], cwd=BASE_DIR, env=env)

    def forward(signum, frame):
        for process in (server, worker):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    code = server.wait()
    _stop(worker)
    _stop_embedded()
    return code


def _stop(process, grace=30):
    """Stop a child: the worker finishes the job in hand (a mail, a guide build), then exits."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def test(args):
    # The static checks first (pyproject.toml configures them): they need no database.
    checks = {
        "ruff": [PYTHON, "-m", "ruff", "check", "--quiet", "."],
        "ruff format": [PYTHON, "-m", "ruff", "format", "--check", "--quiet", "."],
        "import contracts": [str(Path(PYTHON).parent / "lint-imports"), "--no-cache"],
    }
    for name, command in checks.items():
        result = subprocess.run(command, cwd=BASE_DIR, capture_output=name == "import contracts", text=True)
        if result.returncode != 0:
            print(result.stdout or "", f"{name} found problems (see above)", file=sys.stderr)
            return result.returncode
    env = _environment()
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings_test"
    # Migrations are committed with the models: fail early if a model change lacks one.
    check = subprocess.run([PYTHON, "manage.py", "makemigrations", "--check", "--dry-run"], cwd=BASE_DIR, env=env)
    if check.returncode != 0:
        print("Model changes without a migration: run ./run manage makemigrations", file=sys.stderr)
        _stop_embedded()
        return check.returncode
    code = subprocess.run([PYTHON, "-m", "pytest", "--create-db", *args], cwd=BASE_DIR, env=env).returncode
    _stop_embedded()
    return code


def manage(args):
    env = _environment()
    code = subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env).returncode
    _stop_embedded()
    return code


def _stop_embedded():
    from portal.ops import embedded_db

    embedded_db.stop()


def bench(args):
    """The load benchmark (benchmarks/run.py): builds a county at scale and measures it."""
    env = _environment()
    code = subprocess.run([PYTHON, "-m", "benchmarks.run", *args], cwd=BASE_DIR, env=env).returncode
    _stop_embedded()
    return code


def backup(args):
    """./run backup [BACKUP_DIR]: the database and uploaded files (portal/ops/backup.py)."""
    return _backup_command("backup", args)


def restore(args):
    """./run restore BACKUP.dump: put a backup in place of the database and uploaded files."""
    return _backup_command("restore", args)


def _backup_command(action, args):
    from portal.ops import backup as backups

    env = _environment()
    media = Path(env.get("MEDIA_ROOT") or VAR / "media")
    try:
        if action == "backup":
            folder = args[0] if args else env.get("BACKUP_DIR") or VAR / "backups"
            path = backups.backup(
                database_url=env["DATABASE_URL"],
                media_root=media,
                backup_dir=folder,
                keep_days=int(env.get("BACKUP_KEEP_DAYS", 30)),
            )
            print(f"Backup written: {path} (+ {path.name.removesuffix('.dump')}.media.tar.gz)")
        else:
            if not args:
                print("usage: ./run restore BACKUP.dump", file=sys.stderr)
                return 2
            kept = backups.restore(args[0], database_url=env["DATABASE_URL"], media_root=media)
            print(f"Restored {args[0]}. The previous database is kept as {kept}; drop it when satisfied.")
        return 0
    except backups.BackupError as error:
        print(f"{action} failed, nothing changed: {error}", file=sys.stderr)
        return 1
    finally:
        _stop_embedded()


COMMANDS = {"start": start, "test": test, "manage": manage, "bench": bench, "backup": backup, "restore": restore}


def main(argv):
    if not argv or argv[0] not in COMMANDS:
        print(
            "usage: ./run start [--empty] | ./run test [pytest options] | ./run manage COMMAND ... | ./run bench [options]"
            " | ./run backup [DIR] | ./run restore BACKUP.dump"
        )
        return 2
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
