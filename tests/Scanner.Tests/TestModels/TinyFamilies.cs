using Governance.Scanner.Gguf;

namespace Governance.Scanner.Tests.TestModels;

/// <summary>What a tensor is for, as the writer knows it (the scanner has to work it out from names and shapes).</summary>
internal enum TensorRole
{
    /// <summary><c>token_embd</c>: one row is gathered per token.</summary>
    Embedding,
    /// <summary>Read in full for every token.</summary>
    Dense,
    /// <summary>One of <c>n_expert</c> slices along the last dimension is read per routed expert.</summary>
    Expert,
}

internal sealed record WrittenTensor(string Name, long[] Dimensions, GgmlType Type, TensorRole Role)
{
    public long Elements => Dimensions.Aggregate(1L, (a, d) => a * d);
    public long Bytes => GgufWriter.ByteSize(Type, Dimensions);
}

/// <summary>
/// One family the company deploys, shrunk: the llama.cpp v0.5.0 architecture it converts to and the shape facts a
/// scan must report back. The hyper-parameters and tensor names are those the release's <c>src/models/&lt;arch&gt;.cpp</c>
/// (<c>load_arch_hparams</c>, <c>load_arch_tensors</c>) asks for; sizes are tiny, ratios are the family's.
/// </summary>
internal sealed record TinyFamily
{
    public required string Family { get; init; }
    public required string Architecture { get; init; }
    /// <summary>The id the model catalog maps the family to (<c>general.license</c>).</summary>
    public required string License { get; init; }
    public required string Name { get; init; }
    public int Layers { get; init; } = 2;
    public int Embedding { get; init; } = 64;
    public int Heads { get; init; } = 4;
    public int KvHeads { get; init; } = 2;
    public int FeedForward { get; init; } = 128;
    public int Context { get; init; } = 256;
    public int Experts { get; init; }
    public int ExpertsUsed { get; init; }
    public int SharedExperts { get; init; }
    public int ExpertFeedForward { get; init; } = 32;
    /// <summary>What the scanner should call the attention: mha, gqa, mqa or mla.</summary>
    public required string Attention { get; init; }
    public long? SlidingWindow { get; init; }
    /// <summary>The family ships a vision encoder: an mmproj file is written beside the model.</summary>
    public string? VisionProjector { get; init; }
    /// <summary>Matrices in F16 (2-D and 3-D tensors); norms and biases stay F32.</summary>
    public bool F16 { get; init; }
    public int Seed { get; init; } = 4242;

    public override string ToString() => Family;
}

/// <summary>A written family model and the figures a test expects the scanner to find, computed from what was written.</summary>
internal sealed class TinyFamilyModel(TinyFamily family, GgufWriter writer, IReadOnlyList<WrittenTensor> tensors)
{
    public TinyFamily Family { get; } = family;
    public GgufWriter Writer { get; } = writer;
    public IReadOnlyList<WrittenTensor> Tensors { get; } = tensors;

    public long Parameters => Tensors.Sum(t => t.Elements);

    /// <summary>Every tensor, expert tensors at experts-used ÷ experts.</summary>
    public long ActiveParameters => Tensors.Sum(t => t.Role == TensorRole.Expert ? t.Elements / Family.Experts * Family.ExpertsUsed : t.Elements);

    /// <summary>
    /// What one generated token reads: dense tensors in full, routed experts at used ÷ total, and the token embedding
    /// only when no separate output matrix exists (then it is the output matrix too); otherwise one row is gathered.
    /// </summary>
    public long BytesReadPerToken
    {
        get
        {
            var tied = Tensors.All(t => t.Name != "output.weight");
            return Tensors.Sum(t => t.Role switch
            {
                TensorRole.Expert => t.Bytes / Family.Experts * Family.ExpertsUsed,
                TensorRole.Embedding => tied ? t.Bytes : t.Bytes / t.Dimensions[1],
                _ => t.Bytes,
            });
        }
    }

    public void Write(string path) => Writer.Write(path);
}

