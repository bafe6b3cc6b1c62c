using System.Text.Json;

namespace Governance.Scanner.Hub;

/// <summary>
/// What a transformers <c>config.json</c> says about the model's shape. Multimodal configs (Gemma 3, Llama 4,
/// Mistral 3) keep the language model's numbers under <c>text_config</c>; those win over the top level. Key names
/// differ by family (experts: <c>num_local_experts</c> Mixtral/gpt-oss, <c>num_experts</c> Qwen, <c>n_routed_experts</c>
/// DeepSeek/Kimi); every spelling in use is read. Every field is what the file claims; absent keys stay null.
/// </summary>
internal sealed record HubConfig(
    string? Architecture,
    string? ModelType,
    string? Dtype,
    long? ContextLength,
    int? Layers,
    long? HiddenSize,
    int? Heads,
    int? KvHeads,
    long? KvLoraRank,
    long? SlidingWindow,
    int? Experts,
    int? ExpertsUsed,
    int? SharedExperts,
    bool HasVision)
{
    public const int MaxBytes = 1024 * 1024;

    internal sealed class HubConfigFormatException(string message) : Exception(message);

    public static HubConfig Parse(ReadOnlySpan<byte> json)
    {
        if (json.Length > MaxBytes) throw new HubConfigFormatException($"config.json is {json.Length} bytes; more than {MaxBytes} is not a configuration");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 16, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new HubConfigFormatException($"config.json is not JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new HubConfigFormatException("config.json is not a JSON object");
            var text = root.TryGetProperty("text_config", out var t) && t.ValueKind == JsonValueKind.Object ? t : (JsonElement?)null;

            string? Str(params string[] keys) => First(keys, (e, k) => e.TryGetProperty(k, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null);
            long? Num(params string[] keys) => First(keys, (e, k) => e.TryGetProperty(k, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n >= 0 ? n : (long?)null);
            T? First<T>(string[] keys, Func<JsonElement, string, T?> read)
            {
                foreach (var scope in text is { } inner ? new[] { inner, root } : [root])
                    foreach (var key in keys)
                        if (read(scope, key) is { } value) return value;
                return default;
            }
            int? Int(params string[] keys) => Num(keys) is { } n ? (int)Math.Min(n, int.MaxValue) : null;

            string? architecture = null;
            if (root.TryGetProperty("architectures", out var archs) && archs.ValueKind == JsonValueKind.Array && archs.GetArrayLength() > 0 && archs[0].ValueKind == JsonValueKind.String)
                architecture = archs[0].GetString();

            var heads = Int("num_attention_heads", "n_head", "num_heads");
            return new HubConfig(
                architecture,
                Str("model_type"),
                Str("torch_dtype", "dtype"),
                Num("max_position_embeddings", "n_positions", "seq_length", "max_sequence_length"),
                Int("num_hidden_layers", "n_layer", "num_layers"),
                Num("hidden_size", "n_embd", "d_model"),
                heads,
                Int("num_key_value_heads", "n_head_kv", "num_kv_heads", "multi_query_group_num") ?? heads,
                Num("kv_lora_rank"),
                Num("sliding_window") is > 0 and var w ? w : null,
                Int("num_local_experts", "num_experts", "n_routed_experts", "moe_num_experts", "num_routed_experts") is > 0 and var e ? e : null,
                Int("num_experts_per_tok", "experts_per_token", "num_experts_per_token", "moe_k", "moe_top_k") is > 0 and var k ? k : null,
                Int("n_shared_experts", "num_shared_experts", "shared_expert_count"),
                root.TryGetProperty("vision_config", out var vision) && vision.ValueKind == JsonValueKind.Object);
        }
    }
}
