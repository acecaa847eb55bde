#!/usr/bin/env bash
# Schemathesis over the OpenAPI document against a running server on a fresh embedded store:
# every check but positive_data_acceptance (a schema cannot say which CSV rows are valid TCEs,
# so a schema-valid body may rightly be 422 with its problems). Run three times, as the
# operator, as a shipper and as a second shipper's key (each tenant sees its own store and the
# others' ids), so that answers to every role are checked against the document. Bounded: a
# fixed seed, a number of examples per operation, and a timeout per run. Fails on any 5xx or
# schema violation, or when the server does not become ready.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
port=$(.venv/bin/python -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
export GREENLANE_DATABASE_URL="sqlite:///$work/greenlane.db"
# the invalid-authentication check sends many bad keys on purpose: no rate limit for this run
export GREENLANE_LIMIT_BAD_KEYS=1000000
.venv/bin/greenlane db upgrade >/dev/null
declare -A keys
keys[operator]=$(.venv/bin/greenlane org create net --role operator | tail -1)
keys[shipper]=$(.venv/bin/greenlane org create acme --role shipper | tail -1)
keys[second-shipper]=$(.venv/bin/greenlane org create globex --role shipper | tail -1)
.venv/bin/greenlane org create haul --role carrier >/dev/null
.venv/bin/greenlane org grant acme haul >/dev/null
.venv/bin/greenlane org prefix acme 0614141 >/dev/null
.venv/bin/greenlane serve --port "$port" >"$work/server.log" 2>&1 &
server=$!
# on a failure, the server's own account of it (tracebacks of any 5xx) comes first
trap 'status=$?; kill $server 2>/dev/null; [ $status = 0 ] || tail -80 "$work/server.log"; rm -rf "$work"' EXIT
# ready means /v1/ready answers 200: on a loaded machine the import alone can take 30 s
.venv/bin/python - "$port" <<'PY'
import sys, time, urllib.request
deadline = time.monotonic() + 180
while time.monotonic() < deadline:
    try:
        if urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/v1/ready", timeout=2).status == 200:
            sys.exit(0)
    except OSError:
        time.sleep(0.3)
sys.exit("the server did not become ready in 180 s")
PY
for who in operator shipper second-shipper; do
  examples=$([ "$who" = operator ] && echo 50 || echo 20)
  echo "schemathesis as the $who ($examples examples per operation)"
  timeout 600 .venv/bin/schemathesis run "http://127.0.0.1:$port/openapi.json" \
    -H "Authorization: Bearer ${keys[$who]}" --checks all --exclude-checks positive_data_acceptance \
    --max-examples "$examples" --seed 1 --no-color
done
