using System.Runtime.InteropServices;
using Governance.Scanner.Gguf;

namespace Governance.Scanner.Tests.TestModels;

/// <summary>What goes into a <see cref="TinyLlama"/> file: shape, weight type, and the general.* facts it claims.</summary>
internal sealed record TinyLlamaOptions
{
    public string? Name { get; init; } = "Tiny Llama";
    public string? Organization { get; init; }
    public string? Finetune { get; init; }
    public string? SizeLabel { get; init; }
    public string? License { get; init; }
    public string? LicenseName { get; init; }
    public string? LicenseLink { get; init; }
    public IReadOnlyList<BaseModel> BaseModels { get; init; } = [];

    public int Layers { get; init; } = 2;
    public int Embedding { get; init; } = 64;
    public int Heads { get; init; } = 4;
    public int KvHeads { get; init; } = 2;
    public int FeedForward { get; init; } = 128;
    public int Context { get; init; } = 256;

    /// <summary>Matrices in F16 (general.file_type MOSTLY_F16); norms stay F32 as converters keep 1-D tensors.</summary>
    public bool F16 { get; init; }

    public int Seed { get; init; } = 1234;
}

/// <summary>
/// A random-weight model of llama.cpp's LLM_ARCH_LLAMA, small enough to write in a test: the tensor names and
/// shapes of <c>src/models/llama.cpp</c> (<c>load_arch_tensors</c>), the hyperparameters <c>load_hparams</c> reads
/// (as uint32/float32, the types it insists on), and a byte-level SentencePiece ("llama") vocabulary of
/// &lt;unk&gt;, &lt;s&gt;, &lt;/s&gt; and the 256 byte tokens, so any text tokenizes through byte fallback.
/// </summary>
internal static class TinyLlama
{
    public const int VocabSize = 3 + 256;
    public const uint UnknownId = 0, BosId = 1, EosId = 2;

    // llama_token_type (include/llama.h)
    private const int Unknown = 2, Control = 3, Byte = 6;

    public static void Write(string path, TinyLlamaOptions? options = null) => Build(options ?? new()).Write(path);

    public static GgufWriter Build(TinyLlamaOptions o)
    {
        var headDim = o.Embedding / o.Heads;
        var w = new GgufWriter();
        w.Add("general.architecture", "llama");
        w.Add("general.type", "model");
        AddIfSet(w, "general.name", o.Name);
        AddIfSet(w, "general.organization", o.Organization);
        AddIfSet(w, "general.finetune", o.Finetune);
        AddIfSet(w, "general.size_label", o.SizeLabel);
        AddIfSet(w, "general.license", o.License);
        AddIfSet(w, "general.license.name", o.LicenseName);
        AddIfSet(w, "general.license.link", o.LicenseLink);
        if (o.BaseModels.Count > 0)
        {
            w.Add("general.base_model.count", (uint)o.BaseModels.Count);
            for (var i = 0; i < o.BaseModels.Count; i++)
            {
                AddIfSet(w, $"general.base_model.{i}.name", o.BaseModels[i].Name);
                AddIfSet(w, $"general.base_model.{i}.organization", o.BaseModels[i].Organization);
                AddIfSet(w, $"general.base_model.{i}.repo_url", o.BaseModels[i].RepoUrl);
            }
        }

        w.Add("llama.block_count", (uint)o.Layers);
        w.Add("llama.context_length", (uint)o.Context);
        w.Add("llama.embedding_length", (uint)o.Embedding);
        w.Add("llama.feed_forward_length", (uint)o.FeedForward);
        w.Add("llama.attention.head_count", (uint)o.Heads);
        w.Add("llama.attention.head_count_kv", (uint)o.KvHeads);
        w.Add("llama.rope.freq_base", 10000f);
        w.Add("llama.attention.layer_norm_rms_epsilon", 1e-5f);
        w.Add("llama.rope.dimension_count", (uint)headDim); // llama.cpp refuses n_rot != n_embd / n_head for llama
        w.Add("llama.vocab_size", (uint)VocabSize);
        w.Add("general.file_type", o.F16 ? 1u : 0u); // LLAMA_FTYPE_MOSTLY_F16 / LLAMA_FTYPE_ALL_F32
        w.Add("general.quantization_version", 2u);
        AddVocabulary(w);

        var random = new Random(o.Seed);
        var matrix = o.F16 ? GgmlType.F16 : GgmlType.F32;
        w.AddTensor("token_embd.weight", matrix, [o.Embedding, VocabSize], Weights(random, matrix, o.Embedding * VocabSize));
        w.AddTensor("output_norm.weight", GgmlType.F32, [o.Embedding], Ones(o.Embedding));
        w.AddTensor("output.weight", matrix, [o.Embedding, VocabSize], Weights(random, matrix, o.Embedding * VocabSize));
        var kv = headDim * o.KvHeads;
        for (var i = 0; i < o.Layers; i++)
        {
            var blk = $"blk.{i}.";
            w.AddTensor(blk + "attn_norm.weight", GgmlType.F32, [o.Embedding], Ones(o.Embedding));
            w.AddTensor(blk + "attn_q.weight", matrix, [o.Embedding, headDim * o.Heads], Weights(random, matrix, o.Embedding * headDim * o.Heads));
            w.AddTensor(blk + "attn_k.weight", matrix, [o.Embedding, kv], Weights(random, matrix, o.Embedding * kv));
            w.AddTensor(blk + "attn_v.weight", matrix, [o.Embedding, kv], Weights(random, matrix, o.Embedding * kv));
            w.AddTensor(blk + "attn_output.weight", matrix, [headDim * o.Heads, o.Embedding], Weights(random, matrix, headDim * o.Heads * o.Embedding));
            w.AddTensor(blk + "ffn_norm.weight", GgmlType.F32, [o.Embedding], Ones(o.Embedding));
            w.AddTensor(blk + "ffn_gate.weight", matrix, [o.Embedding, o.FeedForward], Weights(random, matrix, o.Embedding * o.FeedForward));
            w.AddTensor(blk + "ffn_down.weight", matrix, [o.FeedForward, o.Embedding], Weights(random, matrix, o.FeedForward * o.Embedding));
            w.AddTensor(blk + "ffn_up.weight", matrix, [o.Embedding, o.FeedForward], Weights(random, matrix, o.Embedding * o.FeedForward));
        }
        return w;
    }

