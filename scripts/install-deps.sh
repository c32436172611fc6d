#!/usr/bin/env bash
# Installs, idempotently, what the project needs on a fresh Debian 12 machine of this kind:
#   Debian packages: PostgreSQL 15, Mosquitto, Chromium (browser tests), shellcheck, systemd (unit checks),
#                    jq + openssl (hardware/ first-boot tests)
#   profile "image": the Raspberry Pi image builder's tools (hardware/image/build.sh, FULL_IMAGE_TEST=1)
#   npm packages:    tools/node (fixture oracles and real peers: ganache, solc, h3-js, lora-packet, packet-forwarder)
#                    and every web front end that has a package-lock.json
# Usage: scripts/install-deps.sh [devnet|test|image]
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-test}"

need_apt=()
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
debs=(postgresql mosquitto)
if [ "$profile" = "test" ]; then debs+=(chromium shellcheck systemd jq openssl); fi
if [ "$profile" = "image" ]; then debs=(mmdebstrap qemu-user-static binfmt-support arch-test dosfstools mtools fdisk e2fsprogs jq shellcheck systemd xz-utils gcc-aarch64-linux-gnu); fi
for p in "${debs[@]}"; do have "$p" || need_apt+=("$p"); done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
# The Debian packages start system-wide services; the project runs its own instances on free ports instead.
for svc in postgresql mosquitto; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then systemctl stop "$svc" || true; fi
done

npm_ci() { # dir
  local dir="$1"
  [ -f "$dir/package-lock.json" ] || return 0
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
}
npm_ci tools/node
while IFS= read -r lock; do npm_ci "$(dirname "$lock")"; done < <(find src -name package-lock.json -not -path '*/node_modules/*')
