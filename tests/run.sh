#!/usr/bin/env bash
# Runs every test of Switchboard on a fresh machine: `bash tests/run.sh`.
# It does its own set-up first: each script in tests/setup.d installs what a group of tests needs
# (PostgreSQL server binaries from Debian, npm packages from package-lock.json, ...) and is a no-op
# when that is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

for setup in tests/setup.d/*.sh; do
  [ -e "$setup" ] || continue
  echo "== set-up: $setup"
  bash "$setup"
done

echo "== restore and build"
dotnet build Cluster.sln -c Release -nologo -v quiet

echo "== tests"
log=$(mktemp)
status=0
dotnet test Cluster.sln -c Release --no-build -nologo --logger "console;verbosity=normal" 2>&1 | tee "$log" || status=$?

# One closing line for the whole run, summed over the test projects.
passed=$(grep -E '^\s+Passed:\s+[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
failed=$(grep -E '^\s+Failed:\s+[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
rm -f "$log"
echo
echo "tests: $passed passed, $failed failed"
exit "$status"
