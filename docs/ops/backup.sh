#!/usr/bin/env bash
# Back up the portal from cron: the database and the uploaded files, with `./run backup`
# (portal/ops/backup.py: pg_dump of the server's own major version, checked with pg_restore --list,
# written under a temporary name and renamed only when complete).
#
#   docs/ops/backup.sh DATABASE_URL MEDIA_ROOT BACKUP_DIR [KEEP_DAYS]
#
# Pass an empty DATABASE_URL ("") for the embedded server. Exit status is non-zero on any
# failure, so cron mails the error.
set -euo pipefail
cd "$(dirname "$0")/../.."
url=${1?DATABASE_URL (may be empty)}; media=${2:?MEDIA_ROOT}; dir=${3:?BACKUP_DIR}; keep=${4:-30}
DATABASE_URL=$url MEDIA_ROOT=$media BACKUP_KEEP_DAYS=$keep exec ./run backup "$dir"
