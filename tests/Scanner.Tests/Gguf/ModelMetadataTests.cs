using Governance.Scanner.Gguf;
using Governance.Scanner.Tests.TestModels;

namespace Governance.Scanner.Tests.Gguf;

public sealed class ModelMetadataTests
{
    private static ModelMetadata Read(TinyLlamaOptions options) =>
        ModelMetadata.From(GgufReader.Read(new MemoryStream(TinyLlama.Build(options).ToArray())));

    [Fact]
    public void identity_license_and_lineage_come_from_the_general_keys()
    {
        var m = Read(new TinyLlamaOptions
        {
            Name = "Acme Support 8B",
            Organization = "Acme",
            Finetune = "Instruct",
            SizeLabel = "8B",
            License = "other",
            LicenseName = "llama3.1",
            LicenseLink = "https://llama.meta.com/llama3_1/license/",
            BaseModels =
            [
                new BaseModel("Llama 3.1 8B Instruct", "Meta Llama", "https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct"),
                new BaseModel("Qwen2.5 7B", null, null),
            ],
        });

        Assert.Equal("llama", m.Architecture);
        Assert.Equal("Acme Support 8B", m.Name);
        Assert.Equal("Acme", m.Organization);
        Assert.Equal("Instruct", m.Finetune);
        Assert.Equal("8B", m.SizeLabel);
        Assert.Equal("other", m.License);
        Assert.Equal("llama3.1", m.LicenseName);
        Assert.Equal("https://llama.meta.com/llama3_1/license/", m.LicenseLink);
        Assert.Equal(
            [
                new BaseModel("Llama 3.1 8B Instruct", "Meta Llama", "https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct"),
                new BaseModel("Qwen2.5 7B", null, null),
            ],
            m.BaseModels);
    }

    [Fact]
    public void size_context_and_quantization_come_from_the_architecture_keys_and_tensors()
    {
        var options = new TinyLlamaOptions { F16 = true, Context = 512 };

        var m = Read(options);

        Assert.Equal(TinyLlama.ParameterCount(options), m.ParameterCount);
        Assert.Equal(512, m.ContextLength);
        Assert.Equal(1u, m.FileTypeId);
        Assert.Equal("MOSTLY_F16", m.FileType);
        Assert.Equal([("F16", 2 + 7 * options.Layers), ("F32", 1 + 2 * options.Layers)], m.TensorTypes.Select(kv => (kv.Key, kv.Value)));
    }

    [Fact]
    public void a_file_that_names_nothing_leaves_every_claim_empty()
    {
        var m = ModelMetadata.From(GgufReader.Read(new MemoryStream(new GgufWriter().ToArray())));

        Assert.Null(m.Architecture);
        Assert.Null(m.Name);
        Assert.Null(m.License);
        Assert.Null(m.ContextLength);
        Assert.Null(m.FileType);
        Assert.Empty(m.BaseModels);
        Assert.Empty(m.TensorTypes);
        Assert.Equal(0, m.ParameterCount);
    }

    [Fact]
    public void a_hostile_base_model_count_does_not_drive_the_extraction()
    {
        var bytes = new GgufWriter().Add("general.base_model.count", GgufValueType.UInt64, ulong.MaxValue).ToArray();

        var m = ModelMetadata.From(GgufReader.Read(new MemoryStream(bytes)));

        Assert.Empty(m.BaseModels);
    }

    [Theory]
    [InlineData(0u, "ALL_F32")]
    [InlineData(1u, "MOSTLY_F16")]
    [InlineData(7u, "MOSTLY_Q8_0")]
    [InlineData(15u, "MOSTLY_Q4_K_M")]
    [InlineData(18u, "MOSTLY_Q6_K")]
    [InlineData(32u, "MOSTLY_BF16")]
    [InlineData(38u, "MOSTLY_MXFP4_MOE")]
    [InlineData(41u, "MOSTLY_Q2_0")]
    [InlineData(1024u + 15u, "MOSTLY_Q4_K_M (guessed)")]
    [InlineData(42u, null)]
    public void file_types_are_named_as_llama_h_names_them(uint id, string? name) =>
        Assert.Equal(name, ModelMetadata.FileTypeName(id));
}
