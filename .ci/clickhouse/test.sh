#!/usr/bin/env bash
# make test-clickhouse: frebscan's ndjson-flat output loaded as it is into a real
# ClickHouse (Debian's clickhouse-server, 18.16 on Debian 12), the admin queries of
# docs/shipping/clickhouse/queries.sql checked against the JSON report of the same
# scan (internal/cli TestClickHouse). Installs the package if missing (needs root),
# runs a private server on 127.0.0.1 with its own config and data under a temporary
# directory, and always stops it again.
set -euo pipefail
cd "$(dirname "$0")/../.."
GO=${GO:-go}
export CH_TCP_PORT=${CH_TCP_PORT:-19417} CH_HTTP_PORT=${CH_HTTP_PORT:-18417}

if ! command -v clickhouse-server >/dev/null 2>&1 || ! command -v clickhouse-client >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "test-clickhouse: clickhouse-server is not installed; run as root or: apt-get install clickhouse-server clickhouse-client" >&2
    exit 2
  fi
  echo "test-clickhouse: installing clickhouse-server clickhouse-client"
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq clickhouse-server clickhouse-client
fi
clickhouse-client --version

dir=$(mktemp -d "${TMPDIR:-/tmp}/frebscan-clickhouse.XXXXXX")
cleanup() {
  .ci/clickhouse/ch.sh stop "$dir" || true
  rm -rf "$dir"
}
trap cleanup EXIT
.ci/clickhouse/ch.sh start "$dir"
FREBSCAN_CLICKHOUSE_PORT=$CH_TCP_PORT $GO test -count=1 -run '^TestClickHouse$' -v ./internal/cli/