/// <summary>
/// Tiny random-weight models of every family in the deployment catalogue, each shaped as llama.cpp v0.5.0 loads it.
/// The keys come from <c>src/llama-arch.cpp</c> (<c>LLM_KV_NAMES</c>, <c>LLM_TENSOR_NAMES</c>); which of them each
/// architecture requires, and the shape of each tensor, from <c>src/models/&lt;arch&gt;.cpp</c>. All share the byte-level
/// SentencePiece vocabulary of <see cref="TinyLlama"/>.
/// </summary>
internal static class TinyFamilies
{
    public static readonly TinyFamily Llama31 = new()
    {
        Family = "Llama 3.1", Architecture = "llama", License = "llama3.1", Name = "Tiny Llama 3.1 8B Instruct", Attention = "gqa",
    };

    public static readonly TinyFamily Mistral7B = new()
    {
        Family = "Mistral 7B", Architecture = "llama", License = "apache-2.0", Name = "Tiny Mistral 7B Instruct v0.3", Attention = "gqa",
    };

    public static readonly TinyFamily Mixtral = new()
    {
        Family = "Mixtral 8x7B", Architecture = "llama", License = "apache-2.0", Name = "Tiny Mixtral 8x7B Instruct v0.1", Attention = "gqa",
        Experts = 8, ExpertsUsed = 2,
    };

    public static readonly TinyFamily Llama4 = new()
    {
        Family = "Llama 4", Architecture = "llama4", License = "llama4", Name = "Tiny Llama 4 Maverick 17B 128E Instruct", Attention = "gqa",
        Experts = 8, ExpertsUsed = 1, SharedExperts = 1, VisionProjector = "llama4",
        // Every fourth layer is a full-attention layer without RoPE; with fewer, v0.5.0 sets an input tensor
        // (the attention temperature scale) that no layer uses and aborts on its missing buffer.
        Layers = 4,
    };

    public static readonly TinyFamily Qwen3 = new()
    {
        Family = "Qwen3", Architecture = "qwen3", License = "apache-2.0", Name = "Tiny Qwen3 4B", Attention = "gqa",
    };

    public static readonly TinyFamily Qwen3Moe = new()
    {
        Family = "Qwen3-MoE", Architecture = "qwen3moe", License = "apache-2.0", Name = "Tiny Qwen3 30B A3B", Attention = "gqa",
        Experts = 16, ExpertsUsed = 4, F16 = true,
    };

    public static readonly TinyFamily DeepSeekV3 = new()
    {
        Family = "DeepSeek V3 / R1", Architecture = "deepseek2", License = "mit", Name = "Tiny DeepSeek R1", Attention = "mla",
        KvHeads = 1, Experts = 8, ExpertsUsed = 2, SharedExperts = 1, F16 = true,
    };

    public static readonly TinyFamily KimiK2 = new()
    {
        Family = "Kimi K2", Architecture = "deepseek2", License = "kimi-k2-modified-mit", Name = "Tiny Kimi K2 Instruct", Attention = "mla",
        KvHeads = 1, Experts = 16, ExpertsUsed = 4, SharedExperts = 1,
    };

    public static readonly TinyFamily Gemma3 = new()
    {
        Family = "Gemma 3", Architecture = "gemma3", License = "gemma", Name = "Tiny Gemma 3 4B IT", Attention = "gqa",
        SlidingWindow = 32, VisionProjector = "gemma3",
    };

    public static readonly TinyFamily Phi4 = new()
    {
        Family = "Phi-4", Architecture = "phi3", License = "mit", Name = "Tiny Phi 4", Attention = "gqa",
    };

    public static readonly TinyFamily GptOss = new()
    {
        Family = "gpt-oss", Architecture = "gpt-oss", License = "apache-2.0", Name = "Tiny gpt-oss 20b", Attention = "gqa",
        Experts = 8, ExpertsUsed = 2, SlidingWindow = 32,
    };

    public static readonly TinyFamily CommandR = new()
    {
        Family = "Command R", Architecture = "command-r", License = "cc-by-nc-4.0", Name = "Tiny C4AI Command R v01", Attention = "mha", KvHeads = 4,
    };

