namespace Governance.Scanner.Gguf;

/// <summary>How a model attends, from its hyper-parameters. The predicate spells these in lower case.</summary>
internal enum AttentionKind
{
    /// <summary>As many key/value heads as query heads.</summary>
    Mha,
    /// <summary>Grouped-query: fewer key/value heads, each shared by a group of query heads.</summary>
    Gqa,
    /// <summary>Multi-query: one key/value head.</summary>
    Mqa,
    /// <summary>DeepSeek's multi-head latent attention: keys and values cached as one compressed latent (kv_lora_rank).</summary>
    Mla,
}

/// <summary>
/// The shape of a model as its GGUF header states it: layers, heads, experts, attention, and from the tensor infos the
/// parameters and bytes in total and per generated token. A mixture-of-experts model routes each token through
/// <see cref="ExpertsUsed"/> of <see cref="Experts"/> experts; its expert tensors (<c>blk.N.ffn_*_exps</c>, experts
/// along the last dimension) count at used ÷ total in <see cref="ActiveParameters"/> and <see cref="BytesReadPerToken"/>,
/// while attention, the router, shared experts and norms count in full.
/// </summary>
internal sealed record ModelShape
{
    public int? Layers { get; init; }
    public long? EmbeddingLength { get; init; }
    public int? Heads { get; init; }
    public int? KvHeads { get; init; }
    public AttentionKind? Attention { get; init; }
    /// <summary><c>{arch}.attention.sliding_window</c> when positive: some or all layers attend to this many tokens only.</summary>
    public long? SlidingWindow { get; init; }
    public int? Experts { get; init; }
    /// <summary>Experts routed per token; the largest value when the file gives one per layer.</summary>
    public int? ExpertsUsed { get; init; }
    public int? SharedExperts { get; init; }

    /// <summary>Every tensor's elements.</summary>
    public long Parameters { get; init; }
    /// <summary>Parameters one token goes through: expert tensors at experts-used ÷ experts.</summary>
    public long ActiveParameters { get; init; }
    /// <summary>Every tensor's bytes (what a device must hold).</summary>
    public long WeightBytes { get; init; }
    /// <summary>
    /// Weight bytes one generated token reads: dense tensors in full, expert tensors at used ÷ total, and the token
    /// embedding as one row when a separate output matrix exists (llama.cpp gathers one row per token and keeps the
    /// matrix in host memory), in full when it doubles as the output matrix.
    /// </summary>
    public long BytesReadPerToken { get; init; }

    public bool IsMixtureOfExperts => Experts is > 0 && ExpertsUsed is > 0;

    /// <summary>The predicate's spelling of <see cref="Attention"/>: <c>mha</c>, <c>gqa</c>, <c>mqa</c>, <c>mla</c>.</summary>
    public string? AttentionName => NameOf(Attention);

    // More layers than any real model (llama.cpp's LLAMA_MAX_LAYERS is 512); a hostile count must not drive a long loop.
    private const int MaxLayers = 4096;

    public static ModelShape From(GgufFile file, string? architecture)
    {
        ArgumentNullException.ThrowIfNull(file);
        long? Int(string suffix) => architecture is null ? null : file.GetInteger($"{architecture}.{suffix}");

        var layers = Positive(Int("block_count"));
        var heads = PerLayerMax(file, architecture, "attention.head_count");
        var kvHeads = PerLayerMax(file, architecture, "attention.head_count_kv") ?? heads; // llama.cpp: n_head_kv defaults to n_head
        var experts = Positive(Int("expert_count"));
        var used = UsedPerLayer(file, architecture);
        var maxUsed = used.Max is > 0 ? used.Max : null;

        var attention = AttentionOf(Int("attention.kv_lora_rank"), heads, kvHeads);

        long parameters = 0, active = 0, bytes = 0, perToken = 0;
        var tiedOutput = !file.Tensors.Any(t => t.Name == "output.weight");
        foreach (var tensor in file.Tensors)
        {
            parameters += tensor.ElementCount;
            bytes += tensor.ByteSize;
            if (experts is { } n && ExpertLayer(tensor, n) is { } layer && (used.For(layer) ?? maxUsed) is { } k and > 0 && k <= n)
            {
                // Experts are the last dimension, so each is exactly 1/n of the tensor.
                active += tensor.ElementCount / n * k;
                perToken += tensor.ByteSize / n * k;
                continue;
            }
            active += tensor.ElementCount;
            perToken += tensor.Name == "token_embd.weight" && !tiedOutput && tensor.Dimensions.Count == 2 && tensor.Dimensions[1] > 0
                ? tensor.ByteSize / tensor.Dimensions[1]
                : tensor.ByteSize;
        }

        return new ModelShape
        {
            Layers = layers is { } l ? (int)Math.Min(l, int.MaxValue) : null,
            EmbeddingLength = Positive(Int("embedding_length")),
            Heads = heads,
            KvHeads = kvHeads,
            Attention = attention,
            SlidingWindow = Positive(Int("attention.sliding_window")),
            Experts = experts is { } e ? (int)Math.Min(e, int.MaxValue) : null,
            ExpertsUsed = maxUsed,
            SharedExperts = Int("expert_shared_count") is { } s and >= 0 ? (int)Math.Min(s, int.MaxValue) : null,
            Parameters = parameters,
            ActiveParameters = active,
            WeightBytes = bytes,
            BytesReadPerToken = perToken,
        };
    }

