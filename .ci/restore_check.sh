#!/usr/bin/env bash
# Proves the backup can be restored: back up a database holding the demo county with
# docs/ops/backup.sh (./run backup), restore it into a scratch database with docs/ops/restore.sh
# (./run restore), and
# compare the row count of every table, plus `manage.py migrate --check` and a query
# through the portal's own code on the restored copy.
#
#   .ci/restore_check.sh            # uses DATABASE_URL's server (needs createdb rights)
#
# Creates and drops the databases ${prefix}_src and ${prefix}_restored.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to any database on the server to use}"
server=${DATABASE_URL%/*}
prefix=${RESTORE_CHECK_PREFIX:-portal_backup}  # another name lets several checks share a server
src="$server/${prefix}_src"; dst="$server/${prefix}_restored"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
psql "$DATABASE_URL" -qc "DROP DATABASE IF EXISTS ${prefix}_src WITH (FORCE)" -c "CREATE DATABASE ${prefix}_src" \
  -c "DROP DATABASE IF EXISTS ${prefix}_restored WITH (FORCE)" -c "CREATE DATABASE ${prefix}_restored"
for old in $(psql "$DATABASE_URL" -Atc "SELECT datname FROM pg_database WHERE datname LIKE '${prefix}_restored_%'"); do
  psql "$DATABASE_URL" -qc "DROP DATABASE \"$old\" WITH (FORCE)"; done
export SECRET_KEY=restore-check-$RANDOM$RANDOM$RANDOM DEBUG=false
echo "== building a database with the demo county"
DATABASE_URL=$src .venv/bin/python manage.py migrate --noinput -v0
DATABASE_URL=$src .venv/bin/python manage.py seed_demo > /dev/null
mkdir -p "$work/media/attachments"; echo "附件内容 attachment" > "$work/media/attachments/test.txt"
echo "== backup"
docs/ops/backup.sh "$src" "$work/media" "$work/backups"
ls -l "$work/backups"
dump=$(ls "$work"/backups/portal-*.dump)
test -z "$(ls -A "$work"/backups/.*.part 2>/dev/null)"
echo "== restore into a scratch database"
docs/ops/restore.sh "$dump" "$dst" "$work/restored-media"
echo "== compare"
count_rows() {
  psql "$1" -Atc "SELECT table_name FROM information_schema.tables WHERE table_schema='public' AND table_type='BASE TABLE' ORDER BY 1" |
  while read -r t; do echo "$t $(psql "$1" -Atc "SELECT count(*) FROM \"$t\"")"; done
}
count_rows "$src" > "$work/src.txt"; count_rows "$dst" > "$work/dst.txt"
diff "$work/src.txt" "$work/dst.txt"
echo "$(wc -l < "$work/src.txt") tables, $(awk '{s+=$2} END {print s}' "$work/src.txt") rows: identical"
cmp "$work/media/attachments/test.txt" "$work/restored-media/attachments/test.txt"
DATABASE_URL=$dst .venv/bin/python manage.py migrate --check -v0
DATABASE_URL=$dst .venv/bin/python manage.py shell -c "
from portal.models import Enterprise, Unit
from django.contrib.auth import get_user_model
assert Enterprise.objects.count() >= 160 and Unit.objects.towns().count() >= 10
assert get_user_model().objects.get(username='taihe_staff').check_password('Qingxin-Demo-2026'), 'passwords restored'
print('restored copy answers through the portal code')"
for db in $(psql "$DATABASE_URL" -Atc "SELECT datname FROM pg_database WHERE datname LIKE '${prefix}_%'"); do
  psql "$DATABASE_URL" -qc "DROP DATABASE \"$db\" WITH (FORCE)"; done
echo "RESTORE CHECK PASSED"
