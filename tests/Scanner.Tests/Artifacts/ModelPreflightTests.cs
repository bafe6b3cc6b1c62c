using Governance.Attestations;
using Governance.Scanner.Artifacts;
using Governance.Scanner.Gguf;
using Governance.Scanner.Tests.TestModels;

namespace Governance.Scanner.Tests.Artifacts;

public sealed class ModelPreflightTests
{
    private static ScanFailure? Check(GgufWriter w) => ModelPreflight.Check(GgufReader.Read(new MemoryStream(w.ToArray())), "model.gguf");

    private static GgufWriter Model(string architecture = "qwen3moe", uint layers = 2) =>
        new GgufWriter().Add("general.architecture", architecture).Add($"{architecture}.block_count", layers);

    [Fact]
    public void every_family_the_company_deploys_passes()
    {
        foreach (var family in TinyFamilies.All)
            Assert.Null(Check(TinyFamilies.Build(family).Writer));
    }

    [Fact]
    public void llama_3_2_vision_is_refused_as_an_architecture_llama_cpp_cannot_run_and_says_why()
    {
        var failure = Check(Model("mllama"));

        Assert.NotNull(failure);
        Assert.Equal(ScanFailureCodes.ArchitectureUnsupported, failure.Code);
        Assert.Equal(("model.gguf", "mllama", "v0.5.0"), (failure.Facts["file"], failure.Facts["architecture"], failure.Facts["llamaCpp"]));
        Assert.Contains("cross-attention", failure.Facts["reason"]);
        Assert.Contains("'mllama'", failure.Message);
    }

    public static TheoryData<string> KnownUnsupported => new(LlamaArchitectures.KnownUnsupported.Keys);

    [Theory]
    [MemberData(nameof(KnownUnsupported))]
    public void every_deployed_family_llama_cpp_cannot_run_is_refused_with_its_own_reason(string architecture)
    {
        var failure = Check(Model(architecture));

        Assert.Equal(ScanFailureCodes.ArchitectureUnsupported, failure?.Code);
        Assert.Equal(LlamaArchitectures.KnownUnsupported[architecture], failure!.Facts["reason"]);
    }

    [Fact]
    public void an_architecture_no_release_knows_is_refused_with_the_generic_reason()
    {
        var failure = Check(Model("llama7"));

        Assert.Equal(ScanFailureCodes.ArchitectureUnsupported, failure?.Code);
        Assert.Contains("src/llama-arch.cpp", failure!.Facts["reason"]);
    }

    [Fact]
    public void a_projector_file_given_as_the_model_is_refused()
    {
        var failure = Check(TinyFamilies.VisionProjector(TinyFamilies.Gemma3));

        Assert.Equal(ScanFailureCodes.ArchitectureUnsupported, failure?.Code);
        Assert.Contains("projector", failure!.Message);
    }

    [Fact]
    public void a_file_without_an_architecture_is_unreadable()
    {
        Assert.Equal(ScanFailureCodes.ArtifactUnreadable, Check(new GgufWriter())?.Code);
    }

    // Each of these reaches a GGML_ASSERT in llama_model_base::load_hparams, which aborts the process.
    private static readonly Dictionary<string, Func<GgufWriter, GgufWriter>> Aborting = new()
    {
        { "no layers", _ => Model(layers: 0) },
        { "more layers than llama.cpp holds", _ => Model(layers: 513) },
        { "nextn_predict_layers", w => w.Add("qwen3moe.nextn_predict_layers", 3u) },
        { "more experts used than exist", w => w.Add("qwen3moe.expert_count", 4u).Add("qwen3moe.expert_used_count", 8u) },
        { "experts but none used", w => w.Add("qwen3moe.expert_count", 4u) },
        { "used experts without experts", w => w.Add("qwen3moe.expert_used_count", 2u) },
        { "too many experts", w => w.Add("qwen3moe.expert_count", 4096u).Add("qwen3moe.expert_used_count", 8u) },
        { "per-layer used above the count", w => w.Add("qwen3moe.expert_count", 4u).AddArray("qwen3moe.expert_used_count", GgufValueType.UInt32, new uint[] { 2, 5 }) },
        { "groups not dividing experts", w => w.Add("qwen3moe.expert_count", 8u).Add("qwen3moe.expert_used_count", 2u).Add("qwen3moe.expert_group_count", 3u).Add("qwen3moe.expert_group_used_count", 1u) },
        { "all groups used", w => w.Add("qwen3moe.expert_count", 8u).Add("qwen3moe.expert_used_count", 2u).Add("qwen3moe.expert_group_count", 4u).Add("qwen3moe.expert_group_used_count", 4u) },
    };

    public static TheoryData<string> WouldAbort => new(Aborting.Keys);

    [Theory]
    [MemberData(nameof(WouldAbort))]
    public void hyper_parameters_llama_cpp_would_abort_on_are_refused_as_unreadable(string why)
    {
        var failure = Check(Aborting[why](Model()));

        Assert.True(failure is not null, why);
        Assert.Equal(ScanFailureCodes.ArtifactUnreadable, failure.Code);
        Assert.Contains("qwen3moe.", failure.Facts["key"]);
    }

    [Fact]
    public void grouped_routing_inside_the_limits_passes()
    {
        Assert.Null(Check(Model().Add("qwen3moe.expert_count", 8u).Add("qwen3moe.expert_used_count", 2u)
            .Add("qwen3moe.expert_group_count", 4u).Add("qwen3moe.expert_group_used_count", 2u)));
    }
}
