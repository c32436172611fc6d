#!/usr/bin/env bash
# Builds Semtech's SX1302/SX1303 packet forwarder (lora_pkt_fwd, sx1302_hal V2.1.0) for arm64 from the upstream
# release source tarball and installs it under DESTDIR/opt/depin-hotspot/sx1302. Debian 12 has no package for it.
#
# The tarball is not downloaded here (the image recipe fetches nothing but Debian packages): pass the
# "Source code (tar.gz)" of https://github.com/Lora-net/sx1302_hal/releases/tag/V2.1.0, saved beforehand.
# It is verified by its tree digest, not by the bytes of the archive (re-compressed or re-packed copies of the
# same release pass, anything else fails): the SHA-256 over "sha256sum" lines of every file, sorted by path
# relative to the top directory (see tree_digest below). The pinned value was computed from tag V2.1.0
# (commit 4b42025d1751e04632c0b04160e0d29dbbb222a5, git tree c490fd54f162d29c4c11749a1c158a842965e1fd).
#
# Usage: build-lora-pkt-fwd.sh SOURCE_TARBALL DESTDIR
# Environment:
#   SX1302_HAL_TREE_SHA256   expected tree digest (default: the pinned V2.1.0 value)
#   CROSS_COMPILE            toolchain prefix (default aarch64-linux-gnu-; Debian: apt-get install gcc-aarch64-linux-gnu)
#   JOBS                     parallel make jobs (default 2)
#   SOURCE_DATE_EPOCH        used by gcc for __DATE__/__TIME__ and for the installed files' timestamps
set -euo pipefail

PINNED_TREE_SHA256=bd7057b2f9ef272703033d4d3fdea64761b309bc5325d7a6b517926782a29be6
EXPECTED_VERSION=2.1.0

die() { echo "build-lora-pkt-fwd.sh: error: $*" >&2; exit 1; }
[ $# -eq 2 ] || die "usage: build-lora-pkt-fwd.sh SOURCE_TARBALL DESTDIR"
tarball="$1"; destdir="$2"
expected="${SX1302_HAL_TREE_SHA256:-$PINNED_TREE_SHA256}"
cross="${CROSS_COMPILE-aarch64-linux-gnu-}"
[ -f "$tarball" ] || die "source tarball '$tarball' does not exist"
command -v "${cross}gcc" >/dev/null || die "no C compiler '${cross}gcc' (Debian: apt-get install gcc-aarch64-linux-gnu)"

# tree_digest DIR: SHA-256 of the sorted "sha256  ./path" lines of every regular file under DIR.
tree_digest() { (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1); }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar -xzf "$tarball" -C "$work" || die "'$tarball' is not a gzip-compressed tar archive"
mapfile -t tops < <(find "$work" -mindepth 1 -maxdepth 1)
if [ "${#tops[@]}" -ne 1 ] || [ ! -d "${tops[0]}" ]; then
  die "'$tarball' must hold exactly one top-level directory (the sx1302_hal tree)"
fi
src="${tops[0]}"
actual="$(tree_digest "$src")"
[ "$actual" = "$expected" ] || die "'$tarball' is not sx1302_hal V$EXPECTED_VERSION: tree digest $actual, expected $expected"
[ "$(cat "$src/VERSION")" = "$EXPECTED_VERSION" ] || die "VERSION file says '$(cat "$src/VERSION")', expected $EXPECTED_VERSION"

make -C "$src" -j"${JOBS:-2}" ARCH=arm64 CROSS_COMPILE="$cross" libtools libloragw packet_forwarder >"$work/make.log" 2>&1 \
  || { tail -n 30 "$work/make.log" >&2; die "make failed (log above)"; }
binary="$src/packet_forwarder/lora_pkt_fwd"
machine="$(LC_ALL=C "${cross}readelf" -h "$binary" | sed -nE 's/^ *Machine: *//p')"
[ "$machine" = AArch64 ] || die "lora_pkt_fwd was built for '$machine', not AArch64"

dest="$destdir/opt/depin-hotspot/sx1302"
install -d -m 0755 "$dest" "$dest/conf"
install -m 0755 "$binary" "$dest/lora_pkt_fwd"
# Not upstream's tools/reset_lgw.sh: it drives the Semtech CoreCell pins (reset 23, power 18, 22, 13) through sysfs,
# which would toggle unrelated lines on our boards. The image's own reset is /usr/local/lib/depin-hotspot/sx1302-reset.
install -m 0644 "$src/LICENSE.TXT" "$dest/LICENSE.TXT"
install -m 0644 "$src/packet_forwarder/PROTOCOL.md" "$dest/PROTOCOL.md"
# The SPI (not USB) example configurations for SX1250-based boards (RAK2287, SenseCAP M1, Nebra indoor).
for conf in "$src"/packet_forwarder/global_conf.json.sx1250.*; do
  case "$conf" in *.USB) continue ;; esac
  install -m 0644 "$conf" "$dest/conf/$(basename "$conf")"
done
echo "sx1302_hal $EXPECTED_VERSION (tree $actual), built with ${cross}gcc $("${cross}gcc" -dumpfullversion)" >"$dest/BUILD-INFO"
if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
  find "$dest" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
fi
echo "lora_pkt_fwd: $dest/lora_pkt_fwd ($(stat -c %s "$dest/lora_pkt_fwd") bytes, $machine)"
