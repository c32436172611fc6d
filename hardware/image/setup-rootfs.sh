#!/usr/bin/env bash
# mmdebstrap setup hook: runs on the build host with the still empty arm64 root file system as $1, before any
# package is unpacked. Installs what must be in place before the kernel package is configured:
#   - /boot/firmware, where raspi-firmware's hooks copy the boot files;
#   - the initramfs-tools settings (initramfs/conf.d/depin-hotspot: MODULES=list) and the hook that names the
#     modules a Raspberry Pi needs for its SD-card root (initramfs/hooks/depin-sd-root). Neither path is a
#     conffile of initramfs-tools, so dpkg keeps them when the package is unpacked over them.
set -euo pipefail
root="${1:?usage: setup-rootfs.sh ROOTFS}"
src="$(cd "$(dirname "$0")" && pwd)/initramfs"
[ -d "$root" ] || { echo "setup-rootfs.sh: $root is not a directory" >&2; exit 1; }
install -d -m 0755 "$root/boot/firmware" "$root/etc/initramfs-tools/conf.d" "$root/etc/initramfs-tools/hooks"
install -m 0644 "$src/conf.d/depin-hotspot" "$root/etc/initramfs-tools/conf.d/depin-hotspot"
install -m 0755 "$src/hooks/depin-sd-root" "$root/etc/initramfs-tools/hooks/depin-sd-root"
if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
  touch -h -d "@$SOURCE_DATE_EPOCH" "$root/etc/initramfs-tools/conf.d/depin-hotspot" \
    "$root/etc/initramfs-tools/hooks/depin-sd-root"
fi
