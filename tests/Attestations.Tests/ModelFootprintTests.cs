using System.Text;

namespace Governance.Attestations.Tests;

public sealed class ModelFootprintTests
{
    // A statement as scanners wrote them before experts, attention, vision and bytes per token were added.
    private const string OlderStatement = """
        {"_type":"https://in-toto.io/Statement/v1",
         "subject":[{"name":"m.gguf","digest":{"sha256":"cccc"}}],
         "predicateType":"urn:governance:model-footprint:v1",
         "predicate":{"deploymentId":"0195c1a2-0000-7000-8000-000000000001","scannedAt":"2026-11-22T09:00:00+00:00",
           "artifact":{"name":"m.gguf","sizeBytes":10,"sha256":"cccc"},
           "metadata":{"architecture":"llama","parameters":8030261248,"license":"llama3.1","baseModels":[]},
           "footprint":{"modelBytes":10,"contextLength":4096,"deviceBytes":{"weights":1,"kvCache":2,"compute":3,"total":6},"buffers":[]},
           "throughput":[{"test":"tg128","nGen":128,"repetitions":5,"meanTokensPerSecond":142.7,"samplesTokensPerSecond":[142.7]}],
           "environment":{"backend":"cuda"},"rooflineFraction":0.61,"findings":[]}}
        """;

    [Fact]
    public void an_attestation_written_before_the_shape_fields_still_reads_with_them_absent()
    {
        var statement = Dsse.ReadStatement(Encoding.UTF8.GetBytes(OlderStatement));

        Assert.NotNull(statement);
        var p = statement.Predicate;
        Assert.Equal(("llama", 8030261248L, 0.61), (p.Metadata.Architecture, p.Metadata.Parameters!.Value, p.RooflineFraction!.Value));
        Assert.Null(p.Metadata.ActiveParameters);
        Assert.Null(p.Metadata.Experts);
        Assert.Null(p.Metadata.Attention);
        Assert.Null(p.Metadata.Vision);
        Assert.Null(p.Footprint.BytesReadPerToken);
        Assert.Null(p.Footprint.BytesReadPerTokenBasis); // read as BytesPerTokenBasis.ModelSize, what those scanners used
    }

    [Fact]
    public void a_mixture_of_experts_predicate_keeps_its_shape_through_the_statement()
    {
        var predicate = new ModelFootprint
        {
            Artifact = new FootprintArtifact { Name = "qwen3-30b-a3b.gguf", SizeBytes = 10, Sha256 = "dddd" },
            Metadata = new FootprintMetadata
            {
                Architecture = "qwen3moe", Parameters = 30_532_122_624, ActiveParameters = 3_335_000_000, Layers = 48, Attention = "gqa",
                SlidingWindow = null, Experts = new FootprintExperts { Count = 128, Used = 8 },
                Vision = new FootprintVision { File = "mmproj.gguf", SizeBytes = 5, Sha256 = "eeee", ProjectorType = "qwen3vl", Parameters = 400_000_000 },
            },
            Footprint = new FootprintMeasurement { BytesReadPerToken = 3_500_000_000, BytesReadPerTokenBasis = BytesPerTokenBasis.ActiveWeights },
        };

        var read = Dsse.ReadStatement(Dsse.StatementFor("qwen3-30b-a3b.gguf", "dddd", predicate))!.Predicate;

        Assert.Equal(predicate.Metadata.Experts, read.Metadata.Experts);
        Assert.Equal(predicate.Metadata.Vision, read.Metadata.Vision);
        Assert.Equal((3_335_000_000L, 48, "gqa"), (read.Metadata.ActiveParameters!.Value, read.Metadata.Layers!.Value, read.Metadata.Attention));
        Assert.Equal((3_500_000_000L, "active-weights"), (read.Footprint.BytesReadPerToken!.Value, read.Footprint.BytesReadPerTokenBasis));
    }
}

public sealed class ManifestVerificationTests : IDisposable
{
    private readonly System.Security.Cryptography.ECDsa _key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);

    public void Dispose() => _key.Dispose();

    private static FootprintManifest Manifest(params string[] digests) => new()
    {
        Serialization = new FootprintSerialization { Method = "files", HashType = "sha256", AllowSymlinks = true },
        Resources = digests.Select((d, i) => new FootprintResource { Name = $"f{i}", Algorithm = "sha256", Digest = d }).ToList(),
    };

    private EnvelopeVerdict Verify(FootprintManifest manifest, string subject)
    {
        var predicate = new ModelFootprint { Artifact = new FootprintArtifact { Name = "folder", Sha256 = subject, Format = ArtifactFormat.Safetensors, Manifest = manifest } };
        var envelope = Dsse.Sign(Dsse.StatementFor("folder", subject, predicate), _key);
        return EnvelopeVerification.Verify(envelope, [new TrustedKey(Dsse.KeyIdOf(_key.ExportSubjectPublicKeyInfo()), _key.ExportSubjectPublicKeyInfo())]);
    }

    [Fact]
    public void a_folder_attestation_verifies_only_when_its_subject_is_the_digest_of_its_resources()
    {
        var manifest = Manifest(new string('a', 64), new string('b', 64));
        var root = manifest.RootDigest()!;

        Assert.True(Verify(manifest, root).Verified);
        var forged = Verify(manifest with { Resources = manifest.Resources.Take(1).ToList() }, root);
        Assert.Equal(EnvelopeRejection.SubjectMismatch, forged.Rejection);
        Assert.Contains("manifest", forged.Detail);
    }

    [Fact]
    public void the_manifest_is_written_under_the_model_signing_names()
    {
        var predicate = new ModelFootprint { Artifact = new FootprintArtifact { Sha256 = "x", Manifest = Manifest(new string('c', 64)) } };

        var json = System.Text.Encoding.UTF8.GetString(Dsse.StatementFor("folder", "x", predicate));

        Assert.Contains("\"serialization\":{\"method\":\"files\",\"hash_type\":\"sha256\",\"allow_symlinks\":true,\"ignore_paths\":[]}", json);
        Assert.Contains("\"resources\":[{\"name\":\"f0\",\"algorithm\":\"sha256\",\"digest\":\"" + new string('c', 64) + "\"}]", json);
    }

    [Fact]
    public void a_resource_that_is_not_sha256_hex_has_no_root_digest()
    {
        Assert.Null(Manifest("not-hex").RootDigest());
        Assert.Null(Manifest(new string('g', 64)).RootDigest());
    }
}
