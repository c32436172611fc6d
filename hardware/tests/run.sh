#!/usr/bin/env bash
# Tests for hardware/: shellcheck on every script, systemd-analyze verify on the units, the udev rule,
# board profile validation, manifest comparison and the first-boot script against a fake boot partition
# (with tests/fakes/hotspot standing in for our own CLI), and the SX1302 packet forwarder's configuration generator
# and reset script (tests/fakes/gpioset standing in for libgpiod 1.6's gpioset). With SX1302_HAL_TARBALL=path it
# also builds lora_pkt_fwd, compares our region plans with upstream's and runs the real binary under qemu-aarch64
# on a generated configuration. With FULL_IMAGE_TEST=1 it also builds the image (tests/full-image.sh; needs root
# and the Debian mirror).
# Prints "hardware tests: N passed, N failed" last; exits 1 when any test failed.
set -uo pipefail
HW="$(cd "$(dirname "$0")/.." && pwd)"
ROOTFS_SRC="$HW/image/rootfs"
FIRSTBOOT="$ROOTFS_SRC/usr/local/sbin/depin-firstboot"
VALIDATE="$ROOTFS_SRC/usr/local/lib/depin-hotspot/validate-board"
FAKE_HOTSPOT="$HW/tests/fakes/hotspot"
SX1302_CONF="$ROOTFS_SRC/usr/local/lib/depin-hotspot/sx1302-conf"
SX1302_RESET="$ROOTFS_SRC/usr/local/lib/depin-hotspot/sx1302-reset"
SX1302_REGIONS="$ROOTFS_SRC/usr/share/depin-hotspot/sx1302-regions.json"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

