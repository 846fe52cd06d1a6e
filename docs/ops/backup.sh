#!/usr/bin/env bash
# Back up the portal: the database (pg_dump custom format) and the uploaded files (MEDIA_ROOT).
#
#   docs/ops/backup.sh DATABASE_URL MEDIA_ROOT BACKUP_DIR [KEEP_DAYS]
#
# Writes BACKUP_DIR/portal-YYYYmmdd-HHMMSS.dump and .media.tar.gz, checks the dump can be read
# (pg_restore --list), and deletes backups older than KEEP_DAYS (default 30). Exit status is
# non-zero on any failure, so cron mails the error.
set -euo pipefail
url=${1:?DATABASE_URL}; media=${2:?MEDIA_ROOT}; dir=${3:?BACKUP_DIR}; keep=${4:-30}
stamp=$(date +%Y%m%d-%H%M%S)
mkdir -p "$dir"
umask 077
pg_dump --format=custom --no-owner --no-privileges --file="$dir/portal-$stamp.dump.part" "$url"
pg_restore --list "$dir/portal-$stamp.dump.part" > /dev/null
mv "$dir/portal-$stamp.dump.part" "$dir/portal-$stamp.dump"
if [ -d "$media" ]; then
  tar -C "$media" -czf "$dir/portal-$stamp.media.tar.gz.part" .
  mv "$dir/portal-$stamp.media.tar.gz.part" "$dir/portal-$stamp.media.tar.gz"
fi
find "$dir" -name 'portal-*' -mtime "+$keep" -delete
echo "$dir/portal-$stamp.dump"