    /// <summary>The element count of every tensor <see cref="Build"/> writes, from the shapes alone.</summary>
    public static long ParameterCount(TinyLlamaOptions o)
    {
        long e = o.Embedding, v = VocabSize, f = o.FeedForward, q = o.Embedding / o.Heads * o.Heads, kv = o.Embedding / o.Heads * o.KvHeads;
        var perLayer = e + e * q + 2 * e * kv + q * e + e + 3 * e * f;
        return 2 * e * v + e + o.Layers * perLayer;
    }

    internal static void AddVocabulary(GgufWriter w)
    {
        var tokens = new string[VocabSize];
        var scores = new float[VocabSize];
        var types = new int[VocabSize];
        (tokens[UnknownId], types[UnknownId]) = ("<unk>", Unknown);
        (tokens[BosId], types[BosId]) = ("<s>", Control);
        (tokens[EosId], types[EosId]) = ("</s>", Control);
        for (var b = 0; b < 256; b++) (tokens[3 + b], types[3 + b]) = ($"<0x{b:X2}>", Byte);

        w.Add("tokenizer.ggml.model", "llama");
        w.AddArray("tokenizer.ggml.tokens", GgufValueType.String, tokens);
        w.AddArray("tokenizer.ggml.scores", GgufValueType.Float32, scores);
        w.AddArray("tokenizer.ggml.token_type", GgufValueType.Int32, types);
        w.Add("tokenizer.ggml.bos_token_id", BosId);
        w.Add("tokenizer.ggml.eos_token_id", EosId);
        w.Add("tokenizer.ggml.unknown_token_id", UnknownId);
        w.Add("tokenizer.ggml.add_bos_token", true);
        w.Add("tokenizer.ggml.add_eos_token", false);
    }

    internal static void AddIfSet(GgufWriter w, string key, string? value)
    {
        if (value is not null) w.Add(key, value);
    }

    internal static byte[] Ones(int n) => MemoryMarshal.AsBytes(Enumerable.Repeat(1f, n).ToArray().AsSpan()).ToArray();

    // Small normal weights (std 0.02, as initialisers use) keep activations finite through the random layers.
    internal static byte[] Weights(Random random, GgmlType type, int n)
    {
        var values = new float[n];
        for (var i = 0; i < n; i++)
        {
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            values[i] = (float)(0.02 * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        if (type == GgmlType.F32) return MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        var halves = Array.ConvertAll(values, v => (Half)v);
        return MemoryMarshal.AsBytes(halves.AsSpan()).ToArray();
    }
}