passed=0; failed=0
pass() { passed=$((passed + 1)); echo "  ok   $1"; }
fail() { failed=$((failed + 1)); echo "  FAIL $1"; shift; [ $# -gt 0 ] && printf '       %s\n' "$@"; }
# expect NAME CONDITION-COMMAND...   (the command's success is the assertion)
expect() { local name="$1"; shift; if "$@"; then pass "$name"; else fail "$name" "assertion failed: $*"; fi; }
contains() { grep -qF -- "$2" "$1"; }
fails() { ! "$@"; }
fails_quietly() { ! "$@" >/dev/null 2>&1; }
json() { jq -e "$1" "$2" >/dev/null; } # json FILTER FILE: the filter holds for FILE
mode_of() { stat -c %a "$1"; }

# ---------------------------------------------------------------------------------------------- shellcheck
echo "shellcheck"
if ! command -v shellcheck >/dev/null; then
  fail "shellcheck installed" "shellcheck is missing: scripts/install-deps.sh test installs it"
else
  while IFS= read -r script; do
    if out=$(shellcheck -x "$script" 2>&1); then pass "shellcheck ${script#"$HW"/}"
    else fail "shellcheck ${script#"$HW"/}" "$out"; fi
  done < <(find "$HW" -type f -not -path '*/out/*' \( -name '*.sh' -o -perm -u+x \) -exec grep -lE '^#!(/usr/bin/env |/bin/)(ba)?sh' {} + | sort)
fi

# ----------------------------------------------------------------------------------- systemd-analyze verify
echo "systemd units"
if ! command -v systemd-analyze >/dev/null; then
  fail "systemd-analyze installed" "systemd-analyze is missing: scripts/install-deps.sh test installs systemd"
else
  # verify needs every ExecStart= binary to exist: point them at executable stubs in a temp dir.
  mkdir -p "$TMP/units" "$TMP/stub"
  printf '#!/bin/sh\nexit 0\n' >"$TMP/stub/hotspot"; cp "$TMP/stub/hotspot" "$TMP/stub/depin-firstboot"; cp "$TMP/stub/hotspot" "$TMP/stub/lora_pkt_fwd"; chmod +x "$TMP/stub/"*
  for unit in "$ROOTFS_SRC"/etc/systemd/system/*.service; do
    sed -E -e "s#^ExecStart=/usr/local/s?bin/#ExecStart=$TMP/stub/#" -e "s#^ExecStart=/opt/depin-hotspot/sx1302/#ExecStart=$TMP/stub/#" \
      "$unit" >"$TMP/units/$(basename "$unit")"
  done
  for unit in "$TMP"/units/*.service; do
    name=$(basename "$unit")
    if out=$(systemd-analyze verify "$unit" 2>&1) && [ -z "$out" ]; then pass "systemd-analyze verify $name"
    else fail "systemd-analyze verify $name" "$out"; fi
  done
  hs="$ROOTFS_SRC/etc/systemd/system/depin-hotspot.service"
  for setting in "User=hotspot" "SupplementaryGroups=spi gpio" "NoNewPrivileges=yes" "ProtectSystem=strict" \
                 "ReadWritePaths=/var/lib/depin-hotspot" "PrivateTmp=yes" "Restart=on-failure" "DevicePolicy=closed" \
                 "DeviceAllow=char-spidev rw" "DeviceAllow=char-gpiochip rw" \
                 "ExecStart=/usr/local/bin/hotspot run --config /etc/depin-hotspot/hotspot.json"; do
    expect "depin-hotspot.service has $setting" grep -qxF "$setting" "$hs"
  done
  fb="$ROOTFS_SRC/etc/systemd/system/depin-firstboot.service"
  for setting in "ConditionPathExists=!/var/lib/depin-hotspot/.firstboot-done" "Type=oneshot" \
                 "ExecStart=/usr/local/sbin/depin-firstboot"; do
    expect "depin-firstboot.service has $setting" grep -qxF "$setting" "$fb"
  done
  expect "depin-firstboot.service runs before depin-hotspot.service" grep -qE '^Before=.*depin-hotspot\.service' "$fb"
  expect "depin-firstboot.service runs before NetworkManager" grep -qE '^Before=.*NetworkManager\.service' "$fb"
fi

# ------------------------------------------------------------------------------------------------- udev rule
echo "udev rule"
rules="$ROOTFS_SRC/etc/udev/rules.d/99-depin-spi-gpio.rules"
expect "spidev nodes belong to group spi, mode 0660" grep -qE '^SUBSYSTEM=="spidev", KERNEL=="spidev\*", GROUP="spi", MODE="0660"$' "$rules"
expect "gpiochip nodes belong to group gpio, mode 0660" grep -qE '^SUBSYSTEM=="gpio", KERNEL=="gpiochip\*", GROUP="gpio", MODE="0660"$' "$rules"

# -------------------------------------------------------------------------------------------- board profiles
echo "board profiles"
for profile in "$HW"/boards/*.json; do
  if out=$("$VALIDATE" "$profile" 2>&1); then pass "valid profile $(basename "$profile")"
  else fail "valid profile $(basename "$profile")" "$out"; fi
done
for required in rak-hotspot-v2 rak2287-pi-hat sensecap-m1 nebra-indoor sx1262-hat sx1276-hat; do
  expect "profile $required exists" test -f "$HW/boards/$required.json"
done
expect "sx1262-hat uses the driver README pins (reset 18, busy 20, DIO1 16, spidev0.0)" \
  json '.radio == "sx1262" and .spiDevice == "/dev/spidev0.0" and .pins.reset == 18 and .pins.busy == 20 and .pins.irq == 16' "$HW/boards/sx1262-hat.json"
expect "sx1276-hat uses the bonnet pins (reset 25, DIO0 22, spidev0.1)" \
  json '.radio == "sx1276" and .spiDevice == "/dev/spidev0.1" and .pins.reset == 25 and .pins.irq == 22' "$HW/boards/sx1276-hat.json"

# Broken profiles: the validator must reject each one and name the field.
bad_profile() { # NAME JQ-EDIT EXPECTED-TEXT
  local dir="$TMP/bad-$1"; mkdir -p "$dir"
  jq "$2" "$HW/boards/sx1262-hat.json" >"$dir/sx1262-hat.json"
  local out
  if out=$("$VALIDATE" "$dir/sx1262-hat.json" 2>&1); then fail "validator rejects $1" "accepted: $2"
  elif [[ "$out" == *"$3"* ]]; then pass "validator rejects $1"
  else fail "validator rejects $1" "expected '$3' in: $out"; fi
}
bad_profile "a pin used twice" '.pins.busy = 18' "GPIO 18 is used by more than one function"
bad_profile "a pin beyond the 40-pin header" '.pins.irq = 28' "pins.irq: 28 is not a BCM GPIO number in 0..27"
bad_profile "a negative pin" '.pins.reset = -1' "pins.reset: -1 is not a BCM GPIO number"
bad_profile "a fractional pin" '.pins.reset = 4.5' "pins.reset: 4.5 is not a BCM GPIO number"
bad_profile "sx1262 without BUSY" '.pins.busy = null' "pins.busy: sx1262 needs BUSY"
bad_profile "sx1262 without DIO1" 'del(.pins.irq)' "pins.irq: sx1262 needs DIO1"
bad_profile "a malformed SPI device" '.spiDevice = "/dev/spi0"' "spiDevice: required /dev/spidevB.C"
bad_profile "an unknown radio type" '.radio = "sx1280"' "radio: must be gwmp, sx1262, sx1276 or simulated"
bad_profile "sx1276 with a BUSY pin" '.radio = "sx1276"' "pins.busy: the SX1276 has no BUSY pin"
bad_profile "gwmp without a listen address" '.radio = "gwmp"' "gwmp.listen: required host:port"
bad_profile "a name that differs from the file" '.name = "other"' "name: must equal the file name"
bad_profile "a config.txt line that is not an overlay" '.configTxt = ["rm -rf /"]' "configTxt:"
cm_dir="$TMP/cm"; mkdir -p "$cm_dir"
jq '.pins.reset = 45' "$HW/boards/nebra-indoor.json" >"$cm_dir/nebra-indoor.json"
expect "compute-module profiles may use GPIO up to 45" "$VALIDATE" "$cm_dir/nebra-indoor.json"
jq '.pins.reset = 46' "$HW/boards/nebra-indoor.json" >"$cm_dir/nebra-indoor.json"
expect "compute-module profiles reject GPIO 46" fails_quietly "$VALIDATE" "$cm_dir/nebra-indoor.json"

# Wiring diagrams: every "pin P: GPIO G" label must match the Pi header (physical pin -> BCM), and every
# GPIO of the board profile must be drawn.
echo "wiring diagrams"
header_bcm=(- - - 2 - 3 - 4 14 - 15 17 18 27 - 22 23 - 24 10 - 9 25 11 8 - 7 0 1 5 - 6 12 13 - 19 16 26 20 - 21) # index = physical pin
for diagram in sx1262-hat sx1276-hat; do
  svg="$HW/docs/$diagram-wiring.svg"
  wrong=""
  while read -r pin gpio; do
    [ "${header_bcm[$pin]}" = "$gpio" ] || wrong+=" pin $pin is GPIO ${header_bcm[$pin]}, drawn as GPIO $gpio;"
  done < <(sed -nE 's/.*>pin ([0-9]+): GPIO ([0-9]+).*/\1 \2/p' "$svg")
  expect "$diagram diagram: header pins match BCM numbers${wrong}" test -z "$wrong"
  missing=""
  for gpio in $(jq -r '.pins | to_entries[] | select(.value != null and .key != "statusLed" and .key != "button") | .value' "$HW/boards/$diagram.json"); do
    grep -qE ">pin [0-9]+: GPIO ${gpio}[ <]" "$svg" || missing+=" $gpio"
  done
  expect "$diagram diagram draws every profile GPIO${missing:+ (missing:$missing)}" test -z "$missing"
done

# ------------------------------------------------------------------------------------------------- manifest
echo "image manifest"
fake_rootfs() { # DIR: a minimal root with a dpkg database of two packages
  mkdir -p "$1/var/lib/dpkg/info" "$1/etc" "$1/usr/bin"
  local pkg
  for pkg in "base-files 12.4+deb12u5" "jq 1.6-2.1"; do
    printf 'Package: %s\nStatus: install ok installed\nMaintainer: Test <test@example.org>\nArchitecture: arm64\nVersion: %s\nDescription: test package\n\n' "${pkg% *}" "${pkg#* }"
  done >"$1/var/lib/dpkg/status"
  : >"$1/var/lib/dpkg/available"; echo host >"$1/etc/hostname"; : >"$1/usr/bin/jq"
}
fake_rootfs "$TMP/r1"; fake_rootfs "$TMP/r2"
"$HW/image/manifest.sh" "$TMP/r1" >"$TMP/m1"; "$HW/image/manifest.sh" "$TMP/r2" >"$TMP/m2"
expect "manifest lists packages with versions" contains "$TMP/m1" "package jq 1.6-2.1 arm64"
expect "manifest lists files" contains "$TMP/m1" "file f 644 0:0 ./etc/hostname"
expect "identical roots give matching manifests" "$HW/image/check-manifest.sh" "$TMP/m1" "$TMP/m2"
: >"$TMP/r2/etc/extra"
"$HW/image/manifest.sh" "$TMP/r2" >"$TMP/m2"
if out=$("$HW/image/check-manifest.sh" "$TMP/m1" "$TMP/m2"); then fail "an extra file makes manifests differ" "$out"
else expect "an extra file makes manifests differ" grep -qF "+file f 644 0:0 ./etc/extra" <<<"$out"; fi
sed -i 's/^Version: 1.6-2.1/Version: 1.6-2.2/' "$TMP/r2/var/lib/dpkg/status"; rm "$TMP/r2/etc/extra"
"$HW/image/manifest.sh" "$TMP/r2" >"$TMP/m2"
if out=$("$HW/image/check-manifest.sh" "$TMP/m1" "$TMP/m2"); then fail "a different package version makes manifests differ" "$out"
else expect "a different package version makes manifests differ" grep -qF "+package jq 1.6-2.2 arm64" <<<"$out"; fi

# ------------------------------------------------------------------------------------------------ first boot
echo "first boot"
# A fresh fake machine: boot partition, /etc, state dir, console file.
new_machine() { # DIR
  rm -rf "$1"; mkdir -p "$1/boot" "$1/etc/depin-hotspot" "$1/state"
  printf 'arm_64bit=1\ndtparam=spi=on\n' >"$1/boot/config.txt"
  : >"$1/console"
  printf '{"NetworkServerUrl":"https://ns.test","OracleUrl":"https://oracle.test"}\n' >"$1/etc/depin-hotspot/services.json"
}
firstboot() { # DIR [extra env...]: runs the script, stdout+stderr into DIR/out, returns its exit code
  local dir="$1"; shift
  env BOOT_DIR="$dir/boot" ETC_DIR="$dir/etc" STATE_DIR="$dir/state" HOTSPOT_BIN="$FAKE_HOTSPOT" \
      BOARDS_DIR="$HW/boards" VALIDATE_BOARD="$VALIDATE" DEVICE_TREE_DIR="$dir/dt" CONSOLE="$dir/console" \
      SX1302_CONF="$SX1302_CONF" SX1302_REGIONS="$SX1302_REGIONS" \
      HOTSPOT_USER=depin-test-no-such-user FAKE_HOTSPOT_LOG="$dir/calls" REBOOT_CMD="touch $dir/rebooted" "$@" \
      bash "$FIRSTBOOT" >"$dir/out" 2>&1
}
m="$TMP/m-happy"; new_machine "$m"
echo sx1262-hat >"$m/boot/hotspot-board.txt"
printf 'ssid=Home Net\\work\npsk=correct horse battery\ncountry=DE\n' >"$m/boot/wifi.txt"
expect "happy path exits 0" firstboot "$m"
nm="$m/etc/NetworkManager/system-connections/depin-wifi.nmconnection"
expect "key created" test -s "$m/state/hotspot.key"
expect "key file mode 0600" test "$(mode_of "$m/state/hotspot.key")" = 600
expect "key created with hotspot key create --type ed25519" contains "$m/calls" "hotspot key create --type ed25519 --file $m/state/hotspot.key"
expect "NetworkManager connection written" test -f "$nm"
expect "NetworkManager connection mode 0600" test "$(mode_of "$nm")" = 600
expect "connection has the SSID (backslash escaped for the keyfile format)" contains "$nm" 'ssid=Home Net\\work'
expect "connection has the WPA-PSK" contains "$nm" "psk=correct horse battery"
expect "connection is WPA-PSK" contains "$nm" "key-mgmt=wpa-psk"
expect "regulatory domain set from country" contains "$m/etc/modprobe.d/depin-wifi-regdom.conf" "ieee80211_regdom=DE"
expect "plaintext wifi.txt removed from the boot partition" test ! -e "$m/boot/wifi.txt"
cfg="$m/etc/depin-hotspot/hotspot.json"
expect "hotspot.json written from the sx1262-hat profile in the daemon's option names" json '
  .Radio == {Type: "Sx1262", SpiDevice: "/dev/spidev0.0", GpioChip: "/dev/gpiochip0", ResetPin: 18, BusyPin: 20, IrqPin: 16}
  and .KeyFile == "/var/lib/depin-hotspot/hotspot.key" and .DataDirectory == "/var/lib/depin-hotspot"
  and .Region == "EU868" and .AntennaGainDbi == 2
  and .NetworkServerUrl == "https://ns.test" and .OracleUrl == "https://oracle.test"' "$cfg"
expect "hotspot.json has only keys the daemon knows" json '
  (keys - ["AntennaGainDbi", "DataDirectory", "KeyFile", "NetworkServerUrl", "OracleUrl", "Radio", "Region"]) == []
  and (.Radio | keys - ["BusyPin", "GpioChip", "IrqPin", "ResetPin", "SpiDevice", "Type"]) == []' "$cfg"
address=$("$FAKE_HOTSPOT" key info --file "$m/state/hotspot.key" | jq -r .address)
public_key=$("$FAKE_HOTSPOT" key info --file "$m/state/hotspot.key" | jq -r .publicKey)
expect "hotspot.txt has the address" contains "$m/boot/hotspot.txt" "address:    $address"
expect "hotspot.txt has the public key" contains "$m/boot/hotspot.txt" "public key: $public_key"
expect "hotspot.txt explains onboarding" contains "$m/boot/hotspot.txt" "CoverageOracle"
expect "address printed on the console" contains "$m/console" "$address"
expect "first boot marked done" test -f "$m/state/.firstboot-done"
expect "board overlay added to config.txt" grep -qxF "dtoverlay=spi0-1cs,cs0_pin=21" "$m/boot/config.txt"
expect "existing config.txt lines kept" grep -qxF "arm_64bit=1" "$m/boot/config.txt"
expect "board overlay kept for kernel updates (raspi-firmware-custom)" grep -qxF "dtoverlay=spi0-1cs,cs0_pin=21" "$m/etc/default/raspi-firmware-custom"
expect "config.txt changed: reboot requested" test -e "$m/rebooted"

# Second run (marker removed by hand): the key is kept, never recreated.
key_before=$(sha256sum <"$m/state/hotspot.key"); rm "$m/state/.firstboot-done" "$m/rebooted"; : >"$m/calls"
expect "second run exits 0" firstboot "$m"
expect "second run does not duplicate the overlay" test "$(grep -cxF "dtoverlay=spi0-1cs,cs0_pin=21" "$m/boot/config.txt")" = 1
expect "second run does not reboot (config.txt unchanged)" test ! -e "$m/rebooted"
expect "second run keeps the key byte for byte" test "$(sha256sum <"$m/state/hotspot.key")" = "$key_before"
expect "second run does not call key create" fails grep -q "key create" "$m/calls"
expect "second run logs that it refuses to replace the key" contains "$m/out" "already exists: keeping it"
expect "second run without wifi.txt keeps the connection" test -f "$nm"
expect "second run reports the same address" contains "$m/boot/hotspot.txt" "address:    $address"

# A key that was already there before first boot (e.g. restored by the owner) is never overwritten.
m="$TMP/m-prekey"; new_machine "$m"; echo sensecap-m1 >"$m/boot/hotspot-board.txt"
"$FAKE_HOTSPOT" key create --type p256 --file "$m/state/hotspot.key" >/dev/null
key_before=$(sha256sum <"$m/state/hotspot.key")
expect "pre-existing key: exits 0" firstboot "$m"
expect "pre-existing key: kept byte for byte" test "$(sha256sum <"$m/state/hotspot.key")" = "$key_before"
expect "pre-existing key: no key create" fails grep -q "key create" "$m/calls"
expect "board without overlays: no reboot" test ! -e "$m/rebooted"
expect "no wifi.txt: no NetworkManager connection" test ! -e "$m/etc/NetworkManager/system-connections/depin-wifi.nmconnection"
expect "gwmp board: config has the packet forwarder's address and port, and its gateway EUI" \
  json '(.Radio | del(.GatewayEui)) == {Type: "Gwmp", ListenAddress: "127.0.0.1", Port: 1680} and (.Radio.GatewayEui | test("^[0-9A-F]{16}$"))' \
  "$m/etc/depin-hotspot/hotspot.json"

# SX1302 board: the packet forwarder's configuration, with the gateway ID derived from this hotspot's key.
pfdir="$m/etc/depin-hotspot/lora_pkt_fwd"
expect "sx1302 board: global_conf.json, reset.env and reset_lgw.sh written" test -s "$pfdir/global_conf.json" -a -s "$pfdir/reset.env" -a -L "$pfdir/reset_lgw.sh"
expect "sx1302 board: region EU868 (default) used" json '.SX130x_conf.radio_0.freq == 867500000' "$pfdir/global_conf.json"
expect "sx1302 board: gateway ID derived from the public key" \
  test "$(jq -r .gateway_conf.gateway_ID "$pfdir/global_conf.json")" = "$(env SX1302_REGIONS="$SX1302_REGIONS" "$SX1302_CONF" --board "$HW/boards/sensecap-m1.json" --region EU868 --public-key "$("$FAKE_HOTSPOT" key info --file "$m/state/hotspot.key" | jq -r .publicKey)" --out "$TMP/pf-recheck")"
expect "sx1302 board: hotspot.json's Radio.GatewayEui is the forwarder's gateway_ID" \
  test "$(jq -r .Radio.GatewayEui "$m/etc/depin-hotspot/hotspot.json")" = "$(jq -r .gateway_conf.gateway_ID "$pfdir/global_conf.json")"
expect "sx1262 board: no packet forwarder configuration" test ! -e "$TMP/m-happy/etc/depin-hotspot/lora_pkt_fwd"
m="$TMP/m-sx1302-au"; new_machine "$m"; printf 'rak-hotspot-v2\nregion=AU915\n' >"$m/boot/hotspot-board.txt"
expect "sx1302 board in a region without a channel plan fails" fails firstboot "$m"
expect "... naming the region and the plans" contains "$m/out" "--region: 'AU915' has no SX1302 channel plan (one of: EU868 US915)"
expect "... before changing anything" test ! -e "$m/state/hotspot.key" -a ! -e "$m/etc/depin-hotspot/hotspot.json" -a ! -e "$m/etc/depin-hotspot/lora_pkt_fwd"
m="$TMP/m-sx1302-us"; new_machine "$m"; printf 'rak-hotspot-v2\nregion=US915\n' >"$m/boot/hotspot-board.txt"
expect "sx1302 board in US915: exits 0" firstboot "$m"
expect "sx1302 board in US915: US915 plan, GPIO 25" \
  json '.SX130x_conf.radio_0.freq == 904300000' "$m/etc/depin-hotspot/lora_pkt_fwd/global_conf.json"
expect "... reset GPIO 25 (rak-hotspot-v2)" grep -qxF "RESET_PIN=25" "$m/etc/depin-hotspot/lora_pkt_fwd/reset.env"

# Bad inputs: clear error naming the problem, non-zero exit, nothing written.
bad_wifi() { # NAME WIFI-CONTENT EXPECTED-TEXT
  local m="$TMP/m-wifi-$RANDOM"; new_machine "$m"; echo sx1262-hat >"$m/boot/hotspot-board.txt"
  printf '%b' "$2" >"$m/boot/wifi.txt"
  if firstboot "$m"; then fail "bad wifi.txt ($1) fails"; return; fi
  if contains "$m/out" "$3"; then pass "bad wifi.txt ($1) fails naming the problem"
  else fail "bad wifi.txt ($1) fails naming the problem" "expected '$3' in: $(cat "$m/out")"; fi
  if [ -e "$m/state/hotspot.key" ] || [ -e "$m/etc/depin-hotspot/hotspot.json" ] || [ -e "$m/state/.firstboot-done" ] \
     || [ -e "$m/etc/NetworkManager" ] || [ ! -e "$m/boot/wifi.txt" ]; then
    fail "bad wifi.txt ($1) changes nothing"
  else pass "bad wifi.txt ($1) changes nothing"; fi
}
bad_wifi "short psk" 'ssid=Home\npsk=short\ncountry=DE\n' "psk must be 8 to 63 characters"
bad_wifi "no ssid" 'psk=longenough\ncountry=DE\n' "ssid is missing"
bad_wifi "no country" 'ssid=Home\npsk=longenough\n' "country must be a two-letter ISO 3166 code"
bad_wifi "lower-case country" 'ssid=Home\npsk=longenough\ncountry=de\n' "country must be a two-letter"
bad_wifi "unknown key" 'ssid=Home\npassword=longenough\ncountry=DE\n' "line 2: unknown key 'password'"
bad_wifi "line without =" 'ssid=Home\nlongenough\ncountry=DE\n' "line 2: expected key=value"
bad_wifi "ssid over 32 characters" 'ssid=abcdefghijklmnopqrstuvwxyz0123456\npsk=longenough\ncountry=DE\n' "ssid is longer than 32"

m="$TMP/m-hexpsk"; new_machine "$m"; echo sx1276-hat >"$m/boot/hotspot-board.txt"
printf 'ssid=Shop\r\npsk=%s\r\ncountry=US\r\n' "$(printf 'ab%.0s' {1..32})" >"$m/boot/wifi.txt"
expect "64-hex-digit psk and CRLF line ends accepted" firstboot "$m"
expect "CRLF stripped from the psk" contains "$m/etc/NetworkManager/system-connections/depin-wifi.nmconnection" "psk=$(printf 'ab%.0s' {1..32})"

m="$TMP/m-unknown"; new_machine "$m"; echo rak9999 >"$m/boot/hotspot-board.txt"
expect "unknown board fails" fails firstboot "$m"
expect "unknown board: error names it and lists the profiles" grep -qE "unknown board 'rak9999' \(one of: .*sx1262-hat" "$m/out"
expect "unknown board: no key, no config, not done" \
  test ! -e "$m/state/hotspot.key" -a ! -e "$m/etc/depin-hotspot/hotspot.json" -a ! -e "$m/state/.firstboot-done"

m="$TMP/m-path"; new_machine "$m"; echo '../../etc/passwd' >"$m/boot/hotspot-board.txt"
expect "board name with a path fails" fails firstboot "$m"
expect "board name with a path: error says it is not a profile name" contains "$m/out" "is not a profile name"

m="$TMP/m-noboard"; new_machine "$m"
expect "no board file and nothing detected fails" fails firstboot "$m"
expect "no board: error says where to put the name" contains "$m/out" "no board selected: write a profile name into $m/boot/hotspot-board.txt"

m="$TMP/m-detect"; new_machine "$m"; mkdir -p "$m/dt"
printf 'Raspberry Pi Compute Module 3 Plus Rev 1.0\0' >"$m/dt/model"
expect "auto-detection: exits 0" firstboot "$m"
expect "auto-detection: CM3 model selects nebra-indoor" contains "$m/boot/hotspot.txt" "board:      nebra-indoor"
expect "auto-detection is logged" contains "$m/out" "board auto-detected: nebra-indoor"
expect "nebra-indoor: packet forwarder on spidev1.2, reset GPIO 38" \
  json '.SX130x_conf.com_path == "/dev/spidev1.2"' "$m/etc/depin-hotspot/lora_pkt_fwd/global_conf.json"
expect "nebra-indoor: reset.env has GPIO 38" grep -qxF "RESET_PIN=38" "$m/etc/depin-hotspot/lora_pkt_fwd/reset.env"

m="$TMP/m-pi4"; new_machine "$m"; mkdir -p "$m/dt"; printf 'Raspberry Pi 4 Model B Rev 1.4\0' >"$m/dt/model"
expect "a plain Pi 4 is not guessed as any board" fails firstboot "$m"

m="$TMP/m-gain"; new_machine "$m"; printf '# my build\nsx1276-hat\nantenna_gain_dbi=5.8\nregion=US915\n' >"$m/boot/hotspot-board.txt"
expect "antenna_gain_dbi and region settings: exits 0" firstboot "$m"
expect "antenna_gain_dbi and region reach hotspot.json" json '.AntennaGainDbi == 5.8 and .Region == "US915"' "$m/etc/depin-hotspot/hotspot.json"
expect "sx1276 board: config has reset and DIO0, no BUSY" \
  json '.Radio == {Type: "Sx1276", SpiDevice: "/dev/spidev0.1", GpioChip: "/dev/gpiochip0", ResetPin: 25, IrqPin: 22}' "$m/etc/depin-hotspot/hotspot.json"
m="$TMP/m-badregion"; new_machine "$m"; printf 'sx1262-hat\nregion=EU433\n' >"$m/boot/hotspot-board.txt"
expect "unknown region fails" fails firstboot "$m"
expect "unknown region: error lists the regions" contains "$m/out" "region must be one of EU868 US915"
m="$TMP/m-sim"; new_machine "$m"; echo simulated >"$m/boot/hotspot-board.txt"
expect "simulated board: exits 0" firstboot "$m"
expect "simulated board: radio type only" json '.Radio == {Type: "Simulated"}' "$m/etc/depin-hotspot/hotspot.json"
m="$TMP/m-badgain"; new_machine "$m"; printf 'sx1262-hat\nantenna_gain_dbi=lots\n' >"$m/boot/hotspot-board.txt"
expect "non-numeric antenna_gain_dbi fails" fails firstboot "$m"
expect "non-numeric antenna_gain_dbi: error names the field" contains "$m/out" "antenna_gain_dbi must be a number"

m="$TMP/m-badbin"; new_machine "$m"; echo sx1262-hat >"$m/boot/hotspot-board.txt"
printf '#!/bin/sh\necho "hotspot: cannot write key" >&2\nexit 1\n' >"$m/failing-hotspot"; chmod +x "$m/failing-hotspot"
expect "failing key create fails first boot" fails firstboot "$m" HOTSPOT_BIN="$m/failing-hotspot"
expect "failing key create: not marked done" test ! -e "$m/state/.firstboot-done"
expect "failing key create: error names the command" contains "$m/out" "'hotspot key create' failed"

# ------------------------------------------------------------------------------------- initramfs for the image
echo "initramfs settings (setup hook)"
IMG="$HW/image"
r="$TMP/setup-root"; mkdir -p "$r"
expect "setup-rootfs.sh: exits 0 on an empty root" env SOURCE_DATE_EPOCH=1700000000 "$IMG/setup-rootfs.sh" "$r"
expect "setup-rootfs.sh: creates /boot/firmware" test -d "$r/boot/firmware"
conf="$r/etc/initramfs-tools/conf.d/depin-hotspot"; hook="$r/etc/initramfs-tools/hooks/depin-sd-root"
last_modules_setting() { sed -nE 's/^MODULES=([a-z]+)$/\1/p' "$1" | tail -n1; }
expect "initramfs conf.d sets MODULES=list" test "$(last_modules_setting "$conf")" = list
expect "initramfs conf.d is mode 0644" test "$(mode_of "$conf")" = 644
expect "SD-root hook is installed executable (0755)" test "$(mode_of "$hook")" = 755
expect "installed files carry SOURCE_DATE_EPOCH" test "$(stat -c %Y "$hook")" = 1700000000
# mkinitramfs runs only executables whose names are letters, digits, '-' and '_' (initramfs-tools(7), HOOK SCRIPTS).
expect "hook name is one mkinitramfs runs" grep -qxE '[[:alnum:]_-]+' <<<"$(basename "$hook")"
expect "setup-rootfs.sh refuses a missing root" fails_quietly "$IMG/setup-rootfs.sh" "$TMP/no-such-root"

echo "initramfs SD-root hook"
hookdir="$TMP/hook"; mkdir -p "$hookdir/bin"
# Stand-ins at the hook's two boundaries: initramfs-tools' manual_add_modules (records what it is asked to add) and
# modprobe (knows every module but one, like a kernel built without it).
printf 'manual_add_modules() { printf "%%s\\n" "$@" >>"%s"; }\n' "$hookdir/added" >"$hookdir/hook-functions"
# shellcheck disable=SC2016 # the stand-in's own $@ and $m
printf '#!/bin/sh\nfor a in "$@"; do m=$a; done\n[ "$m" = gpio_raspberrypi_exp ] && exit 1\nexit 0\n' >"$hookdir/bin/modprobe"
chmod +x "$hookdir/bin/modprobe"
run_hook() { env PATH="$hookdir/bin:$PATH" DEPIN_HOOK_FUNCTIONS="$hookdir/hook-functions" version=6.1.0-test-arm64 "$IMG/initramfs/hooks/depin-sd-root" "$@"; }
expect "hook answers 'prereqs' with nothing" test -z "$(run_hook prereqs)"
run_hook_logged() { run_hook >"$hookdir/out" 2>&1; }
expect "hook runs" run_hook_logged
for module in mmc_block sdhci_iproc bcm2835 bcm2835_dma gpio_regulator gpio_raspberrypi_exp clk_raspberrypi ext4 crc32c_generic; do
  expect "hook adds $module" grep -qx "$module" "$hookdir/added"
done
expect "hook adds nothing else (no USB, NVMe or network drivers)" test "$(wc -l <"$hookdir/added")" -eq 9
expect "hook warns about a module the kernel lacks" contains "$hookdir/out" "module gpio_raspberrypi_exp is neither built into nor shipped with kernel 6.1.0-test-arm64"
expect "hook refuses to run without mkinitramfs' version" fails_quietly env DEPIN_HOOK_FUNCTIONS="$hookdir/hook-functions" "$IMG/initramfs/hooks/depin-sd-root"

echo "build.sh arguments"
expect "build.sh rejects an unknown IMAGE_COMPRESS" fails_quietly env IMAGE_COMPRESS=rar "$IMG/build.sh" --rootfs-only
expect "build.sh: the IMAGE_COMPRESS error names the setting" contains <(env IMAGE_COMPRESS=rar "$IMG/build.sh" 2>&1) "IMAGE_COMPRESS='rar': expected xz, zstd or none"
expect "build.sh rejects unknown arguments" fails_quietly "$IMG/build.sh" --bogus

echo "lora_pkt_fwd build step"
LPF="$IMG/build-lora-pkt-fwd.sh"
expect "refuses a missing tarball" fails_quietly "$LPF" "$TMP/no-such.tar.gz" "$TMP/lpf-dest"
mkdir -p "$TMP/lpf/sx1302_hal-2.1.0"; echo 2.1.0 >"$TMP/lpf/sx1302_hal-2.1.0/VERSION"
tar -czf "$TMP/lpf-other.tar.gz" -C "$TMP/lpf" sx1302_hal-2.1.0
expect "refuses a tree that is not sx1302_hal V2.1.0" fails_quietly env CROSS_COMPILE= "$LPF" "$TMP/lpf-other.tar.gz" "$TMP/lpf-dest"
expect "the refusal gives the tree digest it found" contains <(env CROSS_COMPILE= "$LPF" "$TMP/lpf-other.tar.gz" "$TMP/lpf-dest" 2>&1) "is not sx1302_hal V2.1.0: tree digest"
mkdir -p "$TMP/lpf2/a" "$TMP/lpf2/b"; tar -czf "$TMP/lpf-two.tar.gz" -C "$TMP/lpf2" a b
expect "refuses an archive with two top directories" contains <(env CROSS_COMPILE= "$LPF" "$TMP/lpf-two.tar.gz" "$TMP/lpf-dest" 2>&1) "exactly one top-level directory"
expect "nothing installed after refusals" test ! -e "$TMP/lpf-dest"
# With the real upstream source at hand (SX1302_HAL_TARBALL=path), build it and check the result.
if [ -n "${SX1302_HAL_TARBALL:-}" ]; then
  build_real_lpf() { "$LPF" "$SX1302_HAL_TARBALL" "$TMP/lpf-real" >/dev/null; }
  expect "builds lora_pkt_fwd from $SX1302_HAL_TARBALL" build_real_lpf
  expect "lora_pkt_fwd is an AArch64 executable" grep -q 'Machine: *AArch64' <(aarch64-linux-gnu-readelf -h "$TMP/lpf-real/opt/depin-hotspot/sx1302/lora_pkt_fwd")
  expect "EU868 and US915 SX1250 configurations installed" test -s "$TMP/lpf-real/opt/depin-hotspot/sx1302/conf/global_conf.json.sx1250.EU868" -a -s "$TMP/lpf-real/opt/depin-hotspot/sx1302/conf/global_conf.json.sx1250.US915"
fi

# ------------------------------------------------------------------------------------ SX1302 packet forwarder
echo "SX1302 packet forwarder: unit"
pf="$ROOTFS_SRC/etc/systemd/system/depin-lora-pkt-fwd.service"
for setting in "ConditionFileIsExecutable=/opt/depin-hotspot/sx1302/lora_pkt_fwd" \
               "ConditionPathExists=/etc/depin-hotspot/lora_pkt_fwd/global_conf.json" \
               "WorkingDirectory=/etc/depin-hotspot/lora_pkt_fwd" \
               "ExecStart=/opt/depin-hotspot/sx1302/lora_pkt_fwd -c /etc/depin-hotspot/lora_pkt_fwd/global_conf.json" \
               "DynamicUser=yes" "SupplementaryGroups=spi gpio" "DevicePolicy=closed" "DeviceAllow=char-spidev rw" \
               "DeviceAllow=char-gpiochip rw" "Restart=on-failure" "WantedBy=multi-user.target"; do
  expect "depin-lora-pkt-fwd.service has $setting" grep -qxF "$setting" "$pf"
done
expect "depin-lora-pkt-fwd.service starts with and after the daemon and first boot" \
  grep -qE '^After=.*depin-firstboot\.service.*depin-hotspot\.service' "$pf"
expect "depin-lora-pkt-fwd.service wants the daemon" grep -qxF "Wants=depin-hotspot.service" "$pf"
expect "customize step enables depin-lora-pkt-fwd.service" grep -qE 'enable .*depin-lora-pkt-fwd\.service' "$HW/image/customize-rootfs.sh"
expect "the image installs gpiod (gpioset for sx1302-reset)" grep -qE '^  gpiod$' "$HW/image/build.sh"

echo "SX1302 packet forwarder: sx1302-conf"
# conf NAME PROFILE [args...]: runs sx1302-conf into $TMP/pf-NAME/out, output in $TMP/pf-NAME/log.
conf() {
  local name="$1" profile="$2"; shift 2
  mkdir -p "$TMP/pf-$name"
  env SX1302_REGIONS="$SX1302_REGIONS" SX1302_RESET=/usr/local/lib/depin-hotspot/sx1302-reset \
    "$SX1302_CONF" --board "$profile" --out "$TMP/pf-$name/out" "$@" >"$TMP/pf-$name/log" 2>&1
}
# Channel frequencies (MHz) of the multi-SF channels: radio centre + IF.
multisf_mhz() { jq -r '.SX130x_conf as $c | [range(0; 8) | $c["chan_multiSF_\(.)"] | ($c["radio_\(.radio)"].freq + .if) / 1e6] | sort | map(tostring) | join(" ")' "$1"; }
for board in rak-hotspot-v2 rak2287-pi-hat sensecap-m1 nebra-indoor; do
  p="$HW/boards/$board.json"
  if conf "$board" "$p" --region EU868 --gateway-id 0016c001ff10a235; then pass "$board: configuration written"
  else fail "$board: configuration written" "$(cat "$TMP/pf-$board/log")"; continue; fi
  g="$TMP/pf-$board/out/global_conf.json"
  expect "$board: global_conf.json is valid JSON" json 'type == "object"' "$g"
  expect "$board: com_path is the profile's SPI device $(jq -r .spiDevice "$p")" \
    json ".SX130x_conf.com_type == \"SPI\" and .SX130x_conf.com_path == \"$(jq -r .spiDevice "$p")\"" "$g"
  expect "$board: GWMP to the daemon on 127.0.0.1:1680" \
    json '.gateway_conf.server_address == "127.0.0.1" and .gateway_conf.serv_port_up == 1680 and .gateway_conf.serv_port_down == 1680' "$g"
  expect "$board: gateway ID upper-cased" json '.gateway_conf.gateway_ID == "0016C001FF10A235"' "$g"
  expect "$board: reset.env has the profile's chip and reset pin" \
    test "$(grep -v '^#' "$TMP/pf-$board/out/reset.env")" = "$(printf 'GPIO_CHIP=/dev/gpiochip0\nRESET_PIN=%s\nPOWER_PIN=' "$(jq -r .pins.reset "$p")")"
  expect "$board: reset_lgw.sh links to sx1302-reset" test "$(readlink "$TMP/pf-$board/out/reset_lgw.sh")" = /usr/local/lib/depin-hotspot/sx1302-reset
done
g="$TMP/pf-sensecap-m1/out/global_conf.json"
# EU868 default channels 868.1/868.3/868.5 (RP002-1.0.3 section 2.4) plus 867.1-867.9, the usual gateway plan.
expect "EU868: the eight multi-SF channels are 867.1-867.9 and 868.1-868.5 MHz" \
  test "$(multisf_mhz "$g")" = "867.1 867.3 867.5 867.7 867.9 868.1 868.3 868.5"
expect "EU868: TX allowed in 863-870 MHz on radio 0 only" \
  json '.SX130x_conf.radio_0.tx_enable and .SX130x_conf.radio_0.tx_freq_min == 863000000 and .SX130x_conf.radio_0.tx_freq_max == 870000000 and (.SX130x_conf.radio_1.tx_enable | not)' "$g"
expect "no antenna gain (the daemon applies it), no SX1261, no GPS" \
  json '.SX130x_conf.antenna_gain == 0 and (.SX130x_conf | has("sx1261_conf") | not) and (.gateway_conf | has("gps_tty_path") | not)' "$g"
expect "US915 configuration written" conf us915 "$HW/boards/rak-hotspot-v2.json" --region US915 --gateway-id 0016C001FF10A235
# US915 sub-band 2 (channels 8-15: 903.9-905.3 MHz, RP002-1.0.3 section 2.5) plus the 500 kHz channel 65 (904.6 MHz).
expect "US915: the eight multi-SF channels are sub-band 2, 903.9-905.3 MHz" \
  test "$(multisf_mhz "$TMP/pf-us915/out/global_conf.json")" = "903.9 904.1 904.3 904.5 904.7 904.9 905.1 905.3"
# shellcheck disable=SC2016 # jq variables
expect "US915: the 500 kHz channel is 904.6 MHz, TX in 923-928 MHz" \
  json '.SX130x_conf as $c | ($c["radio_\($c.chan_Lora_std.radio)"].freq + $c.chan_Lora_std.if) == 904600000 and $c.chan_Lora_std.bandwidth == 500000 and $c.radio_0.tx_freq_min == 923000000 and $c.radio_0.tx_freq_max == 928000000' \
  "$TMP/pf-us915/out/global_conf.json"

# Fake profiles: every value must come from the profile, not from a default.
fake="$TMP/pf-fake/boards"; mkdir -p "$fake"
jq '.name = "fake-cm" | .spiDevice = "/dev/spidev1.2" | .gpioChip = "/dev/gpiochip1" | .pins.reset = 40 | .pins.power = 41 | .gwmp.listen = "127.0.0.1:1701"' \
  "$HW/boards/nebra-indoor.json" >"$fake/fake-cm.json"
expect "fake profile with power pin: configuration written" conf fake "$fake/fake-cm.json" --region EU868 --gateway-id 1122334455667788
expect "fake profile: SPI path, ports from the profile" \
  json '.SX130x_conf.com_path == "/dev/spidev1.2" and .gateway_conf.serv_port_up == 1701 and .gateway_conf.serv_port_down == 1701' "$TMP/pf-fake/out/global_conf.json"
expect "fake profile: reset.env has chip, reset and power pins" \
  test "$(grep -v '^#' "$TMP/pf-fake/out/reset.env")" = "$(printf 'GPIO_CHIP=/dev/gpiochip1\nRESET_PIN=40\nPOWER_PIN=41')"

# Gateway ID from the public key: SHA-256("abc") = ba7816bf8f01cfea... (FIPS 180-2 appendix B.1); 0xBA already has
# the locally-administered bit set and the group bit clear. SHA-256("hotspot-9") starts with 0xB9 (10111001):
# the group bit must be cleared and the local bit set, giving 0xBA.
expect "gateway ID from --public-key abc is BA7816BF8F01CFEA" conf key1 "$HW/boards/sensecap-m1.json" --region EU868 --public-key abc
expect "... printed and written" test "$(cat "$TMP/pf-key1/log")" = BA7816BF8F01CFEA -a "$(jq -r .gateway_conf.gateway_ID "$TMP/pf-key1/out/global_conf.json")" = BA7816BF8F01CFEA
key2_hex=$(printf '%s' hotspot-9 | sha256sum | cut -c1-16)
expect "test vector: SHA-256(hotspot-9) starts with 0xB9" test "${key2_hex:0:2}" = b9
conf key2 "$HW/boards/sensecap-m1.json" --region EU868 --public-key hotspot-9
expect "gateway ID from a key whose hash has the group bit: 0xB9 -> 0xBA, rest unchanged" \
  test "$(cat "$TMP/pf-key2/log")" = "BA$(tr 'a-f' 'A-F' <<<"${key2_hex:2}")"

# Bad inputs: a clear error naming the problem, exit 1, nothing written (and an existing configuration untouched).
bad_conf() { # NAME EXPECTED-TEXT PROFILE ARGS...
  local name="$1" text="$2"; shift 2
  if conf "bad-$name" "$@"; then fail "sx1302-conf rejects $name" "accepted: $*"; return; fi
  if contains "$TMP/pf-bad-$name/log" "$text"; then pass "sx1302-conf rejects $name, naming the problem"
  else fail "sx1302-conf rejects $name, naming the problem" "expected '$text' in: $(cat "$TMP/pf-bad-$name/log")"; fi
  expect "sx1302-conf $name: nothing written" test ! -e "$TMP/pf-bad-$name/out"
}
bad_conf "a missing profile" "profile '$TMP/no-such.json' does not exist" "$TMP/no-such.json" --region EU868 --gateway-id 0016C001FF10A235
printf '{"name": "broken",' >"$fake/broken.json"
bad_conf "a profile that is not JSON" "not a JSON object" "$fake/broken.json" --region EU868 --gateway-id 0016C001FF10A235
jq 'del(.spiDevice)' "$HW/boards/sensecap-m1.json" >"$fake/sensecap-m1.json"
bad_conf "a profile without spiDevice" "spiDevice: gwmp boards need" "$fake/sensecap-m1.json" --region EU868 --gateway-id 0016C001FF10A235
jq '.gpioChip = null | .name = "nochip"' "$HW/boards/sensecap-m1.json" >"$fake/nochip.json"
bad_conf "a profile without gpioChip" "gpioChip: required /dev/gpiochipN" "$fake/nochip.json" --region EU868 --gateway-id 0016C001FF10A235
bad_conf "a board that is not SX1302" "concentrator is 'sx1262', not sx1302" "$HW/boards/sx1262-hat.json" --region EU868 --gateway-id 0016C001FF10A235
bad_conf "a region without an SX1302 plan" "'AU915' has no SX1302 channel plan (one of: EU868 US915)" "$HW/boards/sensecap-m1.json" --region AU915 --gateway-id 0016C001FF10A235
bad_conf "a missing region" "--region: required" "$HW/boards/sensecap-m1.json" --gateway-id 0016C001FF10A235
bad_conf "a short gateway ID" "'0016C001' is not 16 hex digits" "$HW/boards/sensecap-m1.json" --region EU868 --gateway-id 0016C001
bad_conf "a gateway ID and a key" "not both" "$HW/boards/sensecap-m1.json" --region EU868 --gateway-id 0016C001FF10A235 --public-key abc
bad_conf "no gateway ID" "--gateway-id or --public-key: required" "$HW/boards/sensecap-m1.json" --region EU868
expect "sx1302-conf --check writes nothing" conf check "$HW/boards/sensecap-m1.json" --region US915 --check
expect "... and created no directory" test ! -e "$TMP/pf-check/out"
before=$(sha256sum "$TMP/pf-sensecap-m1/out/global_conf.json" "$TMP/pf-sensecap-m1/out/reset.env")
env SX1302_REGIONS="$SX1302_REGIONS" "$SX1302_CONF" --board "$HW/boards/sensecap-m1.json" --region AU915 --gateway-id 0016C001FF10A235 \
  --out "$TMP/pf-sensecap-m1/out" >/dev/null 2>&1
expect "a rejected run leaves an existing configuration byte for byte" test "$(sha256sum "$TMP/pf-sensecap-m1/out/global_conf.json" "$TMP/pf-sensecap-m1/out/reset.env")" = "$before"

echo "SX1302 packet forwarder: sx1302-reset"
FAKE_GPIOSET="$HW/tests/fakes/gpioset"
gp="$TMP/gpio"; mkdir -p "$gp/chips"; echo 54 >"$gp/chips/gpiochip0"; echo 54 >"$gp/chips/gpiochip1"
reset_run() { # ENV-FILE ACTION [env...]: runs sx1302-reset with the fake gpioset; output in $gp/out, calls in $gp/log
  local envfile="$1" action="$2"; shift 2; : >"$gp/log"
  env SX1302_RESET_ENV="$envfile" GPIOSET="$FAKE_GPIOSET" FAKE_GPIO_DIR="$gp/chips" FAKE_GPIO_LOG="$gp/log" "$@" \
    "$SX1302_RESET" "$action" >"$gp/out" 2>&1
}
expect "start on sensecap-m1 exits 0" reset_run "$TMP/pf-sensecap-m1/out/reset.env" start
expect "start: reset GPIO 17 high for 100 ms, then low" \
  test "$(cat "$gp/log")" = "$(printf 'gpiochip0 17=1 mode=time hold_us=100000\ngpiochip0 17=0 mode=time hold_us=100000')"
expect "stop without a power pin touches no line" reset_run "$TMP/pf-sensecap-m1/out/reset.env" stop
expect "... and says so" test ! -s "$gp/log" -a -n "$(grep 'left idle' "$gp/out")"
expect "start with a power pin exits 0" reset_run "$TMP/pf-fake/out/reset.env" start
expect "start with a power pin: power 41 on first, then the reset pulse on 40 (gpiochip1)" \
  test "$(cat "$gp/log")" = "$(printf 'gpiochip1 41=1 mode=time hold_us=100000\ngpiochip1 40=1 mode=time hold_us=100000\ngpiochip1 40=0 mode=time hold_us=100000')"
expect "stop with a power pin switches it off" reset_run "$TMP/pf-fake/out/reset.env" stop
expect "... only that" test "$(cat "$gp/log")" = "gpiochip1 41=0 mode=time hold_us=100000"
bad_reset() { # NAME EXPECTED-TEXT ENV-FILE [env...]
  local name="$1" text="$2" envfile="$3"; shift 3
  if reset_run "$envfile" start "$@"; then fail "sx1302-reset fails on $name"; return; fi
  if contains "$gp/out" "$text"; then pass "sx1302-reset fails on $name, naming it"
  else fail "sx1302-reset fails on $name, naming it" "expected '$text' in: $(cat "$gp/out")"; fi
}
bad_reset "a missing reset.env" "$TMP/none.env does not exist" "$TMP/none.env"
printf 'GPIO_CHIP=/dev/gpiochip0\nRESET_PIN=seventeen\nPOWER_PIN=\n' >"$gp/bad1.env"
bad_reset "a non-numeric reset pin" "RESET_PIN must be a GPIO line number, got 'seventeen'" "$gp/bad1.env"
printf 'GPIO_CHIP=/dev/gpiochip0\nRESET_PIN=17\nPOWER_PIN=\nrm -rf /\n' >"$gp/bad2.env"
bad_reset "a line that is not KEY=VALUE (never executed)" "line 4: expected KEY=VALUE" "$gp/bad2.env"
printf 'GPIO_CHIP=/dev/gpiochip0\nRESET_PIN=60\nPOWER_PIN=\n' >"$gp/bad3.env"
bad_reset "a pin the chip does not have" "gpioset could not set line 60 of /dev/gpiochip0 to 1" "$gp/bad3.env"
expect "... gpioset's own error is shown" contains "$gp/out" "Invalid argument"
bad_reset "a line held by another program" "could not set line 17" "$TMP/pf-sensecap-m1/out/reset.env" FAKE_GPIO_BUSY=17
printf '#!/bin/sh\necho "gpioset (libgpiod) v2.1"\n' >"$gp/gpioset2"; chmod +x "$gp/gpioset2"
bad_reset "libgpiod 2's gpioset" "needs libgpiod 1.x" "$TMP/pf-sensecap-m1/out/reset.env" GPIOSET="$gp/gpioset2"
expect "usage error for an unknown action" test "$(reset_run "$TMP/pf-sensecap-m1/out/reset.env" restart; echo $?)" = 2

# With the real upstream source (SX1302_HAL_TARBALL=path): our region plans against upstream's examples, and the real
# lora_pkt_fwd (run under qemu-aarch64 with the cross libc) parsing a generated configuration and calling our reset.
if [ -n "${SX1302_HAL_TARBALL:-}" ] && [ -x "$TMP/lpf-real/opt/depin-hotspot/sx1302/lora_pkt_fwd" ]; then
  echo "SX1302 packet forwarder: against sx1302_hal V2.1.0"
  up="$TMP/lpf-upstream"; mkdir -p "$up"; tar -xzf "$SX1302_HAL_TARBALL" -C "$up"
  for region in EU868 US915; do
    # Upstream's files carry /* */ comments, which JSON does not allow.
    perl -0pe 's#/\*.*?\*/##gs' "$up"/*/packet_forwarder/global_conf.json.sx1250."$region" >"$up/$region.json"
    conf "up-$region" "$HW/boards/sensecap-m1.json" --region "$region" --gateway-id 0016C001FF10A235
    expect "$region: radios and channels equal upstream's global_conf.json.sx1250.$region" \
      test "$(jq -S '.SX130x_conf | with_entries(select(.key | test("^(radio_|chan_)")))' "$up/$region.json")" \
         = "$(jq -S '.SX130x_conf | with_entries(select(.key | test("^(radio_|chan_)")))' "$TMP/pf-up-$region/out/global_conf.json")"
  done
  if command -v qemu-aarch64-static >/dev/null && [ -d /usr/aarch64-linux-gnu/lib ]; then
    run="$TMP/lpf-run"; mkdir -p "$run/bin"; ln -s "$FAKE_GPIOSET" "$run/bin/gpioset"
    env SX1302_REGIONS="$SX1302_REGIONS" SX1302_RESET="$SX1302_RESET" "$SX1302_CONF" --board "$HW/boards/sensecap-m1.json" \
      --region EU868 --gateway-id 0016C001FF10A235 --out "$run/conf" >/dev/null
    # No concentrator here: point com_path at a missing device so lgw_start() fails after the reset.
    jq --arg spi "$run/no-spidev" '.SX130x_conf.com_path = $spi' "$run/conf/global_conf.json" >"$run/g" && mv "$run/g" "$run/conf/global_conf.json"
    : >"$gp/log"
    (cd "$run/conf" && env PATH="$run/bin:$PATH" FAKE_GPIO_DIR="$gp/chips" FAKE_GPIO_LOG="$gp/log" SX1302_RESET_ENV="$run/conf/reset.env" \
      timeout 60 qemu-aarch64-static -L /usr/aarch64-linux-gnu "$TMP/lpf-real/opt/depin-hotspot/sx1302/lora_pkt_fwd" \
      -c "$run/conf/global_conf.json" >"$run/out" 2>&1) || true
    for line in "gateway MAC address is configured to 0016C001FF10A235" 'upstream port is configured to "1680"' \
                'downstream port is configured to "1680"' 'server hostname or IP address is configured to "127.0.0.1"' \
                "radio 0 enabled (type SX1250), center frequency 867500000" "sx1302-reset: SX1302 reset pulse on GPIO 17"; do
      expect "real lora_pkt_fwd: $line" contains "$run/out" "$line"
    done
    expect "real lora_pkt_fwd ran ./reset_lgw.sh start: reset GPIO 17 pulsed" \
      test "$(cat "$gp/log")" = "$(printf 'gpiochip0 17=1 mode=time hold_us=100000\ngpiochip0 17=0 mode=time hold_us=100000')"
    expect "real lora_pkt_fwd: the reset succeeded, then the missing SPI device stopped it" contains "$run/out" "failed to start the concentrator"
  else
    fail "qemu-aarch64-static and the arm64 cross libc installed" "scripts/install-deps.sh image installs them"
  fi
fi

echo "hotspot wrapper"
WRAP="$ROOTFS_SRC/usr/local/bin/hotspot"
expect "wrapper is committed executable" test -x "$WRAP"
w="$TMP/wrap"; mkdir -p "$w/sc" "$w/fd/dotnet" "$w/bare" "$w/nopath"
# Stand-ins for the app host / dotnet muxer: they print how they were called.
printf '#!/bin/sh\necho "apphost $*"\n' >"$w/sc/DePin.Wireless.HotspotHost"; chmod +x "$w/sc/DePin.Wireless.HotspotHost"
touch "$w/fd/DePin.Wireless.HotspotHost.dll" "$w/bare/DePin.Wireless.HotspotHost.dll"
printf '#!/bin/sh\necho "bundled $*"\n' >"$w/fd/dotnet/dotnet"; chmod +x "$w/fd/dotnet/dotnet"
echo "framework-dependent, NO .NET runtime in the image" >"$w/bare/PUBLISH-MODE"
for tool in sh cat; do ln -s "$(command -v "$tool")" "$w/nopath/$tool"; done
expect "self-contained app host is run with the arguments" test "$(HOTSPOT_APP_DIR="$w/sc" "$WRAP" key info --file k)" = "apphost key info --file k"
expect "bundled runtime runs the dll" test "$(HOTSPOT_APP_DIR="$w/fd" "$WRAP" status)" = "bundled $w/fd/DePin.Wireless.HotspotHost.dll status"
no_runtime() { env PATH="$w/nopath" HOTSPOT_APP_DIR="$w/bare" "$w/nopath/sh" "$WRAP" status >"$w/out" 2>&1; }
expect "no runtime: exit status 127" test "$(no_runtime; echo $?)" = 127
expect "no runtime: the message names the publish mode and the README section" contains "$w/out" "no .NET runtime: this image was built framework-dependent without an arm64 ASP.NET Core 10 runtime (framework-dependent, NO .NET runtime in the image); see /usr/share/doc/depin-hotspot/README.md, \"Runtime\""

# ---------------------------------------------------------------------------------------------- full image
if [ "${FULL_IMAGE_TEST:-0}" = 1 ]; then
  echo "full image (FULL_IMAGE_TEST=1)"
  if out=$("$HW/tests/full-image.sh" 2>&1); then pass "full rootfs build + manifest"; echo "$out" | tail -n 8
  else fail "full rootfs build + manifest" "$(echo "$out" | tail -n 20)"; fi
fi

echo
echo "hardware tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
