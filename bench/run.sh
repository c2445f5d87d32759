#!/usr/bin/env bash
# bench/run.sh: frebscan against its peers on the same corpora, side by side.
#
# It generates (once, then reuses) a "many" corpus of FREB traces and one
# "huge" trace with cmd/frebgen, builds frebscan, warms the page cache and
# times, on each corpus:
#   frebscan scan --format ndjson      (the full pipeline, report to /dev/null)
#   xmllint --stream --noout           (libxml2 in C, parse only)
#   bench/iterparse.py                 (Python ElementTree.iterparse, request headers)
#   xmlstarlet sel                     (libxml2 DOM + XPath, request headers)
#   cat                                (the I/O limit)
# plus frebscan on the many corpus doubled (linearity), on a 10,000-file
# directory (peak RSS), and the peak RSS of a scheduled run's --out-dir
# (HTML and JSON incident) over one trace of 2 GiB, read whole (issue #18).
# The steady section times a scheduled run with nothing new (issue #18): on
# a tree of tiny traces (frebgen fleet -tiny) it runs one first `--state`
# run, then best-of-N steady runs, beside `find -printf` stat-ing the same
# tree, and gives the state's size.
# It prints a markdown report ready to paste into docs/BENCHMARKS.md,
# with each target of issues #8 and #18 marked met or missed.
#
# Environment:
#   BENCH_SCALE  full (default: 3,000 files, 1 GiB trace, 10,000-file dir,
#                      2 GiB trace for --out-dir)
#                small (300 files, 100 MiB traces, 1,000-file dir: a quick check)
#   BENCH_DIR    where corpora and binaries are cached (/tmp/frebscan-bench)
#   BENCH_RUNS   runs per measurement; the fastest is reported (default 3)
#   BENCH_TOOLS  which peers to run (default "xmllint python xmlstarlet cat")
#   BENCH_OUT    also write the markdown report to this file
#   BENCH_SECTIONS  which sections to run (default "peers steady scaling")
#   BENCH_STEADY_N  files in the steady-run tree (default 100000 at full
#                scale, 10000 at small; 1000000 needs about 8 GB of disk
#                and a first run of tens of minutes)
#   BENCH_SCALING  trace counts of the scaling section (issue #18; default
#                "10k 100k"; add 1M for a million), "" to skip it. Each is
#                that many hard-linked copies of the 10k corpus' traces under
#                distinct paths (no extra disk), scanned in every format that
#                streams (text, ndjson, csv, json) for wall time, CPU time and
#                peak RSS. On 2 CPUs one scan of 1M takes about 10 minutes.
#   BENCH_SCALING_RUNS  runs per measurement of the counts of 1M and more
#                (default 1: four formats take about 45 minutes; with
#                BENCH_RUNS=3 they took over two hours)
#
# Missing peers (libxml2-utils, xmlstarlet, time, python3) are installed with
# apt-get when running as root; otherwise the script says what to install.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH_SCALE=${BENCH_SCALE:-full}
BENCH_DIR=${BENCH_DIR:-/tmp/frebscan-bench}
BENCH_RUNS=${BENCH_RUNS:-3}
BENCH_TOOLS=${BENCH_TOOLS:-xmllint python xmlstarlet cat}
BENCH_SECTIONS=${BENCH_SECTIONS:-peers steady scaling}
BENCH_SCALING=${BENCH_SCALING-10k 100k}
BENCH_SCALING_RUNS=${BENCH_SCALING_RUNS:-1}
GO=${GO:-go}

case $BENCH_SCALE in
full) MANY_N=3000 HUGE_SIZE=1GiB TENK_N=10000 OUTDIR_SIZE=2GiB STEADY_DEFAULT=100000 ;;
small) MANY_N=300 HUGE_SIZE=100MiB TENK_N=1000 OUTDIR_SIZE=100MiB STEADY_DEFAULT=10000 ;;
*)
	echo "bench: BENCH_SCALE=$BENCH_SCALE: want full or small" >&2
	exit 2
	;;
esac

BENCH_STEADY_N=${BENCH_STEADY_N:-$STEADY_DEFAULT}

die() {
	echo "bench: $*" >&2
	exit 2
}
log() { echo "bench: $*" >&2; }

# --- peers ---------------------------------------------------------------

