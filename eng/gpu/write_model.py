#!/usr/bin/env python3
"""Writes a random-weight GGUF shaped like Llama-3.1-8B (or smaller, for rehearsals), F16, for llama.cpp v0.5.0.

No gguf-py: it needs tqdm, pyyaml and requests, which the GPU machine may lack. The format is small enough to write
here (ggml docs/gguf.md, v3). The tokenizer (Llama 3's 128,256-token BPE vocabulary) is copied from the vocab-only
file the llama.cpp source ships, models/ggml-vocab-llama-bpe.gguf, so llama.cpp loads the model as a real Llama 3.

Weights are small normal values (std 0.02) from one random block reused at different offsets: throughput does not
depend on the values, and writing 16 GB must not wait on a random generator. numpy is used when present.

usage: write_model.py OUT.gguf --vocab ggml-vocab-llama-bpe.gguf [--size 8b|tiny]
"""
import argparse
import os
import struct
import sys

ALIGN = 32
F32, F16 = 0, 1
T_U8, T_I8, T_U16, T_I16, T_U32, T_I32, T_F32, T_BOOL, T_STR, T_ARR, T_U64, T_I64, T_F64 = range(13)
SCALAR = {T_U8: "<B", T_I8: "<b", T_U16: "<H", T_I16: "<h", T_U32: "<I", T_I32: "<i", T_F32: "<f",
          T_BOOL: "<?", T_U64: "<Q", T_I64: "<q", T_F64: "<d"}

SHAPES = {
    # Meta-Llama-3.1-8B config.json: hidden 4096, 32 layers, 32 heads, 8 KV heads, intermediate 14336, rope 500000.
    "8b": dict(embd=4096, layers=32, heads=32, kv_heads=8, ff=14336),
    "tiny": dict(embd=256, layers=2, heads=4, kv_heads=2, ff=512),
}


