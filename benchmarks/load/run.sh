#!/usr/bin/env bash
# Load harness: the packaged sample app under wrk, on both runtimes, in one go.
#
#   benchmarks/load/run.sh [label]
#
# For each runtime (wasmtime, chicory) it starts the sample app's jar on a free loopback
# port and records: time to the first answer, idle RSS; then, after a warm-up, the bean
# tool text_stats (the floor: HTTP + registry, no guest) and the wasm tool echo (plugin
# 'core') at 4 and 16 clients; then echo at 200 clients while one client calls another
# plugin's tool (big, plugin 'probe') to see whether it is held up; RSS before and after
# that run and after a full GC. Each run records answered calls/s, busy results, other
# errors, p50/p99 and the load average. Results: benchmarks/load/results/<label>.jsonl;
# benchmarks/load/summarize.py turns them into the tables in docs/benchmarks.md.
#
# Environment: RUNTIMES ("wasmtime chicory"), RUN_SECONDS (15), LONG_SECONDS (30),
# LONG_CLIENTS (200), JAVA_OPTS, JFR=1 (a profile recording per runtime, next to the
# results, not committed), BUILD=1 (package the sample app even if its jar exists), JAR (another
# build of the sample app, e.g. an earlier commit's, to compare with).
# Only loopback addresses are used; every run is bounded by its duration.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
label=${1:-$(date +%F)}
runtimes=${RUNTIMES:-"wasmtime chicory"}
run_seconds=${RUN_SECONDS:-15}
long_seconds=${LONG_SECONDS:-30}
long_clients=${LONG_CLIENTS:-200}
text_body='{"text": "the quick brown fox jumps over the lazy dog, twice"}'
out="$here/results/$label.jsonl"

if ! command -v wrk >/dev/null; then
	echo "wrk is missing: installing the Debian package" >&2
	apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi

jar=${JAR:-$(ls "$root"/sample-app/target/grain-plugin-sample-app-*.jar 2>/dev/null | grep -v -- '-plain' | head -1 || true)}
if [[ -z "$jar" || "${BUILD:-0}" == 1 ]]; then
	echo "packaging the sample app" >&2
	(cd "$root" && mvn -B -ntp -q -pl sample-app -am package -DskipTests)
	jar=$(ls "$root"/sample-app/target/grain-plugin-sample-app-*.jar | grep -v -- '-plain' | head -1)
fi

work=$(mktemp -d)
app_pid=""
cleanup() {
	if [[ -n "$app_pid" ]] && kill -0 "$app_pid" 2>/dev/null; then
		kill "$app_pid"
		wait "$app_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

# A second plugin beside the bundled ones, so another plugin's latency can be watched while
# echo is flooded: the v1 fixture again, offering only 'big' (which 'core' then leaves out).
mkdir -p "$work/plugins/probe"
cp "$root/grain-plugin-core/src/test/resources/fixtures/core/v1-legacy.wasm" "$work/plugins/probe/plugin.wasm"
printf 'name = "probe"\n[wasm]\ncapabilities = ["log"]\n' > "$work/plugins/probe/plugin.toml"

mkdir -p "$here/results"
: > "$out"

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

rss_kb() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}

load_average() {
	cut -d' ' -f1 /proc/loadavg
}

record() {
	echo "$1" >> "$out"
	echo "$1"
}

# wrk_run <runtime> <tool> <clients> <seconds> <phase>; phase "" runs without recording (warm-up)
wrk_run() {
	local runtime=$1 tool=$2 clients=$3 seconds=$4 phase=$5
	local threads=$(( clients < 2 ? 1 : 2 ))
	local body=$text_body
	[[ "$tool" == big ]] && body='{"size": 48}'
	local load
	load=$(load_average)
	local line
	line=$(wrk -t"$threads" -c"$clients" -d"${seconds}s" --timeout 30s -s "$here/post.lua" \
		"http://127.0.0.1:$port" -- "$tool" "$body" | sed -n 's/^RESULT //p')
	if [[ -n "$phase" ]]; then
		record "{\"runtime\":\"$runtime\",\"run\":\"$phase\",\"tool\":\"$tool\",\"clients\":$clients,\"seconds\":$seconds,\"load_average\":$load,\"result\":$line}"
	fi
}

for runtime in $runtimes; do
	port=$(free_port)
	jfr=()
	if [[ "${JFR:-0}" == 1 ]]; then
		jfr=("-XX:StartFlightRecording=filename=$here/results/$label-$runtime.jfr,settings=profile")
	fi
	start=$(date +%s%N)
	# shellcheck disable=SC2086
	(cd "$work" && exec java ${JAVA_OPTS:-} "${jfr[@]}" -jar "$jar" --server.port="$port" \
		--grain.plugins.runtime="$runtime" \
		--grain.plugins.directories="classpath:grain-plugins,$work/plugins" \
		--grain.plugins.plugin.core.exclude-tools=big \
		--grain.plugins.plugin.probe.exclude-tools=echo,log,env,http_get,http_post,wasi,fail \
		> "$work/app-$runtime.log" 2>&1) &
	app_pid=$!
	until curl -sf "http://127.0.0.1:$port/api/tools" > /dev/null; do
		if ! kill -0 "$app_pid" 2>/dev/null; then
			cat "$work/app-$runtime.log" >&2
			exit 1
		fi
		sleep 0.05
	done
	first_answer_ms=$(( ($(date +%s%N) - start) / 1000000 ))
	sleep 2
	record "{\"runtime\":\"$runtime\",\"run\":\"idle\",\"first_answer_ms\":$first_answer_ms,\"rss_kb\":$(rss_kb "$app_pid"),\"load_average\":$(load_average)}"

	# warm-up (JIT), not recorded
	wrk_run "$runtime" echo 4 10 ""
	wrk_run "$runtime" text_stats 4 10 ""
	wrk_run "$runtime" big 1 5 ""

	wrk_run "$runtime" big 1 "$run_seconds" probe-alone
	for clients in 4 16; do
		wrk_run "$runtime" text_stats "$clients" "$run_seconds" load
		wrk_run "$runtime" echo "$clients" "$run_seconds" load
	done

	rss_before=$(rss_kb "$app_pid")
	wrk_run "$runtime" big 1 "$long_seconds" probe-beside-flood &
	probe=$!
	wrk_run "$runtime" echo "$long_clients" "$long_seconds" flood
	wait "$probe"
	rss_after=$(rss_kb "$app_pid")
	jcmd "$app_pid" GC.run > /dev/null
	sleep 2
	record "{\"runtime\":\"$runtime\",\"run\":\"memory\",\"rss_before_kb\":$rss_before,\"rss_after_kb\":$rss_after,\"rss_after_gc_kb\":$(rss_kb "$app_pid")}"
	# the bundled plugin 'broken' fails its init on purpose; any other error is worth a look
	if grep ' ERROR ' "$work/app-$runtime.log" | grep -qv "Plugin 'broken'"; then
		echo "errors in the application log:" >&2
		grep ' ERROR ' "$work/app-$runtime.log" | grep -v "Plugin 'broken'" | head -5 >&2
	fi
	kill "$app_pid"
	wait "$app_pid" 2>/dev/null || true
	app_pid=""
done

python3 "$here/summarize.py" "$out"