ensure_peers() {
	local missing=()
	command -v xmllint >/dev/null || missing+=(libxml2-utils)
	command -v xmlstarlet >/dev/null || missing+=(xmlstarlet)
	[ -x /usr/bin/time ] || missing+=(time)
	command -v python3 >/dev/null || missing+=(python3)
	[ ${#missing[@]} -eq 0 ] && return
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		log "installing ${missing[*]}"
		DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
	else
		die "missing peers; install them with: sudo apt-get install ${missing[*]}"
	fi
}

# --- corpora -------------------------------------------------------------

# The generator's source tree hash goes into each corpus' marker, so a
# changed generator regenerates instead of benchmarking stale files.
gen_id() {
	(cd "$ROOT" && git rev-parse HEAD:internal/gen 2>/dev/null) || echo unknown
}

# current MARKFILE MARK: the data MARKFILE stands for was made complete
# with MARK (same size, seed and generator), so it can be reused.
current() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }

# corpus DIR N: a FailedReqLogFiles tree of N traces, reused if complete.
corpus() {
	local dir=$1 n=$2 mark
	mark="n=$n seed=1 gen=$(gen_id)"
	current "$dir/.complete" "$mark" && return
	log "generating $n traces in $dir"
	rm -rf "$dir"
	"$BIN/frebgen" corpus -n "$n" -seed 1 -o "$dir"
	echo "$mark" >"$dir/.complete"
}

# huge FILE SIZE: one trace of about SIZE, reused if complete.
huge() {
	local file=$1 size=$2 mark
	mark="size=$size seed=1 gen=$(gen_id)"
	current "$file.complete" "$mark" && return
	log "generating a $size trace in $file"
	rm -f "$file" "$file.complete"
	"$BIN/frebgen" huge -size "$size" -seed 1 -o "$file"
	echo "$mark" >"$file.complete"
}

# tiny DIR N: a fleet of N tiny traces (20 servers), reused if complete.
tiny() {
	local dir=$1 n=$2 mark
	mark="n=$n seed=1 tiny gen=$(gen_id)"
	current "$dir/.complete" "$mark" && return
	log "generating $n tiny traces in $dir"
	rm -rf "$dir"
	"$BIN/frebgen" fleet -tiny -servers 20 -n "$((n / 20))" -seed 1 -o "$dir"
	echo "$mark" >"$dir/.complete"
}

# doubled SRC DST: two hard-linked copies of SRC, exactly twice the bytes
# and files without twice the disk.
doubled() {
	local src=$1 dst=$2 mark
	mark="of $(cat "$src/.complete")"
	current "$dst/.complete" "$mark" && return
	rm -rf "$dst"
	mkdir -p "$dst"
	cp -al "$src" "$dst/a"
	cp -al "$src" "$dst/b"
	echo "$mark" >"$dst/.complete"
}

# list PATH OUT: the traces under PATH, NUL-separated, for xargs -0 and
# iterparse.py --files0-from.
list() {
	if [ -d "$1" ]; then
		find "$1" -type f -name '*.xml' -print0 | sort -z >"$2"
	else
		printf '%s\0' "$1" >"$2"
	fi
}

list_bytes() { xargs -0 -a "$1" stat -c %s | awk '{s += $1} END {printf "%.0f\n", s}'; }
list_count() { tr -cd '\0' <"$1" | wc -c; }

# --- measuring -----------------------------------------------------------

# run_once CMD...: one run of CMD under /usr/bin/time -v, stdout to
# /dev/null. Sets NS (wall time, measured here in ns: time -v rounds to
# 10 ms), KB (peak RSS), CPU (%) and CPUS (user + system seconds); returns
# CMD's exit status.
run_once() {
	local t0 t1 st=0 user sys
	t0=$(date +%s%N)
	/usr/bin/time -v -o "$TMP/time" "$@" >/dev/null 2>"$TMP/stderr" || st=$?
	t1=$(date +%s%N)
	[ "$st" -ne 0 ] && return "$st"
	NS=$((t1 - t0))
	KB=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$TMP/time")
	user=$(awk -F': ' '/User time \(seconds\)/ {print $2}' "$TMP/time")
	sys=$(awk -F': ' '/System time \(seconds\)/ {print $2}' "$TMP/time")
	CPU=$(awk -v u="$user" -v s="$sys" -v ns="$NS" 'BEGIN {printf "%.0f", (u + s) * 1e9 / ns * 100}')
	CPUS=$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')
}

# Best figures per measurement key: the fastest wall time, that run's CPU
# time and CPU%, and the largest RSS of all runs.
declare -A BEST BCPU BCPUS BRSS

keep() {
	local k=$1
	if [ -z "${BEST[$k]:-}" ] || [ "$NS" -lt "${BEST[$k]}" ]; then
		BEST[$k]=$NS BCPU[$k]=$CPU BCPUS[$k]=$CPUS
	fi
	if [ -z "${BRSS[$k]:-}" ] || [ "$KB" -gt "${BRSS[$k]}" ]; then
		BRSS[$k]=$KB
	fi
}

# record KEY CORPUS TOOL LIST: one row of the results.
record() {
	local k=$1 corpus=$2 tool=$3 lst=$4
	log "$(printf '%-7s %-16s %8.3f s %7d KB RSS %4s%% CPU' "$corpus" "$tool" "$(awk -v n="${BEST[$k]}" 'BEGIN {print n / 1e9}')" "${BRSS[$k]}" "${BCPU[$k]}")"
	echo "$corpus|$tool|$(list_count "$lst")|$(list_bytes "$lst")|${BEST[$k]}|${BRSS[$k]}|${BCPU[$k]}|${BCPUS[$k]}" >>"$RESULTS"
}

failed() {
	local corpus=$1 tool=$2 lst=$3 st=$4
	log "$tool on $corpus failed (exit $st):"
	tail -n 5 "$TMP/stderr" >&2
	echo "$corpus|$tool|$(list_count "$lst")|$(list_bytes "$lst")|failed (exit $st)||||" >>"$RESULTS"
}

# measure CORPUS TOOL LIST CMD...: runs CMD BENCH_RUNS times and records
# the best figures. Under load the CPU time is the steadier figure.
measure() {
	local corpus=$1 tool=$2 lst=$3 r st
	shift 3
	for ((r = 1; r <= BENCH_RUNS; r++)); do
		st=0
		run_once "$@" || st=$?
		if [ "$st" -ne 0 ]; then
			failed "$corpus" "$tool" "$lst" "$st"
			return
		fi
		keep "$corpus|$tool"
	done
	record "$corpus|$tool" "$corpus" "$tool" "$lst"
}

# linearity: frebscan on the many corpus and on it doubled, alternately,
# so that both see the same load from whatever else the machine runs.
linearity() {
	local r st
	for ((r = 1; r <= BENCH_RUNS; r++)); do
		for c in many doubled; do
			st=0
			run_once "$FREBSCAN" scan --format ndjson --progress never --fail-on none "$DATA/$c" || st=$?
			if [ "$st" -ne 0 ]; then
				failed "$c" "frebscan (paired)" "$TMP/$c.list" "$st"
				return
			fi
			keep "lin|$c"
		done
	done
	record "lin|many" "many" "frebscan (paired)" "$TMP/many.list"
	record "lin|doubled" "doubled" "frebscan (paired)" "$TMP/doubled.list"
}

# run_peers CORPUS PATH LIST: every tool on one corpus.
run_peers() {
	local corpus=$1 path=$2 lst=$3 bytes avail
	measure "$corpus" frebscan "$lst" "$FREBSCAN" scan --format ndjson --progress never --fail-on none "$path"
	for tool in $BENCH_TOOLS; do
		case $tool in
		xmllint) measure "$corpus" "xmllint --stream" "$lst" xargs -0 -a "$lst" xmllint --stream --noout ;;
		python) measure "$corpus" "python iterparse" "$lst" python3 "$ROOT/bench/iterparse.py" --files0-from "$lst" ;;
		xmlstarlet)
			# xmlstarlet builds the whole document in memory, about 11
			# times the file: run it only when that fits comfortably.
			bytes=$(list_bytes "$lst")
			avail=$(awk '/MemAvailable/ {printf "%.0f", $2 * 1024}' /proc/meminfo)
			if [ "$corpus" = huge ] && [ "$((bytes * 13))" -gt "$avail" ]; then
				log "skipping xmlstarlet on the huge trace: it needs about 11x the file in memory"
				echo "$corpus|xmlstarlet sel|1|$bytes|skipped (needs ~11x the file in RAM)||||" >>"$RESULTS"
			else
				measure "$corpus" "xmlstarlet sel" "$lst" xargs -0 -a "$lst" xmlstarlet sel \
					-N e=http://schemas.microsoft.com/win/2004/08/events/event -t \
					-v "/failedRequest/e:Event[e:RenderingInfo/e:Opcode='GENERAL_REQUEST_HEADERS']/e:EventData/e:Data[@Name='Headers']" -n
			fi
			;;
		cat) measure "$corpus" cat "$lst" xargs -0 -a "$lst" cat ;;
		*) die "BENCH_TOOLS: unknown tool $tool (want xmllint python xmlstarlet cat)" ;;
		esac
	done
}

