#!/usr/bin/env bash
# Full image check (run by tests/run.sh when FULL_IMAGE_TEST=1; needs root, the Debian mirror and
# `scripts/install-deps.sh image`). Builds the image in a temp dir, then checks:
#   - the manifest lists the packages the hotspot needs and our files, and (with REFERENCE_MANIFEST=path)
#     matches a manifest from an earlier build of the same commit;
#   - the root file system: hotspot user in groups spi and gpio, units enabled, no baked-in machine identity;
#   - the boot files: config.txt enables SPI and I2C, cmdline.txt mounts root by label;
#   - the initramfs: built from the explicit module list (initramfs/hooks/depin-sd-root), every listed module in it
#     or built into the kernel, and copied to the boot partition;
#   - the disk image: MBR with a FAT32 boot partition and an ext4 root partition, both file systems clean; the
#     compressed image decompresses.
# Prints build time and image size; KEEP_OUT=dir keeps the image and manifest there.
# BUILT_WORK_DIR=dir BUILT_OUT_DIR=dir check an earlier `build.sh` run (its WORK_DIR and OUT_DIR) instead of building.
set -euo pipefail
HW="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /var/tmp/depin-full-image.XXXXXX)"
trap 'rm -rf "$work"' EXIT
out="${KEEP_OUT:-$work/out}"
mkdir -p "$out"

problems=0
check() { local name="$1"; shift; if "$@"; then echo "  ok   $name"; else echo "  FAIL $name"; problems=$((problems + 1)); fi; }

if [ -n "${BUILT_WORK_DIR:-}" ]; then
  out="${BUILT_OUT_DIR:?BUILT_OUT_DIR must name the OUT_DIR of the build in BUILT_WORK_DIR}"
  rootfs="$BUILT_WORK_DIR/rootfs"
  seconds=$(sed -n 's/^build_seconds: //p' "$out/build-info.txt")
else
  start=$(date +%s)
  WORK_DIR="$work/build" OUT_DIR="$out" "$HW/image/build.sh" >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log"; exit 1; }
  seconds=$(( $(date +%s) - start ))
  rootfs="$work/build/rootfs"
