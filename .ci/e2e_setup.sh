#!/usr/bin/env bash
# Installs what the end-to-end tests, the HTML checker and the benchmark need on a Debian 12
# CI machine (run as root, before `./run test`). Browsers come from Debian, never from a
# Playwright download; axe-core and the Nu HTML Checker from npm (package-lock pinned).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v java >/dev/null || need+=(default-jre-headless)
command -v npm >/dev/null || need+=(npm)
command -v wrk >/dev/null || need+=(wrk)
command -v pg_dump >/dev/null || need+=(postgresql-client)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" fonts-noto-cjk >/dev/null
fi
# --ignore-scripts: vnu-jar's postinstall would try to download a Java runtime; we use Debian's.
npm ci --ignore-scripts --no-audit --no-fund --prefix tests/e2e >/dev/null
chromium --version
java -version 2>&1 | head -1
echo "e2e tools ready: $(ls tests/e2e/node_modules)"
