using Governance.Attestations;
using Governance.Scanner.Gguf;
using Governance.Scanner.Host;
using Governance.Scanner.Measurement;
using Governance.Scanner.Signing;
using Governance.Scanner.Tests.Measurement;
using Governance.Scanner.Tests.TestModels;

namespace Governance.Scanner.Tests.Host;

/// <summary>
/// Every family the company deploys, as a tiny random-weight model of the llama.cpp architecture it converts to: written,
/// hashed, inspected, loaded and measured by the real llama.cpp, signed, and read back from the envelope.
/// </summary>
[Collection(SerialNative.Name)]
public sealed class FamilyScanTests(ModelFolder models) : IClassFixture<ModelFolder>
{
    private static readonly BenchSettings Quick = new() { PromptTokens = 32, GenerateTokens = 8, Repetitions = 2, Threads = 2, ContextLength = 256 };
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Families => new(TinyFamilies.All.Select(f => f.Family));

    [Theory]
    [MemberData(nameof(Families))]
    public async Task each_family_is_generated_hashed_inspected_loaded_measured_and_signed_with_the_shape_it_was_written_with(string family)
    {
        var f = TinyFamilies.ByName(family);
        var model = TinyFamilies.Build(f);
        var dir = Directory.CreateDirectory(Path.Combine(models.Dir, new string(family.Where(char.IsLetterOrDigit).ToArray()))).FullName;
        var path = Path.Combine(dir, "model-f32.gguf");
        model.Write(path);
        var projector = f.VisionProjector is null ? null : Path.Combine(dir, "mmproj-model-f16.gguf");
        if (projector is not null) TinyFamilies.VisionProjector(f).Write(projector);
        var sha = ModelFolder.Sha256(path);

        // Inspect: what the header says, before llama.cpp sees the file.
        var meta = ModelMetadata.From(GgufReader.Read(path));
        Assert.Equal(f.Architecture, meta.Architecture);
        Assert.Equal(model.Parameters, meta.ParameterCount);
        Assert.Equal(f.Context, meta.ContextLength);
        Assert.Equal(model.ActiveParameters, meta.Shape.ActiveParameters);
        Assert.Equal(f.Attention, meta.Shape.AttentionName);

        var deployment = Guid.CreateVersion7();
        using var key = ScannerKey.LoadOrCreate(Path.Combine(models.Dir, "keys", "scanner-key.pem"));
        var outcome = await new ScanPipeline(key, new FixedClock(Now)).ScanAsync(
            new ScanRequest { Path = path, DeploymentId = deployment, RegisteredSha256 = sha, Bench = Quick });

        Assert.True(outcome.Envelope is not null, outcome.RefusedBecause);
        var m = outcome.Measurement!;
        Assert.Equal(model.Parameters, m.Parameters); // llama_model_n_params: llama.cpp loaded every tensor written
        Assert.Equal(model.Tensors.Sum(t => t.Bytes), m.ModelBytes);
        Assert.Equal(["pp32", "tg8"], m.Throughput.Select(t => t.Test));
        Assert.All(m.Throughput, t => Assert.All(t.SamplesTokensPerSecond, s => Assert.True(s > 0)));

        var verdict = Attestation.Verify(Attestation.ToJson(outcome.Envelope), key.PublicKeyPem);
        Assert.True(verdict.Valid, verdict.Reason);
        var p = verdict.Statement!.Predicate;
        Assert.Equal((deployment, sha), (p.DeploymentId, p.Artifact.Sha256));
        Assert.Equal(f.Architecture, p.Metadata.Architecture);
        Assert.Equal((f.Name, f.License), (p.Metadata.Name, p.Metadata.License));
        Assert.Equal(model.Parameters, p.Metadata.Parameters);
        Assert.Equal(model.ActiveParameters, p.Metadata.ActiveParameters);
        Assert.Equal(f.Layers, p.Metadata.Layers);
        Assert.Equal(f.Attention, p.Metadata.Attention);
        Assert.Equal(f.SlidingWindow, p.Metadata.SlidingWindow);
        if (f.Experts == 0)
        {
            Assert.Null(p.Metadata.Experts);
            Assert.Equal(model.Parameters, p.Metadata.ActiveParameters);
        }
        else
        {
            Assert.Equal(f.Experts, p.Metadata.Experts!.Count);
            Assert.Equal(f.ExpertsUsed, p.Metadata.Experts.Used);
            // Only DeepSeek's converter writes expert_shared_count; Llama 4's shared expert is in its tensors alone.
            Assert.Equal(f.Architecture == "deepseek2" ? f.SharedExperts : null, p.Metadata.Experts.Shared);
            Assert.True(p.Metadata.ActiveParameters < p.Metadata.Parameters);
        }
        Assert.Equal(model.BytesReadPerToken, p.Footprint.BytesReadPerToken);
        Assert.Equal(BytesPerTokenBasis.ActiveWeights, p.Footprint.BytesReadPerTokenBasis);
        Assert.True(p.Footprint.DeviceBytes.KvCache > 0);

        if (projector is null)
            Assert.Null(p.Metadata.Vision);
        else
        {
            var vision = p.Metadata.Vision!;
            Assert.Equal(("mmproj-model-f16.gguf", f.VisionProjector, TinyFamilies.VisionProjectorParameters()), (vision.File, vision.ProjectorType, vision.Parameters));
            Assert.Equal(ModelFolder.Sha256(projector), vision.Sha256);
            Assert.Equal(new FileInfo(projector).Length, vision.SizeBytes);
        }
    }
}
