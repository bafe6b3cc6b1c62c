#!/usr/bin/env bash
# Prepares .gpu/ (git-ignored) for eng/gpu/check.sh, on a machine with the .NET SDK: the scanner as a self-contained,
# trimmed single-file executable (the GPU machine has no .NET) and llama.cpp v0.5.0's source bundle from the
# node-llama-cpp package the natives come from. Together they stay under the 64 MiB a device call may carry.
#
#   bash eng/gpu/prepare.sh
#
# Then, where a GPU is lent: run `bash eng/gpu/check.sh` from the repository root, carrying .gpu.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
prep="$repo/.gpu"
budget=$((64 * 1024 * 1024))
mkdir -p "$prep"

# llama.cpp's source at the natives' release: the bundle inside node-llama-cpp, which fetch.sh caches and verifies.
tarball="$repo/natives/.cache/node-llama-cpp-3.22.1.tgz"
[[ -f "$tarball" ]] || bash "$repo/eng/natives/fetch.sh"
tar -xzf "$tarball" -O package/llama/gitRelease.bundle > "$prep/gitRelease.bundle.part"
mv "$prep/gitRelease.bundle.part" "$prep/gitRelease.bundle"
git bundle verify -q "$prep/gitRelease.bundle" 2>/dev/null || git bundle list-heads "$prep/gitRelease.bundle" > /dev/null

# Trimmed only where the framework allows it (TrimMode=partial keeps every Governance assembly whole), so the
# reflection-based JSON of the attestation contract keeps working; JIT, not NativeAOT, for the same reason.
rm -rf "$prep/scanner"
dotnet publish "$repo/src/Scanner" -c Release -r linux-x64 --self-contained \
  -p:PublishTrimmed=true -p:TrimMode=partial -p:JsonSerializerIsReflectionEnabledByDefault=true \
  -p:PublishSingleFile=true -p:EnableCompressionInSingleFile=true -p:DebugType=none \
  -p:GovernanceSkipNatives=true -o "$prep/scanner" -nowarn:IL2026,IL2104

size=$(du -sb "$prep/gitRelease.bundle" "$prep/scanner" | awk '{s += $1} END {print s}')
echo "prepare.sh: .gpu holds $((size / 1024 / 1024)) MiB (limit $((budget / 1024 / 1024)) MiB): $(ls "$prep/scanner" | tr '\n' ' ')"
(( size < budget )) || { echo "prepare.sh: over the carry budget" >&2; exit 1; }
