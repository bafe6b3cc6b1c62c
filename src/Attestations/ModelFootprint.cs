using System.Text.Json.Serialization;

namespace Governance.Attestations;

/// <summary>
/// The predicate of <c>urn:governance:model-footprint:v1</c>. A public format other tools read: these names are the
/// contract. Unknown fields are ignored on input, so scanners may add more.
/// </summary>
public sealed record ModelFootprint
{
    public const string PredicateType = "urn:governance:model-footprint:v1";

    public Guid DeploymentId { get; init; }
    public DateTimeOffset ScannedAt { get; init; }
    public FootprintArtifact Artifact { get; init; } = new();
    public FootprintMetadata Metadata { get; init; } = new();
    public FootprintMeasurement Footprint { get; init; } = new();
    public IReadOnlyList<ThroughputTest> Throughput { get; init; } = [];
    public double? LoadSeconds { get; init; }
    public double? TimeToFirstTokenSeconds { get; init; }
    public FootprintEnvironment Environment { get; init; } = new();
    public double? RooflineFraction { get; init; }
    /// <summary>
    /// Findings earlier scanners made about the file itself. Scanners now leave this empty: they report what the file
    /// says (<see cref="Metadata"/>) and Governance's evaluator judges it, so an old attestation is judged by today's rules.
    /// </summary>
    public IReadOnlyList<FootprintFinding> Findings { get; init; } = [];
    /// <summary>
    /// How the figures were obtained: <see cref="MeasurementKind.LlamaBench"/>, or <see cref="MeasurementKind.InspectionOnly"/>
    /// for a format llama.cpp cannot run (metadata, digests and license evidence only; no throughput, no footprint).
    /// Null in attestations older than the field, which were all measured.
    /// </summary>
    public string? Measurement { get; init; }
    /// <summary>Set when the scan tried several configurations (<c>scan --sweep</c>): each one's figures, and the best.</summary>
    public FootprintSweep? Sweep { get; init; }
    /// <summary>
    /// Values the scanner shortened or mended so the statement fits the published schema (<see cref="StatementBounds"/>):
    /// empty when everything the file says fits.
    /// </summary>
    public IReadOnlyList<FootprintTruncation> Truncated { get; init; } = [];
}

/// <summary>
/// A value <see cref="StatementBounds"/> changed: its JSON path, the original's length (UTF-16 code units of a string, items
/// of an array, properties of an object) and the SHA-256 of the original (a string's UTF-8, otherwise its JSON).
/// </summary>
public sealed record FootprintTruncation(string Path, long Length, string Sha256);

/// <summary>
/// A grid of llama.cpp settings measured on this host and artifact. <see cref="ModelFootprint.Throughput"/> and
/// <see cref="ModelFootprint.Footprint"/> are those of <see cref="Best"/>.
/// </summary>
public sealed record FootprintSweep
{
    /// <summary>How the best was chosen, e.g. <c>tg</c>: the highest generation rate, then the highest prompt rate.</summary>
    public string? Criterion { get; init; }
    public FootprintConfiguration Best { get; init; } = new();
    public IReadOnlyList<FootprintTrial> Trials { get; init; } = [];
}

public sealed record FootprintConfiguration
{
    public int UBatch { get; init; }
    /// <summary>Null: llama.cpp's automatic choice.</summary>
    public bool? FlashAttention { get; init; }
    /// <summary>Null: every layer on the GPU (or the CPU backend).</summary>
    public int? GpuLayers { get; init; }
}

public sealed record FootprintTrial
{
    public FootprintConfiguration Configuration { get; init; } = new();
    public IReadOnlyList<ThroughputTest> Throughput { get; init; } = [];
    public DeviceBytes DeviceBytes { get; init; } = new();
}

/// <summary>The values of <see cref="ModelFootprint.Measurement"/>.</summary>
public static class MeasurementKind
{
    public const string LlamaBench = "llama-bench";
    public const string InspectionOnly = "inspection-only";

    /// <summary>Whether a predicate carries measured throughput and footprint (older predicates, without the field, do).</summary>
    public static bool IsMeasured(ModelFootprint predicate) => predicate?.Measurement is null or LlamaBench;
}

