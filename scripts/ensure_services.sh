#!/usr/bin/env bash
# What the tests talk to, for real: PostgreSQL on 127.0.0.1:5432, Mosquitto on 127.0.0.1:1883 and
# headless Chromium. Starts PostgreSQL and Mosquitto if they are not running (installing Debian's
# mosquitto if missing, with persistence so sessions survive a restart); installs chromium, and
# Java 17 for the Spark tests.
set -euo pipefail
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "starting PostgreSQL"
  as_root service postgresql start || as_root pg_ctlcluster 15 main start
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432

broker_up() { (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null; }
if ! broker_up; then
  if ! command -v mosquitto >/dev/null && [ ! -x /usr/sbin/mosquitto ]; then
    echo "installing Debian's mosquitto (telemetry tests)"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get install -y -q mosquitto >/dev/null 2>&1 \
      || { as_root apt-get update -q >/dev/null && as_root apt-get install -y -q mosquitto >/dev/null; }
  fi
  echo "starting Mosquitto"
  as_root /usr/sbin/mosquitto -d -c /etc/mosquitto/mosquitto.conf
  for _ in $(seq 30); do broker_up && break; sleep 0.5; done
fi
broker_up && echo "Mosquitto on 127.0.0.1:1883"

if ! command -v chromium >/dev/null; then
  echo "installing Debian's chromium (PDF reports, browser tests)"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y -q chromium >/dev/null 2>&1 \
    || { as_root apt-get update -q >/dev/null && as_root apt-get install -y -q chromium >/dev/null; }
fi
chromium --version

# Java 17+ for the Spark tests (PySpark 4 needs it).
java_major() { java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
if ! command -v java >/dev/null || [ "$(java_major)" -lt 17 ]; then
  echo "installing Debian's openjdk-17-jre-headless (Spark)"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y -q openjdk-17-jre-headless >/dev/null 2>&1 \
    || { as_root apt-get update -q >/dev/null && as_root apt-get install -y -q openjdk-17-jre-headless >/dev/null; }
fi
echo "Java $(java_major)"

# Extra Debian packages named on the command line (the benchmarks ask for wrk).
for package in "$@"; do
  command -v "$package" >/dev/null || as_root apt-get install -y -q "$package" >/dev/null
done
