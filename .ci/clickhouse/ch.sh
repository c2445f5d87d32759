#!/usr/bin/env bash
# ch.sh - run a private, throw-away ClickHouse server (Debian 12 package, 18.16.1) for
# make test-clickhouse; adapted from the prototype in the ClickHouse research notes.
#   ch.sh start DIR   write DIR/config.xml + DIR/users.xml, start clickhouse-server in
#                     the foreground mode (no --daemon) as a background child, wait
#                     until it answers SELECT 1, print elapsed time.
#   ch.sh stop DIR    SIGTERM the server recorded in DIR/clickhouse.pid, wait for it to
#                     exit (SIGKILL after CH_STOP_TIMEOUT seconds).
#   ch.sh status DIR  exit 0 if running and answering.
#
# Everything (data, tmp, logs, preprocessed configs, user_files) lives under DIR.
# /etc/clickhouse-server and /var/lib/clickhouse are not used.
#
# Environment:
#   CH_TCP_PORT  (default 19417)   native protocol port, 127.0.0.1 only
#   CH_HTTP_PORT (default 18417)   HTTP port, 127.0.0.1 only
#   CH_RUN_AS    (default: empty = current user). 18.16 runs fine as root; set e.g.
#                CH_RUN_AS=clickhouse to drop privileges (DIR is chowned, setpriv is used
#                so the recorded pid is the server itself, not a wrapper).
#   CH_START_TIMEOUT (default 30), CH_STOP_TIMEOUT (default 30)
set -euo pipefail

CH_TCP_PORT=${CH_TCP_PORT:-19417}
CH_HTTP_PORT=${CH_HTTP_PORT:-18417}
CH_RUN_AS=${CH_RUN_AS:-}
CH_START_TIMEOUT=${CH_START_TIMEOUT:-30}
CH_STOP_TIMEOUT=${CH_STOP_TIMEOUT:-30}
SERVER_BIN=${CH_SERVER_BIN:-/usr/sbin/clickhouse-server}

die() { echo "ch.sh: $*" >&2; exit 1; }
now() { date +%s.%N; }
alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
ping_ok() { clickhouse-client --host 127.0.0.1 --port "$CH_TCP_PORT" -q 'SELECT 1' >/dev/null 2>&1; }

write_config() {
  local d=$1
  cat >"$d/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <logger>
    <level>information</level>
    <log>$d/log/clickhouse-server.log</log>
    <errorlog>$d/log/clickhouse-server.err.log</errorlog>
    <size>100M</size>
    <count>2</count>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <tcp_port>$CH_TCP_PORT</tcp_port>
  <http_port>$CH_HTTP_PORT</http_port>
  <path>$d/data/</path>
  <tmp_path>$d/tmp/</tmp_path>
  <user_files_path>$d/user_files/</user_files_path>
  <format_schema_path>$d/format_schemas/</format_schema_path>
  <users_config>$d/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <umask>022</umask>
  <mark_cache_size>268435456</mark_cache_size>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <max_concurrent_queries>20</max_concurrent_queries>
  <builtin_dictionaries_reload_interval>0</builtin_dictionaries_reload_interval>
</yandex>
EOF
  cat >"$d/users.xml" <<'EOF'
<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>4000000000</max_memory_usage>
      <!-- parse ISO-8601 "2026-11-29T16:59:05.123Z" into DateTime on input -->
      <date_time_input_format>best_effort</date_time_input_format>
    </default>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas>
    <default>
      <interval>
        <duration>3600</duration>
        <queries>0</queries><errors>0</errors><result_rows>0</result_rows>
        <read_rows>0</read_rows><execution_time>0</execution_time>
      </interval>
    </default>
  </quotas>
</yandex>
EOF
}

cmd_start() {
  local d=$1
  mkdir -p "$d"
  d=$(cd "$d" && pwd)
  local pidf="$d/clickhouse.pid"
  if [ -f "$pidf" ] && alive "$(cat "$pidf")"; then
    die "already running (pid $(cat "$pidf")) for $d"
  fi
  if ping_ok; then
    die "something already answers on 127.0.0.1:$CH_TCP_PORT"
  fi
  mkdir -p "$d"/{data,tmp,log,user_files,format_schemas}
  write_config "$d"
  local -a launcher=()
  if [ -n "$CH_RUN_AS" ]; then
    id "$CH_RUN_AS" >/dev/null 2>&1 || die "no such user $CH_RUN_AS"
    chown -R "$CH_RUN_AS": "$d"
    # setpriv execs directly (runuser forks and stays as parent)
    launcher=(setpriv --reuid="$CH_RUN_AS" --regid="$(id -g "$CH_RUN_AS")" --init-groups --)
  fi
  local t0; t0=$(now)
  # No --daemon: the server stays a plain child process; stdout/stderr to a file.
  # setsid: own session so Ctrl-C in the caller's terminal does not hit it.
  setsid "${launcher[@]}" "$SERVER_BIN" --config-file="$d/config.xml" \
    >"$d/log/stdout.log" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$pidf"
  local deadline; deadline=$(( $(date +%s) + CH_START_TIMEOUT ))
  until ping_ok; do
    if ! alive "$pid"; then
      echo "ch.sh: server exited during startup; last log lines:" >&2
      tail -n 20 "$d/log/stdout.log" "$d/log/clickhouse-server.err.log" >&2 2>/dev/null || true
      rm -f "$pidf"
      exit 1
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      kill "$pid" 2>/dev/null || true
      die "server did not answer within ${CH_START_TIMEOUT}s (pid $pid killed)"
    fi
    sleep 0.1
  done
  local t1; t1=$(now)
  printf 'ch.sh: started pid %s tcp 127.0.0.1:%s http 127.0.0.1:%s dir %s in %.2fs\n' \
    "$pid" "$CH_TCP_PORT" "$CH_HTTP_PORT" "$d" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')"
}

cmd_stop() {
  local d=$1
  [ -d "$d" ] || die "no such dir $d"
  d=$(cd "$d" && pwd)
  local pidf="$d/clickhouse.pid"
  [ -f "$pidf" ] || { echo "ch.sh: not running (no pid file)"; return 0; }
  local pid; pid=$(cat "$pidf")
  if ! alive "$pid"; then
    echo "ch.sh: not running (stale pid $pid)"; rm -f "$pidf"; return 0
  fi
  # make sure the pid really is our server (pid reuse)
  if ! tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "--config-file=$d/config.xml"; then
    die "pid $pid is not the clickhouse-server for $d; not killing"
  fi
  local t0; t0=$(now)
  kill -TERM "$pid"
  local deadline; deadline=$(( $(date +%s) + CH_STOP_TIMEOUT ))
  while alive "$pid"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "ch.sh: pid $pid did not exit after SIGTERM, sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.1
  done
  rm -f "$pidf"
  printf 'ch.sh: stopped pid %s in %.2fs\n' "$pid" "$(awk -v a="$t0" -v b="$(now)" 'BEGIN{print b-a}')"
}

cmd_status() {
  local d; d=$(cd "$1" && pwd)
  local pidf="$d/clickhouse.pid"
  if [ -f "$pidf" ] && alive "$(cat "$pidf")" && ping_ok; then
    echo "running pid $(cat "$pidf")"; return 0
  fi
  echo "not running"; return 1
}

[ $# -eq 2 ] || die "usage: ch.sh start|stop|status DIR"
case $1 in
  start) cmd_start "$2" ;;
  stop) cmd_stop "$2" ;;
  status) cmd_status "$2" ;;
  *) die "usage: ch.sh start|stop|status DIR" ;;
esac
