#!/usr/bin/env bash
# Compares two builds of Mete on the same JMH benchmarks, their forks alternating: A, B, A, B, ...
#
#   perf-reports/compare.sh [--rounds N] [--out FILE] A B SELECTOR [JMH options...]
#
#   A, B       a git revision (its committed tree, built in a temporary worktree) or the path of a
#              benchmarks.jar
#   SELECTOR   the JMH benchmark regex, e.g. 'core.PlaceOrderBenchmark.placeOrder'
#   options    passed to JMH as they are, e.g. -p variant=reference -p strategy=COST,FIRST_FIT -wi 4 -i 4
#   --rounds   pairs of forks (default 3); each fork runs every benchmark the selector and options name
#   --out      also write the table as markdown to FILE (with the machine, JDK and load)
#
# On a shared or virtual machine the speed of the same build changes from hour to hour by more
# than most changes are worth, so two builds measured an hour apart compare the hours as much as
# the builds. Alternating single forks puts both builds in every part of the run; the table shows
# every fork's score so the spread stays visible, and the medians. Prints the markdown at the end.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

ROUNDS=3
OUT=""
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) ROUNDS="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        -h|--help) sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) break ;;
    esac
done
if [ $# -lt 3 ]; then
    echo "usage: perf-reports/compare.sh [--rounds N] [--out FILE] A B SELECTOR [JMH options...]" >&2
    exit 2
fi
A="$1"; B="$2"; SELECTOR="$3"; shift 3

WORK="$(mktemp -d "${TMPDIR:-/tmp}/mete-compare.XXXXXX")"
cleanup() {
    for tree in "$WORK"/tree-*; do
        [ -d "$tree" ] && git -C "$ROOT" worktree remove --force "$tree" >/dev/null 2>&1 || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

# Prints the path of the benchmarks jar for a revision or a jar path, building it when needed.
jar_for() {
    local spec="$1" name="$2"
    if [ -f "$spec" ]; then
        echo "$spec"
        return
    fi
    local sha
    sha="$(git -C "$ROOT" rev-parse --verify --quiet "$spec^{commit}")" || { echo "compare: '$spec' is neither a jar nor a revision" >&2; exit 2; }
    local tree="$WORK/tree-$name"
    git -C "$ROOT" worktree add --detach "$tree" "$sha" >/dev/null 2>&1
    echo "compare: building $spec (${sha:0:7})..." >&2
    (cd "$tree" && ./mvnw -q -B -DskipTests -pl benchmarks -am package >&2)
    cp "$tree/benchmarks/target/benchmarks.jar" "$WORK/$name.jar"
    echo "$WORK/$name.jar"
}

describe() {
    if [ -f "$1" ]; then echo "$(basename "$1")"; else echo "$1 ($(git -C "$ROOT" rev-parse --short "$1^{commit}"))"; fi
}

JAR_A="$(jar_for "$A" a)"
JAR_B="$(jar_for "$B" b)"
JAVA="java"
if [ -n "${JAVA_HOME:-}" ]; then JAVA="$JAVA_HOME/bin/java"; fi
mapfile -t FLAGS < <("$ROOT/benchmarks/jvm-flags.sh")
LOAD="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
START="$(date -u '+%Y-%m-%d %H:%M UTC')"

# One fork of every selected benchmark; appends "build<TAB>round<TAB>benchmark and params<TAB>score<TAB>unit" lines.
SCORES="$WORK/scores.tsv"
: > "$SCORES"
run_fork() {
    local label="$1" jar="$2" round="$3" csv="$WORK/$1-$3.csv"
    "$JAVA" "${FLAGS[@]}" -jar "$jar" "$SELECTOR" -f 1 -foe true -rf csv -rff "$csv" -jvmArgsAppend "${FLAGS[*]}" \
        "${JMH_OPTIONS[@]}" > "$WORK/$label-$round.log" 2>&1 || { echo "compare: build $label failed in round $round, see below" >&2; tail -30 "$WORK/$label-$round.log" >&2; exit 1; }
    # CSV: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit","Param: x",...
    awk -F',' -v label="$label" -v round="$round" '{ sub(/\r$/, "") } NR == 1 { for (i = 8; i <= NF; i++) { p = $i; gsub(/"|Param: /, "", p); param[i] = p }; next }
        { name = $1; gsub(/"/, "", name); if (name ~ /:/) next; sub(/^io\.mete\.benchmarks\./, "", name)
          key = name; for (i = 8; i <= NF; i++) { v = $i; gsub(/"/, "", v); if (v != "") key = key " " param[i] "=" v }
          unit = $7; gsub(/"/, "", unit); printf "%s\t%s\t%s\t%s\t%s\n", label, round, key, $5, unit }' "$csv" >> "$SCORES"
}
JMH_OPTIONS=("$@")
for round in $(seq 1 "$ROUNDS"); do
    echo "compare: round $round of $ROUNDS: A" >&2
    run_fork a "$JAR_A" "$round"
    echo "compare: round $round of $ROUNDS: B" >&2
    run_fork b "$JAR_B" "$round"
done

TABLE="$WORK/table.md"
{
    echo "| benchmark | A: every fork | B: every fork | A median | B median | B against A |"
    echo "|---|---|---|---:|---:|---:|"
    cut -f3 "$SCORES" | awk '!seen[$0]++' | while IFS= read -r key; do
        awk -F'\t' -v key="$key" '$3 == key {
                if ($1 == "a") a[na++] = $4; else b[nb++] = $4; unit = $5 }
            function median(x, n,    i, j, t) {
                for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (x[j] < x[i]) { t = x[i]; x[i] = x[j]; x[j] = t }
                return n % 2 ? x[int(n / 2)] : (x[n / 2 - 1] + x[n / 2]) / 2 }
            function show(v) { return v >= 100 ? sprintf("%.0f", v) : sprintf("%.3g", v) }
            function list(x, n,    i, s) { s = ""; for (i = 0; i < n; i++) s = s (i ? ", " : "") show(x[i]); return s }
            END {
                la = list(a, na); lb = list(b, nb); ma = median(a, na); mb = median(b, nb)
                printf "| %s | %s | %s | %s %s | %s %s | %+.1f%% |\n", key, la, lb, show(ma), unit, show(mb), unit, ma == 0 ? 0 : 100 * (mb - ma) / ma }' "$SCORES"
    done
} > "$TABLE"

CPU="$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || echo unknown)"
REPORT="$WORK/report.md"
{
    echo "A: $(describe "$A"); B: $(describe "$B"). Alternating single forks, $ROUNDS of each, started $START."
    echo "Selector \`$SELECTOR\`, JMH options \`${JMH_OPTIONS[*]:-none}\`."
    echo "Machine: $CPU, $(nproc) cores, $("$JAVA" -version 2>&1 | head -1), load average at start $LOAD."
    echo "Scores are the benchmarks' own units (for time per operation, lower is better)."
    echo
    cat "$TABLE"
} > "$REPORT"
if [ -n "$OUT" ]; then
    cp "$REPORT" "$OUT"
fi
cat "$REPORT"