    public static readonly TinyFamily Grok = new()
    {
        Family = "Grok 2", Architecture = "grok", License = "xai-grok-2-community", Name = "Tiny Grok 2", Attention = "gqa",
        Experts = 8, ExpertsUsed = 2,
    };

    public static readonly TinyFamily Falcon = new()
    {
        Family = "Falcon", Architecture = "falcon", License = "falcon-180b-tii-1.0", Name = "Tiny Falcon 180B Chat", Attention = "gqa",
    };

    public static IReadOnlyList<TinyFamily> All { get; } =
        [Llama31, Mistral7B, Mixtral, Llama4, Qwen3, Qwen3Moe, DeepSeekV3, KimiK2, Gemma3, Phi4, GptOss, CommandR, Grok, Falcon];

    public static TinyFamily ByName(string family) => All.Single(f => f.Family == family);

    public static TinyFamilyModel Build(TinyFamily f)
    {
        var b = new Builder(f);
        switch (f.Architecture, f.Family)
        {
            case ("llama", _): b.Llama(); break;
            case ("llama4", _): b.Llama4(); break;
            case ("qwen3", _): b.Qwen3(); break;
            case ("qwen3moe", _): b.Qwen3Moe(); break;
            case ("deepseek2", _): b.DeepSeek2(); break;
            case ("gemma3", _): b.Gemma3(); break;
            case ("phi3", _): b.Phi3(); break;
            case ("gpt-oss", _): b.GptOss(); break;
            case ("command-r", _): b.CommandR(); break;
            case ("grok", _): b.Grok(); break;
            case ("falcon", _): b.Falcon(); break;
            default: throw new ArgumentOutOfRangeException(nameof(f), f.Architecture, "no tiny writer for this architecture");
        }
        return new TinyFamilyModel(f, b.Writer, b.Tensors);
    }

    /// <summary>
    /// A vision projector as llama.cpp's converters write it (<c>mmproj-*.gguf</c>, architecture <c>clip</c>, keys of
    /// <c>tools/mtmd/clip-impl.h</c>): a patch embedding, one encoder block and the projection into the text model.
    /// </summary>
    public static GgufWriter VisionProjector(TinyFamily f, int visionEmbedding = 32)
    {
        var w = new GgufWriter();
        var random = new Random(f.Seed + 1);
        w.Add("general.architecture", "clip");
        w.Add("general.type", "mmproj");
        w.Add("general.name", f.Name + " vision");
        w.Add("general.license", f.License);
        w.Add("general.file_type", 0u);
        w.Add("clip.has_vision_encoder", true);
        w.Add("clip.projector_type", f.VisionProjector!);
        w.Add("clip.vision.image_size", 64u);
        w.Add("clip.vision.patch_size", 16u);
        w.Add("clip.vision.embedding_length", (uint)visionEmbedding);
        w.Add("clip.vision.feed_forward_length", (uint)(visionEmbedding * 2));
        w.Add("clip.vision.block_count", 1u);
        w.Add("clip.vision.attention.head_count", 2u);
        w.Add("clip.vision.attention.layer_norm_epsilon", 1e-6f);
        w.Add("clip.vision.projection_dim", (uint)f.Embedding);
        void T(string name, params long[] dims) =>
            w.AddTensor(name, GgmlType.F32, dims, TinyLlama.Weights(random, GgmlType.F32, (int)dims.Aggregate(1L, (a, d) => a * d)));
        T("v.patch_embd.weight", 16, 16, 3, visionEmbedding);
        T("v.position_embd.weight", visionEmbedding, 16);
        T("v.blk.0.attn_q.weight", visionEmbedding, visionEmbedding);
        T("v.blk.0.attn_k.weight", visionEmbedding, visionEmbedding);
        T("v.blk.0.attn_v.weight", visionEmbedding, visionEmbedding);
        T("v.blk.0.attn_out.weight", visionEmbedding, visionEmbedding);
        T("v.blk.0.ffn_up.weight", visionEmbedding, visionEmbedding * 2);
        T("v.blk.0.ffn_down.weight", visionEmbedding * 2, visionEmbedding);
        T("mm.input_projection.weight", visionEmbedding, f.Embedding);
        return w;
    }

