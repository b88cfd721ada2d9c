#!/usr/bin/env bash
# Runs a command (default: the type check, the linters, then every mocha test) with the servers the function
# tests need, started fresh and thrown away afterwards:
#   - PostgreSQL from Debian's packages (installed with apt-get when missing, as root or with
#     passwordless sudo): a new cluster in a temporary directory on a free loopback port,
#     password-authenticated, TLS offered with a certificate of a throwaway CA;
#   - redis-server from Debian's packages (redis-server, installed the same way), standing in for
#     ElastiCache Valkey as it runs there: TLS only (the same throwaway CA) and a password
#     (requirepass), on a free loopback port;
#   - fauxqs, the SQS/SNS/S3 emulator from npm, on a free loopback port;
#   - nginx from Debian's packages (nginx-light, installed the same way), which the web servers'
#     configuration test starts itself;
#   - Chromium from Debian's packages (installed the same way), which the diagram tests drive
#     headless through playwright-core.
# It exports TEST_PG_*, TEST_REDIS_*, TEST_TLS_CA, TEST_AWS_ENDPOINT, TEST_NGINX and TEST_CHROMIUM
# for the tests and stops everything on exit.
#
#   test/with-services.sh                  # what `npm test` runs
#   test/with-services.sh <command...>     # any command (`npm run test:app` runs mocha on test/app/ only)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "with-services: $*" >&2; }

postgres_bin() {
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then echo "$dir"; return 0; fi
    done
    return 1
}

nginx_bin() { command -v nginx 2>/dev/null || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; }; }
redis_bin() { command -v redis-server 2>/dev/null || { [[ -x /usr/bin/redis-server ]] && echo /usr/bin/redis-server; }; }
chromium_bin() { [[ -x /usr/bin/chromium ]] && echo /usr/bin/chromium; }