# steady: a scheduled run with nothing new (issue #18). One first run
# fills the state; then the steady runs and find -printf (one stat per
# file: the cost of a directory walk) alternate, so both see the same
# load.
steady() {
	local dir=$DATA/steady-$BENCH_STEADY_N lst=$TMP/steady.list st=0 r
	local statefile=$TMP/steady.state
	local scan=("$FREBSCAN" scan --state "$statefile" --format ndjson --progress never --fail-on none "$dir")
	tiny "$dir" "$BENCH_STEADY_N"
	list "$dir" "$lst"
	xargs -0 -a "$lst" cat >/dev/null
	run_once "${scan[@]}" || st=$?
	if [ "$st" -ne 0 ]; then
		failed steady "frebscan --state, first run" "$lst" "$st"
		return
	fi
	keep "steady|first"
	record "steady|first" steady "frebscan --state, first run" "$lst"
	for ((r = 1; r <= BENCH_RUNS; r++)); do
		st=0
		run_once "${scan[@]}" || st=$?
		if [ "$st" -ne 0 ]; then
			failed steady "frebscan --state, steady" "$lst" "$st"
			return
		fi
		keep "steady|steady"
		run_once find "$dir" -printf '%p %s %T@\n'
		keep "steady|find"
	done
	record "steady|steady" steady "frebscan --state, steady" "$lst"
	record "steady|find" steady "find -printf (stat)" "$lst"
	STATE_BYTES=$(stat -c %s "$statefile")
	STATE_FILES=$(list_count "$lst")
}

