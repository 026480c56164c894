#!/usr/bin/env bash
# Run a real, local Neo4j Community 5.26 server for development and CI, built
# only from Maven Central jars (no Docker, no tarball).
#
#   scripts/neo4j.sh up      fetch jars if needed, configure, start, wait for Bolt
#   scripts/neo4j.sh down    stop the server (data is kept)
#   scripts/neo4j.sh status  is it running and answering? (exit 0 yes, 3 no)
#   scripts/neo4j.sh env     print export lines for TRACEGRAPH_NEO4J_*
#   scripts/neo4j.sh reset   down, then delete data and password (fresh start)
#
# Everything lives in <repo>/.neo4j (git-ignored): lib-<version>/ (jars),
# conf/neo4j.conf, data/, logs/ (console.log = server stdout/stderr),
# neo4j.pid and password (mode 600, generated on first `up`).
#
# Environment:
#   TRACEGRAPH_NEO4J_BOLT_PORT   Bolt port on 127.0.0.1 (default 7687)
#   TRACEGRAPH_NEO4J_HTTP_PORT   enable the HTTP connector on 127.0.0.1:<port>
#                                (default: HTTP disabled; nothing here needs it)
#   TRACEGRAPH_NEO4J_HEAP        JVM heap, initial = max (default 8g; see JVM_FLAGS)
#   TRACEGRAPH_NEO4J_PAGECACHE   page cache (default 2g)
#   TRACEGRAPH_NEO4J_TX_MEMORY   db.memory.transaction.max, one transaction (default 2g)
#   TRACEGRAPH_NEO4J_TX_TOTAL    all transactions together (default 3g; as compose.yaml)
#   TRACEGRAPH_NEO4J_TX_TIMEOUT  db.transaction.timeout (default 120s)
#   TRACEGRAPH_NEO4J_TX_STATE    db.tx_state.memory_allocation (default ON_HEAP;
#                                OFF_HEAP measured ~10% slower on 100k-row bundles)
#   TRACEGRAPH_NEO4J_JVM_FLAGS   extra JVM flags, appended (e.g. -Xlog:gc:file=gc.log)
#   TRACEGRAPH_NEO4J_START_TIMEOUT  seconds `up` waits for Bolt (default 120)
#   TRACEGRAPH_NEO4J_DIR         cache folder (default <repo>/.neo4j)
#   TRACEGRAPH_NEO4J_LIB_DIR     the jars folder (default <cache folder>/lib-<version>); point a second
#                                server at an existing one to skip the Maven fetch
#   PYTHON                       python used for the Bolt check (default python3);
#                                uses the `neo4j` driver if importable, else a
#                                stdlib Bolt 4.4 client that also checks the password
#   JAVA                         java binary (default: $JAVA_HOME/bin/java or java)
#   MVN                          maven binary (default mvn)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd -P)"
POM="$SCRIPT_DIR/neo4j/pom.xml"

NEO4J_VERSION="$(sed -n 's:.*<neo4j.version>\(.*\)</neo4j.version>.*:\1:p' "$POM" | head -n1)"
[ -n "$NEO4J_VERSION" ] || { echo "neo4j.sh: cannot read <neo4j.version> from $POM" >&2; exit 2; }

N4J_DIR="${TRACEGRAPH_NEO4J_DIR:-$REPO_ROOT/.neo4j}"
LIB_DIR="${TRACEGRAPH_NEO4J_LIB_DIR:-$N4J_DIR/lib-$NEO4J_VERSION}"
CONF_DIR="$N4J_DIR/conf"
CONF_FILE="$CONF_DIR/neo4j.conf"
DATA_DIR="$N4J_DIR/data"
LOG_DIR="$N4J_DIR/logs"
RUN_DIR="$N4J_DIR/run"
CONSOLE_LOG="$LOG_DIR/console.log"
PID_FILE="$N4J_DIR/neo4j.pid"
PASSWORD_FILE="$N4J_DIR/password"