/// <summary>The values of <see cref="FootprintArtifact.Format"/>.</summary>
public static class ArtifactFormat
{
    public const string Gguf = "gguf";
    /// <summary>A model folder: safetensors shards with config.json, tokenizer and model card, attested by its <see cref="FootprintManifest"/>.</summary>
    public const string Safetensors = "safetensors";
}

public sealed record FootprintArtifact
{
    public string? Name { get; init; }
    public long SizeBytes { get; init; }
    /// <summary>The file's SHA-256, or for a model folder the root digest of its <see cref="Manifest"/>.</summary>
    public string? Sha256 { get; init; }
    /// <summary>An <see cref="ArtifactFormat"/> value; null in older attestations, which were all GGUF.</summary>
    public string? Format { get; init; }
    /// <summary>Every file of a model folder with its digest; null for a single file.</summary>
    public FootprintManifest? Manifest { get; init; }
}

/// <summary>
/// A model folder as the OpenSSF model-signing project's in-toto predicate (<c>https://model_signing/signature/v1.0</c>)
/// describes one, under the same names: how it was serialized, and one resource per file. The folder's digest (the
/// statement's subject) is SHA-256 over the resources' digests, in order (<see cref="RootDigest"/>).
/// </summary>
public sealed record FootprintManifest
{
    public FootprintSerialization Serialization { get; init; } = new();
    public IReadOnlyList<FootprintResource> Resources { get; init; } = [];

