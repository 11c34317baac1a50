#!/usr/bin/env bash
# Runs Mete's core benchmark suite (io.mete.benchmarks.core.* and .codec.*, one thread, -prof gc), the
# position memory measurement, and generates the markdown report from the raw results.
#
#   perf-reports/run-core.sh            full run, the settings in the benchmark annotations
#                                       (2 forks; 5 × 2 s warmup + 5 × 2 s measurement; lifecycle
#                                       benchmarks 10 + 20 single shots of 100,000 commands); about
#                                       35 minutes on 2 cores
#       → perf-reports/raw/core-jmh.json, perf-reports/raw/position-memory.json, perf-reports/core.md
#   perf-reports/run-core.sh --short    quick check that everything works (-f 1 -wi 2 -w 1s -i 3 -r 1s),
#                                       about 8 minutes; the report is marked as a quick run
#       → perf-reports/raw/core-jmh-quick.json, perf-reports/raw/position-memory-quick.json,
#         perf-reports/core-quick.md
#
# Further arguments go to JMH (after the suite pattern), e.g. -p variant=reference to narrow a run.
# METE_REPORT_NOTE adds a line to the report's header. JVM flags come from jvm.options through
# benchmarks/run-jmh.sh; heaps are set per benchmark class (@Fork jvmArgs).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

MODE=full
if [ "${1:-}" = "--short" ]; then
    MODE=short
    shift
fi

SUITE='io\.mete\.benchmarks\.(core|codec)\.'
RAW="$ROOT/perf-reports/raw"
mkdir -p "$RAW"
if [ "$MODE" = "short" ]; then
    JMH_ARGS=(-f 1 -wi 2 -w 1s -i 3 -r 1s)
    SUFFIX="-quick"
    TITLE="Mete core benchmarks — quick run"
    SHORT_FLAG=" --short"
else
    JMH_ARGS=()
    SUFFIX=""
    TITLE="Mete core benchmarks"
    SHORT_FLAG=""
fi
JSON="$RAW/core-jmh$SUFFIX.json"
MEMORY="$RAW/position-memory$SUFFIX.json"
REPORT="$ROOT/perf-reports/core$SUFFIX.md"

LOAD="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
DATE="$(date -u '+%Y-%m-%d %H:%M UTC')"
COMMAND="perf-reports/run-core.sh${SHORT_FLAG}${*:+ $*}"

"$ROOT/benchmarks/run-jmh.sh" "$SUITE" -prof gc -rf json -rff "$JSON" "${JMH_ARGS[@]}" "$@"

JAVA="java"
if [ -n "${JAVA_HOME:-}" ]; then JAVA="$JAVA_HOME/bin/java"; fi
mapfile -t FLAGS < <("$ROOT/benchmarks/jvm-flags.sh")
JAR="$ROOT/benchmarks/target/benchmarks.jar"

"$JAVA" "${FLAGS[@]}" -Xms2g -Xmx2g -cp "$JAR" io.mete.benchmarks.memory.PositionMemory --json "$MEMORY"

NOTES=(--note "Load average when the run started: $LOAD (1, 5, 15 min).")
if [ "$MODE" = "short" ]; then
    NOTES=(--note "QUICK NOISY RUN, NOT FOR PUBLICATION: ${JMH_ARGS[*]} (single-shot benchmarks: 2 warmup + 3 measured batches) on a machine shared with other builds. The figures only show that every benchmark runs, checks its result and allocates nothing; re-measure with perf-reports/run-core.sh on a quiet machine."
        "${NOTES[@]}")
fi
if [ -n "${METE_REPORT_NOTE:-}" ]; then
    NOTES+=(--note "$METE_REPORT_NOTE")
fi

"$JAVA" -cp "$JAR" io.mete.benchmarks.report.JmhReport --jmh "${JSON#"$ROOT"/}" --memory "${MEMORY#"$ROOT"/}" \
    --out "${REPORT#"$ROOT"/}" --title "$TITLE" --date "$DATE" --command "$COMMAND" "${NOTES[@]}"
