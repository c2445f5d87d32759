#!/usr/bin/env bash
# make test-windows: cross-builds frebscan.exe and runs it end to end under
# Wine (Debian's wine64), the closest thing to the Exchange servers it runs
# on that a Linux CI machine has. Every check prints PASS or FAIL with what
# it ran; the script exits 1 if any check failed.
#
# What Wine 8.0 can and cannot show (see docs/SCHEDULED.md, "Windows
# testing"): file locks (LockFileEx), renames over open files, drive
# letters and backslash paths, registry writes and schtasks /Create /XML
# are real. Event log writes are stubs that succeed and store nothing, so
# only the source registration in the registry can be checked. schtasks
# stores the task but never runs it. Wine cannot create Windows symbolic
# links or junctions (CreateSymbolicLinkW is a stub) and shows Unix links
# under Z: as plain files, so the reparse-point refusal is not exercised
# here; the Unix suite covers links.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
GO="${GO:-go}"
export WINEPREFIX="${WINEPREFIX:-/tmp/frebscan-wine}" WINEDEBUG="${WINEDEBUG:--all}"
export WINEDLLOVERRIDES="${WINEDLLOVERRIDES:-mscoree,mshtml=}"
unset DISPLAY WAYLAND_DISPLAY
WINE=/usr/lib/wine/wine64
WINESERVER=/usr/lib/wine/wineserver

"$here/setup-wine.sh" >/dev/null || { echo "FAIL: Wine setup (see above)"; exit 1; }

work="$(mktemp -d /tmp/frebscan-e2e.XXXXXX)"
cdrive="$WINEPREFIX/drive_c/frebscan-e2e"
cleanup() {
  "$WINESERVER" -k 2>/dev/null
  # Removed from Linux: os.RemoveAll fails under Wine 8 on non-empty
  # folders (no FileDispositionInformationEx).
  rm -rf "$work" "$cdrive"
}
trap cleanup EXIT

# win turns a Linux path into the Z: path Wine maps it to, with
# backslashes (Unix-style absolute paths resolve against the current drive
# under Wine and must not be used).
win() { local p="$1"; echo "Z:${p//\//\\}"; }