NEO4J_USER="neo4j"
BIND_HOST="127.0.0.1"
HEAP="${TRACEGRAPH_NEO4J_HEAP:-8g}"
PAGECACHE="${TRACEGRAPH_NEO4J_PAGECACHE:-2g}"
TX_MEMORY="${TRACEGRAPH_NEO4J_TX_MEMORY:-2g}"
TX_TOTAL="${TRACEGRAPH_NEO4J_TX_TOTAL:-3g}"
TX_TIMEOUT="${TRACEGRAPH_NEO4J_TX_TIMEOUT:-120s}"
TX_STATE="${TRACEGRAPH_NEO4J_TX_STATE:-ON_HEAP}"
START_TIMEOUT="${TRACEGRAPH_NEO4J_START_TIMEOUT:-120}"
STOP_TIMEOUT=60
PYTHON="${PYTHON:-python3}"
MVN="${MVN:-mvn}"
if [ -z "${JAVA:-}" ]; then
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA="java"; fi
fi
JAVAC="${JAVAC:-$(dirname "$(command -v "$JAVA" 2>/dev/null || echo java)")/javac}"
[ -x "$JAVAC" ] || JAVAC="javac"
ENTRY_POINT="org.neo4j.server.CommunityEntryPoint"
PROC_SRC="$REPO_ROOT/scripts/neo4j/procedures/src"

# JVM flags of the official 5.x launcher (the server.jvm.additional lines of the
# stock neo4j.conf) minus -XX:+AlwaysPreTouch (slower start, RSS = full heap), and with another collector.
JVM_FLAGS=(
  -XX:-OmitStackTraceInFastThrow
  -XX:+UnlockExperimentalVMOptions
  -XX:+TrustFinalNonStaticFields
  -XX:+DisableExplicitGC
  -Djdk.nio.maxCachedBufferSize=1024
  -Dio.netty.tryReflectionSetAccessible=true
  -Djdk.tls.ephemeralDHKeySize=2048
  -Djdk.tls.rejectClientInitiatedRenegotiation=true
  -XX:FlightRecorderOptions=stackdepth=256
  -XX:+UnlockDiagnosticVMOptions
  -XX:+DebugNonSafepoints
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  -Dlog4j2.disable.jmx=true
  -Dlog4j.layout.jsonTemplate.maxStringLength=32768
  # The throughput collector instead of the official launcher's G1. A bundle write allocates gigabytes
  # of short-lived objects while holding a few hundred MB of transaction state: on 2 cores G1's
  # evacuation pauses reached 1-4 s per load, and its barriers cost the writes themselves. Observed ad
  # hoc (one-off script, not a bench/ figure), 120k-row M bundle, warm server, 4 loads each: server CPU
  # per load 7.4-8.1 s with G1 (young generation 70-80% of the heap), 6.1-6.8 s with ParallelGC. Reads
  # allocate little either way.
  # Half of the heap for the young generation (the collector's default is a third): with a third of
  # 8g the survivor spaces were too small for a load's live transaction state, which was then copied at
  # every young collection and promoted (the old generation grew by 0.3-0.5 GB per load). Observed ad
  # hoc the same way, M bundle, fresh server, 5 warm loads per round: collector pauses 6.0-7.2 s per
  # round with a third of 8g, 2.1-2.4 s with half of 8g or a third of 12g, and the old generation no
  # longer grows. Load medians: 16.5k rows/s with a third of 8g against 17.5k with a third of 12g (five
  # rounds alternating), then 17.9k with half of 8g against 15.8k with a third of 12g (two rounds, a
  # slower hour). The 12g heap also got the server killed for memory when the embedded store's L
  # benchmark (~12 GB) ran beside it.
  -XX:NewRatio=1
  -XX:+UseParallelGC
)
# Word splitting intended: the variable holds a list of flags.
# shellcheck disable=SC2206
JVM_FLAGS+=(${TRACEGRAPH_NEO4J_JVM_FLAGS:-})