    /// <summary>SHA-256 over the concatenated raw digests of <see cref="Resources"/> in their order; null when one is not SHA-256 hex.</summary>
    public string? RootDigest()
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var resource in Resources)
        {
            if (resource?.Algorithm != "sha256" || resource.Digest is not { Length: 64 } hex) return null;
            try
            {
                hash.AppendData(Convert.FromHexString(hex));
            }
            catch (FormatException)
            {
                return null;
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

public sealed record FootprintSerialization
{
    [JsonPropertyName("method")] public string? Method { get; init; }
    [JsonPropertyName("hash_type")] public string? HashType { get; init; }
    [JsonPropertyName("allow_symlinks")] public bool AllowSymlinks { get; init; }
    [JsonPropertyName("ignore_paths")] public IReadOnlyList<string> IgnorePaths { get; init; } = [];
}

public sealed record FootprintResource
{
    /// <summary>The file's path inside the folder, POSIX separators.</summary>
    public string? Name { get; init; }
    public string? Algorithm { get; init; }
    /// <summary>Lowercase hex.</summary>
    public string? Digest { get; init; }
}

public sealed record FootprintMetadata
{
    public string? Architecture { get; init; }
    public string? Name { get; init; }
    public string? Organization { get; init; }
    public long? Parameters { get; init; }
    public string? FileType { get; init; }
    public long? ContextLength { get; init; }
    public string? License { get; init; }
    public string? LicenseName { get; init; }
    public string? LicenseLink { get; init; }
    public IReadOnlyList<string> BaseModels { get; init; } = [];

    /// <summary>Parameters one token goes through: for a mixture of experts, the expert tensors at used ÷ total. Null in older attestations.</summary>
    public long? ActiveParameters { get; init; }
    /// <summary>Set for a mixture-of-experts model only.</summary>
    public FootprintExperts? Experts { get; init; }
    /// <summary><c>mha</c>, <c>gqa</c>, <c>mqa</c> or <c>mla</c> (multi-head latent attention), from the head counts the file gives.</summary>
    public string? Attention { get; init; }
    /// <summary>The attention window of sliding-window layers, in tokens, when the file sets one.</summary>
    public long? SlidingWindow { get; init; }
    public int? Layers { get; init; }
    /// <summary>The multimodal projector found beside the model (inspected, not measured), if any.</summary>
    public FootprintVision? Vision { get; init; }
    /// <summary>The model card's <c>base_model_relation</c> (<c>finetune</c>, <c>quantized</c>, <c>merge</c>, <c>adapter</c>).</summary>
    public string? BaseModelRelation { get; init; }
    /// <summary>
    /// The license files shipped with the model (LICENSE, LICENSE.md, LICENSE-MODEL, ...) as evidence: what the text
    /// is, not what it is called. Governance identifies each fingerprint among the catalog's license texts.
    /// </summary>
    public IReadOnlyList<FootprintLicenseFile> LicenseFiles { get; init; } = [];
}

public sealed record FootprintLicenseFile
{
    public string? File { get; init; }
    public long SizeBytes { get; init; }
    public string? Sha256 { get; init; }
    /// <summary>Null when the file is too large or not text to be a license.</summary>
    public LicenseFingerprint? Fingerprint { get; init; }
}

/// <summary>A mixture of experts: <see cref="Used"/> of <see cref="Count"/> routed experts per token, plus <see cref="Shared"/> always-on ones.</summary>
public sealed record FootprintExperts
{
    public int Count { get; init; }
    public int Used { get; init; }
    public int? Shared { get; init; }
}

/// <summary>A vision encoder and projector file (llama.cpp's <c>mmproj-*.gguf</c>) that ships with the model.</summary>
public sealed record FootprintVision
{
    public string? File { get; init; }
    public long SizeBytes { get; init; }
    public string? Sha256 { get; init; }
    /// <summary><c>clip.projector_type</c>, e.g. <c>gemma3</c>, <c>llama4</c>.</summary>
    public string? ProjectorType { get; init; }
    public long? Parameters { get; init; }
}

/// <summary>What <see cref="FootprintMeasurement.BytesReadPerToken"/> counts, and so what the roofline divides by.</summary>
public static class BytesPerTokenBasis
{
    /// <summary>
    /// The weights one generated token reads: every tensor in full except routed-expert tensors at experts-used ÷
    /// experts, and the token-embedding matrix as one row when a separate output matrix exists.
    /// </summary>
    public const string ActiveWeights = "active-weights";

    /// <summary>Every weight byte (<c>llama_model_size</c>): what attestations before 2026-12 divided by.</summary>
    public const string ModelSize = "model-size";
}

public sealed record FootprintMeasurement
{
    public long ModelBytes { get; init; }
    public long ContextLength { get; init; }
    public DeviceBytes DeviceBytes { get; init; } = new();
    public long? HostPeakRssBytes { get; init; }
    /// <summary>Every buffer llama.cpp allocated, as it accounted it (e.g. <c>CUDA0</c> / <c>KvCache</c>).</summary>
    public IReadOnlyList<FootprintBuffer> Buffers { get; init; } = [];
    /// <summary>Weight bytes read per generated token, which the roofline divides the bandwidth by; see <see cref="BytesReadPerTokenBasis"/>.</summary>
    public long? BytesReadPerToken { get; init; }
    /// <summary>A <see cref="BytesPerTokenBasis"/> value; null in older attestations, whose roofline used <see cref="BytesPerTokenBasis.ModelSize"/>.</summary>
    public string? BytesReadPerTokenBasis { get; init; }
}

public sealed record FootprintBuffer(string Buffer, string Kind, long Bytes);

public sealed record DeviceBytes
{
    public long Weights { get; init; }
    public long KvCache { get; init; }
    public long Compute { get; init; }
    public long Total { get; init; }
    /// <summary>Growth of used device memory measured by NVML around load and context creation; null without NVML.</summary>
    public long? Measured { get; init; }
}

public sealed record ThroughputTest
{
    /// <summary><c>pp512</c>, <c>tg128</c>, ...</summary>
    public string? Test { get; init; }
    public int NPrompt { get; init; }
    public int NGen { get; init; }
    public int Repetitions { get; init; }
    public double MeanTokensPerSecond { get; init; }
    public double StddevTokensPerSecond { get; init; }
    public IReadOnlyList<double> SamplesTokensPerSecond { get; init; } = [];
}

public sealed record FootprintEnvironment
{
    public string? Backend { get; init; }
    public string? Device { get; init; }
    public string? Driver { get; init; }
    public string? CudaVersion { get; init; }
    public string? Cpu { get; init; }
    public int? Threads { get; init; }
    public string? LlamaCppBuild { get; init; }
    public string? ScannerVersion { get; init; }
}

public sealed record FootprintFinding
{
    public string? Code { get; init; }
    public string? Severity { get; init; }
    public string? Message { get; init; }
    public IReadOnlyDictionary<string, string>? Facts { get; init; }
}
