#!/usr/bin/env bash
# Set-up for the interop tests: third-party gRPC peers (grpc-js, grpcio) that drive the real silo.
#  - Debian: python3-grpcio (grpcio 1.51, C-core; installs for /usr/bin/python3, not a pyenv python),
#    python3-protobuf, grpc-proto (the official .proto files: switchboard_client.js loads grpc/health/v1/health.proto from it).
#  - npm: @grpc/grpc-js and @grpc/proto-loader, exactly as pinned by tests/interop/package-lock.json.
# Idempotent and quick: each step is skipped when what it installs is already there.
set -euo pipefail
cd "$(dirname "$0")/../.."

need_apt=()
/usr/bin/python3 -c 'import grpc, google.protobuf' >/dev/null 2>&1 || need_apt+=(python3-grpcio python3-protobuf)
[ -f /usr/share/grpc-proto/grpc/health/v1/health.proto ] || need_apt+=(grpc-proto)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "grpc-interop: installing ${need_apt[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
else
  echo "grpc-interop: Debian packages present"
fi

interop=tests/interop
lock_hash=$(sha256sum "$interop/package-lock.json" | cut -d' ' -f1)
stamp="$interop/node_modules/.switchboard-lock-hash"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_hash" ] && [ -d "$interop/node_modules/@grpc/grpc-js" ]; then
  echo "grpc-interop: npm packages present"
else
  echo "grpc-interop: npm ci in $interop"
  (cd "$interop" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_hash" > "$stamp"
fi

/usr/bin/python3 -c 'import grpc; print("grpc-interop: grpcio", grpc.__version__)'
node -e 'console.log("grpc-interop: @grpc/grpc-js", require("./'"$interop"'/node_modules/@grpc/grpc-js/package.json").version)'
