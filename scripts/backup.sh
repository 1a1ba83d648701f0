#!/usr/bin/env bash
# Dump the database to a compressed custom-format file that pg_restore reads.
#   scripts/backup.sh [OUTPUT_FILE]        (DATABASE_URL names the database)
# The dump holds personal data: store it encrypted and delete old ones (docs/backups.md).
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database to dump}"
out="${1:-infobus-$(date -u +%Y%m%dT%H%M%SZ).dump}"
umask 077
pg_dump --format=custom --no-owner --no-privileges --file="$out" "$DATABASE_URL"
echo "$out"