def read_kv(path):
    """Every key/value of a GGUF header as (key, type, raw bytes of the value), in file order."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"GGUF":
        sys.exit(f"{path} is not a GGUF file")
    _version, _n_tensors, n_kv = struct.unpack_from("<IQQ", data, 4)
    pos = 24

    def string_end(p):
        (n,) = struct.unpack_from("<Q", data, p)
        return p + 8 + n

    def value_end(t, p):
        if t == T_STR:
            return string_end(p)
        if t == T_ARR:
            et, n = struct.unpack_from("<IQ", data, p)
            p += 12
            if et in SCALAR:
                return p + n * struct.calcsize(SCALAR[et])
            for _ in range(n):
                p = value_end(et, p)
            return p
        return p + struct.calcsize(SCALAR[t])

    out = []
    for _ in range(n_kv):
        key_end = string_end(pos)
        key = data[pos + 8:key_end].decode()
        (t,) = struct.unpack_from("<I", data, key_end)
        start = key_end + 4
        end = value_end(t, start)
        out.append((key, t, data[start:end]))
        pos = end
    return out


def kv_string(s):
    b = s.encode()
    return struct.pack("<Q", len(b)) + b


class Writer:
    def __init__(self):
        self.kv = []        # (key, type, raw value bytes)
        self.tensors = []   # (name, dims, type, nbytes, fill)

    def add(self, key, t, value):
        raw = kv_string(value) if t == T_STR else struct.pack(SCALAR[t], value)
        self.kv.append((key, t, raw))

    def tensor(self, name, dims, ggml_type, fill):
        n = 1
        for d in dims:
            n *= d
        self.tensors.append((name, dims, ggml_type, n * (4 if ggml_type == F32 else 2), fill))

    def write(self, path):
        with open(path, "wb") as f:
            f.write(b"GGUF" + struct.pack("<IQQ", 3, len(self.tensors), len(self.kv)))
            for key, t, raw in self.kv:
                f.write(kv_string(key) + struct.pack("<I", t) + raw)
            offset = 0
            for name, dims, ggml_type, nbytes, _ in self.tensors:
                f.write(kv_string(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims))
                f.write(struct.pack("<IQ", ggml_type, offset))
                offset += pad(nbytes)
            f.write(b"\0" * (pad(f.tell()) - f.tell()))
            for name, dims, ggml_type, nbytes, fill in self.tensors:
                fill(f, ggml_type, nbytes)
                f.write(b"\0" * (pad(nbytes) - nbytes))


def pad(n):
    return (n + ALIGN - 1) // ALIGN * ALIGN


def random_block(count):
    """`count` small normal values as (f16 bytes, f32 bytes)."""
    try:
        import numpy as np
        rng = np.random.default_rng(42)
        values = (rng.standard_normal(count) * 0.02).astype(np.float32)
        return values.astype(np.float16).tobytes(), values.tobytes()
    except ImportError:  # rehearsals on machines without numpy: a smaller block, same layout
        import random
        rng = random.Random(42)
        count = min(count, 1 << 20)
        values = [rng.gauss(0.0, 0.02) for _ in range(count)]
        return struct.pack(f"<{count}e", *values), struct.pack(f"<{count}f", *values)


BLOCK_VALUES = 1 << 24  # 32 MiB of F16
_block = None


def weights(f, ggml_type, nbytes):
    """Writes `nbytes` of weights, cycling through the random block from an offset that moves with each tensor."""
    global _block
    if _block is None:
        _block = random_block(BLOCK_VALUES)
    block = _block[0] if ggml_type == F16 else _block[1]
    start = f.tell() % len(block) // 4 * 4
    written = 0
    while written < nbytes:
        chunk = block[start:start + (nbytes - written)]
        f.write(chunk)
        written += len(chunk)
        start = 0


def ones(f, ggml_type, nbytes):
    f.write(struct.pack("<f", 1.0) * (nbytes // 4))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--vocab", required=True, help="llama.cpp's models/ggml-vocab-llama-bpe.gguf")
    ap.add_argument("--size", choices=sorted(SHAPES), default="8b")
    args = ap.parse_args()
    s = SHAPES[args.size]

    tokenizer = [kv for kv in read_kv(args.vocab) if kv[0].startswith("tokenizer.")]
    tokens = next(raw for key, t, raw in tokenizer if key == "tokenizer.ggml.tokens")
    (n_vocab,) = struct.unpack_from("<Q", tokens, 4)

    e, head_dim = s["embd"], s["embd"] // s["heads"]
    kv_dim = head_dim * s["kv_heads"]
    w = Writer()
    w.add("general.architecture", T_STR, "llama")
    w.add("general.type", T_STR, "model")
    w.add("general.name", T_STR, f"Random Llama 3.1 shape-twin ({args.size})")
    w.add("general.license", T_STR, "llama3.1")
    w.add("general.file_type", T_U32, 1)  # LLAMA_FTYPE_MOSTLY_F16
    w.add("general.quantization_version", T_U32, 2)
    w.add("llama.block_count", T_U32, s["layers"])
    w.add("llama.context_length", T_U32, 131072)
    w.add("llama.embedding_length", T_U32, e)
    w.add("llama.feed_forward_length", T_U32, s["ff"])
    w.add("llama.attention.head_count", T_U32, s["heads"])
    w.add("llama.attention.head_count_kv", T_U32, s["kv_heads"])
    w.add("llama.rope.freq_base", T_F32, 500000.0)
    w.add("llama.attention.layer_norm_rms_epsilon", T_F32, 1e-5)
    w.add("llama.rope.dimension_count", T_U32, head_dim)
    w.add("llama.vocab_size", T_U32, n_vocab)
    w.kv.extend(tokenizer)

    w.tensor("token_embd.weight", [e, n_vocab], F16, weights)
    w.tensor("rope_freqs.weight", [head_dim // 2], F32, ones)
    w.tensor("output_norm.weight", [e], F32, ones)
    w.tensor("output.weight", [e, n_vocab], F16, weights)
    for i in range(s["layers"]):
        b = f"blk.{i}."
        w.tensor(b + "attn_norm.weight", [e], F32, ones)
        w.tensor(b + "attn_q.weight", [e, e], F16, weights)
        w.tensor(b + "attn_k.weight", [e, kv_dim], F16, weights)
        w.tensor(b + "attn_v.weight", [e, kv_dim], F16, weights)
        w.tensor(b + "attn_output.weight", [e, e], F16, weights)
        w.tensor(b + "ffn_norm.weight", [e], F32, ones)
        w.tensor(b + "ffn_gate.weight", [e, s["ff"]], F16, weights)
        w.tensor(b + "ffn_down.weight", [s["ff"], e], F16, weights)
        w.tensor(b + "ffn_up.weight", [e, s["ff"]], F16, weights)
    w.write(args.out)
    total = 0
    for _, dims, _, _, _ in w.tensors:
        n = 1
        for d in dims:
            n *= d
        total += n
    print(f"wrote {args.out}: {total:,} parameters, {os.path.getsize(args.out):,} bytes, vocab {n_vocab}")


if __name__ == "__main__":
    main()
