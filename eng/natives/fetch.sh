#!/usr/bin/env bash
# Fetches llama.cpp release v0.5.0, as node-llama-cpp 3.22.1 packages it on npm, into <repo>/natives/,
# which git ignores. Idempotent: a folder whose
# .fetched stamp names the right package is left alone, so a second run takes milliseconds.
#
#   natives/linux-x64/        CPU build: libllama.v0.5.0.so, libggml.v0.5.0.so, libggml-base.so,
#                             libggml-cpu-<cpu>.so (ggml picks the best variant at run time)
#   natives/linux-x64-cuda/   opt-in (--cuda or GOVERNANCE_NATIVES_CUDA=1, 143 MB download):
#                             libllama.cuda.v0.5.0.so, libggml.cuda.v0.5.0.so, libggml-cuda.so
#                             (needs libcudart.so.13, libcublas.so.13 and a driver at run time)
#   natives/llama.cpp/        the v0.5.0 source (git clone of llama/gitRelease.bundle):
#                             include/llama.h, ggml/include/*.h, models/ggml-vocab-*.gguf, tools/
#
# Usage: bash eng/natives/fetch.sh [--cuda] [--force]
# Needs: npm, node, tar, git, flock. Every tarball is checked against the sha512 the registry published.
set -euo pipefail

NLC_VERSION=3.22.1
LLAMA_RELEASE=v0.5.0

declare -A INTEGRITY=(
  ["@node-llama-cpp/linux-x64"]="sha512-5uCCDNqWCNfaAm8aR/Uzxbo4HBpKgNF91kCHPepKhgMgV2OAmatoefbOlMihsqCiH2Od35E/eUHQCFbfRBJuOg=="
  ["@node-llama-cpp/linux-x64-cuda"]="sha512-8rQCjyNNLZJUFit+YpjwlC4hwkKgOMIkB2wuycKBf8NU2O3ySKbiWZQ8aw9ku2nUTXjSnUIrE6KB88itduTBuA=="
  ["node-llama-cpp"]="sha512-bltIipuWmc123H7tMIgDGKSsSrhmhlQYeVUC48XTjVW7XGJJiJJyCdlTMzQ/LiWoPkGDpcL4FviDpgw7qfTiDw=="
)

want_cuda="${GOVERNANCE_NATIVES_CUDA:-0}"
force=0
for arg in "$@"; do
  case "$arg" in
    --cuda) want_cuda=1 ;;
    --force) force=1 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "fetch.sh: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done

if [[ "$(uname -s)" != "Linux" || "$(uname -m)" != "x86_64" ]]; then
  echo "fetch.sh: only linux-x64 natives are packaged here; this is $(uname -s)/$(uname -m)." >&2
  exit 1
fi
for tool in npm node tar git flock; do
  command -v "$tool" >/dev/null || { echo "fetch.sh: '$tool' is not on PATH." >&2; exit 1; }
done

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
natives="$repo_root/natives"
cache="$natives/.cache"
mkdir -p "$cache"

# Parallel builds (several test projects restoring at once) must not extract over each other.
exec 9>"$natives/.lock"
flock 9

stamp_ok() { [[ $force == 0 && -f "$1/.fetched" && "$(cat "$1/.fetched")" == "$2" ]]; }

# npm pack into the cache (once), then verify the tarball against the pinned integrity.
pack() {
  local name="$1"
  local file="$cache/$(echo "${name#@}" | tr / -)-$NLC_VERSION.tgz"
  if [[ ! -f "$file" ]]; then
    echo "fetch.sh: npm pack $name@$NLC_VERSION" >&2
    (cd "$cache" && npm pack --silent "$name@$NLC_VERSION" >/dev/null)
  fi
  local actual
  actual="$(node -e 'process.stdout.write("sha512-" + require("crypto").createHash("sha512").update(require("fs").readFileSync(process.argv[1])).digest("base64"))' "$file")"
  if [[ "$actual" != "${INTEGRITY[$name]}" ]]; then
    rm -f "$file"
    echo "fetch.sh: $name@$NLC_VERSION does not match its pinned sha512; removed, run again." >&2
    exit 1
  fi
  echo "$file"
}

# Extracts package/bins/<bins>/ of a tarball into natives/<dest>/ atomically.
extract_bins() {
  local name="$1" bins="$2" dest="$natives/$2" label="$1@$NLC_VERSION"
  if stamp_ok "$dest" "$label"; then return; fi
  local tgz; tgz="$(pack "$name")"
  local tmp; tmp="$(mktemp -d "$natives/.tmp.XXXXXX")"
  tar xzf "$tgz" -C "$tmp" "package/bins/$bins"
  # llama-addon.node is node's binding, not part of the C API.
  rm -f "$tmp/package/bins/$bins/llama-addon.node"
  echo "$label" > "$tmp/package/bins/$bins/.fetched"
  rm -rf "$dest"
  mv "$tmp/package/bins/$bins" "$dest"
  rm -rf "$tmp"
  echo "fetch.sh: $label -> $dest" >&2
}

extract_source() {
  local dest="$natives/llama.cpp" label="node-llama-cpp@$NLC_VERSION llama.cpp $LLAMA_RELEASE"
  if stamp_ok "$dest" "$label"; then return; fi
  local tgz; tgz="$(pack node-llama-cpp)"
  local tmp; tmp="$(mktemp -d "$natives/.tmp.XXXXXX")"
  tar xzf "$tgz" -C "$tmp" package/llama/gitRelease.bundle package/llama/binariesGithubRelease.json
  local release; release="$(sed -n 's/.*"release": *"\([^"]*\)".*/\1/p' "$tmp/package/llama/binariesGithubRelease.json")"
  if [[ "$release" != "$LLAMA_RELEASE" ]]; then
    echo "fetch.sh: node-llama-cpp@$NLC_VERSION bundles llama.cpp '$release', expected $LLAMA_RELEASE." >&2
    exit 1
  fi
  git -c advice.detachedHead=false clone --quiet "$tmp/package/llama/gitRelease.bundle" "$tmp/llama.cpp"
  echo "$label" > "$tmp/llama.cpp/.fetched"
  rm -rf "$dest"
  mv "$tmp/llama.cpp" "$dest"
  rm -rf "$tmp"
  echo "fetch.sh: llama.cpp $LLAMA_RELEASE source -> $dest" >&2
}

rm -rf "$natives"/.tmp.*
extract_bins "@node-llama-cpp/linux-x64" linux-x64
extract_source
if [[ "$want_cuda" == 1 ]]; then
  extract_bins "@node-llama-cpp/linux-x64-cuda" linux-x64-cuda
fi