    /// <summary>The element count of <see cref="VisionProjector"/>'s tensors.</summary>
    public static long VisionProjectorParameters(int visionEmbedding = 32) =>
        16L * 16 * 3 * visionEmbedding + visionEmbedding * 16L + 4L * visionEmbedding * visionEmbedding
        + 2L * visionEmbedding * visionEmbedding * 2 + visionEmbedding * 64L;

    private sealed class Builder
    {
        private readonly TinyFamily _f;
        private readonly Random _random;
        private readonly List<WrittenTensor> _tensors = [];

        public Builder(TinyFamily f)
        {
            _f = f;
            _random = new Random(f.Seed);
            Writer.Add("general.architecture", f.Architecture);
            Writer.Add("general.type", "model");
            Writer.Add("general.name", f.Name);
            Writer.Add("general.license", f.License);
            Writer.Add("general.file_type", f.F16 ? 1u : 0u);
            Writer.Add("general.quantization_version", 2u);
            U("block_count", f.Layers);
            U("context_length", f.Context);
            U("embedding_length", f.Embedding);
            U("feed_forward_length", f.FeedForward);
            U("attention.head_count", f.Heads);
            U("attention.head_count_kv", f.KvHeads);
            U("vocab_size", TinyLlama.VocabSize);
            Writer.Add(Key("rope.freq_base"), 10000f);
            if (f.Experts > 0)
            {
                U("expert_count", f.Experts);
                U("expert_used_count", f.ExpertsUsed);
            }
            if (f.SlidingWindow is { } window) U("attention.sliding_window", (int)window);
            TinyLlama.AddVocabulary(Writer);
        }

        public GgufWriter Writer { get; } = new();
        public IReadOnlyList<WrittenTensor> Tensors => _tensors;

        private int E => _f.Embedding;
        private int HeadDim => _f.Embedding / _f.Heads;
        private int Kv => HeadDim * _f.KvHeads;
        private long V => TinyLlama.VocabSize;

        // ---- the families ----

        public void Llama()
        {
            RmsEps();
            U("rope.dimension_count", HeadDim); // llama.cpp refuses n_rot != n_embd / n_head for llama
            Embeddings(tied: false);
            if (_f.Family == "Llama 3.1") T("rope_freqs.weight", TensorRole.Dense, HeadDim / 2); // llama3 rope scaling factors
            for (var i = 0; i < _f.Layers; i++)
            {
                var blk = $"blk.{i}.";
                Norm(blk + "attn_norm.weight");
                Qkv(blk, HeadDim * _f.Heads, Kv);
                T(blk + "attn_output.weight", TensorRole.Dense, HeadDim * _f.Heads, E);
                Norm(blk + "ffn_norm.weight");
                if (_f.Experts == 0) DenseFfn(blk, _f.FeedForward);
                else RoutedExperts(blk, _f.FeedForward); // Mixtral: llama's experts take feed_forward_length
            }
        }

        public void Llama4()
        {
            RmsEps();
            U("expert_feed_forward_length", _f.ExpertFeedForward);
            U("interleave_moe_layer_step", 2); // Maverick: every second layer routes (Scout: every layer)
            Embeddings(tied: false);
            for (var i = 0; i < _f.Layers; i++)
            {
                var blk = $"blk.{i}.";
                Norm(blk + "attn_norm.weight");
                Qkv(blk, HeadDim * _f.Heads, Kv);
                T(blk + "attn_output.weight", TensorRole.Dense, HeadDim * _f.Heads, E);
                Norm(blk + "ffn_norm.weight");
                if ((i + 1) % 2 == 0)
                {
                    RoutedExperts(blk, _f.ExpertFeedForward);
                    SharedExpert(blk, _f.ExpertFeedForward);
                }
                else DenseFfn(blk, _f.FeedForward);
            }
        }

