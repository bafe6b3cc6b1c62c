using Governance.Scanner.Artifacts;
using Governance.Scanner.Host;
using Governance.Scanner.Measurement;
using Governance.Scanner.Signing;
using Governance.Scanner.Tests.Measurement;
using Governance.Scanner.Tests.TestModels;
using Governance.Scanner.Gguf;

namespace Governance.Scanner.Tests.Host;

[Collection(SerialNative.Name)]
public sealed class ScanPipelineTests(ModelFolder models) : IClassFixture<ModelFolder>
{
    private static readonly BenchSettings Quick = new() { PromptTokens = 32, GenerateTokens = 8, Repetitions = 2, Threads = 2, ContextLength = 128 };
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private ScanPipeline Pipeline(out ScannerKey key)
    {
        key = ScannerKey.LoadOrCreate(Path.Combine(models.Dir, "keys", "scanner-key.pem"));
        return new ScanPipeline(key, new FixedClock(Now));
    }

    [Fact]
    public async Task a_file_whose_digest_is_not_the_registered_one_is_reported_and_never_loaded_or_signed()
    {
        var path = models.Write("mismatch.gguf");
        var stages = new List<ScanStage>();

        var outcome = await Pipeline(out var key).ScanAsync(
            new ScanRequest { Path = path, RegisteredSha256 = "sha256:" + new string('A', 64), Bench = Quick },
            new InlineProgress<ScanProgress>(p => stages.Add(p.Stage)));
        key.Dispose();

        var finding = outcome.Failure;
        Assert.NotNull(finding);
        Assert.Equal(Attestations.ScanFailureCodes.ArtifactMismatch, finding.Code);
        Assert.Equal(ModelFolder.Sha256(path), finding.Facts["actualSha256"]);
        Assert.Null(outcome.Envelope);
        Assert.Null(outcome.Measurement);
        Assert.NotNull(outcome.RefusedBecause);
        Assert.DoesNotContain(ScanStage.Loading, stages);
    }

    [Fact]
    public async Task a_file_naming_another_license_is_measured_and_signed_with_what_it_says_for_the_evaluator_to_judge()
    {
        var path = models.Write("llama31.gguf", new TinyLlamaOptions { License = "llama3.1", Name = "Tiny 3.1" });
        var sha = ModelFolder.Sha256(path);
        var deployment = Guid.CreateVersion7();

        var outcome = await Pipeline(out var key).ScanAsync(new ScanRequest
        {
            Path = path, DeploymentId = deployment, RegisteredSha256 = sha.ToUpperInvariant(), Bench = Quick,
        });

        Assert.NotNull(outcome.Envelope);
        var verdict = Attestation.Verify(Attestation.ToJson(outcome.Envelope), key.PublicKeyPem);
        key.Dispose();
        Assert.True(verdict.Valid, verdict.Reason);
        var predicate = verdict.Statement!.Predicate;
        Assert.Equal(deployment, predicate.DeploymentId);
        Assert.Equal(Now, predicate.ScannedAt);
        Assert.Equal(("llama31.gguf", sha, new FileInfo(path).Length), (predicate.Artifact.Name, predicate.Artifact.Sha256, predicate.Artifact.SizeBytes));
        Assert.Equal(("llama", "Tiny 3.1", "llama3.1"), (predicate.Metadata.Architecture, predicate.Metadata.Name, predicate.Metadata.License));
        // The license-mismatch against a declared apache-2.0 is the evaluator's: Policies.Tests ArtifactJudgementTests.
        Assert.Empty(predicate.Findings);
        Assert.Equal(["pp32", "tg8"], predicate.Throughput.Select(t => t.Test));
        Assert.InRange(predicate.Footprint.ContextLength, 128, 256); // what llama.cpp allocated: it pads n_ctx up to 256
        Assert.True(predicate.Footprint.DeviceBytes.KvCache > 0);
        Assert.True(predicate.LoadSeconds > 0);
        Assert.Equal("cpu", predicate.Environment.Backend);
    }

