#!/usr/bin/env bash
# Prints the JVM flags every Mete JVM needs, one per line: the lines of the root jvm.options
# ('#' comments and blank lines dropped), plus --sun-misc-unsafe-memory-access=allow on JDK 24 and
# later (JDK 17 refuses that flag). Uses $JAVA_HOME/bin/java when JAVA_HOME is set.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA="java"
if [ -n "${JAVA_HOME:-}" ]; then JAVA="$JAVA_HOME/bin/java"; fi

while IFS= read -r line || [ -n "$line" ]; do
    line="${line%%#*}"
    line="$(echo "$line" | xargs)"
    [ -n "$line" ] && echo "$line"
done < "$ROOT/jvm.options"

SPEC="$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')"
if [ "${SPEC%%.*}" -ge 24 ] 2>/dev/null; then
    echo "--sun-misc-unsafe-memory-access=allow"
fi
