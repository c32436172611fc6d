#!/usr/bin/env bash
# Builds the DePin.Wireless hotspot image for Raspberry Pi 3 / 4 / CM4 (arm64, Debian 12 bookworm) from
# Debian packages and this repository only: mmdebstrap + qemu-user-static (binfmt) for the arm64 hooks,
# no Docker, no loop devices, nothing downloaded except from the Debian mirror.
#
# Output (in OUT_DIR, default hardware/image/out):
#   depin-hotspot-<commit>.img          MBR disk image: p1 FAT32 "DEPINBOOT" (/boot/firmware), p2 ext4 "DEPINROOT"
#   depin-hotspot-<commit>.img.sha256   its SHA-256
#   depin-hotspot-<commit>.manifest     sorted rootfs file list + package versions (compare with check-manifest.sh)
#   build-info.txt                      build time, sizes, publish mode
#
# Usage: sudo hardware/image/build.sh [--rootfs-only] [--resume]
#   --rootfs-only   stop after the root file system and its manifest (no disk image)
#   --resume        with the WORK_DIR of a build whose mmdebstrap installed every package but failed in the
#                   customize step: re-stage the overlay, customize that root file system and go on from there
#                   (no publish, no package installation; for fixing the overlay without another hour under qemu)
# Environment:
#   OUT_DIR             output directory (default hardware/image/out)
#   WORK_DIR            scratch directory (default: a fresh mktemp -d, removed at exit)
#   MIRROR              Debian mirror (default: the first deb.debian.org-style URI of this machine's apt sources)
#   SECURITY_MIRROR     Debian security mirror (default http://deb.debian.org/debian-security)
#   SOURCE_DATE_EPOCH   timestamp for every file and file system (default: commit time of HEAD)
#   BOOT_SIZE_MB        FAT partition size (default 256)
#   ROOT_SLACK_MB       free space added to the root file system (default 512)
#   DOTNET_ARM64_RUNTIME  optional path of a .NET 10 linux-arm64 ASP.NET Core runtime tarball
#                         (aspnetcore-runtime-10.*-linux-arm64.tar.gz), unpacked to /opt/depin-hotspot/dotnet
#                         when a self-contained publish is impossible (see hardware/README.md, "Runtime")
#   SERVICES_JSON       services.json installed as /etc/depin-hotspot/services.json (default hardware/image/services.json)
#   SX1302_HAL_TARBALL  optional path of the sx1302_hal V2.1.0 source tarball: lora_pkt_fwd (the SX1302 packet
#                       forwarder, not packaged by Debian) is cross-compiled from it into /opt/depin-hotspot/sx1302
#                       (build-lora-pkt-fwd.sh verifies the source; needs gcc-aarch64-linux-gnu)
#   IMAGE_COMPRESS      xz (default: .img.xz, what Raspberry Pi Imager and `xz -dc | dd` take), zstd, or none
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
ROOTFS_ONLY=0
RESUME=0
for arg in "$@"; do
  case "$arg" in
    --rootfs-only) ROOTFS_ONLY=1 ;;
    --resume) RESUME=1 ;;
    -h|--help) sed -n '2,35p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done

log() { echo "[build $(date -u +%H:%M:%S)] $*" >&2; }
die() { echo "build.sh: error: $*" >&2; exit 1; }

IMAGE_COMPRESS="${IMAGE_COMPRESS:-xz}"
case "$IMAGE_COMPRESS" in xz|zstd|none) ;; *) die "IMAGE_COMPRESS='$IMAGE_COMPRESS': expected xz, zstd or none" ;; esac
[ "$(id -u)" -eq 0 ] || die "run as root (mmdebstrap root mode and mke2fs -d need real file ownership)"
for tool in mmdebstrap mkfs.vfat mcopy mke2fs sfdisk jq dotnet sha256sum git; do
  command -v "$tool" >/dev/null || die "missing tool '$tool' (Debian: apt-get install mmdebstrap qemu-user-static binfmt-support dosfstools mtools fdisk e2fsprogs jq)"
done

