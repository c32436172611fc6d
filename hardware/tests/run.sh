#!/usr/bin/env bash
# Tests for hardware/: shellcheck on every script, systemd-analyze verify on the units, the udev rule,
# board profile validation, manifest comparison and the first-boot script against a fake boot partition
# (with tests/fakes/hotspot standing in for our own CLI). With FULL_IMAGE_TEST=1 it also builds the root file
# system (tests/full-image.sh; needs root and the Debian mirror).
# Prints "hardware tests: N passed, N failed" last; exits 1 when any test failed.
set -uo pipefail
HW="$(cd "$(dirname "$0")/.." && pwd)"
ROOTFS_SRC="$HW/image/rootfs"
FIRSTBOOT="$ROOTFS_SRC/usr/local/sbin/depin-firstboot"
VALIDATE="$ROOTFS_SRC/usr/local/lib/depin-hotspot/validate-board"
FAKE_HOTSPOT="$HW/tests/fakes/hotspot"
SX1302_CONF="$ROOTFS_SRC/usr/local/lib/depin-hotspot/sx1302-conf"
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