# scaled SRC DST N: N traces as hard-linked copies of the SRC corpus,
# each copy under its own directory, so paths (and rows) are distinct.
scaled() {
	local src=$1 dst=$2 n=$3 per copies i mark
	per=$(find "$src" -type f -name '*.xml' | wc -l)
	copies=$(((n + per - 1) / per))
	mark="$copies copies of $(cat "$src/.complete")"
	current "$dst/.complete" "$mark" && return
	log "linking $copies copies of $src into $dst"
	rm -rf "$dst"
	mkdir -p "$dst"
	for ((i = 0; i < copies; i++)); do cp -al "$src" "$dst/c$i"; done
	echo "$mark" >"$dst/.complete"
}

# scaling: frebscan in each streaming format over BENCH_SCALING traces.
scaling() {
	local n count dir f runs
	for n in $BENCH_SCALING; do
		case $n in
		*k) count=$((${n%k} * 1000)) ;;
		*M) count=$((${n%M} * 1000000)) ;;
		*) count=$n ;;
		esac
		dir=$DATA/scale-$n
		scaled "$DATA/10k" "$dir" "$count"
		list "$dir" "$TMP/scale-$n.list"
		runs=$BENCH_RUNS
		[ "$count" -ge 1000000 ] && runs=$BENCH_SCALING_RUNS
		for f in text ndjson csv json; do
			BENCH_RUNS=$runs measure "scale-$n" "frebscan $f" "$TMP/scale-$n.list" "$FREBSCAN" scan --format "$f" --progress never --fail-on none "$dir"
		done
	done
}

# --- report --------------------------------------------------------------