        public void Qwen3()
        {
            RmsEps();
            Embeddings(tied: true); // the small Qwen3 models tie the output to the embedding
            for (var i = 0; i < _f.Layers; i++)
            {
                var blk = $"blk.{i}.";
                Norm(blk + "attn_norm.weight");
                Qkv(blk, HeadDim * _f.Heads, Kv);
                T(blk + "attn_output.weight", TensorRole.Dense, HeadDim * _f.Heads, E);
                Norm(blk + "attn_k_norm.weight", HeadDim);
                Norm(blk + "attn_q_norm.weight", HeadDim);
                Norm(blk + "ffn_norm.weight");
                DenseFfn(blk, _f.FeedForward);
            }
        }

        public void Qwen3Moe()
        {
            RmsEps();
            U("expert_feed_forward_length", _f.ExpertFeedForward);
            Embeddings(tied: false);
            for (var i = 0; i < _f.Layers; i++)
            {
                var blk = $"blk.{i}.";
                Norm(blk + "attn_norm.weight");
                Qkv(blk, HeadDim * _f.Heads, Kv);
                T(blk + "attn_output.weight", TensorRole.Dense, HeadDim * _f.Heads, E);
                Norm(blk + "attn_k_norm.weight", HeadDim);
                Norm(blk + "attn_q_norm.weight", HeadDim);
                Norm(blk + "ffn_norm.weight");
                RoutedExperts(blk, _f.ExpertFeedForward);
            }
        }

        // DeepSeek V3/R1 and Kimi K2 alike: multi-head latent attention (MLA) stored as the converter writes it
        // (key_length = kv_lora_rank + rope dims, one KV head, the decompression split into k_b and v_b), a leading
        // dense layer, then routed experts with a shared one and sigmoid gating with a correction bias.
        public void DeepSeek2()
        {
            const int qLora = 32, kvLora = 32, rope = 8, nope = 16, vHead = 16;
            RmsEps();
            U("leading_dense_block_count", 1);
            U("attention.q_lora_rank", qLora);
            U("attention.kv_lora_rank", kvLora);
            U("attention.key_length", kvLora + rope);
            U("attention.value_length", kvLora);
            U("attention.key_length_mla", nope + rope);
            U("attention.value_length_mla", vHead);
            U("rope.dimension_count", rope);
            U("expert_feed_forward_length", _f.ExpertFeedForward);
            U("expert_shared_count", _f.SharedExperts);
            Writer.Add(Key("expert_weights_scale"), 2.5f);
            Writer.Add(Key("expert_weights_norm"), true);
            U("expert_gating_func", 2); // sigmoid
            Embeddings(tied: false);
            var h = _f.Heads;
            for (var i = 0; i < _f.Layers; i++)
            {
                var blk = $"blk.{i}.";
                Norm(blk + "attn_norm.weight");
                Norm(blk + "attn_q_a_norm.weight", qLora);
                Norm(blk + "attn_kv_a_norm.weight", kvLora);
                T(blk + "attn_q_a.weight", TensorRole.Dense, E, qLora);
                T(blk + "attn_q_b.weight", TensorRole.Dense, qLora, h * (nope + rope));
                T(blk + "attn_kv_a_mqa.weight", TensorRole.Dense, E, kvLora + rope);
                T(blk + "attn_k_b.weight", TensorRole.Dense, nope, kvLora, h);
                T(blk + "attn_v_b.weight", TensorRole.Dense, kvLora, vHead, h);
                T(blk + "attn_output.weight", TensorRole.Dense, h * vHead, E);
                Norm(blk + "ffn_norm.weight");
                if (i == 0) DenseFfn(blk, _f.FeedForward);
                else
                {
                    RoutedExperts(blk, _f.ExpertFeedForward);
                    T(blk + "exp_probs_b.bias", TensorRole.Dense, _f.Experts);
                    SharedExpert(blk, _f.ExpertFeedForward * _f.SharedExperts);
                }
            }
        }

        public void Gemma3()
        {
            RmsEps();
            Writer.Add(Key("rope.freq_base_swa"), 10000f);
            Embeddings(tied: true); // Gemma ties the output to the embedding
            for (var i = 0; i < _f.Layers; i++)
            {
                var blk = $"blk.{i}.";
                Norm(blk + "attn_norm.weight");
                Qkv(blk, HeadDim * _f.Heads, Kv);
                T(blk + "attn_output.weight", TensorRole.Dense, HeadDim * _f.Heads, E);
                Norm(blk + "post_attention_norm.weight");
                Norm(blk + "attn_k_norm.weight", HeadDim);
                Norm(blk + "attn_q_norm.weight", HeadDim);
                Norm(blk + "ffn_norm.weight");
                DenseFfn(blk, _f.FeedForward);
                Norm(blk + "post_ffw_norm.weight");
            }
        }

