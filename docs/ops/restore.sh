#!/usr/bin/env bash
# Restore a backup with `./run restore` (portal/ops/backup.py): the dump is loaded into a new
# database that replaces DATABASE_URL's only when complete (the previous one is kept under a
# dated name), and the .media.tar.gz beside the dump replaces MEDIA_ROOT the same way.
#
#   docs/ops/restore.sh BACKUP.dump DATABASE_URL MEDIA_ROOT
#
# Stop the portal first. Pass an empty DATABASE_URL ("") for the embedded server.
set -euo pipefail
cd "$(dirname "$0")/../.."
dump=${1:?BACKUP.dump}; url=${2?DATABASE_URL (may be empty)}; media=${3:?MEDIA_ROOT}
DATABASE_URL=$url MEDIA_ROOT=$media exec ./run restore "$dump"
