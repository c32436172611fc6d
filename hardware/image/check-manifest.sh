#!/usr/bin/env bash
# Compares two image manifests (manifest.sh output). Exit 0 and "manifests match" when the package versions
# and file lists are identical; otherwise prints the differences (at most 50 lines) and exits 1.
# Usage: check-manifest.sh A.manifest B.manifest
set -euo pipefail
a="${1:?usage: check-manifest.sh A.manifest B.manifest}"; b="${2:?usage: check-manifest.sh A.manifest B.manifest}"
for f in "$a" "$b"; do
  [ -f "$f" ] || { echo "check-manifest.sh: $f not found" >&2; exit 2; }
  grep -q '^package ' "$f" || { echo "check-manifest.sh: $f lists no packages" >&2; exit 2; }
  grep -q '^file ' "$f" || { echo "check-manifest.sh: $f lists no files" >&2; exit 2; }
done
if diff_out=$(diff -u --label "$a" --label "$b" "$a" "$b"); then
  echo "manifests match: $(grep -c '^package ' "$a") packages, $(grep -c '^file ' "$a") paths"
else
  echo "manifests differ:"
  printf '%s\n' "$diff_out" | grep -E '^[-+](package|file) ' | head -n 50
  exit 1
fi
