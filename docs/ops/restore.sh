#!/usr/bin/env bash
# Restore a backup made by backup.sh into a database (which must exist and be empty) and a
# media folder.
#
#   docs/ops/restore.sh BACKUP.dump TARGET_DATABASE_URL [MEDIA_ROOT]
#
# The .media.tar.gz beside the dump is unpacked into MEDIA_ROOT when given.
set -euo pipefail
dump=${1:?BACKUP.dump}; url=${2:?TARGET_DATABASE_URL}; media=${3:-}
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$url" "$dump"
archive="${dump%.dump}.media.tar.gz"
if [ -n "$media" ] && [ -f "$archive" ]; then
  mkdir -p "$media"
  tar -C "$media" -xzf "$archive"
fi
echo "restored $dump"
