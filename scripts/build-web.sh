#!/usr/bin/env bash
# Builds the coverage-map front end (Vite) into static files served by CoverageOracle and the devnet,
# when the front end exists. Offline: only the npm registry is used, through `npm ci`.
set -euo pipefail
cd "$(dirname "$0")/.."
web=src/CoverageOracle/web
[ -f "$web/package.json" ] || exit 0
(cd "$web" && npm run --silent build)