COMMIT="$(git -C "$REPO" rev-parse HEAD)"
SHORT="${COMMIT:0:12}"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$REPO" log -1 --format=%ct HEAD)}"
OUT_DIR="${OUT_DIR:-$HERE/out}"
BOOT_SIZE_MB="${BOOT_SIZE_MB:-256}"
ROOT_SLACK_MB="${ROOT_SLACK_MB:-512}"
SERVICES_JSON="${SERVICES_JSON:-$HERE/services.json}"
SECURITY_MIRROR="${SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
if [ -z "${MIRROR:-}" ]; then
  # Active entries only ("URIs:" in deb822 files, "deb URI" in one-line files), never commented-out ones.
  MIRROR=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
    | sed -nE 's#^(URIs:[[:space:]]*|deb[[:space:]]+(\[[^]]*\][[:space:]]+)?)(https?://[^[:space:]]+/debian)/?([[:space:]].*)?$#\3#p' | head -n1 || true)
  MIRROR="${MIRROR:-http://deb.debian.org/debian}"
fi
MIRROR="${MIRROR%/}"
# Packages (Debian 12). raspi-firmware and firmware-brcm80211 (Pi Wi-Fi) are in non-free-firmware.
PACKAGES=(
  systemd systemd-sysv systemd-timesyncd udev dbus kmod
  linux-image-arm64 raspi-firmware firmware-brcm80211 initramfs-tools
  network-manager wpasupplicant iproute2 iputils-ping
  logrotate ca-certificates jq openssh-server
  gpiod
  libicu72 libssl3 zlib1g tzdata
)

# Stable identifiers derived from the commit: same commit -> same UUIDs, labels and disk id.
derive_hex() { printf '%s:%s' "$COMMIT" "$1" | sha256sum | cut -c1-"$2"; }
as_uuid() { local h; h="$(derive_hex "$1" 32)"; echo "${h:0:8}-${h:8:4}-4${h:13:3}-8${h:17:3}-${h:20:12}"; }
ROOT_UUID="$(as_uuid root-fs)"
ROOT_HASH_SEED="$(as_uuid root-hash-seed)"
BOOT_VOLID="$(derive_hex boot-fs 8)"
DISK_ID="0x$(derive_hex disk 8)"

mkdir -p "$OUT_DIR"
if [ "$RESUME" -eq 1 ] && { [ -z "${WORK_DIR:-}" ] || [ ! -f "$WORK_DIR/marks/installed" ] || [ ! -d "$WORK_DIR/rootfs/etc" ]; }; then
  die "--resume needs WORK_DIR of an earlier build whose packages were all installed (WORK_DIR/marks/installed)"
fi
if [ -z "${WORK_DIR:-}" ]; then
  WORK_DIR="$(mktemp -d /var/tmp/depin-image.XXXXXX)"
  trap 'rm -rf "$WORK_DIR"' EXIT
fi
mkdir -p "$WORK_DIR"
STAGE="$WORK_DIR/stage"
ROOTFS="$WORK_DIR/rootfs"
if [ "$RESUME" -eq 0 ]; then
  rm -rf "$STAGE" "$ROOTFS"
fi
mkdir -p "$STAGE"
START=$(date +%s)
PHASES=()
# timed NAME COMMAND...: runs COMMAND and records its wall time as "phase_NAME_seconds" in build-info.txt.
timed() {
  local name="$1" t0; shift; t0=$(date +%s)
  "$@"
  PHASES+=("phase_${name}_seconds: $(( $(date +%s) - t0 ))")
}
# Prefixes every line of a long-running tool's output with the UTC time, so the log shows where time goes.
timestamp_lines() { while IFS= read -r line; do printf '[%(%H:%M:%S)T] %s\n' -1 "$line"; done; }

ensure_binfmt() {
  if [ "$(uname -m)" = aarch64 ]; then return 0; fi
  if [ ! -e /proc/sys/fs/binfmt_misc/status ]; then
    mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc || die "cannot mount binfmt_misc"
  fi
  if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
    command -v update-binfmts >/dev/null || die "qemu-user-static + binfmt-support are required to run arm64 hooks"
    update-binfmts --enable qemu-aarch64 || die "cannot register qemu-aarch64 with binfmt_misc"
  fi
}