    [Fact]
    public async Task a_file_the_gguf_reader_refuses_never_reaches_llama_cpp()
    {
        var path = Path.Combine(models.Dir, "garbage.gguf");
        File.WriteAllBytes(path, [.. "GGUF"u8, 3, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]);

        var outcome = await Pipeline(out var key).ScanAsync(new ScanRequest { Path = path, Bench = Quick });
        key.Dispose();

        Assert.Null(outcome.Envelope);
        Assert.Null(outcome.Measurement);
        Assert.Contains("GGUF", outcome.RefusedBecause);
    }

    [Fact]
    public async Task a_family_llama_cpp_cannot_run_is_refused_with_a_finding_and_never_loaded()
    {
        // Llama 3.2 Vision as Ollama converts it: a well-formed GGUF of an architecture v0.5.0 does not have.
        var path = Path.Combine(models.Dir, "llama-3.2-11b-vision.gguf");
        new GgufWriter().Add("general.architecture", "mllama").Add("general.name", "Llama 3.2 11B Vision Instruct")
            .Add("general.license", "llama3.2").Add("mllama.block_count", 40u)
            .AddTensor("token_embd.weight", GgmlType.F32, [4, 8], new byte[128]).Write(path);
        var stages = new List<ScanStage>();

        var outcome = await Pipeline(out var key).ScanAsync(new ScanRequest { Path = path, Bench = Quick }, new InlineProgress<ScanProgress>(p => stages.Add(p.Stage)));
        key.Dispose();

        Assert.Equal(Attestations.ScanFailureCodes.ArchitectureUnsupported, outcome.Failure?.Code);
        Assert.Equal("mllama", outcome.Failure!.Facts["architecture"]);
        Assert.Equal("llama3.2", outcome.Metadata?.License); // what it says is still known to the report
        Assert.Null(outcome.Measurement);
        Assert.Null(outcome.Envelope);
        Assert.DoesNotContain(ScanStage.Loading, stages);
    }

    [Fact]
    public async Task a_gguf_alone_in_its_folder_is_attested_with_the_license_files_beside_it_and_one_in_a_shared_folder_without()
    {
        var repo = Directory.CreateDirectory(Path.Combine(models.Dir, "acme-gguf-repo")).FullName;
        var path = Path.Combine(repo, "acme-8b-Q8_0.gguf");
        TinyLlama.Write(path, new TinyLlamaOptions { License = "apache-2.0" });
        var llama31 = File.ReadAllText(Path.Combine(Native.NativeTestEnvironment.RepoRoot, "policies", "license-texts", "llama3.1.txt"));
        File.WriteAllText(Path.Combine(repo, "LICENSE"), llama31);
        File.WriteAllText(Path.Combine(repo, "README.md"), "---\nlicense: apache-2.0\n---\n");
        File.WriteAllText(Path.Combine(models.Dir, "LICENSE"), llama31);
        var shared = models.Write("shared-folder-model.gguf");
        models.Write("shared-folder-other-model.gguf", new TinyLlamaOptions { Seed = 5 });

        var alone = await Pipeline(out var key).ScanAsync(new ScanRequest { Path = path, Bench = Quick });
        var inShared = await Pipeline(out _).ScanAsync(new ScanRequest { Path = shared, Bench = Quick });
        key.Dispose();

        var evidence = Assert.Single(alone.Predicate!.Metadata.LicenseFiles);
        Assert.Equal(("LICENSE", ModelFolder.Sha256(Path.Combine(repo, "LICENSE"))), (evidence.File, evidence.Sha256));
        Assert.Equal(Attestations.LicenseText.Fingerprint(llama31), evidence.Fingerprint);
        Assert.Equal("apache-2.0", alone.Predicate.Metadata.License); // what the file claims, beside what its LICENSE is
        Assert.Empty(inShared.Predicate!.Metadata.LicenseFiles);
        File.Delete(Path.Combine(models.Dir, "LICENSE"));
    }

    [Fact]
    public async Task a_cancelled_scan_throws_and_signs_nothing()
    {
        var path = models.Write("cancel.gguf");
        using var cts = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Pipeline(out _).ScanAsync(
            new ScanRequest { Path = path, Bench = Quick },
            new InlineProgress<ScanProgress>(p => { if (p.Stage == ScanStage.Loading) cts.Cancel(); }),
            cts.Token));
    }
}

/// <summary>A clock stopped at one instant: scannedAt is then known to the test.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
