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
# A test that hangs is stopped after 10 minutes and named, so the run ends with its name instead of running out of time.
dotnet test Cluster.sln -c Release --no-build -nologo --blame-hang --blame-hang-timeout 10m --blame-hang-dump-type none --logger "console;verbosity=normal" 2>&1 | tee "$log" || status=$?

# One closing line for the whole run, summed over the test projects.
passed=$(awk '/^[[:space:]]+Passed:[[:space:]]+[0-9]+/ {s += $2} END {print s + 0}' "$log")
failed=$(awk '/^[[:space:]]+Failed:[[:space:]]+[0-9]+/ {s += $2} END {print s + 0}' "$log")
echo
if [ "$failed" != 0 ]; then
  # The failures again at the end, where a reader of the run's last lines finds them: each failed test with the
  # first lines of its message and stack.
  echo "== failed tests"
  awk '/^[[:space:]]+Passed / {n = 0} /^[[:space:]]+Failed [^:]/ {n = 14} n > 0 {print; n--}' "$log"
  echo
fi
rm -f "$log"
echo "tests: $passed passed, $failed failed"
exit "$status"
