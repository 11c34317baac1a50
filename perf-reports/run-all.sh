#!/usr/bin/env bash
# Regenerates Mete's end-to-end performance results, plots and perf-reports/summary.md.
#
#   perf-reports/run-all.sh            full run (about 25 minutes of load plus the 10-minute GC run,
#                                      plus the core JMH suite when perf-reports/run-core.sh exists)
#   perf-reports/run-all.sh --long-only  only step 6 (10 minutes at 100,000 orders/s with the GC log), then the report
#   perf-reports/run-all.sh --short    the same steps with short durations and lower rates: a few
#                                      minutes (plus run-core.sh --short); the summary is marked as a short run
#
# Steps, each against a fresh server on a temporary data directory (journal durability pagecache,
# the pipeline's default BLOCKING wait strategy), server and load generator on this machine:
#   0. platform hiccups on the idle machine, no server (short: 20 s, full: 60 s) → raw/hiccup-idle.{properties,log}
#   1. build (skipped with SKIP_BUILD=1)
#   2. rate sweep, open loop, stops at the first rate not sustained      → raw/sweep*.{hlog,properties,log}
#   3. closed-loop maximum (--max)                                        → raw/max.{properties,log}
#   4. fixed rate 100,000 orders/s, with a JFR profile of the server      → raw/fixed-100000*.{hlog,csv,properties,log}, raw/server-profile.txt
#   4c. workload variants scale, wide, hot-sku, open loop (short: 20,000/s, full: 50,000/s) → raw/variant-*.{properties,log}
#   5. spike: baseline, 10× for 60 s (short: 10 s), baseline; server RSS  → raw/spike*.{hlog,csv,properties,log}, raw/server-rss-spike.csv
#   6. full mode only: 10 minutes at 100,000 orders/s with the server's GC log → raw/long-100000.*, raw/gc-long.log
#   7. perf-reports/run-core.sh [--short] when it exists (the core JMH suite)
#   8. ./mete perf-report: plots under perf-reports/plots/, perf-reports/summary.md
#
# Environment:
#   METE_SERVER_JAR    run the server from this jar (java <flags> -jar JAR server ...) instead of ./mete server
#   SERVER_JAVA_OPTS   server JVM options (default: a heap sized per step, see sizing below)
#   SIZING_RATE_CAP    orders/s assumed at most for the closed-loop step when sizing (default 200000)
#   LOAD_JAVA_OPTS     load generator JVM options (default -Xms1g -Xmx1g)
#   CONNECTIONS        load connections (default 4)
#   PORT               server port (default 17070); the server's metrics on PORT + 1 (SERVER_METRICS=0: none,
#                      the default with METE_SERVER_JAR, whose build may not have them)
#   METE_REPORT_NOTE   a sentence for the summary (e.g. what else ran on the machine)
#   SKIP_BUILD=1, SKIP_CORE=1
#   SKIP_LONG=1        full mode without step 6: the previous 10-minute run's files stay (the summary
#                      shows that run's own date and commit)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

MODE=full
LONG_ONLY=0
if [ "${1:-}" = "--short" ]; then
    MODE=short
    shift
elif [ "${1:-}" = "--long-only" ]; then
    # step 6 alone, then the report: the other steps' results stay as they are
    LONG_ONLY=1
    shift
fi

RAW="$ROOT/perf-reports/raw"
mkdir -p "$RAW" "$ROOT/perf-reports/plots"
# GC logs of earlier runs (the JVM's rotation left numbered copies before filecount=0 was set); the
# 10-minute run's log stays unless that step runs again
if [ "$LONG_ONLY" = 1 ]; then
    rm -f "$RAW"/gc-long.log*
else
    rm -f "$RAW"/gc-sweep.log* "$RAW"/gc-fixed.log* "$RAW"/gc-spike.log*
