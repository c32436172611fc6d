#!/usr/bin/env bash
# Full image check (run by tests/run.sh when FULL_IMAGE_TEST=1; needs root, the Debian mirror and
# `scripts/install-deps.sh image`). Builds the image in a temp dir, then checks:
#   - the manifest lists the packages the hotspot needs and our files, and (with REFERENCE_MANIFEST=path)
#     matches a manifest from an earlier build of the same commit;
#   - the root file system: hotspot user in groups spi and gpio, units enabled, no baked-in machine identity;
#   - the boot files: config.txt enables SPI and I2C, cmdline.txt mounts root by label;
#   - the SX1302 packet forwarder: its unit enabled, the generator and reset script (run inside the image under
#     qemu), gpiod 1.x, no forwarder configuration baked in, and lora_pkt_fwd (AArch64) when build-info.txt says
#     it was built in (SX1302_HAL_TARBALL);
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

for pkg in systemd systemd-timesyncd network-manager logrotate ca-certificates raspi-firmware linux-image-arm64 jq gpiod; do
  check "manifest: package $pkg" grep -qE "^package $pkg " "$manifest"
done
for path in ./usr/local/sbin/depin-firstboot ./usr/local/bin/hotspot ./etc/systemd/system/depin-hotspot.service \
            ./etc/udev/rules.d/99-depin-spi-gpio.rules ./usr/share/depin-hotspot/boards/sx1262-hat.json \
            ./opt/depin-hotspot/DePin.Wireless.HotspotHost.dll ./etc/systemd/system/multi-user.target.wants/depin-firstboot.service \
            ./etc/systemd/system/depin-lora-pkt-fwd.service ./etc/systemd/system/multi-user.target.wants/depin-lora-pkt-fwd.service \
            ./usr/local/lib/depin-hotspot/sx1302-conf ./usr/local/lib/depin-hotspot/sx1302-reset \
            ./usr/share/depin-hotspot/sx1302-regions.json; do
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

# SX1302 packet forwarder.
pf_enabled() { [ "$(readlink "$rootfs/etc/systemd/system/multi-user.target.wants/depin-lora-pkt-fwd.service")" = /etc/systemd/system/depin-lora-pkt-fwd.service ]; }
check "depin-lora-pkt-fwd.service enabled (multi-user.target.wants)" pf_enabled
# The image's own systemd checks our units against the real binaries (no stubs): any output is a problem.
units_verify() {
  local o; o=$(chroot "$rootfs" systemd-analyze verify /etc/systemd/system/depin-firstboot.service \
    /etc/systemd/system/depin-hotspot.service /etc/systemd/system/depin-lora-pkt-fwd.service 2>&1) && [ -z "$o" ]
}
check "units pass the image's systemd-analyze verify" units_verify
check "no packet forwarder configuration baked in (first boot writes it for SX1302 boards only)" test ! -e "$rootfs/etc/depin-hotspot/lora_pkt_fwd"
for script in sx1302-conf sx1302-reset; do
  check "$script is executable (0755)" test "$(stat -c %a "$rootfs/usr/local/lib/depin-hotspot/$script")" = 755
done
gpiod_v1() { local v; v=$(chroot "$rootfs" gpioset --version) && [[ "${v%%$'\n'*}" == *" v1."* ]]; }
check "the image's gpioset is libgpiod 1.x (the command line sx1302-reset speaks)" gpiod_v1
# The generator inside the image (its bash and jq under qemu), into a scratch directory removed afterwards.
conf_in_image() {
  local out=/tmp/depin-full-image-check status=0
  chroot "$rootfs" /usr/local/lib/depin-hotspot/sx1302-conf --board /usr/share/depin-hotspot/boards/rak-hotspot-v2.json \
    --region EU868 --gateway-id 0016C001FF10A235 --out "$out" >/dev/null || status=$?
  if [ "$status" -eq 0 ]; then
    jq -e '.SX130x_conf.com_path == "/dev/spidev0.0" and .gateway_conf.serv_port_up == 1680' "$rootfs$out/global_conf.json" >/dev/null \
      && grep -qxF RESET_PIN=25 "$rootfs$out/reset.env" || status=1
  fi
  rm -rf "${rootfs:?}$out"
  return "$status"
}
check "sx1302-conf runs in the image (rak-hotspot-v2: spidev0.0, port 1680, reset GPIO 25)" conf_in_image
lpf="$rootfs/opt/depin-hotspot/sx1302/lora_pkt_fwd"
is_aarch64() { LC_ALL=C readelf -h "$1" | grep -qE 'Machine: +AArch64'; }
if grep -q '^lora_pkt_fwd: sx1302_hal' "$out/build-info.txt" 2>/dev/null; then
  check "lora_pkt_fwd in the image, executable" test -x "$lpf"
  check "lora_pkt_fwd is an AArch64 ELF" is_aarch64 "$lpf"
  check "manifest: ./opt/depin-hotspot/sx1302/lora_pkt_fwd" grep -qE ' \./opt/depin-hotspot/sx1302/lora_pkt_fwd$' "$manifest"
  check "upstream's sysfs reset_lgw.sh not installed" test ! -e "$rootfs/opt/depin-hotspot/sx1302/reset_lgw.sh"
  lpf_runs() { local o; o=$(chroot "$rootfs" /opt/depin-hotspot/sx1302/lora_pkt_fwd -h 2>&1) && [[ "$o" == *"use config file other than"* ]]; }
  check "lora_pkt_fwd runs in the image (-h, under qemu)" lpf_runs
else
  check "built without SX1302_HAL_TARBALL: no lora_pkt_fwd (the unit's condition skips it)" test ! -e "$lpf"
fi

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
