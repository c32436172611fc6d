#!/usr/bin/env bash
# Prints the manifest of a root file system: its installed packages (name, version, architecture) and its
# sorted file list (type, mode, owner, path), both in byte order. Two builds of one commit must produce the
# same manifest (compare them with check-manifest.sh). Contents are not hashed: the initramfs and other
# generated files embed build-time data that does not change what is installed.
# Usage: manifest.sh ROOTFS_DIR
set -euo pipefail
root="${1:?usage: manifest.sh ROOTFS_DIR}"
[ -d "$root/var/lib/dpkg" ] || { echo "manifest.sh: $root has no dpkg database" >&2; exit 1; }
export LC_ALL=C
dpkg-query --admindir="$root/var/lib/dpkg" -W -f='package ${Package} ${Version} ${Architecture}\n' | sort
(cd "$root" && find . -mindepth 1 -printf 'file %y %m %U:%G %p\n') | sort -k5