fi
PORT="${PORT:-17070}"
SIZING_FILE="$RAW/machine.properties"
if [ "$LONG_ONLY" = 1 ]; then SIZING_FILE="$RAW/long-machine.properties"; fi
CONNECTIONS="${CONNECTIONS:-4}"
SERVER_JAVA_OPTS_FIXED="${SERVER_JAVA_OPTS:-}"
SIZING_RATE_CAP="${SIZING_RATE_CAP:-200000}"
LOAD_JAVA_OPTS="${LOAD_JAVA_OPTS:--Xms1g -Xmx1g}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/mete-perf.XXXXXX")"
SERVER_PID=""
RSS_PID=""

if [ "$MODE" = "short" ]; then
    HICCUP_DURATION=20s
    SWEEP="25000,50000,100000,200000,400000,800000"
    SWEEP_WARMUP=3s;  SWEEP_DURATION=8s
    MAX_WARMUP=3s;    MAX_DURATION=10s
    FIXED_WARMUP=5s;  FIXED_DURATION=20s
    MIXED_RATE=20000
    VARIANT_RATE=20000; VARIANT_WARMUP=3s; VARIANT_DURATION=10s
    SPIKE_RATE=10000; SPIKE_WARMUP=3s; SPIKE_BASELINE=10s; SPIKE_DURATION=10s; SPIKE_AFTER=15s
else
    HICCUP_DURATION=60s
    SWEEP="50000,100000,250000,500000,1000000,1500000,2000000"
    SWEEP_WARMUP=10s; SWEEP_DURATION=30s
    MAX_WARMUP=10s;   MAX_DURATION=60s
    FIXED_WARMUP=10s; FIXED_DURATION=60s
    MIXED_RATE=50000
    VARIANT_RATE=50000; VARIANT_WARMUP=10s; VARIANT_DURATION=30s
    # 10× the baseline must stay under the closed-loop maximum (137,000-207,000 orders/s on the 2-core
    # machine), or the spike is a saturation test: at 50,000 → 500,000/s the generator fell 120 s
    # behind its schedule and the server held 19 million orders before the backlog could drain
    SPIKE_RATE=10000; SPIKE_WARMUP=10s; SPIKE_BASELINE=30s; SPIKE_DURATION=60s; SPIKE_AFTER=60s
fi

cleanup() {
    stop_server || true
    rm -rf "$WORK"
}
trap cleanup EXIT

JAVA="java"
if [ -n "${JAVA_HOME:-}" ]; then JAVA="$JAVA_HOME/bin/java"; fi
FLAGS=()
while IFS= read -r line; do
    line="${line%%#*}"
    line="$(echo "$line" | xargs)"
    [ -n "$line" ] && FLAGS+=("$line")
done < "$ROOT/jvm.options"

if [ "$LONG_ONLY" = 0 ]; then
# ------------------------------------------------------------------ 0. platform hiccups, idle
# First, before anything else of Mete runs: what a thread that only sleeps 1 ms at a time suffers on
# this machine alone, the baseline for the hiccup figures each load step reports (./mete builds the
# load generator first if it is missing or stale).
echo "== platform hiccups on the idle machine, $HICCUP_DURATION"
METE_JAVA_OPTS="$LOAD_JAVA_OPTS" "$ROOT/mete" load --hiccup-only --duration "$HICCUP_DURATION" \
    --result "$RAW/hiccup-idle.properties" | tee "$RAW/hiccup-idle.log"
fi

# ------------------------------------------------------------------ build
if [ "${SKIP_BUILD:-0}" != "1" ]; then
    echo "== build"
    ./mvnw -B -q -DskipTests package
fi

