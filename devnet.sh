#!/usr/bin/env bash
# The README's main job: installs what it needs, builds, and runs the devnet on embedded defaults.
# Extra arguments are passed to `Devnet run` (see: dotnet run --project src/Devnet -- run --help).
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
scripts/install-deps.sh devnet
scripts/build-web.sh
dotnet build src/Devnet/Devnet.csproj -c Release -nologo -v q
# Run the built program from the repository root, so the default output (./devnet-out) lands here.
exec dotnet src/Devnet/bin/Release/net10.0/DePin.Wireless.Devnet.dll run "$@"
