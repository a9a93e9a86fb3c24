#!/usr/bin/env bash
# A production-like run on one machine: PostgreSQL, production settings (BONTOT_MODE=production,
# DEBUG off, a generated secret key, collected static files served by WhiteNoise), gunicorn with
# two workers and the task worker, on plain http://127.0.0.1:PORT (no TLS proxy in front, hence
# DJANGO_SECURE_SSL_REDIRECT=0). Everything it makes lives in var/prodlike/ and in the database
# bontot_prodlike, which is created afresh with the demo data on every start.
#
#   scripts/prodlike.sh run     start, show the address, stop everything on Ctrl-C (make prodlike)
#   scripts/prodlike.sh smoke   start, run scripts/smoke.py against it, stop (make prodlike-smoke)
#   scripts/prodlike.sh start   start in the background (pids in var/prodlike/*.pid)
#   scripts/prodlike.sh stop    stop what start started
#   scripts/prodlike.sh load    the load test (issue 21; make loadtest): on a province already built
#                               in PRODLIKE_DB by build_province (kept, only migrated), gunicorn and
#                               the task worker as above, then locust (benchmarking/locustfile.py)
#                               for LOAD_TIME (5m) with LOAD_USERS (60) people; figures in
#                               $DIR/load-figures.json and $DIR/load_stats.csv
#
# Settings: PRODLIKE_PORT (8781), PRODLIKE_DB (bontot_prodlike), PRODLIKE_PG
# (postgres://postgres@127.0.0.1:5432, a role allowed to create databases).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
PORT=${PRODLIKE_PORT:-8781}
DB=${PRODLIKE_DB:-bontot_prodlike}
PG=${PRODLIKE_PG:-postgres://postgres@127.0.0.1:5432}
DIR=var/prodlike
BASE_URL="http://127.0.0.1:$PORT"

settings_env() {
    mkdir -p "$DIR"
    # One key per directory, so a restart keeps the sessions; never the development key.
    [ -s "$DIR/secret-key" ] || "$PY" -c "import secrets; print(secrets.token_urlsafe(50))" >"$DIR/secret-key"
    export BONTOT_MODE=production
    DJANGO_SECRET_KEY="$(cat "$DIR/secret-key")"
    export DJANGO_SECRET_KEY
    export DJANGO_DEBUG=0
    export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
    # Plain http on the loopback: no redirect to https. Cookies stay Secure (see docs/deploy.md).
    export DJANGO_SECURE_SSL_REDIRECT=0
    export DATABASE_URL="$PG/$DB"
    export CACHE_URL=dbcache://bontot_cache
    export FIGURES_CACHE_URL=dbcache://bontot_figures
    export BONTOT_MEDIA_ROOT="$PWD/$DIR/media"
    export BONTOT_STATIC_ROOT="$PWD/$DIR/static"
    export BONTOT_SEAL_KEY="$PWD/$DIR/seal/seal-key.pem"
    export BONTOT_SEAL_CERT="$PWD/$DIR/seal/seal-cert.pem"
    export BONTOT_PUBLIC_URL="$BASE_URL"
    export BONTOT_DEMO=1
    export EMAIL_URL=consolemail://
    export LOG_FORMAT=json
}

prepare() {
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
        echo "Cổng $PORT đang bận (PRODLIKE_PORT=… để chọn cổng khác)." >&2
        exit 1
    fi
    echo "== database $DB (fresh), static files, seal certificate, demo data"
    psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
    rm -rf "$DIR/media" "$DIR/static"
    "$PY" manage.py migrate --noinput -v0
    "$PY" manage.py createcachetable
    "$PY" manage.py collectstatic --noinput -v0
    "$PY" manage.py check --deploy --fail-level ERROR
    "$PY" manage.py create_seal_certificate --if-missing
    "$PY" manage.py load_demo >"$DIR/demo.log"
}

prepare_kept() {
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
        echo "Cổng $PORT đang bận (PRODLIKE_PORT=… để chọn cổng khác)." >&2
        exit 1
    fi
    echo "== database $DB (kept: migrated only), static files, seal certificate"
    "$PY" manage.py migrate --noinput -v0
    "$PY" manage.py createcachetable
    "$PY" manage.py collectstatic --noinput -v0
    "$PY" manage.py check --deploy --fail-level ERROR
    "$PY" manage.py create_seal_certificate --if-missing
}

start() {
    settings_env
    if [ "${1:-fresh}" = kept ]; then prepare_kept; else prepare; fi
    WORKERS=${PRODLIKE_WORKERS:-2}
    echo "== gunicorn ($WORKERS workers) and db_worker; logs in $DIR/"
    .venv/bin/gunicorn config.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
        --timeout 120 --graceful-timeout 20 --no-control-socket >"$DIR/web.log" 2>&1 &
    echo $! >"$DIR/web.pid"
    "$PY" manage.py db_worker --interval 1 --no-reload >"$DIR/worker.log" 2>&1 &
    echo $! >"$DIR/worker.pid"
    for _ in $(seq 1 60); do
        if "$PY" -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=2)" \
            "$BASE_URL/healthz" 2>/dev/null; then
            echo "Bốn Tốt (production-like): $BASE_URL  — tài khoản demo: $DIR/demo.log"
            return 0
        fi
        sleep 1
    done
    echo "The server did not become healthy within 60 s; see $DIR/web.log and $DIR/worker.log" >&2
    tail -n 20 "$DIR/web.log" "$DIR/worker.log" >&2 || true
    stop
    exit 1
}

stop() {
    for name in web worker; do
        [ -f "$DIR/$name.pid" ] || continue
        pid=$(cat "$DIR/$name.pid")
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid"
            for _ in $(seq 1 25); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
            kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
        fi
        rm -f "$DIR/$name.pid"
    done
}

case "${1:-run}" in
    run)
        trap stop EXIT INT TERM
        start
        echo "Ctrl-C dừng cả hai."
        wait
        ;;
    smoke)
        trap stop EXIT INT TERM
        start
        timeout 300 "$PY" scripts/smoke.py "$BASE_URL"
        ;;
    start) start ;;
    stop) stop ;;
    load)
        trap stop EXIT INT TERM
        export BONTOT_SERVER_TIMING=1
        start kept
        "$PY" manage.py load_plan --code "${LOAD_CODE:-PV}" --communes "${LOAD_COMMUNES:-24}" \
            --out "$DIR/load-plan.json"
        rm -f "$DIR/load-figures.json"
        LOAD_PLAN="$DIR/load-plan.json" LOAD_FIGURES="$DIR/load-figures.json" \
            .venv-load/bin/locust -f benchmarking/locustfile.py --headless --only-summary \
            -u "${LOAD_USERS:-60}" -r "${LOAD_RATE:-2}" -t "${LOAD_TIME:-5m}" \
            --host "$BASE_URL" --csv "$DIR/load" --exit-code-on-error 0 || true
        cat "$DIR/load-figures.json"
        ;;
    *) echo "usage: $0 run|smoke|start|stop|load" >&2; exit 2 ;;
esac