        // Phi-4 converts to phi3: fused QKV, and ffn_up holds gate and up side by side (2 × n_ff).
        public void Phi3()
        {
            RmsEps();
            U("rope.dimension_count", HeadDim);
            Embeddings(tied: false);
            for (var i = 0; i < _f.Layers; i++)
            {
                var blk = $"blk.{i}.";
                Norm(blk + "attn_norm.weight");
                T(blk + "attn_qkv.weight", TensorRole.Dense, E, E + 2 * Kv);
                T(blk + "attn_output.weight", TensorRole.Dense, E, E);
                Norm(blk + "ffn_norm.weight");
                T(blk + "ffn_down.weight", TensorRole.Dense, _f.FeedForward, E);
                T(blk + "ffn_up.weight", TensorRole.Dense, E, 2 * _f.FeedForward);
            }
        }

        // gpt-oss: biases everywhere, learned attention sinks, alternating sliding-window layers, routed experts only.
        public void GptOss()
        {
            RmsEps();
            U("expert_feed_forward_length", _f.ExpertFeedForward);
            Embeddings(tied: false);
            var q = _f.Heads * HeadDim;
            for (var i = 0; i < _f.Layers; i++)
            {
                var blk = $"blk.{i}.";
                Norm(blk + "attn_norm.weight");
                Norm(blk + "post_attention_norm.weight");
                Qkv(blk, q, Kv, bias: true);
                T(blk + "attn_output.weight", TensorRole.Dense, q, E);
                T(blk + "attn_sinks.weight", TensorRole.Dense, _f.Heads);
                RoutedExperts(blk, _f.ExpertFeedForward, bias: true);
                T(blk + "attn_output.bias", TensorRole.Dense, E);
            }
        }

        // Command R: one norm before attention and feed-forward run in parallel; the output is the embedding.
        public void CommandR()
        {
            Writer.Add(Key("attention.layer_norm_epsilon"), 1e-5f);
            Writer.Add(Key("logit_scale"), 0.0625f);
            Embeddings(tied: true);
            for (var i = 0; i < _f.Layers; i++)
            {
                var blk = $"blk.{i}.";
                Norm(blk + "attn_norm.weight");
                Qkv(blk, E, Kv);
                T(blk + "attn_output.weight", TensorRole.Dense, E, E);
                DenseFfn(blk, _f.FeedForward);
            }
        }

        // Grok 2: a dense MLP beside the routed experts in every layer, and extra norms around both.
        public void Grok()
        {
            RmsEps();
            U("expert_feed_forward_length", _f.ExpertFeedForward);
            Embeddings(tied: false);
            for (var i = 0; i < _f.Layers; i++)
            {
                var blk = $"blk.{i}.";
                Norm(blk + "attn_norm.weight");
                Qkv(blk, E, Kv);
                T(blk + "attn_output.weight", TensorRole.Dense, E, E);
                Norm(blk + "attn_output_norm.weight");
                Norm(blk + "ffn_norm.weight");
                DenseFfn(blk, _f.FeedForward);
                RoutedExperts(blk, _f.ExpertFeedForward);
                Norm(blk + "post_ffw_norm.weight");
            }
        }