# HotspotHost: self-contained linux-arm64 when the runtime pack can be restored; otherwise framework-dependent
# (portable IL) plus, if given, an arm64 .NET runtime tarball. Debian 12 ships no .NET runtime.
publish_hotspot() {
  local app="$STAGE/opt/depin-hotspot"
  mkdir -p "$app"
  if dotnet publish "$REPO/src/HotspotHost" -c Release -r linux-arm64 --self-contained \
       -p:Deterministic=true -p:ContinuousIntegrationBuild=true -o "$app" -nologo -v q >"$WORK_DIR/publish-sc.log" 2>&1; then
    PUBLISH_MODE="self-contained linux-arm64"
  else
    log "self-contained linux-arm64 publish failed (see below); falling back to framework-dependent"
    grep -m3 -E 'error' "$WORK_DIR/publish-sc.log" >&2 || true
    rm -rf "$app"; mkdir -p "$app"
    dotnet publish "$REPO/src/HotspotHost" -c Release -p:UseAppHost=false \
      -p:Deterministic=true -p:ContinuousIntegrationBuild=true -o "$app" -nologo -v q \
      || die "dotnet publish of src/HotspotHost failed"
    if [ -n "${DOTNET_ARM64_RUNTIME:-}" ]; then
      [ -f "$DOTNET_ARM64_RUNTIME" ] || die "DOTNET_ARM64_RUNTIME=$DOTNET_ARM64_RUNTIME does not exist"
      mkdir -p "$app/dotnet"
      tar -xzf "$DOTNET_ARM64_RUNTIME" -C "$app/dotnet"
      PUBLISH_MODE="framework-dependent + bundled runtime $(basename "$DOTNET_ARM64_RUNTIME")"
    else
      PUBLISH_MODE="framework-dependent, NO .NET runtime in the image"
    fi
  fi
  echo "$PUBLISH_MODE" >"$app/PUBLISH-MODE"
  echo "$COMMIT" >"$app/COMMIT"
}