# ------------------------------------------------------------------ CPU placement
# By default the OS places every thread. ENGINE_CPU=auto: with CPUs 0..N (N >= 1) the engine thread
# gets CPU N to itself (server key engineCpu: every other server thread is kept off it) and the load
# generator runs on the others (--cpus), the way a deployment gives the engine a core of its own. On
# 2 cores that leaves one CPU for everything else, so it trades tail latency for throughput: see
# perf-reports/engine-cpu/ for a whole run with it. ENGINE_CPU=N with LOAD_CPUS=LIST places them by hand.
ALLOWED_CPUS="$(awk '/^Cpus_allowed_list:/ {print $2}' /proc/self/status 2>/dev/null || true)"
ENGINE_CPU="${ENGINE_CPU:-off}"
LOAD_CPUS="${LOAD_CPUS:-}"
if [ "$ENGINE_CPU" = auto ]; then
    ENGINE_CPU=off
    if [[ "$ALLOWED_CPUS" =~ ^0-([0-9]+)$ ]]; then
        ENGINE_CPU="${BASH_REMATCH[1]}"
        if [ "$ENGINE_CPU" = 1 ]; then LOAD_CPUS=0; else LOAD_CPUS="0-$(( ENGINE_CPU - 1 ))"; fi
    fi
fi
if [ "$ENGINE_CPU" = off ]; then
    CPU_PLACEMENT="the OS places every thread (no engineCpu)"
else
    if [ -z "$LOAD_CPUS" ]; then echo "ENGINE_CPU=$ENGINE_CPU needs LOAD_CPUS (the load generator's CPUs)"; exit 1; fi
    CPU_PLACEMENT="engine thread alone on CPU $ENGINE_CPU (server engineCpu=$ENGINE_CPU: every other server thread but the JIT compilers and GC workers on CPU $LOAD_CPUS); load generator on CPU $LOAD_CPUS (--cpus $LOAD_CPUS)"
fi
echo "== CPU placement: $CPU_PLACEMENT"

# ------------------------------------------------------------------ the server
if [ -n "${METE_SERVER_JAR:-}" ]; then SERVER_METRICS="${SERVER_METRICS:-0}"; else SERVER_METRICS="${SERVER_METRICS:-1}"; fi
METRICS_PORT=$(( PORT + 1 ))
cat > "$WORK/server.properties" <<EOF
# written by perf-reports/run-all.sh
host=127.0.0.1
durability=pagecache
$( [ "$SERVER_METRICS" = 1 ] && echo "metricsPort=$METRICS_PORT" )
client.1.secret=mete-admin
client.1.role=ADMIN
client.11.secret=load-11
client.11.role=ORDERS
client.12.secret=load-12
client.12.role=ORDERS
client.13.secret=load-13
client.13.role=ORDERS
client.14.secret=load-14
client.14.role=ORDERS
client.15.secret=load-15
client.15.role=ORDERS
client.16.secret=load-16
client.16.role=ORDERS
client.17.secret=load-17
client.17.role=ORDERS
client.18.secret=load-18
client.18.role=ORDERS
client.21.secret=mixed-21
client.21.role=ADMIN
client.22.secret=mixed-22
client.22.role=ADMIN
client.23.secret=mixed-23
client.23.role=ADMIN
client.24.secret=mixed-24
client.24.role=ADMIN
EOF

# Sizing. The engine sizes the order book and the order ids up front for expectedOrders: about 300
# bytes per expected 3-line order of direct memory (the book's columns, the ids' bytes and index) and
# 20 of heap (the ids' hash table); past that count they grow a page at a time, without a stop. Each
# step's server is sized for the orders the step can place all the same: an open-loop
# step places every order it schedules (a backlog is drained, not dropped), so its rate times its
# warm-up and measured seconds; the closed-loop step at most SIZING_RATE_CAP per second; plus 10%.
# The heap follows at 100 bytes per expected order plus 1 GB, at least 3 GB; direct memory
# (-XX:MaxDirectMemorySize) at 110 bytes per expected order plus 70 per line, plus 512 MB (320 bytes
# per 3-line order, 810 per 10-line order of the wide workload). SERVER_JAVA_OPTS, when
# set, replaces both.
seconds() { # 10s, 2m, 500ms -> whole seconds (at least 1)
    local v="$1"
    case "$v" in
        *ms) echo $(( ${v%ms} / 1000 + 1 )) ;;
        *s) echo "${v%s}" ;;
        *m) echo $(( ${v%m} * 60 )) ;;
        *h) echo $(( ${v%h} * 3600 )) ;;
        *) echo "$v" ;;
    esac
}
# orders RATE SECONDS...: what RATE places in the sum of SECONDS, plus 10%, plus the setup
orders() {
    local rate="$1" total=0
    shift
    for d in "$@"; do total=$(( total + rate * $(seconds "$d") )); done
    echo $(( total + total / 10 + 65536 ))
}

