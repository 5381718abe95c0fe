#!/usr/bin/env bash
# Installs the Debian 12 packages MarketStream needs to build, run and test.
# Idempotent: packages already present are skipped; apt runs only when something is missing.
# Deliberately WITHOUT --no-install-recommends: Qt6 Charts needs libqt6opengl6-dev (a Recommends).
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  clang libclang-rt-14-dev
  qt6-base-dev qt6-charts-dev qt6-websockets-dev libqt6opengl6-dev
  libqt6sql6-psql libqt6sql6-sqlite qtkeychain-qt6-dev
  librdkafka-dev libpq-dev libsqlite3-dev
  postgresql postgresql-contrib kcat
  xvfb xauth imagemagick
  docker-compose dpkg-dev file python3-jsonschema
  python3-prometheus-client
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
echo "install-deps: done"
