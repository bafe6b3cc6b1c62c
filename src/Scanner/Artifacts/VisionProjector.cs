using System.Text.RegularExpressions;
using Governance.Scanner.Gguf;

namespace Governance.Scanner.Artifacts;

/// <summary>A multimodal projector file (vision encoder + projection into the language model) found beside a model.</summary>
internal sealed record VisionProjector(string Path, long SizeBytes, string Sha256, string? ProjectorType, long Parameters);

/// <summary>
/// llama.cpp ships the vision half of a multimodal model (Gemma 3, Llama 4, Mistral Small 3.1, Qwen2.5-VL, ...) as a
/// separate GGUF, <c>mmproj-&lt;model&gt;-&lt;type&gt;.gguf</c>, of architecture <c>clip</c>, loaded by libmtmd beside the model.
/// The scanner reads and hashes it (hostile-input-safe, like the model) so the attestation names the vision part that
/// was deployed; it does not measure it. The file belongs to the model when it is the only projector next to the only
/// model in the folder, or when the names agree once the type suffixes are dropped.
/// </summary>
internal static partial class VisionProjectors
{
    // "-f16", "_Q8_0", ".BF16", "-Q4_K_M", "-IQ4_XS", "-mxfp4" at the end of a file name: the weight type, not the model.
    [GeneratedRegex(@"[-_.](f16|f32|bf16|q\d[\w]*|iq\d[\w]*|mxfp4[\w]*|tq\d[\w]*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TypeSuffix();

    [GeneratedRegex(@"^mmproj[-_.]?|[-_.]?mmproj$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ProjectorMark();

    /// <summary>The projector file that belongs to <paramref name="modelPath"/>, or null when there is none or it is ambiguous.</summary>
    public static string? FindBeside(string modelPath)
    {
        var model = new FileInfo(modelPath);
        if (model.Directory is not { Exists: true } folder) return null;
        var ggufs = folder.EnumerateFiles("*.gguf", new EnumerationOptions { MatchCasing = MatchCasing.CaseInsensitive, IgnoreInaccessible = true })
            .OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        var projectors = ggufs.Where(f => f.Name.Contains("mmproj", StringComparison.OrdinalIgnoreCase)).ToList();
        if (projectors.Count == 0) return null;
        var models = ggufs.Except(projectors).ToList();
        if (projectors.Count == 1 && models.Count == 1 && models[0].FullName == model.FullName) return projectors[0].FullName;

        var key = Key(Path.GetFileNameWithoutExtension(model.Name));
        var matching = projectors.Where(p => Key(Path.GetFileNameWithoutExtension(p.Name), projector: true) == key).ToList();
        return matching.Count == 1 ? matching[0].FullName : null;
    }

    /// <summary>Reads and hashes a projector file; null when it is not a GGUF projector (then it is simply not reported).</summary>
    public static async Task<VisionProjector?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        GgufFile file;
        try
        {
            file = GgufReader.Read(path);
        }
        catch (GgufFormatException)
        {
            return null;
        }
        if (file.GetString("general.architecture") != LlamaArchitectures.Projector) return null;
        var sha256 = await ArtifactHasher.Sha256Async(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new VisionProjector(Path.GetFullPath(path), file.FileLength, sha256, file.GetString("clip.projector_type"), file.ParameterCount);
    }

    private static string Key(string stem, bool projector = false)
    {
        var name = TypeSuffix().Replace(stem.Trim(), "");
        return Host.ArtifactLocator.Key(projector ? ProjectorMark().Replace(name, "") : name);
    }
}