log() { echo "neo4j.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------- ports/config

conf_get() { # key -> value from the written config, or empty
  [ -f "$CONF_FILE" ] && sed -n "s/^$1=//p" "$CONF_FILE" | tail -n1 || true
}

bolt_port() {
  if [ -n "${TRACEGRAPH_NEO4J_BOLT_PORT:-}" ]; then echo "$TRACEGRAPH_NEO4J_BOLT_PORT"; return; fi
  local addr; addr="$(conf_get server.bolt.listen_address)"
  if [ -n "$addr" ]; then echo "${addr##*:}"; else echo 7687; fi
}

bolt_uri() { echo "bolt://$BIND_HOST:$(bolt_port)"; }

read_password() { [ -s "$PASSWORD_FILE" ] && cat "$PASSWORD_FILE" || true; }

# ---------------------------------------------------------------- process state

server_pid() { # prints pid if the pid file points at a live Neo4j server
  [ -f "$PID_FILE" ] || return 1
  local pid; pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # guard against a recycled pid
  if [ -r "/proc/$pid/cmdline" ] && ! tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "$ENTRY_POINT"; then
    return 1
  fi
  echo "$pid"
}

# Runs RETURN 1 over Bolt with the stored password. Exit 0 when it answers 1.
bolt_check() {
  local port="$1" password="$2"
  BOLT_PORT="$port" BOLT_USER="$NEO4J_USER" BOLT_PASSWORD="$password" BOLT_HOST="$BIND_HOST" \
    "$PYTHON" - <<'PY' 2>/dev/null
import os, socket, struct, sys
host, port = os.environ["BOLT_HOST"], int(os.environ["BOLT_PORT"])
user, password = os.environ["BOLT_USER"], os.environ["BOLT_PASSWORD"]
try:
    import neo4j  # the project's venv has the driver
except ImportError:
    neo4j = None
if neo4j is not None:
    with neo4j.GraphDatabase.driver(f"bolt://{host}:{port}", auth=(user, password),
                                    connection_timeout=3, max_connection_lifetime=10) as d:
        recs, _, _ = d.execute_query("RETURN 1 AS x", database_="neo4j")
        sys.exit(0 if recs and recs[0]["x"] == 1 else 1)
# Minimal stdlib Bolt 4.4 client: handshake, HELLO (with credentials), RUN, PULL.
def pack_str(s):
    b = s.encode()
    if len(b) < 16: return bytes([0x80 | len(b)]) + b
    if len(b) < 256: return b"\xd0" + bytes([len(b)]) + b
    return b"\xd1" + struct.pack(">H", len(b)) + b
def pack_map(m):
    out = bytes([0xA0 | len(m)])
    for k, v in m.items():
        out += pack_str(k)
        out += pack_str(v) if isinstance(v, str) else (pack_map(v) if isinstance(v, dict) else bytes([v & 0xFF]))
    return out
def send(sock, tag, *fields):
    body = bytes([0xB0 | len(fields), tag]) + b"".join(fields)
    sock.sendall(struct.pack(">H", len(body)) + body + b"\x00\x00")
def recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk: raise EOFError
        buf += chunk
    return buf
def recv(sock):
    msg = b""
    while True:
        size = struct.unpack(">H", recv_exact(sock, 2))[0]
        if size == 0:
            if msg: return msg
            continue
        msg += recv_exact(sock, size)
s = socket.create_connection((host, port), timeout=5)
s.sendall(b"\x60\x60\xb0\x17" + bytes([0, 0, 4, 4]) + b"\x00" * 12)
if recv_exact(s, 4) != bytes([0, 0, 4, 4]): sys.exit(1)
send(s, 0x01, pack_map({"user_agent": "tracegraph-neo4j.sh/1", "scheme": "basic",
                        "principal": user, "credentials": password}))
if recv(s)[1] != 0x70: sys.exit(1)          # SUCCESS, else FAILURE (bad password)
send(s, 0x10, pack_str("RETURN 1"), pack_map({}), pack_map({"db": "neo4j"}))
if recv(s)[1] != 0x70: sys.exit(1)
send(s, 0x3F, b"\xA1" + pack_str("n") + b"\xff")  # PULL {n: -1}
rec = recv(s)
ok = rec[1] == 0x71 and rec[2:] == b"\x91\x01"   # RECORD [1]
send(s, 0x02); s.close()
sys.exit(0 if ok else 1)
PY
}

port_in_use() {
  "$PYTHON" - "$1" <<'PY' 2>/dev/null
import socket, sys
s = socket.socket()
s.settimeout(1)
sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)
PY
}