# start_server NAME ORDERS [extra JVM options...]: a fresh data directory per step, sized for ORDERS
start_server() {
    local name="$1" expected="$2" heap_mb direct_mb opts
    shift 2
    if [ "$expected" -gt 67108864 ]; then expected=67108864; fi
    heap_mb=$(( expected * 100 / 1048576 + 1024 ))
    if [ "$heap_mb" -lt 3072 ]; then heap_mb=3072; fi
    heap_mb="${HEAP_MB:-$heap_mb}"
    # the book takes about 65 bytes per line and 90 per order (ids included) outside the heap: LINES_PER_ORDER (3 unless set)
    direct_mb=$(( expected * (110 + 70 * ${LINES_PER_ORDER:-3}) / 1048576 + 512 ))
    opts="${SERVER_JAVA_OPTS_FIXED:--Xms${heap_mb}m -Xmx${heap_mb}m -XX:MaxDirectMemorySize=${direct_mb}m}"
    { cat "$WORK/server.properties"; echo "expectedOrders=$expected"; if [ "$ENGINE_CPU" != off ]; then echo "engineCpu=$ENGINE_CPU"; fi; } \
        > "$WORK/server-$name.properties"
    echo "sizing_$name=expectedOrders $expected, $opts" >> "$SIZING_FILE"
    rm -rf "$WORK/data"
    mkdir -p "$WORK/data"
    if [ -n "${METE_SERVER_JAR:-}" ]; then
        # shellcheck disable=SC2086
        "$JAVA" $opts "$@" "${FLAGS[@]}" -jar "$METE_SERVER_JAR" server --config "$WORK/server-$name.properties" \
            --data "$WORK/data" --port "$PORT" > "$RAW/server-$name.log" 2>&1 &
    else
        METE_JAVA_OPTS="$opts $*" "$ROOT/mete" server --config "$WORK/server-$name.properties" --data "$WORK/data" \
            --port "$PORT" > "$RAW/server-$name.log" 2>&1 &
    fi
    SERVER_PID=$!
    for _ in $(seq 1 120); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
            echo "   server up (pid $SERVER_PID, expectedOrders $expected, $opts), log raw/server-$name.log"
            return 0
        fi
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "server failed to start:"; cat "$RAW/server-$name.log"; exit 1
        fi
        sleep 0.5
    done
    echo "server did not open port $PORT"; exit 1
}

stop_server() {
    if [ -n "$RSS_PID" ]; then kill "$RSS_PID" 2>/dev/null || true; wait "$RSS_PID" 2>/dev/null || true; RSS_PID=""; fi
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID"
        for _ in $(seq 1 120); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}

# sample_rss FILE: the server's resident set size once a second while it runs
sample_rss() {
    local file="$1" start
    start=$(date +%s)
    echo "t_s,rss_kb" > "$file"
    (
        while kill -0 "$SERVER_PID" 2>/dev/null; do
            echo "$(( $(date +%s) - start )),$(ps -o rss= -p "$SERVER_PID" | tr -d ' ')" >> "$file"
            sleep 1
        done
    ) &
    RSS_PID=$!
}

load() {
    METE_JAVA_OPTS="$LOAD_JAVA_OPTS" "$ROOT/mete" load --port "$PORT" --server-config "$WORK/server.properties" \
        --connections "$CONNECTIONS" ${LOAD_CPUS:+--cpus "$LOAD_CPUS"} \
        $( [ "$SERVER_METRICS" = 1 ] && echo "--server-metrics 127.0.0.1:$METRICS_PORT" ) "$@"
}

