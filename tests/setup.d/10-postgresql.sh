#!/usr/bin/env bash
# PostgreSQL server binaries for the storage tests and benchmarks, which start private instances
# with initdb/pg_ctl (see tests/Switchboard.Actors.Tests/Storage/PostgresServer.cs).
# Installs Debian's postgresql package when no initdb is found; a no-op otherwise.
set -euo pipefail

if compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null; then
  echo "PostgreSQL server binaries present: $(ls -d /usr/lib/postgresql/*/bin | tr '\n' ' ')"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "PostgreSQL server binaries are missing and installing them needs root: apt-get install -y postgresql" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends postgresql
# The package starts a cluster of its own on port 5432; the tests run private instances instead.
if command -v pg_lsclusters > /dev/null; then
  pg_lsclusters --no-header | while read -r version cluster _; do
    pg_ctlcluster "$version" "$cluster" stop || true
  done
fi
compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null
echo "PostgreSQL server binaries installed: $(ls -d /usr/lib/postgresql/*/bin | tr '\n' ' ')"
