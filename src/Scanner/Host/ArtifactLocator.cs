using System.Collections.Concurrent;
using Governance.Scanner.Artifacts;

namespace Governance.Scanner.Host;

/// <summary>Where a leased model's file is. <see cref="FreshSha256"/> is set when it was hashed during this lookup.</summary>
internal sealed record LocatedArtifact(string Path, string? FreshSha256);

/// <summary>
/// Finds a leased model's file in the models folder: first any file whose digest is already known to be the registered
/// one; then files whose name matches the model (<c>Meta-Llama-3.1-8B-Instruct.gguf</c>, <c>…-Q4_K_M.gguf</c>); then
/// every other <c>*.gguf</c>, by digest. Digests are computed only when needed and kept by path, size and modification
/// time, so each file is read once while it stays unchanged (in memory: a restarted scanner hashes again).
/// </summary>
internal sealed class ArtifactLocator(string modelsDir)
{
    private readonly ConcurrentDictionary<string, (long Size, DateTime Written, string Sha256)> _index = new(StringComparer.Ordinal);

    /// <summary>How deep below the models folder to look: model stores nest by organization and model.</summary>
    private const int MaxDepth = 3;

    public string ModelsDir { get; } = Path.GetFullPath(modelsDir);

    public async Task<(LocatedArtifact? Found, string? NameMatchSha256)> FindAsync(
        string registeredSha256, IEnumerable<string?> names, IProgress<(string Path, long Bytes)>? hashing, CancellationToken cancellationToken)
    {
        var wanted = Normalize(registeredSha256);
        var files = Candidates();
        var keys = names.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => Key(n!)).Where(k => k.Length > 0).Distinct().ToList();

        foreach (var file in files)
            if (Cached(file) == wanted) return (new LocatedArtifact(file.FullName, null), null);

        string? nameMatchSha = null;
        var byName = files.Where(f => keys.Any(k => Key(Path.GetFileNameWithoutExtension(f.Name)).StartsWith(k, StringComparison.Ordinal))).ToList();
        foreach (var file in byName.Concat(files.Except(byName)))
        {
            if (Cached(file) is { } known)
            {
                if (byName.Contains(file)) nameMatchSha ??= known;
                continue; // already compared above
            }
            var progress = hashing is null ? null : new InlineProgress<long>(n => hashing.Report((file.FullName, n)));
            var sha = await ArtifactHasher.Sha256Async(file.FullName, progress, cancellationToken).ConfigureAwait(false);
            Remember(file, sha);
            if (sha == wanted) return (new LocatedArtifact(file.FullName, sha), null);
            if (byName.Contains(file)) nameMatchSha ??= sha;
        }
        return (null, nameMatchSha);
    }

    /// <summary>Records a digest computed elsewhere (the scan's own hash), valid while the file keeps its size and time.</summary>
    public void Remember(string path, string sha256) => Remember(new FileInfo(path), sha256);

    private void Remember(FileInfo file, string sha256)
    {
        file.Refresh();
        if (file.Exists) _index[file.FullName] = (file.Length, file.LastWriteTimeUtc, Normalize(sha256));
    }

    private string? Cached(FileInfo file) =>
        _index.TryGetValue(file.FullName, out var e) && e.Size == file.Length && e.Written == file.LastWriteTimeUtc ? e.Sha256 : null;

    private List<FileInfo> Candidates()
    {
        if (!Directory.Exists(ModelsDir)) throw new DirectoryNotFoundException($"The models folder {ModelsDir} does not exist (Scanner:ModelsDir).");
        var options = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = MaxDepth, MatchCasing = MatchCasing.CaseInsensitive, IgnoreInaccessible = true };
        return new DirectoryInfo(ModelsDir).EnumerateFiles("*.gguf", options).OrderBy(f => f.FullName, StringComparer.Ordinal).ToList();
    }

    // "Meta-Llama-3.1-8B-Instruct", "meta-llama/Meta-Llama-3.1-8B-Instruct" and "meta_llama_3.1_8b_instruct-Q4_K_M" agree.
    internal static string Key(string name)
    {
        var last = name.Trim().TrimEnd('/');
        last = last[(last.LastIndexOf('/') + 1)..];
        if (last.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase)) last = last[..^5];
        return string.Concat(last.ToLowerInvariant().Where(char.IsLetterOrDigit));
    }

    private static string Normalize(string sha) =>
        (sha.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase) ? sha[7..] : sha).Trim().ToLowerInvariant();
}