report() {
	local cpu_model
	cpu_model=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
	echo "### Measured $STARTED to $(date -u '+%H:%M UTC'), BENCH_SCALE=$BENCH_SCALE, best of $BENCH_RUNS runs$([[ " $BENCH_SECTIONS " == *" scaling "* && "$BENCH_SCALING" == *M* ]] && echo " ($BENCH_SCALING_RUNS for the scaling counts of 1M and more)")"
	echo
	echo "- Machine: $(nproc) CPUs, ${cpu_model:-unknown CPU}, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo) RAM, $(uname -sr)"
	echo "- Load average when the run started: $LOAD_BEFORE; when it ended: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "- $($GO version | sed 's/^go version //'); $(xmllint --version 2>&1 | head -1); xmlstarlet $(xmlstarlet --version | head -1); $(python3 --version)"
	echo
	echo "| corpus | tool | files | MB | wall s | MB/s | tool time ÷ frebscan time | peak RSS MB | CPU % | CPU s |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
	awk -F'|' '
		$2 == "frebscan" { base[$1] = $5 }
		{ rows[NR] = $0 }
		END {
			for (i = 1; i <= NR; i++) {
				split(rows[i], f, "|")
				mb = f[4] / 1e6
				if (f[5] !~ /^[0-9]+$/) {
					printf "| %s | %s | %d | %.0f | %s | | | | | |\n", f[1], f[2], f[3], mb, f[5]
					continue
				}
				s = f[5] / 1e9
				ratio = (f[1] in base && base[f[1]] ~ /^[0-9]+$/) ? sprintf("%.2f", f[5] / base[f[1]]) : ""
				printf "| %s | %s | %d | %.0f | %.3f | %.0f | %s | %.1f | %s | %s |\n", f[1], f[2], f[3], mb, s, mb / s, ratio, f[6] / 1024, f[7], f[8]
			}
		}' "$RESULTS"
	echo
	echo "Targets (issues #8 and #18):"
	echo
	awk -F'|' -v ncpu="$(nproc)" -v outdir="$OUTDIR_SIZE" '
		{ t[$1 "|" $2] = $5; rss[$1 "|" $2] = $6; cpu[$1 "|" $2] = $7; cpus[$1 "|" $2] = $8; files[$1] = $3 }
		function num(x) { return x ~ /^[0-9]+$/ }
		function verdict(ok) { return ok ? "**met**" : "**MISSED**" }
		function speed(c, peer, want,   f, p) {
			f = t[c "|frebscan"]; p = t[c "|" peer]
			if (!num(f) || !num(p)) { printf "- %s: frebscan vs %s: not measured\n", c, peer; return }
			printf "- %s: frebscan %.2f× faster than %s (target ≥ %d×): %s\n", c, p / f, peer, want, verdict(p / f >= want)
		}
		function memory(c, label,   r) {
			r = rss[c "|frebscan"]
			if (!num(r)) { printf "- peak RSS on %s: not measured\n", label; return }
			printf "- peak RSS on %s: %.1f MB (target ≤ 64 MB): %s\n", label, r / 1024, verdict(r / 1024 <= 64)
		}
		END {
			speed("many", "xmllint --stream", 2); speed("huge", "xmllint --stream", 2)
			speed("many", "python iterparse", 8); speed("huge", "python iterparse", 8)
			memory("huge", "the huge trace"); memory("10k", "the " files["10k"] "-file directory")
			r = rss["outdir|frebscan --out-dir"]
			if (num(r)) printf "- peak RSS of --out-dir (HTML and JSON incident) over one %s trace: %.1f MB (target ≤ 256 MB, issue #18): %s\n", outdir, r / 1024, verdict(r / 1024 <= 256)
			a = t["many|frebscan (paired)"]; b = t["doubled|frebscan (paired)"]
			if (num(a) && num(b)) printf "- doubling the many corpus (runs alternated): %.2f× the time (target ≤ 2.1×): %s; CPU time %.2f×\n", b / a, verdict(b / a <= 2.1), cpus["doubled|frebscan (paired)"] / cpus["many|frebscan (paired)"]
			c = cpu["many|frebscan"]
			if (c != "") printf "- CPU on the many corpus: %s%% of %d00%% (target: every core busy, ≥ %d%%): %s\n", c, ncpu, ncpu * 75, verdict(c >= ncpu * 75)
			printf "\nTargets (issue #18):\n\n"
			speed("many", "xmllint --stream", 3)
			for (k in rss) {
				split(k, p, "|")
				if (p[1] !~ /^scale-/ || p[2] !~ /^frebscan / || !num(rss[k])) continue
				fmt = substr(p[2], 10); lim = (fmt == "json") ? 256 : 128
				printf "- peak RSS, %s traces, %s: %.1f MB (target ≤ %d MB): %s\n", substr(p[1], 7), fmt, rss[k] / 1024, lim, verdict(rss[k] / 1024 <= lim)
				if (p[1] == "scale-100k" && num(rss["scale-10k|" p[2]]))
					printf "- peak RSS, 100k ÷ 10k traces, %s: %.2f× (target ≤ 1.5×): %s\n", fmt, rss[k] / rss["scale-10k|" p[2]], verdict(rss[k] / rss["scale-10k|" p[2]] <= 1.5)
			}
			s = t["steady|frebscan --state, steady"]; f = t["steady|find -printf (stat)"]
			if (num(s) && num(f)) {
				n = files["steady"]
				printf "- steady scheduled run over %d files: %.2f s, %.1f× find -printf (target ≤ 10×): %s; CPU time %.2f s, %.1f× that of find\n", n, s / 1e9, s / f, verdict(s / f <= 10), cpus["steady|frebscan --state, steady"], cpus["steady|frebscan --state, steady"] / (cpus["steady|find -printf (stat)"] > 0 ? cpus["steady|find -printf (stat)"] : 0.01)
				limit = n >= 1000000 ? 256 : 128
				printf "- peak RSS of the steady run over %d files: %.1f MB (target ≤ %d MB): %s\n", n, rss["steady|frebscan --state, steady"] / 1024, limit, verdict(rss["steady|frebscan --state, steady"] / 1024 <= limit)
				if (n >= 1000000) printf "- steady run over %d files under 30 s: %s\n", n, verdict(s / 1e9 < 30)
			}
		}' "$RESULTS"
	if [ -n "${STATE_BYTES:-}" ]; then
		echo "- state after the steady runs: $STATE_BYTES bytes for $STATE_FILES traces, $(awk -v b="$STATE_BYTES" -v n="$STATE_FILES" 'BEGIN {printf "%.1f", b / n}') bytes per trace"
	fi
}

