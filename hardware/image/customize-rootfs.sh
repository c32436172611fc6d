#!/usr/bin/env bash
# mmdebstrap customize hook: runs on the build host with the arm64 root file system as $1 (commands inside it
# run under qemu-aarch64 through binfmt). Creates the hotspot user and groups, enables the units, regenerates
# the boot files with our raspi-firmware settings and removes per-machine state so every image is identical.
set -euo pipefail
root="$1"
[ -d "$root/etc" ] || { echo "customize-rootfs.sh: $root is not a root file system" >&2; exit 1; }
in_root() { chroot "$root" "$@"; }

# Groups and user. Debian has no spi/gpio groups (Raspberry Pi OS does); the udev rule hands the devices to them.
for group in spi gpio; do
  in_root getent group "$group" >/dev/null || in_root groupadd --system "$group"
done
in_root getent group hotspot >/dev/null || in_root groupadd --system hotspot
if ! in_root getent passwd hotspot >/dev/null; then
  in_root useradd --system --gid hotspot --groups spi,gpio --home-dir /var/lib/depin-hotspot \
    --no-create-home --shell /usr/sbin/nologin --comment "DePin.Wireless hotspot" hotspot
fi
install -d -m 0750 "$root/var/lib/depin-hotspot"
in_root chown hotspot:hotspot /var/lib/depin-hotspot

# The wrapper, the first-boot script and the validator are executables; the app itself is not.
chmod 0755 "$root/usr/local/bin/hotspot" "$root/usr/local/sbin/depin-firstboot" \
  "$root/usr/local/lib/depin-hotspot/validate-board" "$root/usr/local/lib/depin-hotspot/sx1302-conf" \
  "$root/usr/local/lib/depin-hotspot/sx1302-reset"
chmod 0644 "$root/usr/share/depin-hotspot/sx1302-regions.json"
chmod 0644 "$root"/etc/systemd/system/depin-*.service "$root"/etc/udev/rules.d/99-depin-spi-gpio.rules

# depin-lora-pkt-fwd is enabled everywhere; its conditions skip it unless first boot wrote an SX1302 configuration
# and the image has lora_pkt_fwd. /etc/depin-hotspot/lora_pkt_fwd must be absent in the image for that.
rm -rf "$root/etc/depin-hotspot/lora_pkt_fwd"
systemctl --root="$root" enable depin-firstboot.service depin-hotspot.service depin-lora-pkt-fwd.service \
  systemd-timesyncd.service NetworkManager.service >/dev/null
# journald keeps logs across reboots, capped (see etc/systemd/journald.conf.d/depin.conf).
install -d -m 2755 "$root/var/log/journal"

# Boot files: rerun raspi-firmware's kernel hook now that /etc/default/raspi-firmware{,-custom} are ours,
# so cmdline.txt has root=LABEL=DEPINROOT and config.txt enables SPI and I2C.
kernel_version=$(basename "$(ls -d "$root"/lib/modules/*)")
# The hook only acts for "configure" (it reads the maintainer-script arguments from DEB_MAINT_PARAMS).
in_root env DEB_MAINT_PARAMS=configure /etc/kernel/postinst.d/z50-raspi-firmware "$kernel_version"
grep -q '^dtparam=spi=on' "$root/boot/firmware/config.txt" || { echo "config.txt lacks dtparam=spi=on" >&2; exit 1; }
grep -q 'root=LABEL=DEPINROOT' "$root/boot/firmware/cmdline.txt" || { echo "cmdline.txt lacks root=LABEL=DEPINROOT" >&2; exit 1; }

# Per-machine state: generated on the device at first boot, never baked into the image.
rm -f "$root"/etc/ssh/ssh_host_*
: >"$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id"
passwd_root_locked=$(in_root passwd --status root | cut -d' ' -f2)
[ "$passwd_root_locked" = L ] || in_root passwd --lock root >/dev/null
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/debconf/*-old \
  "$root"/var/log/*.log "$root"/var/log/apt/* "$root"/tmp/* "$root"/var/cache/ldconfig/aux-cache