    /// <summary>The attention a model has, from its latent rank (DeepSeek's MLA) or its query and key/value head counts.</summary>
    public static AttentionKind? AttentionOf(long? kvLoraRank, int? heads, int? kvHeads) =>
        kvLoraRank is > 0 ? AttentionKind.Mla
        : heads is not > 0 ? null
        : (kvHeads ?? heads) == heads ? AttentionKind.Mha
        : kvHeads == 1 ? AttentionKind.Mqa
        : AttentionKind.Gqa;

    /// <summary>The predicate's spelling of an <see cref="AttentionKind"/>.</summary>
    public static string? NameOf(AttentionKind? kind) => kind?.ToString().ToLowerInvariant();

    /// <summary>The layer of a routed-expert tensor (<c>blk.N.…_exps.weight|bias</c> whose last dimension is the expert count), else null.</summary>
    private static int? ExpertLayer(GgufTensorInfo tensor, long experts)
    {
        var name = tensor.Name.AsSpan();
        if (!name.StartsWith("blk.") || tensor.Dimensions.Count < 2 || tensor.Dimensions[^1] != experts) return null;
        var rest = name[4..];
        var dot = rest.IndexOf('.');
        if (dot <= 0 || !int.TryParse(rest[..dot], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var layer)) return null;
        var tail = rest[(dot + 1)..];
        var suffix = tail.LastIndexOf('.');
        return suffix > 0 && tail[..suffix].EndsWith("_exps", StringComparison.Ordinal) ? layer : null;
    }

    private static long? Positive(long? value) => value is > 0 ? value : null;

    // A key llama.cpp reads with get_key_or_arr: one number, or one per layer.
    private static int? PerLayerMax(GgufFile file, string? architecture, string suffix) =>
        architecture is not null && MaxInteger(file, $"{architecture}.{suffix}") is > 0 and var max ? (int)Math.Min(max, int.MaxValue) : null;

    /// <summary>The value of an integer key, or the largest element when it is an array of integers (one per layer).</summary>
    public static long? MaxInteger(GgufFile file, string key)
    {
        if (!file.Metadata.TryGetValue(key, out var value)) return null;
        return value.AsInteger() ?? Integers(value).Cast<long?>().DefaultIfEmpty(null).Max();
    }

    private static UsedCounts UsedPerLayer(GgufFile file, string? architecture)
    {
        if (architecture is null || !file.Metadata.TryGetValue($"{architecture}.expert_used_count", out var value)) return new UsedCounts(null, []);
        if (value.AsInteger() is { } single) return new UsedCounts(single > 0 ? (int)Math.Min(single, int.MaxValue) : null, []);
        var perLayer = Integers(value).Take(MaxLayers).Select(v => (int)Math.Clamp(v, 0, int.MaxValue)).ToArray();
        return new UsedCounts(null, perLayer);
    }

    private static IEnumerable<long> Integers(GgufValue value) =>
        value.AsArray() is { } array
            ? array.Items.Cast<object>().Select(item => new GgufValue(array.ElementType, item).AsInteger()).OfType<long>()
            : [];

    private sealed record UsedCounts(int? Single, int[] PerLayer)
    {
        public int? Max => Single ?? (PerLayer.Length > 0 ? PerLayer.Max() : null);

        public int? For(int layer) => Single ?? (layer < PerLayer.Length ? PerLayer[layer] : null);
    }
}