if [ "$LONG_ONLY" = 0 ]; then
# ------------------------------------------------------------------ machine
{
    echo "mode=$MODE"
    echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)${METE_SERVER_COMMIT:+ (server built from $METE_SERVER_COMMIT)}"
    echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
    echo "cores=$(nproc)"
    echo "memory=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
    echo "os=$(uname -sr)"
    echo "jdk=$("$JAVA" -version 2>&1 | head -1) ($("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.vm.name/ {print $2}'))"
    echo "server=mete server, ${METE_SERVER_JAR:+jar $METE_SERVER_JAR, }journal on a temporary directory, fresh per step"
    echo "wait_strategy=BLOCKING (the pipeline default; no spinning on a machine shared by server and load)"
    echo "durability=pagecache (journal written to the page cache, not forced)"
    echo "cpu_placement=$CPU_PLACEMENT"
    if [ -n "$SERVER_JAVA_OPTS_FIXED" ]; then
        echo "server_java_opts=$SERVER_JAVA_OPTS_FIXED; engine arrays sized per step (expectedOrders, see the sizing lines)"
    else
        echo "server_java_opts=heap and order book sized per step for the orders it can place (heap 100 B per expected order + 1 GB, at least 3 GB; direct memory for the order book and ids 110 B per expected order + 70 B per line + 512 MB; see the sizing lines)"
    fi
    echo "load=./mete load, $CONNECTIONS connections, one sender + one receiver thread, $LOAD_JAVA_OPTS"
    echo "workload=reference"
    echo "loadavg=$(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"
    if [ -n "${METE_REPORT_NOTE:-}" ]; then echo "note=$METE_REPORT_NOTE"; fi
} > "$RAW/machine.properties"