# What is missing comes from Debian in one apt-get run.
MISSING=()
PG_BIN=$(postgres_bin) || MISSING+=(postgresql)
NGINX_BIN=$(nginx_bin) || MISSING+=(nginx-light)
REDIS_BIN=$(redis_bin) || MISSING+=(redis-server)
command -v openssl >/dev/null || MISSING+=(openssl)
CHROMIUM_BIN=$(chromium_bin) || MISSING+=(chromium)
if [[ ${#MISSING[@]} -gt 0 ]]; then
    SUDO=""
    [[ $(id -u) -ne 0 ]] && sudo -n true 2>/dev/null && SUDO="sudo -n"
    if { [[ $(id -u) -ne 0 ]] && [[ -z "$SUDO" ]]; } || ! command -v apt-get >/dev/null; then
        log "missing Debian packages: ${MISSING[*]}; install them (apt-get install ${MISSING[*]}) and retry"
        exit 1
    fi
    log "installing ${MISSING[*]} (apt-get install)"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${MISSING[@]}" >/dev/null
    # The packages may start their own PostgreSQL cluster or nginx; the tests run throwaway ones beside them.
    PG_BIN=$(postgres_bin)
    NGINX_BIN=$(nginx_bin)
    # The package starts its own redis-server on 6379; the tests run a throwaway one beside it.
    REDIS_BIN=$(redis_bin)
    CHROMIUM_BIN=$(chromium_bin)
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/shop-test-services.XXXXXX")
PG_DATA="$WORK/pgdata"
EMULATOR_PID=""
PG_STARTED=""
REDIS_PID=""

# initdb refuses to run as root: as root, the cluster belongs to the postgres user.
PG_OS_USER=""
if [[ $(id -u) -eq 0 ]]; then
    PG_OS_USER=postgres
    id -u "$PG_OS_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_OS_USER"
    chown "$PG_OS_USER" "$WORK"
fi
as_pg() { if [[ -n "$PG_OS_USER" ]]; then runuser -u "$PG_OS_USER" -- "$@"; else "$@"; fi; }

cleanup() {
    local status=$?
    set +e # every step runs, whatever the one before it returned
    if [[ -n "$EMULATOR_PID" ]]; then
        kill "$EMULATOR_PID" 2>/dev/null
        wait "$EMULATOR_PID" 2>/dev/null
    fi
    if [[ -n "$REDIS_PID" ]]; then
        # The outage tests may have replaced the server this script started: stop the one running.
        local pid
        for pid in "$REDIS_PID" $(cat "$WORK/redis.pid" 2>/dev/null); do kill "$pid" 2>/dev/null; done
        for _ in $(seq 50); do kill -0 "$REDIS_PID" 2>/dev/null || break; sleep 0.1; done
    fi
    [[ -n "$PG_STARTED" ]] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" stop -m fast -w >/dev/null 2>&1
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# A throwaway CA and one server certificate for 127.0.0.1/localhost, used by PostgreSQL and redis,
# so that the clients' verify-full path (CA and host name checked) runs in the tests too.
TLS="$WORK/tls"
mkdir -p "$TLS"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=shop test CA" \
    -keyout "$TLS/ca.key" -out "$TLS/ca.crt" >/dev/null 2>&1
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$TLS/server.key" -out "$TLS/server.csr" >/dev/null 2>&1
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >"$TLS/server.ext"
openssl x509 -req -in "$TLS/server.csr" -CA "$TLS/ca.crt" -CAkey "$TLS/ca.key" -CAcreateserial -days 2 \
    -extfile "$TLS/server.ext" -out "$TLS/server.crt" >/dev/null 2>&1
chmod 600 "$TLS/server.key"
[[ -n "$PG_OS_USER" ]] && chown -R "$PG_OS_USER" "$TLS"
chmod 755 "$TLS" && chmod 644 "$TLS/ca.crt" "$TLS/server.crt"

PG_PASSWORD=$(node -e 'console.log(require("crypto").randomBytes(18).toString("base64url"))')
PG_PORT=$(free_port)
echo "$PG_PASSWORD" >"$WORK/pwfile"
chmod 600 "$WORK/pwfile"
[[ -n "$PG_OS_USER" ]] && chown "$PG_OS_USER" "$WORK/pwfile"
as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --pwfile="$WORK/pwfile" --auth=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log" >&2; exit 1; }
rm -f "$WORK/pwfile"
# Settings live in the cluster's configuration so the tests can stop and start it as it was.
# fsync off: a throwaway cluster. Committed data still survives the outage tests' kill -9 of
# the server (the OS keeps what was written); synchronous_commit must stay on for that.
cat >>"$PG_DATA/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$WORK'
fsync = off
full_page_writes = off
max_connections = 100
ssl = on
ssl_cert_file = '$TLS/server.crt'
ssl_key_file = '$TLS/server.key'
EOF
PG_STARTED=1 # before the start, so that an interrupt during it still stops the server
as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$WORK/postgres.log" -w -t 30 start >/dev/null \
    || { cat "$WORK/postgres.log" >&2; exit 1; }
PGPASSWORD="$PG_PASSWORD" "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
    -c "CREATE DATABASE shop_test" >/dev/null

# redis-server as ElastiCache runs Valkey: TLS only (port 0 closes the plain port) and AUTH. Its
# configuration is a file, so that the cache outage tests can kill it and start it as it was.
REDIS_PASSWORD=$(node -e 'console.log(require("crypto").randomBytes(18).toString("base64url"))')
REDIS_PORT=$(free_port)
cat >"$WORK/redis.conf" <<EOF
bind 127.0.0.1
port 0
tls-port $REDIS_PORT
tls-cert-file $TLS/server.crt
tls-key-file $TLS/server.key
tls-ca-cert-file $TLS/ca.crt
tls-auth-clients no
requirepass $REDIS_PASSWORD
save ""
appendonly no
dir $WORK
logfile $WORK/redis.log
pidfile $WORK/redis.pid
EOF
"$REDIS_BIN" "$WORK/redis.conf" &
REDIS_PID=$!
disown "$REDIS_PID" # the outage tests kill it; the shell need not report that
for _ in $(seq 100); do grep -q "Ready to accept connections" "$WORK/redis.log" 2>/dev/null && break; sleep 0.1; done
grep -q "Ready to accept connections" "$WORK/redis.log" 2>/dev/null || { cat "$WORK/redis.log" >&2; log "redis-server did not start"; exit 1; }

node test/support/emulator.mjs "$WORK/emulator.port" >"$WORK/emulator.log" 2>&1 &
EMULATOR_PID=$!
for _ in $(seq 100); do [[ -s "$WORK/emulator.port" ]] && break; sleep 0.1; done
[[ -s "$WORK/emulator.port" ]] || { cat "$WORK/emulator.log" >&2; log "the SQS/S3 emulator did not start"; exit 1; }

export TEST_PG_HOST=127.0.0.1 TEST_PG_PORT="$PG_PORT" TEST_PG_USER=postgres TEST_PG_PASSWORD="$PG_PASSWORD" \
    TEST_PG_DATABASE=shop_test TEST_PG_BIN="$PG_BIN" TEST_PG_DATA="$PG_DATA" TEST_PG_LOG="$WORK/postgres.log" \
    TEST_PG_OS_USER="$PG_OS_USER" TEST_AWS_ENDPOINT="http://127.0.0.1:$(cat "$WORK/emulator.port")" \
    TEST_NGINX="$NGINX_BIN" TEST_CHROMIUM="$CHROMIUM_BIN" TEST_TLS_CA="$TLS/ca.crt" \
    TEST_REDIS_HOST=127.0.0.1 TEST_REDIS_PORT="$REDIS_PORT" TEST_REDIS_PASSWORD="$REDIS_PASSWORD" \
    TEST_REDIS_BIN="$REDIS_BIN" TEST_REDIS_CONF="$WORK/redis.conf" TEST_REDIS_PIDFILE="$WORK/redis.pid"

if [[ $# -eq 0 ]]; then
    npm run --silent typecheck
    npm run --silent lint
    npx mocha
else
    "$@"
fi