# --- main ----------------------------------------------------------------

ensure_peers
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date -u '+%Y-%m-%d %H:%M')
DATA=$BENCH_DIR/$BENCH_SCALE
BIN=$BENCH_DIR/bin
FREBSCAN=$BIN/frebscan
mkdir -p "$DATA" "$BIN"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
RESULTS=$TMP/results

log "building frebscan and frebgen"
(cd "$ROOT" && $GO build -trimpath -o "$BIN/frebscan" ./cmd/frebscan && $GO build -trimpath -o "$BIN/frebgen" ./cmd/frebgen)

if [[ " $BENCH_SECTIONS " == *" peers "* ]]; then
	corpus "$DATA/many" "$MANY_N"
	doubled "$DATA/many" "$DATA/doubled"
	corpus "$DATA/10k" "$TENK_N"
	huge "$DATA/huge.xml" "$HUGE_SIZE"
	huge "$DATA/outdir.xml" "$OUTDIR_SIZE"
	for c in many doubled 10k; do list "$DATA/$c" "$TMP/$c.list"; done
	list "$DATA/huge.xml" "$TMP/huge.list"
	list "$DATA/outdir.xml" "$TMP/outdir.list"

	# Every tool reads from the page cache, so the figures compare
	# parsers, not disks: read everything once first (RAM permitting;
	# the full scale needs about 3 GB).
	log "warming the page cache"
	for c in many 10k huge; do xargs -0 -a "$TMP/$c.list" cat >/dev/null; done

	run_peers many "$DATA/many" "$TMP/many.list"
	run_peers huge "$DATA/huge.xml" "$TMP/huge.list"
	linearity
	measure 10k frebscan "$TMP/10k.list" "$FREBSCAN" scan --format ndjson --progress never --fail-on none "$DATA/10k"
	# A scheduled run that writes an incident (HTML with the trace in detail,
	# and JSON) for one very large trace, read whole: the memory target of
	# issue #18.
	measure outdir "frebscan --out-dir" "$TMP/outdir.list" "$FREBSCAN" scan --max-file-size 0 --progress never --fail-on none --out-dir "$TMP/incidents" "$DATA/outdir.xml"
fi
if [[ " $BENCH_SECTIONS " == *" steady "* ]]; then
	steady
fi
if [[ " $BENCH_SECTIONS " == *" scaling "* ]]; then
	corpus "$DATA/10k" "$TENK_N"
	scaling
fi

if [ -n "${BENCH_OUT:-}" ]; then
	report | tee "$BENCH_OUT"
else
	report
fi