fi
manifest=$(ls "$out"/*.manifest)
img=$(ls "$out"/*.img)

for pkg in systemd systemd-timesyncd network-manager logrotate ca-certificates raspi-firmware linux-image-arm64 jq; do
  check "manifest: package $pkg" grep -qE "^package $pkg " "$manifest"
done
for path in ./usr/local/sbin/depin-firstboot ./usr/local/bin/hotspot ./etc/systemd/system/depin-hotspot.service \
            ./etc/udev/rules.d/99-depin-spi-gpio.rules ./usr/share/depin-hotspot/boards/sx1262-hat.json \
            ./opt/depin-hotspot/DePin.Wireless.HotspotHost.dll ./etc/systemd/system/multi-user.target.wants/depin-firstboot.service; do
  check "manifest: $path" grep -qE " ${path//./\\.}$" "$manifest"
done
if [ -n "${REFERENCE_MANIFEST:-}" ]; then
  check "manifest matches $REFERENCE_MANIFEST" "$HW/image/check-manifest.sh" "$REFERENCE_MANIFEST" "$manifest"
fi
user_in_groups() { local id; id=$(chroot "$rootfs" id hotspot) || return 1; [[ "$id" == *"(spi)"* && "$id" == *"(gpio)"* ]]; }
no_host_keys() { ! compgen -G "$rootfs/etc/ssh/ssh_host_*" >/dev/null; }
fat_has_config() { grep -q config.txt <<<"$(MTOOLS_SKIP_CHECK=1 mdir -b -i "$img@@$1" ::/)"; }
label_is() { [ "$(e2label "$1")" = "$2" ]; }
check "hotspot user in groups spi and gpio" user_in_groups
check "machine-id empty (generated on first boot)" test ! -s "$rootfs/etc/machine-id"
check "no SSH host keys baked in" no_host_keys
check "config.txt: dtparam=spi=on" grep -qx 'dtparam=spi=on' "$rootfs/boot/firmware/config.txt"
check "config.txt: dtparam=i2c_arm=on" grep -qx 'dtparam=i2c_arm=on' "$rootfs/boot/firmware/config.txt"
check "cmdline.txt: root=LABEL=DEPINROOT" grep -q 'root=LABEL=DEPINROOT' "$rootfs/boot/firmware/cmdline.txt"

# The initramfs: only the listed modules (plus their dependencies), each present or built in.
kernel_version=$(basename "$(ls -d "$rootfs"/lib/modules/*)")
initrd_modules="$work/initrd-modules"
chroot "$rootfs" lsinitramfs "/boot/initrd.img-$kernel_version" | sed -nE 's#.*/([^/]+)\.ko(\.[a-z]+)?$#\1#p' | tr - _ | sort -u >"$initrd_modules"
# Lists in files, not pipes into grep -q: under pipefail an early grep exit fails the pipeline (SIGPIPE).
builtin_modules="$work/builtin-modules"
sed -nE 's#.*/([^/]+)\.ko$#\1#p' "$rootfs/lib/modules/$kernel_version/modules.builtin" | tr - _ | sort -u >"$builtin_modules"
in_initrd_or_builtin() { grep -qx "$1" "$initrd_modules" || grep -qx "$1" "$builtin_modules"; }
listed=$(sed -nE 's/^DEPIN_(SD|FS)_MODULES="([^"]*)"$/\2/p' "$HW/image/initramfs/hooks/depin-sd-root")
for module in $listed; do
  check "initramfs: $module included or built in" in_initrd_or_builtin "$module"
done
check "initramfs: MODULES=list kept it small (< 80 modules, MODULES=most has ~1,000)" test "$(wc -l <"$initrd_modules")" -lt 80
# raspi-firmware copies it as initrd.img-<kernel version> and names it in config.txt ("initramfs <file>").
boot_initrd=$(sed -nE 's/^initramfs[[:space:]]+([^[:space:]]+).*/\1/p' "$rootfs/boot/firmware/config.txt" | tail -n1)
check "config.txt boots an initramfs" test -n "$boot_initrd"
check "that initramfs is on the boot partition and is the one built" cmp -s "$rootfs/boot/firmware/${boot_initrd:-none}" "$rootfs/boot/initrd.img-$kernel_version"

# Partition table and file systems, read straight from the image file (no loop devices).
dump=$(sfdisk --dump "$img")
check "MBR partition 1 is FAT32 LBA and bootable" grep -qE '\.img1 : .*type=c, bootable' <<<"$dump"
check "MBR partition 2 is Linux" grep -qE '\.img2 : .*type=83' <<<"$dump"
p1_start=$(sed -nE 's/.*\.img1 : start= *([0-9]+),.*/\1/p' <<<"$dump")
p2_start=$(sed -nE 's/.*\.img2 : start= *([0-9]+),.*/\1/p' <<<"$dump")
p2_size=$(sed -nE 's/.*\.img2 : start= *[0-9]+, size= *([0-9]+),.*/\1/p' <<<"$dump")
check "FAT partition holds config.txt" fat_has_config $((p1_start * 512))
dd if="$img" of="$work/root.ext4" bs=512 skip="$p2_start" count="$p2_size" status=none
fsck_clean() { e2fsck -fn "$1" >/dev/null 2>&1; }
check "ext4 root file system is clean (e2fsck -fn)" fsck_clean "$work/root.ext4"
check "ext4 label is DEPINROOT" label_is "$work/root.ext4" DEPINROOT

compressed=$(ls "$img".xz "$img".zst 2>/dev/null || true)
if [ -n "$compressed" ]; then
  case "$compressed" in
    *.xz) check "compressed image decompresses (xz -t)" xz -t "$compressed" ;;
    *.zst) check "compressed image decompresses (zstd -t)" zstd -q -t "$compressed" ;;
  esac
fi

echo "build_seconds: $seconds"
echo "image_bytes: $(stat -c %s "$img")"
echo "image_sha256: $(cut -d' ' -f1 "$img.sha256")"
echo "initramfs_modules: $(wc -l <"$initrd_modules")"
[ -z "$compressed" ] || echo "compressed_bytes: $(stat -c %s "$compressed")"
echo "rootfs_packages: $(grep -c '^package ' "$manifest"), rootfs_paths: $(grep -c '^file ' "$manifest")"
[ "$problems" -eq 0 ]
