#!/usr/bin/env bash
# What the tests talk to, for real: PostgreSQL on 127.0.0.1:5432 and headless Chromium.
# Starts PostgreSQL if it is installed but not running; installs Debian's chromium if missing.
set -euo pipefail
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "starting PostgreSQL"
  as_root service postgresql start || as_root pg_ctlcluster 15 main start
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432

if ! command -v chromium >/dev/null; then
  echo "installing Debian's chromium (PDF reports, browser tests)"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y -q chromium >/dev/null 2>&1 \
    || { as_root apt-get update -q >/dev/null && as_root apt-get install -y -q chromium >/dev/null; }
fi
chromium --version

# Extra Debian packages named on the command line (the benchmarks ask for wrk).
for package in "$@"; do
  command -v "$package" >/dev/null || as_root apt-get install -y -q "$package" >/dev/null
done
