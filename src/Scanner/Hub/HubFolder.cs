using System.Text.RegularExpressions;
using Governance.Attestations;
using Governance.Scanner.Artifacts;
using Governance.Scanner.Safetensors;

namespace Governance.Scanner.Hub;

/// <summary>A license file at the top of a model folder, as evidence: what the text is, whatever it is called.</summary>
internal sealed record LicenseFileEvidence(string File, long SizeBytes, string Sha256, LicenseFingerprint? Fingerprint);

/// <summary>What a model folder says about itself, read without loading a weight.</summary>
internal sealed record HubFolderInspection(
    HubConfig? Config,
    ModelCard? Card,
    IReadOnlyList<LicenseFileEvidence> LicenseFiles,
    IReadOnlyList<string> WeightFiles,
    long Parameters,
    long ActiveParameters,
    long WeightBytes,
    IReadOnlyDictionary<string, int> TensorTypes);

/// <summary>Why a folder cannot be inspected: which file, and what is wrong with it (every reader's typed error, as text).</summary>
internal sealed class HubFolderException(string file, string error, string message) : Exception(message)
{
    public string File { get; } = file;
    public string Error { get; } = error;
}

/// <summary>
/// A model as model hubs ship it (Hugging Face layout): <c>*.safetensors</c> shards, <c>config.json</c>, the model card
/// <c>README.md</c> and a LICENSE. Read with the bounded readers of this folder and <see cref="SafetensorsReader"/>;
/// llama.cpp never sees it, so the attestation is inspection-only.
/// </summary>
internal static partial class HubFolder
{
    private const int MaxLicenseBytes = 1024 * 1024;
    private const int MaxLicenseFiles = 8;
    private const int MaxCardBytes = ModelCard.MaxFrontMatterBytes + 8;

    [GeneratedRegex(@"^licen[cs]e([-_.][\w.-]*)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LicenseName();

    /// <summary>A folder holding safetensors weights or a transformers config.</summary>
    public static bool IsModelFolder(string path) =>
        Directory.Exists(path) && (File.Exists(Path.Combine(path, "config.json")) || Directory.EnumerateFiles(path, "*.safetensors").Any());

    public static async Task<HubFolderInspection> InspectAsync(string folder, FolderManifest manifest, CancellationToken cancellationToken)
    {
        var config = await Read(folder, "config.json", HubConfig.MaxBytes, bytes =>
        {
            try { return HubConfig.Parse(bytes); }
            catch (HubConfig.HubConfigFormatException e) { throw new HubFolderException("config.json", "InvalidConfig", e.Message); }
        }, cancellationToken).ConfigureAwait(false);

        var card = await Read(folder, "README.md", MaxCardBytes, bytes =>
        {
            try { return ModelCard.Parse(bytes); }
            catch (ModelCardFormatException e) { throw new HubFolderException("README.md", e.Error.ToString(), e.Message); }
        }, cancellationToken).ConfigureAwait(false);

        var licenses = await LicenseFilesAsync(folder, manifest.Resources.Where(r => !r.Name.Contains('/')).Select(r => r.Name), cancellationToken).ConfigureAwait(false);

        var weights = manifest.Resources.Where(r => r.Name.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)).Select(r => r.Name).ToList();
        long parameters = 0, expertElements = 0, weightBytes = 0;
        var types = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var weight in weights)
        {
            cancellationToken.ThrowIfCancellationRequested();
            SafetensorsFile file;
            try
            {
                file = SafetensorsReader.Read(Path.Combine(folder, weight));
            }
            catch (SafetensorsFormatException e)
            {
                throw new HubFolderException(weight, e.Error.ToString(), e.Message);
            }
            weightBytes += file.FileLength - file.DataOffset;
            foreach (var tensor in file.Tensors)
            {
                parameters += tensor.Elements;
                if (IsRoutedExpert(tensor.Name)) expertElements += tensor.Elements;
                types[tensor.DType] = types.GetValueOrDefault(tensor.DType) + 1;
            }
        }
        var active = config is { Experts: > 0 and var n, ExpertsUsed: > 0 and var k } && k <= n
            ? parameters - expertElements + (long)((Int128)expertElements * k / n)
            : parameters;
        return new HubFolderInspection(config, card, licenses, weights, parameters, active, weightBytes, types);
    }

    /// <summary>
    /// The license files among <paramref name="names"/> (files at the top of <paramref name="folder"/>): name, size,
    /// SHA-256 and, for a text of at most 1 MiB, its fingerprint. At most 8, in name order.
    /// </summary>
    public static async Task<IReadOnlyList<LicenseFileEvidence>> LicenseFilesAsync(string folder, IEnumerable<string> names, CancellationToken cancellationToken)
    {
        var evidence = new List<LicenseFileEvidence>();
        foreach (var name in names.Where(n => LicenseName().IsMatch(n)).Order(StringComparer.Ordinal).Take(MaxLicenseFiles))
        {
            var path = Path.Combine(folder, name);
            var size = new FileInfo(path).Length;
            LicenseFingerprint? fingerprint = null;
            string sha256;
            if (size <= MaxLicenseBytes)
            {
                var text = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
                sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(text));
                // A license is text; a binary file called LICENSE is recorded by digest only.
                if (System.Text.Unicode.Utf8.IsValid(text)) fingerprint = LicenseText.Fingerprint(System.Text.Encoding.UTF8.GetString(text));
            }
            else sha256 = await ArtifactHasher.Sha256Async(path, cancellationToken: cancellationToken).ConfigureAwait(false);
            evidence.Add(new LicenseFileEvidence(name, size, sha256, fingerprint));
        }
        return evidence;
    }

    /// <summary>
    /// The license files beside a GGUF file, when it is the only model in its folder (a hub's GGUF repository: the
    /// model, its card and its LICENSE); in a shared folder a LICENSE says nothing about any one model.
    /// </summary>
    public static async Task<IReadOnlyList<LicenseFileEvidence>> LicenseFilesBesideAsync(string modelPath, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(modelPath))!;
        var models = Directory.EnumerateFiles(folder, "*.gguf", new EnumerationOptions { MatchCasing = MatchCasing.CaseInsensitive })
            .Count(f => !Path.GetFileName(f).Contains("mmproj", StringComparison.OrdinalIgnoreCase));
        if (models != 1) return [];
        return await LicenseFilesAsync(folder, Directory.EnumerateFiles(folder).Select(Path.GetFileName).OfType<string>(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Routed experts in transformers' naming: one tensor per expert (<c>…mlp.experts.7.gate_proj.weight</c>,
    /// <c>…block_sparse_moe.experts.7.w1.weight</c>) or all experts fused along the first dimension
    /// (<c>…feed_forward.experts.gate_up_proj</c>); the always-on shared expert (<c>shared_expert</c>, <c>shared_experts</c>) is not one.
    /// </summary>
    public static bool IsRoutedExpert(string tensor) =>
        tensor.Contains(".experts.", StringComparison.Ordinal) && !tensor.Contains("shared_expert", StringComparison.Ordinal);

    private static async Task<T?> Read<T>(string folder, string name, int maxBytes, Func<byte[], T?> parse, CancellationToken cancellationToken) where T : class
    {
        var path = Path.Combine(folder, name);
        if (!File.Exists(path)) return null;
        await using var stream = File.OpenRead(path);
        var length = (int)Math.Min(stream.Length, maxBytes + 1L);
        var bytes = new byte[length];
        await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        return parse(bytes);
    }
}