# ------------------------------------------------------------------ 2. sweep
echo "== rate sweep: $SWEEP"
rm -f "$RAW"/sweep-*.hlog "$RAW"/sweep-*-timeline.csv
SWEEP_ORDERS=0
for r in ${SWEEP//,/ }; do
    SWEEP_ORDERS=$(( SWEEP_ORDERS + $(orders "$r" "$SWEEP_WARMUP" "$SWEEP_DURATION") ))
    if [ "$r" -gt "$SIZING_RATE_CAP" ]; then break; fi
done
start_server sweep "$SWEEP_ORDERS" -Xlog:gc*:file="$RAW/gc-sweep.log":time,uptime,level,tags:filecount=0
load --setup --sweep "$SWEEP" --warmup "$SWEEP_WARMUP" --duration "$SWEEP_DURATION" \
    --histogram-log "$RAW/sweep.hlog" --result "$RAW/sweep.properties" | tee "$RAW/sweep.log"
stop_server

# ------------------------------------------------------------------ 3. closed-loop maximum
echo "== closed-loop maximum"
start_server max "$(orders "$SIZING_RATE_CAP" "$MAX_WARMUP" "$MAX_DURATION")"
load --setup --max --warmup "$MAX_WARMUP" --duration "$MAX_DURATION" --result "$RAW/max.properties" | tee "$RAW/max.log"
stop_server

# ------------------------------------------------------------------ 4. fixed rate 100,000/s with a profile
echo "== fixed rate 100,000 orders/s"
start_server fixed "$(orders 100000 "$FIXED_WARMUP" "$FIXED_DURATION")" -XX:StartFlightRecording=filename="$WORK/fixed.jfr",settings=profile -Xlog:gc*:file="$RAW/gc-fixed.log":time,uptime,level,tags:filecount=0
load --setup --rate 100000 --warmup "$FIXED_WARMUP" --duration "$FIXED_DURATION" --histogram-log "$RAW/fixed-100000.hlog" \
    --timeline "$RAW/fixed-100000-timeline.csv" --result "$RAW/fixed-100000.properties" | tee "$RAW/fixed-100000.log"
stop_server
if command -v jfr > /dev/null 2>&1 || [ -x "${JAVA_HOME:-/nonexistent}/bin/jfr" ]; then
    JFR="jfr"; [ -n "${JAVA_HOME:-}" ] && JFR="$JAVA_HOME/bin/jfr"
    # top frames of the server's execution samples: where its CPU time goes
    "$JFR" print --events jdk.ExecutionSample "$WORK/fixed.jfr" 2>/dev/null \
        | awk '/stackTrace = \[/ {getline; sub(/^[ \t]+/, ""); sub(/line:.*/, ""); print}' \
        | sort | uniq -c | sort -rn | head -40 \
        | awk -v total="$("$JFR" summary "$WORK/fixed.jfr" 2>/dev/null | awk '/jdk.ExecutionSample/ {print $2}')" \
            '{ printf "%6d samples (%4.1f%%)  %s\n", $1, (total > 0 ? 100 * $1 / total : 0), substr($0, index($0, $2)) }' \
        > "$RAW/server-profile.txt" || true
    # the recording is written when the server's JVM exits normally; an empty profile says nothing
    [ -s "$RAW/server-profile.txt" ] || rm -f "$RAW/server-profile.txt"
fi

# ------------------------------------------------------------------ 4b. mixed traffic (WORKLOAD.md)
# 80% place, 10% AdjustOnHand, 5% CancelOrder, 5% ConfirmShipment, open loop; the generator's mixed
# sessions adjust inventory, so they log in as the ADMIN clients 21..24 above.
echo "== mixed traffic at ${MIXED_RATE}/s"
start_server mixed "$(orders "$MIXED_RATE" "$FIXED_WARMUP" "$FIXED_DURATION")"
load --setup --workload mixed --rate "$MIXED_RATE" --warmup "$FIXED_WARMUP" --duration "$FIXED_DURATION" \
    --histogram-log "$RAW/mixed.hlog" --result "$RAW/mixed.properties" | tee "$RAW/mixed.log"
stop_server

# ------------------------------------------------------------------ 4c. workload variants (WORKLOAD.md)
# scale (1,000 nodes, 100,000 SKUs), wide (10-line orders), hot-sku (10% of the lines on 10 scarce
# SKUs: backorders), open loop at one modest rate each, a fresh server for each network
for VARIANT in scale wide hot-sku; do
    echo "== workload $VARIANT at ${VARIANT_RATE}/s"
    lines=3; [ "$VARIANT" = wide ] && lines=10
    LINES_PER_ORDER="$lines" start_server "$VARIANT" "$(orders "$VARIANT_RATE" "$VARIANT_WARMUP" "$VARIANT_DURATION")"
    load --setup --workload "$VARIANT" --rate "$VARIANT_RATE" --warmup "$VARIANT_WARMUP" --duration "$VARIANT_DURATION" \
        --result "$RAW/variant-$VARIANT.properties" | tee "$RAW/variant-$VARIANT.log"
    stop_server
done

# ------------------------------------------------------------------ 5. spike
echo "== spike: $SPIKE_RATE/s, 10× for $SPIKE_DURATION"
start_server spike $(( $(orders "$SPIKE_RATE" "$SPIKE_WARMUP" "$SPIKE_BASELINE" "$SPIKE_AFTER") \
    + $(orders $(( SPIKE_RATE * 10 )) "$SPIKE_DURATION") )) -Xlog:gc*:file="$RAW/gc-spike.log":time,uptime,level,tags:filecount=0
sample_rss "$RAW/server-rss-spike.csv"
load --setup --spike --rate "$SPIKE_RATE" --warmup "$SPIKE_WARMUP" --spike-baseline "$SPIKE_BASELINE" \
    --spike-duration "$SPIKE_DURATION" --spike-after "$SPIKE_AFTER" --max-lag 120s --drain-timeout 120s \
    --histogram-log "$RAW/spike.hlog" --timeline "$RAW/spike-timeline.csv" --result "$RAW/spike.properties" | tee "$RAW/spike.log"
stop_server
fi

# ------------------------------------------------------------------ 6. ten minutes with the GC log
# 100,000 orders/s for 10.5 minutes places 63 million orders, and the reference workload closes none
# of them (no shipment, no cancel), so none can be retired: the server holds them all. The engine
# takes about 20 bytes of heap and 300 bytes of direct memory (the order book, the ids' index and
# bytes: expectedOrderIdLength 24, which the generator's ids of up to 22 bytes fit) per expected
# order up front: a heap of 30 bytes per expected order plus 1 GB (about 2.8 GB) and about 18.3 GB
# of direct memory (the limit is set at 320 bytes per expected order),
# plus the load generator and some page cache for the journals (about 40 GB of journal files are
# written). Where the machine does not have that, the step is skipped and the
# reason goes into the report instead of an OutOfMemoryError. `run-all.sh --long-only` runs this
# step alone (results in raw/long-*, raw/gc-long.log, raw/long-machine.properties).
LONG_ORDERS=64000000
LONG_HEAP_MB=$(( LONG_ORDERS * 30 / 1048576 + 1024 ))
LONG_DIRECT_MB=$(( LONG_ORDERS * 300 / 1048576 ))
LONG_NEEDS_MB=$(( LONG_HEAP_MB + LONG_DIRECT_MB + 2048 ))
MEM_MB=$(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo 2>/dev/null || echo 0)
LONG_MODE="$MODE"
if [ "${SKIP_LONG:-0}" = "1" ] && [ "$LONG_ONLY" = 0 ]; then
    echo "== 10 minutes at 100,000 orders/s: not run (SKIP_LONG=1); the previous run's files stay"
    LONG_MODE=skipped
fi
if [ "$LONG_MODE" = "full" ]; then
    rm -f "$RAW/long-100000.skipped"
    {
        echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
        echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
        echo "loadavg=$(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"
        echo "cpu_placement=$CPU_PLACEMENT"
    } > "$RAW/long-machine.properties"
fi
if [ "$LONG_MODE" = "full" ] && [ "$MEM_MB" -lt "$LONG_NEEDS_MB" ]; then
    echo "== 10 minutes at 100,000 orders/s: skipped, needs ${LONG_NEEDS_MB} MB (a ${LONG_HEAP_MB} MB heap, ${LONG_DIRECT_MB} MB of order book, the load generator, page cache), machine has ${MEM_MB} MB"
    echo "skipped: 64 million open orders (the reference workload closes none) need a server heap of about ${LONG_HEAP_MB} MB (30 B per expected order + 1 GB) and ${LONG_DIRECT_MB} MB of direct memory for the order book, plus about 3 GB for the load generator and page cache; this machine has ${MEM_MB} MB" \
        > "$RAW/long-100000.skipped"
elif [ "$LONG_MODE" = "full" ]; then
    echo "== 10 minutes at 100,000 orders/s with the server's GC log"
    SIZING_FILE="$RAW/long-machine.properties" HEAP_MB="$LONG_HEAP_MB" start_server long "$LONG_ORDERS" -Xlog:gc*:file="$RAW/gc-long.log":time,uptime,level,tags:filecount=0
    load --setup --rate 100000 --warmup 30s --duration 10m --histogram-log "$RAW/long-100000.hlog" \
        --timeline "$RAW/long-100000-timeline.csv" --result "$RAW/long-100000.properties" | tee "$RAW/long-100000.log"
    stop_server
fi

# ------------------------------------------------------------------ 7. core suite
if [ -x "$ROOT/perf-reports/run-core.sh" ] && [ "${SKIP_CORE:-0}" != "1" ] && [ "$LONG_ONLY" = 0 ]; then
    echo "== core JMH suite"
    if [ "$MODE" = "short" ]; then "$ROOT/perf-reports/run-core.sh" --short; else "$ROOT/perf-reports/run-core.sh"; fi
fi

# ------------------------------------------------------------------ 8. report
echo "== report"
"$ROOT/mete" perf-report --dir "$ROOT/perf-reports"