        // Falcon 40B/180B ("new decoder architecture"): two layer norms with biases, fused QKV, a GELU MLP.
        public void Falcon()
        {
            Writer.Add(Key("attention.layer_norm_epsilon"), 1e-5f);
            T("token_embd.weight", TensorRole.Embedding, E, V);
            Norm("output_norm.weight");
            T("output_norm.bias", TensorRole.Dense, E);
            T("output.weight", TensorRole.Dense, E, V);
            for (var i = 0; i < _f.Layers; i++)
            {
                var blk = $"blk.{i}.";
                Norm(blk + "attn_norm.weight");
                T(blk + "attn_norm.bias", TensorRole.Dense, E);
                Norm(blk + "attn_norm_2.weight");
                T(blk + "attn_norm_2.bias", TensorRole.Dense, E);
                T(blk + "attn_qkv.weight", TensorRole.Dense, E, E + 2 * Kv);
                T(blk + "attn_output.weight", TensorRole.Dense, E, E);
                T(blk + "ffn_down.weight", TensorRole.Dense, _f.FeedForward, E);
                T(blk + "ffn_up.weight", TensorRole.Dense, E, _f.FeedForward);
            }
        }

        // ---- pieces ----

        private string Key(string suffix) => $"{_f.Architecture}.{suffix}";

        private void U(string suffix, int value) => Writer.Add(Key(suffix), (uint)value);

        private void RmsEps() => Writer.Add(Key("attention.layer_norm_rms_epsilon"), 1e-5f);

        private void Embeddings(bool tied)
        {
            T("token_embd.weight", TensorRole.Embedding, E, V);
            Norm("output_norm.weight");
            if (!tied) T("output.weight", TensorRole.Dense, E, V);
        }

        private void Qkv(string blk, int q, int kv, bool bias = false)
        {
            T(blk + "attn_q.weight", TensorRole.Dense, E, q);
            T(blk + "attn_k.weight", TensorRole.Dense, E, kv);
            T(blk + "attn_v.weight", TensorRole.Dense, E, kv);
            if (!bias) return;
            T(blk + "attn_q.bias", TensorRole.Dense, q);
            T(blk + "attn_k.bias", TensorRole.Dense, kv);
            T(blk + "attn_v.bias", TensorRole.Dense, kv);
        }

        private void DenseFfn(string blk, int ff)
        {
            T(blk + "ffn_gate.weight", TensorRole.Dense, E, ff);
            T(blk + "ffn_down.weight", TensorRole.Dense, ff, E);
            T(blk + "ffn_up.weight", TensorRole.Dense, E, ff);
        }

        // The router stays dense (every token reads it); each expert is one slice of the 3-D tensors' last dimension.
        private void RoutedExperts(string blk, int ff, bool bias = false)
        {
            var n = _f.Experts;
            T(blk + "ffn_gate_inp.weight", TensorRole.Dense, E, n);
            T(blk + "ffn_gate_exps.weight", TensorRole.Expert, E, ff, n);
            T(blk + "ffn_down_exps.weight", TensorRole.Expert, ff, E, n);
            T(blk + "ffn_up_exps.weight", TensorRole.Expert, E, ff, n);
            if (!bias) return;
            T(blk + "ffn_gate_inp.bias", TensorRole.Dense, n);
            T(blk + "ffn_gate_exps.bias", TensorRole.Expert, ff, n);
            T(blk + "ffn_down_exps.bias", TensorRole.Expert, E, n);
            T(blk + "ffn_up_exps.bias", TensorRole.Expert, ff, n);
        }

        private void SharedExpert(string blk, int ff)
        {
            T(blk + "ffn_gate_shexp.weight", TensorRole.Dense, E, ff);
            T(blk + "ffn_down_shexp.weight", TensorRole.Dense, ff, E);
            T(blk + "ffn_up_shexp.weight", TensorRole.Dense, E, ff);
        }

        private void Norm(string name, int? length = null)
        {
            var n = length ?? E;
            Writer.AddTensor(name, GgmlType.F32, [n], TinyLlama.Ones(n));
            _tensors.Add(new WrittenTensor(name, [n], GgmlType.F32, TensorRole.Dense));
        }

        private void T(string name, TensorRole role, params long[] dims)
        {
            var type = _f.F16 && dims.Length >= 2 ? GgmlType.F16 : GgmlType.F32;
            var elements = (int)dims.Aggregate(1L, (a, d) => a * d);
            Writer.AddTensor(name, type, dims, TinyLlama.Weights(_random, type, elements));
            _tensors.Add(new WrittenTensor(name, dims, type, role));
        }
    }
}