failures=0 checks=0
pass() { checks=$((checks + 1)); echo "PASS: $*"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL: $*"; }

# fs runs frebscan.exe under Wine with stdin closed; its exit status is
# in $rc, stdout in $out and stderr in $err.
fs() {
  "$WINE" "$work/frebscan.exe" "$@" </dev/null >"$work/stdout" 2>"$work/stderr"
  rc=$?
  out="$(cat "$work/stdout")"
  err="$(cat "$work/stderr")"
}

# expect NAME WANT-RC: checks the last fs run's exit status.
expect() {
  if [[ "$rc" == "$2" ]]; then pass "$1 (exit $rc)"; else
    fail "$1: exit $rc, want $2"; echo "  stderr: ${err:0:600}"; fi
}

contains() { # NAME HAYSTACK NEEDLE
  if [[ "$2" == *"$3"* ]]; then pass "$1"; else fail "$1: missing ${3@Q}"; echo "  got: ${2:0:600}"; fi
}

traces() { # the summary's trace count in a JSON report on stdin
  grep -m1 -o '"traces": [0-9]*' | grep -o '[0-9]*$'
}

count() { # number of files matching a glob
  local n=0 f
  for f in $1; do [[ -e "$f" ]] && n=$((n + 1)); done
  echo "$n"
}

start=$SECONDS
section() { echo "== $* ($((SECONDS - start)) s so far)"; }
section "build frebscan.exe"
(cd "$repo" && GOOS=windows GOARCH=amd64 CGO_ENABLED=0 "$GO" build -trimpath -o "$work/frebscan.exe" ./cmd/frebscan) \
  || { echo "FAIL: cross-build"; exit 1; }
mkdir -p "$work/in" "$work/var" "$work/out"
cp "$repo"/samples/via-persistent-auth/*.xml "$work/in/"
sample="$repo/samples/via-persistent-auth"

section "one-off scan and show of the samples"
fs version
expect "frebscan.exe starts under Wine (ProcessPrng shim)" 0
fs scan --format json --fail-on none "$(win "$sample")"
expect "scan samples\\via-persistent-auth" 0
contains "scan finds via-persistent-auth" "$out" '"rule": "via-persistent-auth"'
fs scan --fail-on high "$(win "$sample")"
expect "scan --fail-on high exits 1 on a high finding" 1
fs show "$(win "$sample/fr000002.xml")"
expect "show one trace by backslash path" 0
contains "show prints the trace's URL" "$out" "/"
fs scan --format json --fail-on none "Z:$sample"
expect "forward-slash Z: path" 0
contains "forward-slash path reads the traces" "$(traces <<<"$out")" "4"

section "scheduled runs with --state and --out-dir"
sched=(scan --state "$(win "$work/var/state.json")" --out-dir "$(win "$work/out")" --format json
  -o "$(win "$work/out/last-run.json")" --fail-on high --event-log on "$(win "$work/in")")
fs "${sched[@]}"
expect "first scheduled run (high findings: exit 1)" 1
contains "first run analysed the 4 traces" "$(traces <"$work/out/last-run.json")" "4"
[[ "$(count "$work/out/incident-*.json")" == 1 ]] && pass "one incident report written" || fail "incident reports: $(ls "$work/out")"
head -c 64 "$work/var/state.json" | grep -Eq '"format": ?"frebscan-state"' && pass "state has the frebscan-state header" \
  || fail "state header: $(head -c 64 "$work/var/state.json")"
"$WINE" reg query 'HKLM\SYSTEM\CurrentControlSet\Services\EventLog\Application\frebscan' </dev/null >/dev/null 2>&1 \
  && pass "event source registered in the registry (event writes themselves are Wine stubs)" \
  || fail "event source not registered"
fs "${sched[@]}"
expect "second scheduled run (nothing new: exit 0)" 0
contains "second run analysed no trace" "$(traces <"$work/out/last-run.json")" "0"
[[ "$(count "$work/out/incident-*.json")" == 1 ]] && pass "no second incident for the same traces" || fail "incidents: $(ls "$work/out")"

section "lock contention between two runs"
# The first run's notify command is a second frebscan run on the same
# state: it starts while the first holds both locks, so it must refuse.
inner="$(win "$work/frebscan.exe") scan --state $(win "$work/var/nest.state") --out-dir $(win "$work/nest-out") --event-log off $(win "$work/in")"
fs scan --state "$(win "$work/var/nest.state")" --out-dir "$(win "$work/nest-out")" --fail-on high --event-log off \
  --notify-cmd "$inner" "$(win "$work/in")"
expect "run whose notify command is a concurrent run (notify failed: exit 2)" 2
contains "the concurrent run was refused by the lock" "$err" "another frebscan run holds the lock"
fs "${sched[@]}"
expect "the lock is free once the holder ended" 0

section "lock held by a run, then the holder killed"
# The holder's notify command marks that it runs (so both locks are held)
# and then waits; the marker is polled, not guessed with a sleep.
"$WINE" "$work/frebscan.exe" scan --state "$(win "$work/var/kill.state")" --out-dir "$(win "$work/kill-out")" --event-log off \
  --fail-on high --notify-cmd "cmd /c echo x> $(win "$work/holding") & ping -n 120 127.0.0.1 >NUL" "$(win "$work/in")" \
  </dev/null >"$work/holder.log" 2>&1 &
holder=$!
for _ in $(seq 1 120); do [[ -e "$work/holding" ]] && break; sleep 0.5; done
if [[ -e "$work/holding" ]]; then
  fs scan --state "$(win "$work/var/kill.state")" --out-dir "$(win "$work/kill-out")" --event-log off "$(win "$work/in")"
  expect "a second run while the first holds the lock" 2
  contains "it names the lock" "$err" "another frebscan run holds the lock"
  contains "it names the holder (read past the locked byte)" "$err" "(pid "
  kill -9 "$holder" 2>/dev/null
  wait "$holder" 2>/dev/null
  fs scan --state "$(win "$work/var/kill.state")" --out-dir "$(win "$work/kill-out")" --fail-on high --event-log off "$(win "$work/in")"
  expect "a run after kill -9 of the holder takes the lock (the holder had committed its traces: nothing new)" 0
  [[ "$(count "$work/kill-out/incident-*.json")" == 1 ]] && pass "the killed run's incident is not written twice" \
    || fail "incidents after the kill: $(ls "$work/kill-out")"
else
  fail "the holder never reached its notify command: $(cat "$work/holder.log")"
  kill -9 "$holder" 2>/dev/null
fi

section "retention (--keep 1)"
mkdir -p "$work/ret-in" "$work/ret-out"
for i in 1 2 3; do
  for f in "$sample"/*.xml; do cp "$f" "$work/ret-in/run$i-$(basename "$f")"; done
  fs scan --state "$(win "$work/var/ret.state")" --out-dir "$(win "$work/ret-out")" --keep 1 --fail-on high --event-log off "$(win "$work/ret-in")"
  [[ "$rc" == 1 ]] || fail "retention run $i: exit $rc: ${err:0:300}"
done
n="$(count "$work/ret-out/incident-*.json")"
[[ "$n" == 1 ]] && pass "three incidents, --keep 1 leaves one" || fail "--keep 1 left $n incident reports: $(ls "$work/ret-out")"
[[ "$(grep -c '"time"' "$work/ret-out/index.json")" == 1 ]] && pass "index.json lists one incident" || fail "index.json: $(cat "$work/ret-out/index.json")"

section "drive letter C: and relative backslash paths"
mkdir -p "$cdrive/in/W3SVC1"
cp "$sample"/*.xml "$cdrive/in/W3SVC1/"
fs scan --state 'C:\frebscan-e2e\state.json' --out-dir 'C:\frebscan-e2e\out' --fail-on none --event-log off 'C:\frebscan-e2e\in'
expect "scheduled run on C:\\ paths" 0
[[ "$(count "$cdrive/out/incident-*.json")" == 1 && -f "$cdrive/state.json" ]] && pass "C:\\ out-dir and state written in the prefix's drive_c" \
  || fail "C: outputs: $(ls -a "$cdrive" "$cdrive/out" 2>&1)"
(cd "$work" && "$WINE" "$work/frebscan.exe" scan --format json --fail-on none 'in\fr000001.xml' </dev/null >"$work/stdout" 2>"$work/stderr")
rc=$?; out="$(cat "$work/stdout")"; err="$(cat "$work/stderr")"
expect "relative backslash path" 0
contains "relative path read one trace" "$(traces <<<"$out")" "1"

section "schedule -o, then schtasks /Create /XML; schedule --install"
tasks="$WINEPREFIX/drive_c/windows/system32/tasks"
"$WINE" schtasks.exe /Delete /TN frebscan-e2e /F </dev/null >/dev/null 2>&1
"$WINE" schtasks.exe /Delete /TN frebscan-e2e-install /F </dev/null >/dev/null 2>&1
fs schedule --target windows --name frebscan-e2e --out-dir 'C:\frebscan-e2e\out' --state 'C:\frebscan-e2e\state.json' \
  -o "$(win "$work/task.xml")" 'C:\frebscan-e2e\in'
expect "schedule -o task.xml" 0
if command -v iconv >/dev/null; then
  xml="$(iconv -f UTF-16 -t UTF-8 "$work/task.xml" 2>/dev/null)"
  contains "task XML runs scan with the out-dir" "$xml" 'C:\frebscan-e2e\out'
fi
"$WINE" schtasks.exe /Create /XML "$(win "$work/task.xml")" /TN frebscan-e2e </dev/null >/dev/null 2>&1
rc=$?; err=""
expect "schtasks /Create /XML accepts the generated file" 0
[[ -f "$tasks/frebscan-e2e" ]] && pass "Task Scheduler stored the task (Wine never runs it)" || fail "no $tasks/frebscan-e2e"
fs schedule --target windows --install --name frebscan-e2e-install --out-dir 'C:\frebscan-e2e\out' 'C:\frebscan-e2e\in'
expect "schedule --install runs schtasks" 0
[[ -f "$tasks/frebscan-e2e-install" ]] && pass "schedule --install created the task" || fail "no $tasks/frebscan-e2e-install"
"$WINE" schtasks.exe /Delete /TN frebscan-e2e /F </dev/null >/dev/null 2>&1
"$WINE" schtasks.exe /Delete /TN frebscan-e2e-install /F </dev/null >/dev/null 2>&1

echo "== $checks checks, $failures failed, $((SECONDS - start)) s"
[[ "$failures" == 0 ]]