# ---------------------------------------------------------------- steps

fetch_jars() {
  if [ -f "$LIB_DIR/.complete" ]; then return; fi
  command -v "$MVN" >/dev/null 2>&1 || die "maven ($MVN) not found"
  log "fetching Neo4j $NEO4J_VERSION jars from Maven Central into ${LIB_DIR#"$REPO_ROOT"/} ..."
  local t0=$SECONDS tmp="$LIB_DIR.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$N4J_DIR"
  if ! "$MVN" -B -q -f "$POM" dependency:copy-dependencies \
        -DoutputDirectory="$tmp" -DincludeScope=runtime >"$N4J_DIR/fetch.log" 2>&1; then
    tail -n 30 "$N4J_DIR/fetch.log" >&2
    rm -rf "$tmp"
    die "maven fetch failed (full output in $N4J_DIR/fetch.log)"
  fi
  ls "$tmp"/neo4j-"$NEO4J_VERSION".jar >/dev/null 2>&1 || die "fetch incomplete: no neo4j-$NEO4J_VERSION.jar"
  rm -rf "$LIB_DIR"
  mv "$tmp" "$LIB_DIR"
  touch "$LIB_DIR/.complete"
  log "fetched $(ls "$LIB_DIR"/*.jar | wc -l) jars in $((SECONDS - t0))s"
}

