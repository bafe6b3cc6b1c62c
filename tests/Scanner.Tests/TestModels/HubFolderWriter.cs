using System.Text.Json;

namespace Governance.Scanner.Tests.TestModels;

/// <summary>
/// Writes a model folder as the Hugging Face Hub ships one: two safetensors shards with their index, config.json,
/// tokenizer files, a model card with front matter, and a LICENSE. Small random tensors, Llama-shaped names.
/// </summary>
internal sealed record HubFolderWriter
{
    public string CardLicense { get; init; } = "apache-2.0";
    public IReadOnlyList<string> BaseModels { get; init; } = [];
    public string? LicenseText { get; init; }
    public string LicenseFileName { get; init; } = "LICENSE";
    public int Experts { get; init; }
    public int ExpertsUsed { get; init; }

    public string Write(string folder)
    {
        Directory.CreateDirectory(folder);
        var first = new SafetensorsWriter { Metadata = new() { ["format"] = "pt" } }
            .Add("model.embed_tokens.weight", "BF16", [64, 16], seed: 1)
            .Add("model.layers.0.self_attn.q_proj.weight", "BF16", [16, 16], seed: 2)
            .Add("model.layers.0.input_layernorm.weight", "BF16", [16], seed: 3);
        var second = new SafetensorsWriter { Metadata = new() { ["format"] = "pt" } }
            .Add("model.norm.weight", "BF16", [16], seed: 4)
            .Add("lm_head.weight", "BF16", [64, 16], seed: 5);
        for (var e = 0; e < Experts; e++)
            second.Add($"model.layers.0.mlp.experts.{e}.up_proj.weight", "BF16", [8, 16], seed: 10 + e);
        if (Experts > 0) second.Add("model.layers.0.mlp.shared_expert.up_proj.weight", "BF16", [8, 16], seed: 9);
        first.Write(Path.Combine(folder, "model-00001-of-00002.safetensors"));
        second.Write(Path.Combine(folder, "model-00002-of-00002.safetensors"));
        File.WriteAllText(Path.Combine(folder, "model.safetensors.index.json"), """{"metadata":{"total_size":4224},"weight_map":{}}""");

        var config = new Dictionary<string, object>
        {
            ["architectures"] = new[] { Experts > 0 ? "Qwen3MoeForCausalLM" : "LlamaForCausalLM" },
            ["model_type"] = Experts > 0 ? "qwen3_moe" : "llama",
            ["torch_dtype"] = "bfloat16",
            ["hidden_size"] = 16, ["num_hidden_layers"] = 1, ["num_attention_heads"] = 4, ["num_key_value_heads"] = 2,
            ["max_position_embeddings"] = 131072, ["vocab_size"] = 64,
        };
        if (Experts > 0)
        {
            config["num_experts"] = Experts;
            config["num_experts_per_tok"] = ExpertsUsed;
        }
        File.WriteAllText(Path.Combine(folder, "config.json"), JsonSerializer.Serialize(config));
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), """{"version":"1.0","model":{"type":"BPE","vocab":{}}}""");
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), """{"bos_token":"<|begin_of_text|>"}""");
        File.WriteAllText(Path.Combine(folder, "generation_config.json"), """{"do_sample":true}""");
        var bases = BaseModels.Count == 0 ? "" : "base_model:\n" + string.Concat(BaseModels.Select(b => $"- {b}\n")) + "base_model_relation: finetune\n";
        File.WriteAllText(Path.Combine(folder, "README.md"), $"---\nlicense: {CardLicense}\n{bases}library_name: transformers\n---\n\n# Acme Support 8B\n\nA fine-tune.\n");
        if (LicenseText is not null) File.WriteAllText(Path.Combine(folder, LicenseFileName), LicenseText);
        return folder;
    }

    /// <summary>Elements of every tensor written: the two shards, plus the experts.</summary>
    public long Parameters => 64 * 16 + 16 * 16 + 16 + 16 + 64 * 16 + (Experts > 0 ? (Experts + 1) * 8 * 16 : 0);

    public long ActiveParameters => Experts > 0 ? Parameters - Experts * 8 * 16 + ExpertsUsed * 8 * 16 : Parameters;
}
