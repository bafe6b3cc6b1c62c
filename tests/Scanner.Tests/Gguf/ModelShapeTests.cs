using Governance.Scanner.Gguf;
using Governance.Scanner.Tests.TestModels;

namespace Governance.Scanner.Tests.Gguf;

public sealed class ModelShapeTests
{
    private static ModelShape Read(GgufWriter w) =>
        ModelMetadata.From(GgufReader.Read(new MemoryStream(w.ToArray()))).Shape;

    private static byte[] Zeros(GgmlType type, params long[] dims) => new byte[GgufWriter.ByteSize(type, dims)];

    [Fact]
    public void a_dense_model_reads_every_weight_per_token_but_only_one_row_of_a_separate_embedding()
    {
        var model = TinyFamilies.Build(TinyFamilies.Llama31);

        var shape = Read(model.Writer);

        Assert.False(shape.IsMixtureOfExperts);
        Assert.Null(shape.Experts);
        Assert.Equal(shape.Parameters, shape.ActiveParameters);
        var embedding = model.Tensors.Single(t => t.Name == "token_embd.weight");
        Assert.Equal(shape.WeightBytes - embedding.Bytes + embedding.Bytes / TinyLlama.VocabSize, shape.BytesReadPerToken);
        Assert.Equal((2, 64L, 4, 2, AttentionKind.Gqa), (shape.Layers!.Value, shape.EmbeddingLength!.Value, shape.Heads!.Value, shape.KvHeads!.Value, shape.Attention!.Value));
    }

    [Fact]
    public void a_tied_embedding_is_the_output_matrix_too_and_is_read_in_full()
    {
        var model = TinyFamilies.Build(TinyFamilies.Qwen3);

        var shape = Read(model.Writer);

        Assert.DoesNotContain(model.Tensors, t => t.Name == "output.weight");
        Assert.Equal(shape.WeightBytes, shape.BytesReadPerToken);
    }

    [Fact]
    public void routed_experts_count_at_used_over_total_and_everything_else_in_full()
    {
        var model = TinyFamilies.Build(TinyFamilies.DeepSeekV3);

        var shape = Read(model.Writer);

        Assert.True(shape.IsMixtureOfExperts);
        Assert.Equal((8, 2, 1), (shape.Experts!.Value, shape.ExpertsUsed!.Value, shape.SharedExperts!.Value));
        Assert.Equal(AttentionKind.Mla, shape.Attention); // one KV head, but a compressed latent, not MQA
        // Independently of the scanner's name rules: the writer knows which tensors it wrote as routed experts.
        var experts = model.Tensors.Where(t => t.Role == TensorRole.Expert).ToList();
        Assert.Equal(3, experts.Count); // gate, up and down of the one routed layer (layer 0 is dense), all [.., .., 8]
        Assert.Equal(shape.Parameters - experts.Sum(t => t.Elements) * 6 / 8, shape.ActiveParameters);
        Assert.Equal(model.BytesReadPerToken, shape.BytesReadPerToken);
        Assert.True(shape.BytesReadPerToken < shape.WeightBytes - experts.Sum(t => t.Bytes) / 2);
    }

    [Fact]
    public void experts_used_per_layer_apply_to_their_own_layer()
    {
        var w = new GgufWriter()
            .Add("general.architecture", "qwen3moe")
            .Add("qwen3moe.block_count", 2u)
            .Add("qwen3moe.expert_count", 4u)
            .AddArray("qwen3moe.expert_used_count", GgufValueType.UInt32, new uint[] { 1, 3 })
            .AddTensor("blk.0.ffn_up_exps.weight", GgmlType.F32, [8, 4, 4], Zeros(GgmlType.F32, 8, 4, 4))
            .AddTensor("blk.1.ffn_up_exps.weight", GgmlType.F32, [8, 4, 4], Zeros(GgmlType.F32, 8, 4, 4));

        var shape = Read(w);

        Assert.Equal(3, shape.ExpertsUsed); // the largest, for the predicate
        Assert.Equal(128 / 4 * 1 + 128 / 4 * 3, shape.ActiveParameters);
        Assert.Equal((128 / 4 * 1 + 128 / 4 * 3) * 4, shape.BytesReadPerToken);
    }

    [Fact]
    public void a_tensor_is_an_expert_only_by_name_and_by_an_expert_count_last_dimension()
    {
        var w = new GgufWriter()
            .Add("general.architecture", "llama")
            .Add("llama.expert_count", 4u)
            .Add("llama.expert_used_count", 2u)
            .AddTensor("blk.0.ffn_up_exps.weight", GgmlType.F32, [8, 4, 4], Zeros(GgmlType.F32, 8, 4, 4))
            .AddTensor("blk.0.ffn_up_exps.weight.scale", GgmlType.F32, [4, 4], Zeros(GgmlType.F32, 4, 4))
            .AddTensor("blk.0.ffn_up.weight", GgmlType.F32, [8, 4], Zeros(GgmlType.F32, 8, 4))
            .AddTensor("blk.0.attn_k_b.weight", GgmlType.F32, [2, 2, 4], Zeros(GgmlType.F32, 2, 2, 4))
            .AddTensor("blk.x.ffn_down_exps.weight", GgmlType.F32, [8, 4, 4], Zeros(GgmlType.F32, 8, 4, 4));

        var shape = Read(w);

        Assert.Equal(128 / 2 + 16 + 32 + 16 + 128, shape.ActiveParameters);
    }

    [Theory]
    [InlineData(8u, 8u, "mha")]
    [InlineData(8u, 2u, "gqa")]
    [InlineData(8u, 1u, "mqa")]
    [InlineData(8u, null, "mha")] // llama.cpp: head_count_kv defaults to head_count
    public void attention_follows_the_head_counts(uint heads, uint? kvHeads, string kind)
    {
        var w = new GgufWriter().Add("general.architecture", "falcon").Add("falcon.attention.head_count", heads);
        if (kvHeads is { } kv) w.Add("falcon.attention.head_count_kv", kv);

        Assert.Equal(kind, Read(w).AttentionName);
    }

    [Fact]
    public void per_layer_head_counts_report_their_largest_and_a_window_only_when_positive()
    {
        var w = new GgufWriter()
            .Add("general.architecture", "deci")
            .AddArray("deci.attention.head_count", GgufValueType.Int32, new[] { 0, 32, 32 })
            .AddArray("deci.attention.head_count_kv", GgufValueType.Int32, new[] { 0, 8, 4 })
            .Add("deci.attention.sliding_window", 0u);

        var shape = Read(w);

        Assert.Equal((32, 8), (shape.Heads!.Value, shape.KvHeads!.Value));
        Assert.Null(shape.SlidingWindow);
    }

    [Fact]
    public void a_file_without_architecture_keys_has_no_shape_but_still_counts_its_tensors()
    {
        var w = new GgufWriter().AddTensor("t", GgmlType.F16, [32], Zeros(GgmlType.F16, 32));

        var shape = Read(w);

        Assert.Equal((null, null, null, null), (shape.Layers, shape.Heads, shape.Attention, shape.Experts));
        Assert.Equal((32, 32, 64, 64), (shape.Parameters, shape.ActiveParameters, shape.WeightBytes, shape.BytesReadPerToken));
    }
}