# tracegraph's server-side procedures (scripts/neo4j/procedures): compiled against the very jars the
# server runs, into plugins/, and rebuilt only when their sources change. The service works without
# them (it falls back to plain Cypher), so a failed build is a warning, not a failed start.
build_procedures() {
  local plugins="$N4J_DIR/plugins" jar="$N4J_DIR/plugins/tracegraph-procedures.jar" stamp sum
  mkdir -p "$plugins"
  sum="$(cat "$PROC_SRC"/org/tracegraph/*.java | cksum | cut -d' ' -f1)-$NEO4J_VERSION"
  stamp="$plugins/.tracegraph-procedures.$sum"
  if [ -f "$jar" ] && [ -f "$stamp" ]; then return 0; fi
  local out; out="$(mktemp -d)"
  if "$JAVAC" -nowarn -d "$out" -cp "$LIB_DIR/*" "$PROC_SRC"/org/tracegraph/*.java >"$LOG_DIR/procedures-build.log" 2>&1 \
      && "$(dirname "$JAVAC")/jar" cf "$jar.tmp" -C "$out" . 2>>"$LOG_DIR/procedures-build.log"; then
    mv "$jar.tmp" "$jar"
    rm -f "$plugins"/.tracegraph-procedures.*
    touch "$stamp"
    log "built tracegraph procedures into ${jar#"$REPO_ROOT"/}"
  else
    rm -f "$jar.tmp"
    log "warning: could not build tracegraph procedures (see $LOG_DIR/procedures-build.log); traces use plain Cypher"
  fi
  rm -rf "$out"
}

write_conf() {
  local port="$1" http_port="${TRACEGRAPH_NEO4J_HTTP_PORT:-}"
  mkdir -p "$CONF_DIR" "$DATA_DIR" "$LOG_DIR" "$RUN_DIR" "$N4J_DIR/plugins" "$N4J_DIR/import"
  {
    echo "# Generated by scripts/neo4j.sh on every 'up'; edits are overwritten."
    echo "server.directories.lib=$LIB_DIR"
    echo "server.directories.data=$DATA_DIR"
    echo "server.directories.logs=$LOG_DIR"
    echo "server.directories.run=$RUN_DIR"
    echo "server.directories.plugins=$N4J_DIR/plugins"
    echo "server.directories.import=$N4J_DIR/import"
    echo "server.default_listen_address=$BIND_HOST"
    echo "server.default_advertised_address=$BIND_HOST"
    echo "server.bolt.enabled=true"
    echo "server.bolt.listen_address=$BIND_HOST:$port"
    echo "server.bolt.advertised_address=$BIND_HOST:$port"
    echo "server.bolt.tls_level=DISABLED"
    if [ -n "$http_port" ] && [ "$http_port" != "0" ]; then
      echo "server.http.enabled=true"
      echo "server.http.listen_address=$BIND_HOST:$http_port"
      echo "server.http.advertised_address=$BIND_HOST:$http_port"
    else
      echo "server.http.enabled=false"
    fi
    echo "server.https.enabled=false"
    echo "dbms.security.auth_enabled=true"
    echo "dbms.usage_report.enabled=false"
    echo "server.memory.heap.initial_size=$HEAP"
    echo "server.memory.heap.max_size=$HEAP"
    echo "server.memory.pagecache.size=$PAGECACHE"
    echo "dbms.memory.transaction.total.max=$TX_TOTAL"
    echo "db.memory.transaction.total.max=$TX_TOTAL"
    echo "db.memory.transaction.max=$TX_MEMORY"
    echo "db.transaction.timeout=$TX_TIMEOUT"
    echo "db.tx_state.memory_allocation=$TX_STATE"
    echo "db.tx_log.rotation.retention_policy=2 files"
    local f; for f in "${JVM_FLAGS[@]}"; do echo "server.jvm.additional=$f"; done
  } >"$CONF_FILE.tmp"
  mv "$CONF_FILE.tmp" "$CONF_FILE"
}

ensure_password() {
  local pw; pw="$(read_password)"
  if [ -d "$DATA_DIR/databases/system" ]; then
    [ -n "$pw" ] || die "database exists but $PASSWORD_FILE is missing; run '$0 reset' for a fresh server"
    return
  fi
  # No system database yet (first run, or data deleted): (re)apply the initial
  # password with neo4j-admin's `dbms set-initial-password`, run straight from
  # the jars. It writes data/dbms/auth.ini, consumed when the system database
  # is created on first start.
  if [ -z "$pw" ]; then
    pw="$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
    log "first run: generating a password for user '$NEO4J_USER' (stored in ${PASSWORD_FILE#"$REPO_ROOT"/})"
  fi
  if ! NEO4J_HOME="$N4J_DIR" NEO4J_CONF="$CONF_DIR" "$JAVA" -cp "$LIB_DIR/*" -Xmx512m -Dfile.encoding=UTF-8 \
        "${JVM_FLAGS[@]}" org.neo4j.cli.AdminTool dbms set-initial-password "$pw" \
        >"$LOG_DIR/set-initial-password.log" 2>&1 </dev/null; then
    cat "$LOG_DIR/set-initial-password.log" >&2
    die "neo4j-admin dbms set-initial-password failed"
  fi
  if [ "$(read_password)" != "$pw" ]; then
    (umask 077; printf '%s\n' "$pw" >"$PASSWORD_FILE.tmp")
    chmod 600 "$PASSWORD_FILE.tmp"
    mv "$PASSWORD_FILE.tmp" "$PASSWORD_FILE"
  fi
}

wait_for_bolt() {
  local pid="$1" port="$2" pw="$3" t0=$SECONDS
  while :; do
    if bolt_check "$port" "$pw"; then
      log "Neo4j $NEO4J_VERSION is up on $(bolt_uri) (pid $pid, ready after $((SECONDS - t0))s)"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      log "server process $pid exited; last lines of ${CONSOLE_LOG}:"
      tail -n 40 "$CONSOLE_LOG" >&2 || true
      rm -f "$PID_FILE"
      return 1
    fi
    if [ $((SECONDS - t0)) -ge "$START_TIMEOUT" ]; then
      log "no Bolt answer on port $port after ${START_TIMEOUT}s; last lines of ${CONSOLE_LOG}:"
      tail -n 40 "$CONSOLE_LOG" >&2 || true
      [ -f "$LOG_DIR/neo4j.log" ] && tail -n 20 "$LOG_DIR/neo4j.log" >&2
      return 1
    fi
    sleep 1
  done
}

# ---------------------------------------------------------------- commands

cmd_up() {
  local port pid pw
  "$PYTHON" -c 'import sys' 2>/dev/null || die "python ($PYTHON) not runnable; set PYTHON"
  if pid="$(server_pid)"; then
    port="$(bolt_port)"
    local running_port; running_port="$(conf_get server.bolt.listen_address)"; running_port="${running_port##*:}"
    if [ -n "$running_port" ] && [ "$running_port" != "$port" ]; then
      log "warning: server already running on port $running_port (requested $port); 'down' first to change it"
      port="$running_port"
    fi
    if bolt_check "$port" "$(read_password)"; then
      log "already running and answering on bolt://$BIND_HOST:$port (pid $pid)"
      return 0
    fi
    log "server process $pid is running but not answering yet; waiting"
    wait_for_bolt "$pid" "$port" "$(read_password)"
    return
  fi
  rm -f "$PID_FILE"

  command -v "$JAVA" >/dev/null 2>&1 || die "java ($JAVA) not found"
  port="${TRACEGRAPH_NEO4J_BOLT_PORT:-7687}"
  fetch_jars
  write_conf "$port"
  build_procedures
  ensure_password
  pw="$(read_password)"
  if port_in_use "$port"; then
    die "port $BIND_HOST:$port is taken by another process (set TRACEGRAPH_NEO4J_BOLT_PORT)"
  fi

  log "starting Neo4j $NEO4J_VERSION (heap $HEAP, page cache $PAGECACHE, bolt $BIND_HOST:$port)"
  # What `neo4j console` runs (see `Neo4jCommand console --dry-run`), with the
  # JVM flags and heap that the launcher would read from neo4j.conf.
  (
    cd "$N4J_DIR"
    NEO4J_HOME="$N4J_DIR" NEO4J_CONF="$CONF_DIR" exec nohup "$JAVA" \
      -cp "$LIB_DIR/*" \
      "${JVM_FLAGS[@]}" \
      -Dfile.encoding=UTF-8 "-Xms$HEAP" "-Xmx$HEAP" \
      "$ENTRY_POINT" --home-dir="$N4J_DIR" --config-dir="$CONF_DIR" --console-mode \
      >"$CONSOLE_LOG" 2>&1 </dev/null
  ) &
  pid=$!
  echo "$pid" >"$PID_FILE"
  if ! wait_for_bolt "$pid" "$port" "$pw"; then
    exit 1
  fi
}

cmd_down() {
  local pid
  if ! pid="$(server_pid)"; then
    rm -f "$PID_FILE"
    log "not running"
    return 0
  fi
  log "stopping Neo4j (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local t0=$SECONDS
  while kill -0 "$pid" 2>/dev/null; do
    if [ $((SECONDS - t0)) -ge "$STOP_TIMEOUT" ]; then
      log "still alive after ${STOP_TIMEOUT}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 0.5
  done
  rm -f "$PID_FILE"
  log "stopped after $((SECONDS - t0))s"
}

cmd_status() {
  local pid
  if pid="$(server_pid)"; then
    if bolt_check "$(bolt_port)" "$(read_password)"; then
      echo "running: pid $pid, $(bolt_uri), Neo4j $NEO4J_VERSION"
      return 0
    fi
    echo "starting or unhealthy: pid $pid, no Bolt answer on $(bolt_uri)"
    return 1
  fi
  echo "not running"
  return 3
}

cmd_env() {
  local pw; pw="$(read_password)"
  [ -n "$pw" ] || log "warning: no password yet ($PASSWORD_FILE); run 'up' first"
  echo "export TRACEGRAPH_NEO4J_URI=$(bolt_uri)"
  echo "export TRACEGRAPH_NEO4J_USER=$NEO4J_USER"
  echo "export TRACEGRAPH_NEO4J_PASSWORD=$pw"
}

cmd_reset() {
  cmd_down
  log "deleting $DATA_DIR and the password"
  rm -rf "$DATA_DIR" "$PASSWORD_FILE"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  env) cmd_env ;;
  reset) cmd_reset ;;
  *) echo "usage: $0 {up|down|status|env|reset}" >&2; exit 2 ;;
esac
