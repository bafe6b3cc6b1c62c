using System.Text;
using System.Text.RegularExpressions;
using Governance.Attestations;
using Governance.Scanner.Host;
using Governance.Scanner.Signing;
using Governance.Scanner.Tests.Native;
using Governance.Scanner.Tests.TestModels;

namespace Governance.Scanner.Tests.Host;

/// <summary>
/// Model folders (safetensors shards, config, card, LICENSE) through the real pipeline: inspected, never loaded,
/// signed as inspection-only with a manifest digest; the license evidence is what the evaluator judges.
/// </summary>
public sealed class FolderScanTests(ModelFolder models) : IClassFixture<ModelFolder>
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    private static readonly IReadOnlyDictionary<string, LicenseFingerprint> Catalog =
        Directory.GetFiles(Path.Combine(NativeTestEnvironment.RepoRoot, "policies", "license-texts"), "*.txt")
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f), f => LicenseText.Fingerprint(File.ReadAllText(f)));

    private static string CatalogText(string id) => File.ReadAllText(Path.Combine(NativeTestEnvironment.RepoRoot, "policies", "license-texts", id + ".txt"));

    private async Task<(ScanOutcome Outcome, ModelFootprint Predicate)> Scan(string folder, string? registered = null)
    {
        using var key = ScannerKey.LoadOrCreate(Path.Combine(models.Dir, "keys", "scanner-key.pem"));
        var outcome = await new ScanPipeline(key, new FixedClock(Now)).ScanAsync(new ScanRequest { Path = folder, RegisteredSha256 = registered, DeploymentId = Guid.CreateVersion7() });
        if (outcome.Envelope is null) return (outcome, null!);
        var verdict = Attestation.Verify(Attestation.ToJson(outcome.Envelope), key.PublicKeyPem);
        Assert.True(verdict.Valid, verdict.Reason);
        return (outcome, verdict.Statement!.Predicate);
    }

    [Fact]
    public async Task a_folder_that_says_apache_while_shipping_the_llama_3_1_agreement_is_attested_with_both_pieces_of_evidence()
    {
        var folder = new HubFolderWriter { CardLicense = "apache-2.0", BaseModels = ["meta-llama/Llama-3.1-8B-Instruct"], LicenseText = CatalogText("llama3.1") }
            .Write(Path.Combine(models.Dir, "acme-support-8b-washed"));

        var (outcome, p) = await Scan(folder);

        Assert.Null(outcome.Measurement); // llama.cpp never saw it
        Assert.Equal(MeasurementKind.InspectionOnly, p.Measurement);
        Assert.False(MeasurementKind.IsMeasured(p));
        Assert.Empty(p.Throughput);
        Assert.Equal(ArtifactFormat.Safetensors, p.Artifact.Format);
        // What the folder says ...
        Assert.Equal("apache-2.0", p.Metadata.License);
        Assert.Equal(["meta-llama/Llama-3.1-8B-Instruct"], p.Metadata.BaseModels);
        Assert.Equal("finetune", p.Metadata.BaseModelRelation);
        // ... and what its LICENSE is.
        var license = Assert.Single(p.Metadata.LicenseFiles);
        Assert.Equal(("LICENSE", ModelFolder.Sha256(Path.Combine(folder, "LICENSE"))), (license.File, license.Sha256));
        var match = LicenseText.Identify(license.Fingerprint!, Catalog);
        Assert.Equal(new LicenseMatch("llama3.1", 1, true), match);
        Assert.NotEqual(p.Metadata.License, match!.LicenseId); // the evaluator's license-mismatch rests on exactly this pair
    }

    [Fact]
    public async Task the_agreement_reformatted_as_markdown_under_another_name_still_identifies_as_llama_3_1()
    {
        var markdown = Regex.Replace(CatalogText("llama3.1"), @"(?m)^(\d+)\. ([A-Z][^.\n]+)\.", "### $1. **$2**").Replace("\n", "\r\n");
        var folder = new HubFolderWriter { LicenseText = "# License\n\n" + markdown, LicenseFileName = "LICENSE.md" }
            .Write(Path.Combine(models.Dir, "acme-support-8b-markdown"));

        var (_, p) = await Scan(folder);

        var license = Assert.Single(p.Metadata.LicenseFiles);
        Assert.Equal("LICENSE.md", license.File);
        var match = LicenseText.Identify(license.Fingerprint!, Catalog);
        Assert.Equal("llama3.1", match?.LicenseId);
        Assert.True(match!.Similarity > 0.9);
    }

    [Fact]
    public async Task a_clean_folder_attests_with_a_manifest_digest_that_sha256sum_reproduces()
    {
        var writer = new HubFolderWriter { CardLicense = "apache-2.0", LicenseText = CatalogText("apache-2.0") };
        var folder = writer.Write(Path.Combine(models.Dir, "acme-clean"));
        Directory.CreateDirectory(Path.Combine(folder, "tokenizer"));
        await File.WriteAllTextAsync(Path.Combine(folder, "tokenizer", "merges.txt"), "a b\n");
        Directory.CreateDirectory(Path.Combine(folder, ".git"));
        await File.WriteAllTextAsync(Path.Combine(folder, ".git", "HEAD"), "ref: refs/heads/main\n");

        var (outcome, p) = await Scan(folder);

        // The documented computation (docs/scanner.md), run with coreutils: sha256sum each file in path-component
        // order, then sha256sum the concatenated raw digests.
        var script = Path.Combine(models.Dir, "manifest-digest.sh");
        await File.WriteAllTextAsync(script, ManifestDigestScript);
        var (exit, output) = NativeTestEnvironment.Run("bash", script, folder);
        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(lines.Single(l => l.Length == 64), p.Artifact.Sha256); // stdout: the root digest
        var expected = lines.Where(l => l.Length > 66).Select(l => (l[66..], l[..64])).ToList(); // stderr: "digest  name"
        Assert.Equal(outcome.Sha256, p.Artifact.Sha256);
        // Every file but .git, each with the digest sha256sum gave it, in the same order.
        Assert.Equal(expected, p.Artifact.Manifest!.Resources.Select(r => (r.Name!, r.Digest!)).ToList());
        Assert.Contains(p.Artifact.Manifest.Resources, r => r.Name == "tokenizer/merges.txt");
        Assert.Equal(p.Artifact.Sha256, p.Artifact.Manifest.RootDigest());
        Assert.Equal(("files", "sha256", true), (p.Artifact.Manifest.Serialization.Method, p.Artifact.Manifest.Serialization.HashType, p.Artifact.Manifest.Serialization.AllowSymlinks));

        Assert.Equal("apache-2.0", LicenseText.Identify(p.Metadata.LicenseFiles[0].Fingerprint!, Catalog)?.LicenseId);
        Assert.Equal(("LlamaForCausalLM", "bfloat16", 131072L, 1, "gqa"), (p.Metadata.Architecture, p.Metadata.FileType, p.Metadata.ContextLength!.Value, p.Metadata.Layers!.Value, p.Metadata.Attention));
        Assert.Equal(writer.Parameters, p.Metadata.Parameters);
        Assert.Null(p.Metadata.Experts);

        // Registered by that digest, the same folder attests; by another, it is an artifact-mismatch.
        Assert.NotNull((await Scan(folder, registered: "sha256:" + p.Artifact.Sha256)).Outcome.Envelope);
        var mismatch = (await Scan(folder, registered: new string('0', 64))).Outcome;
        Assert.Equal(ScanFailureCodes.ArtifactMismatch, mismatch.Failure?.Code);
    }

    // The commands docs/scanner.md gives, verbatim; each file's "digest  name" goes to stderr for the comparison.
    private const string ManifestDigestScript = """
        find . -type f -not -path './.git/*' -printf '%P\n' | sed 's|/|\x01|g' | LC_ALL=C sort | sed 's|\x01|/|g' \
          | while IFS= read -r f; do sha256sum "$f"; done | tee /dev/stderr \
          | cut -c1-64 | tr -d '\n' | xxd -r -p | sha256sum | cut -c1-64
        """;

    [Fact]
    public async Task a_mixture_of_experts_folder_reports_active_parameters_from_the_config_and_the_shards()
    {
        var writer = new HubFolderWriter { Experts = 8, ExpertsUsed = 2, LicenseText = CatalogText("apache-2.0") };
        var folder = writer.Write(Path.Combine(models.Dir, "acme-moe"));

        var (_, p) = await Scan(folder);

        Assert.Equal((8, 2), (p.Metadata.Experts!.Count, p.Metadata.Experts.Used));
        Assert.Equal(writer.Parameters, p.Metadata.Parameters);
        Assert.Equal(writer.ActiveParameters, p.Metadata.ActiveParameters); // the shared expert counts in full
    }

    [Fact]
    public async Task a_folder_with_a_corrupt_shard_or_card_is_reported_unreadable_naming_the_file()
    {
        var shard = new HubFolderWriter().Write(Path.Combine(models.Dir, "acme-corrupt-shard"));
        var path = Path.Combine(shard, "model-00002-of-00002.safetensors");
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[0] = 0xFF; bytes[7] = 0x7F; // a header length of petabytes
        await File.WriteAllBytesAsync(path, bytes);
        var card = new HubFolderWriter().Write(Path.Combine(models.Dir, "acme-corrupt-card"));
        await File.WriteAllTextAsync(Path.Combine(card, "README.md"), "---\nlicense: mit\nlicense: apache-2.0\n---\n");

        var (badShard, _) = await Scan(shard);
        var (badCard, _) = await Scan(card);

        Assert.Equal(ScanFailureCodes.ArtifactUnreadable, badShard.Failure?.Code);
        Assert.Equal(("model-00002-of-00002.safetensors", "HeaderTooLarge"), (badShard.Failure!.Facts["file"], badShard.Failure.Facts["error"]));
        Assert.Equal(("README.md", "DuplicateKey"), (badCard.Failure!.Facts["file"], badCard.Failure.Facts["error"]));
        Assert.Null(badShard.Envelope);
        Assert.Null(badCard.Envelope);
    }

    [Fact]
    public async Task a_hugging_face_cache_snapshot_of_links_attests_as_the_files_they_point_to()
    {
        var real = new HubFolderWriter { LicenseText = CatalogText("apache-2.0") }.Write(Path.Combine(models.Dir, "acme-blobs"));
        var snapshot = Directory.CreateDirectory(Path.Combine(models.Dir, "acme-snapshot")).FullName;
        foreach (var file in Directory.GetFiles(real)) File.CreateSymbolicLink(Path.Combine(snapshot, Path.GetFileName(file)), file);

        var (_, linked) = await Scan(snapshot);
        var (_, direct) = await Scan(real);

        Assert.Equal(direct.Artifact.Sha256, linked.Artifact.Sha256);
        Assert.Equal(direct.Metadata.Parameters, linked.Metadata.Parameters);
    }
}