stage_overlay() {
  cp -a "$HERE/rootfs/." "$STAGE/"
  mkdir -p "$STAGE/usr/share/depin-hotspot/boards" "$STAGE/usr/share/doc/depin-hotspot" "$STAGE/etc/depin-hotspot"
  cp "$REPO"/hardware/boards/*.json "$STAGE/usr/share/depin-hotspot/boards/"
  cp "$REPO/hardware/README.md" "$STAGE/usr/share/doc/depin-hotspot/README.md"
  jq -e 'type == "object"' "$SERVICES_JSON" >/dev/null || die "$SERVICES_JSON is not a JSON object"
  cp "$SERVICES_JSON" "$STAGE/etc/depin-hotspot/services.json"
  cat >"$STAGE/etc/fstab" <<EOF
# <file system>   <mount point>   <type> <options>                      <dump> <pass>
LABEL=DEPINROOT   /               ext4   defaults,noatime                0      1
LABEL=DEPINBOOT   /boot/firmware  vfat   defaults,umask=0022,noatime     0      2
EOF
  mkdir -p "$STAGE/etc/default"
  # Read by raspi-firmware's kernel hook (/etc/kernel/postinst.d/z50-raspi-firmware) to write cmdline.txt.
  cat >"$STAGE/etc/default/raspi-firmware" <<'EOF'
ROOTPART=LABEL=DEPINROOT
# Pi 3/4 on arm64: the UART is ttyS1; the last console (HDMI) gets the boot log and the first-boot banner.
CONSOLES="ttyS1,115200 tty0"
KERNEL_ARCH="arm64"
EOF
  # Appended to config.txt by the same hook.
  cat >"$STAGE/etc/default/raspi-firmware-custom" <<'EOF'
dtparam=spi=on
dtparam=i2c_arm=on
EOF
  echo depin-hotspot >"$STAGE/etc/hostname"
  printf '127.0.0.1\tlocalhost\n127.0.1.1\tdepin-hotspot\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$STAGE/etc/hosts"
  find "$STAGE" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
}

build_rootfs() {
  log "mmdebstrap bookworm arm64 from $MIRROR"
  # The hook strings are expanded by mmdebstrap ($1 = the root file system), not by this shell.
  # shellcheck disable=SC2016
  # The setup hook installs the initramfs settings before linux-image-arm64 is configured (see setup-rootfs.sh);
  # the other hooks only note the time each mmdebstrap stage ends, for build-info.txt.
  local marks="$WORK_DIR/marks"
  rm -rf "$marks"; mkdir -p "$marks"; date +%s >"$marks/start"
  mmdebstrap --mode=root --arch=arm64 --variant=minbase \
    --include="$(IFS=,; echo "${PACKAGES[*]}")" \
    --aptopt='Acquire::Languages "none"' \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
    --setup-hook="'$HERE/setup-rootfs.sh' \"\$1\"" \
    --extract-hook="date +%s >'$marks/extracted'" \
    --essential-hook="date +%s >'$marks/essential'" \
    --customize-hook="date +%s >'$marks/installed'" \
    --customize-hook="sync-in '$STAGE' /" \
    --customize-hook="'$HERE/customize-rootfs.sh' \"\$1\"" \
    bookworm "$ROOTFS" \
    "deb $MIRROR bookworm main non-free-firmware" \
    "deb $MIRROR bookworm-updates main non-free-firmware" \
    "deb $SECURITY_MIRROR bookworm-security main non-free-firmware" 2>&1 | timestamp_lines >&2
  date +%s >"$marks/customized"
  local from=start to
  for to in extracted essential installed customized; do
    if [ -f "$marks/$to" ]; then
      PHASES+=("phase_mmdebstrap_${from}_to_${to}_seconds: $(( $(cat "$marks/$to") - $(cat "$marks/$from") ))")
      from=$to
    fi
  done
  # Every file gets the same timestamp (files newer than SOURCE_DATE_EPOCH are clamped).
  find "$ROOTFS" -newermt "@$SOURCE_DATE_EPOCH" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
}

# --resume: what mmdebstrap's customize hooks and cleanup would have done to the installed root file system.
resume_rootfs() {
  local marks="$WORK_DIR/marks"
  log "resuming with the root file system of the earlier build in $WORK_DIR"
  cp -a "$STAGE/." "$ROOTFS/"
  mount -t proc proc "$ROOTFS/proc"
  local status=0
  "$HERE/customize-rootfs.sh" "$ROOTFS" || status=$?
  umount "$ROOTFS/proc"
  [ "$status" -eq 0 ] || die "customize-rootfs.sh failed ($status)"
  date +%s >"$marks/customized"
  # mmdebstrap's own cleanup: its run-time apt settings and the build host's resolv.conf.
  rm -f "$ROOTFS/etc/apt/apt.conf.d/00mmdebstrap" "$ROOTFS/etc/resolv.conf"
  find "$ROOTFS" -newermt "@$SOURCE_DATE_EPOCH" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
  PHASES+=("phase_resumed_customize_seconds: $(( $(cat "$marks/customized") - $(cat "$marks/installed") ))")
}

write_manifest() {
  local manifest="$OUT_DIR/depin-hotspot-$SHORT.manifest"
  "$HERE/manifest.sh" "$ROOTFS" >"$manifest"
  log "manifest: $manifest ($(grep -c '^file ' "$manifest") paths, $(grep -c '^package ' "$manifest") packages)"
}

build_image() {
  local img="$OUT_DIR/depin-hotspot-$SHORT.img" boot="$WORK_DIR/boot.vfat" root="$WORK_DIR/root.ext4"
  local offset_mb=4 root_mb boot_sectors root_sectors
  export MTOOLS_SKIP_CHECK=1 E2FSPROGS_FAKE_TIME="$SOURCE_DATE_EPOCH"

  log "boot partition (FAT32, $BOOT_SIZE_MB MiB, volume id $BOOT_VOLID)"
  rm -f "$boot"
  mkfs.vfat -C -F 32 -n DEPINBOOT -i "$BOOT_VOLID" --invariant "$boot" $((BOOT_SIZE_MB * 1024)) >/dev/null
  [ -n "$(ls -A "$ROOTFS/boot/firmware")" ] || die "raspi-firmware left /boot/firmware empty"
  mcopy -i "$boot" -s -p -m "$ROOTFS"/boot/firmware/* ::/

  # The root file system must not contain the boot files: /boot/firmware is the FAT mount point.
  local bootcopy="$WORK_DIR/bootfiles"
  rm -rf "$bootcopy"; mv "$ROOTFS/boot/firmware" "$bootcopy"; mkdir "$ROOTFS/boot/firmware"
  touch -d "@$SOURCE_DATE_EPOCH" "$ROOTFS/boot/firmware" "$ROOTFS/boot"

  root_mb=$(( $(du -sm --apparent-size "$ROOTFS" | cut -f1) * 12 / 10 + ROOT_SLACK_MB ))
  log "root partition (ext4, $root_mb MiB, uuid $ROOT_UUID)"
  rm -f "$root"
  mke2fs -q -F -t ext4 -L DEPINROOT -U "$ROOT_UUID" -E "hash_seed=$ROOT_HASH_SEED,root_owner=0:0" \
    -d "$ROOTFS" "$root" "${root_mb}M"
  mv "$bootcopy"/* "$ROOTFS/boot/firmware/" 2>/dev/null || true

  log "disk image with MBR (disk id $DISK_ID)"
  boot_sectors=$((BOOT_SIZE_MB * 2048)); root_sectors=$((root_mb * 2048))
  rm -f "$img"
  truncate -s $(( (offset_mb + BOOT_SIZE_MB + root_mb) * 1024 * 1024 )) "$img"
  sfdisk --quiet --no-reread --no-tell-kernel "$img" <<EOF
label: dos
label-id: $DISK_ID
unit: sectors

start=$((offset_mb * 2048)), size=$boot_sectors, type=c, bootable
start=$(((offset_mb + BOOT_SIZE_MB) * 2048)), size=$root_sectors, type=83
EOF
  dd if="$boot" of="$img" bs=1M seek="$offset_mb" conv=notrunc,sparse status=none
  dd if="$root" of="$img" bs=1M seek=$((offset_mb + BOOT_SIZE_MB)) conv=notrunc,sparse status=none
  touch -d "@$SOURCE_DATE_EPOCH" "$img"
  (cd "$OUT_DIR" && sha256sum "$(basename "$img")" >"$(basename "$img").sha256")
  IMAGE="$img"
}

# The raw image is mostly empty space; the compressed one is what gets downloaded and flashed.
compress_image() {
  [ "$IMAGE_COMPRESS" = none ] || command -v "$IMAGE_COMPRESS" >/dev/null || die "missing tool '$IMAGE_COMPRESS'"
  case "$IMAGE_COMPRESS" in
    xz) COMPRESSED="$IMAGE.xz"; xz -T0 -6 -c "$IMAGE" >"$COMPRESSED" ;;
    zstd) COMPRESSED="$IMAGE.zst"; zstd -q -T0 -19 -c "$IMAGE" >"$COMPRESSED" ;;
    none) COMPRESSED=""; return 0 ;;
  esac
  touch -d "@$SOURCE_DATE_EPOCH" "$COMPRESSED"
  (cd "$OUT_DIR" && sha256sum "$(basename "$COMPRESSED")" >"$(basename "$COMPRESSED").sha256")
  log "compressed image: $COMPRESSED ($(stat -c %s "$COMPRESSED") bytes)"
}

# lora_pkt_fwd for SX1302 boards (RAK2287, SenseCAP M1): only from a source tarball given to us, never downloaded.
stage_lora_pkt_fwd() {
  if [ -z "${SX1302_HAL_TARBALL:-}" ]; then
    LORA_PKT_FWD="not included (SX1302_HAL_TARBALL unset; see hardware/README.md, \"SX1302 packet forwarder\")"
    return 0
  fi
  "$HERE/build-lora-pkt-fwd.sh" "$SX1302_HAL_TARBALL" "$STAGE" >&2
  LORA_PKT_FWD="$(cat "$STAGE/opt/depin-hotspot/sx1302/BUILD-INFO")"
}

ensure_binfmt
log "commit $COMMIT, SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH"
if [ "$RESUME" -eq 1 ]; then
  PUBLISH_MODE="$(cat "$STAGE/opt/depin-hotspot/PUBLISH-MODE") (from the resumed build)"
else
  timed publish publish_hotspot
fi
log "HotspotHost published: $PUBLISH_MODE"
timed lora_pkt_fwd stage_lora_pkt_fwd
log "lora_pkt_fwd: $LORA_PKT_FWD"
stage_overlay
if [ "$RESUME" -eq 1 ]; then timed resume resume_rootfs; else timed rootfs build_rootfs; fi
timed manifest write_manifest
IMAGE=""; COMPRESSED=""
if [ "$ROOTFS_ONLY" -eq 0 ]; then timed image build_image; timed compress compress_image; fi
END=$(date +%s)
{
  echo "commit: $COMMIT"
  echo "source_date_epoch: $SOURCE_DATE_EPOCH"
  echo "mirror: $MIRROR"
  echo "hotspot_publish: $PUBLISH_MODE"
  echo "lora_pkt_fwd: $LORA_PKT_FWD"
  echo "build_seconds: $((END - START))"
  printf '%s\n' "${PHASES[@]}"
  echo "rootfs_mib: $(du -sm "$ROOTFS" | cut -f1)"
  if [ -n "$IMAGE" ]; then
    echo "image: $(basename "$IMAGE")"
    echo "image_bytes: $(stat -c %s "$IMAGE")"
    echo "image_allocated_bytes: $(( $(stat -c %b "$IMAGE") * $(stat -c %B "$IMAGE") ))"
    echo "image_sha256: $(cut -d' ' -f1 "$IMAGE.sha256")"
  fi
  if [ -n "$COMPRESSED" ]; then
    echo "compressed_image: $(basename "$COMPRESSED")"
    echo "compressed_bytes: $(stat -c %s "$COMPRESSED")"
  fi
} | tee "$OUT_DIR/build-info.txt" >&2
