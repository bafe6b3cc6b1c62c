using System.Collections.Concurrent;
using System.Globalization;
using Governance.Scanner.Artifacts;
using Governance.Scanner.Hub;

namespace Governance.Scanner.Host;

/// <summary>Where a leased model's file is. <see cref="FreshSha256"/> is set when it was hashed during this lookup.</summary>
internal sealed record LocatedArtifact(string Path, string? FreshSha256);

/// <summary>
/// Finds a leased model in the models folder: a GGUF file, or a model folder (safetensors shards, whose registered
/// digest is the root digest of its <see cref="FolderManifest"/>). First any candidate whose digest is already known to
/// be the registered one; then candidates whose name matches the model (<c>Meta-Llama-3.1-8B-Instruct.gguf</c>,
/// <c>…-Q4_K_M.gguf</c>, a folder <c>Meta-Llama-3.1-8B-Instruct/</c>); then every other candidate, by digest. Digests
/// are computed only when needed and kept by path and a stamp of sizes and modification times, so each model is read
/// once while it stays unchanged (in memory: a restarted scanner hashes again).
/// </summary>
internal sealed class ArtifactLocator(string modelsDir)
{
    private readonly ConcurrentDictionary<string, (string Stamp, string Sha256)> _index = new(StringComparer.Ordinal);

    /// <summary>How deep below the models folder to look: model stores nest by organization and model.</summary>
    private const int MaxDepth = 3;

    public string ModelsDir { get; } = Path.GetFullPath(modelsDir);

    public async Task<(LocatedArtifact? Found, string? NameMatchSha256)> FindAsync(
        string registeredSha256, IEnumerable<string?> names, IProgress<(string Path, long Bytes)>? hashing, CancellationToken cancellationToken)
    {
        var wanted = Normalize(registeredSha256);
        var candidates = Candidates();
        var keys = names.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => Key(n!)).Where(k => k.Length > 0).Distinct().ToList();

        foreach (var candidate in candidates)
            if (Cached(candidate) == wanted) return (new LocatedArtifact(candidate.FullName, null), null);

        string? nameMatchSha = null;
        var byName = candidates.Where(c => keys.Any(k => Key(c is FileInfo ? Path.GetFileNameWithoutExtension(c.Name) : c.Name).StartsWith(k, StringComparison.Ordinal))).ToList();
        foreach (var candidate in byName.Concat(candidates.Except(byName)))
        {
            if (Cached(candidate) is { } known)
            {
                if (byName.Contains(candidate)) nameMatchSha ??= known;
                continue; // already compared above
            }
            var stamp = Stamp(candidate);
            var progress = hashing is null ? null : new InlineProgress<long>(n => hashing.Report((candidate.FullName, n)));
            var sha = candidate is FileInfo
                ? await ArtifactHasher.Sha256Async(candidate.FullName, progress, cancellationToken).ConfigureAwait(false)
                : (await FolderManifest.ComputeAsync(candidate.FullName, progress, cancellationToken).ConfigureAwait(false)).RootSha256;
            if (stamp is not null) _index[candidate.FullName] = (stamp, Normalize(sha));
            if (sha == wanted) return (new LocatedArtifact(candidate.FullName, sha), null);
            if (byName.Contains(candidate)) nameMatchSha ??= sha;
        }
        return (null, nameMatchSha);
    }

    /// <summary>Records a digest computed elsewhere (the scan's own hash), valid while the file or folder keeps its sizes and times.</summary>
    public void Remember(string path, string sha256)
    {
        FileSystemInfo entry = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
        if (Stamp(entry) is { } stamp) _index[entry.FullName] = (stamp, Normalize(sha256));
    }

    private string? Cached(FileSystemInfo entry) =>
        _index.TryGetValue(entry.FullName, out var e) && e.Stamp == Stamp(entry) ? e.Sha256 : null;

    // A file: size and time. A folder: file count, total size and the latest time of its files.
    private static string? Stamp(FileSystemInfo entry)
    {
        entry.Refresh();
        if (!entry.Exists) return null;
        if (entry is FileInfo file) return string.Create(CultureInfo.InvariantCulture, $"{file.Length}:{file.LastWriteTimeUtc.Ticks}");
        var files = ((DirectoryInfo)entry).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }).ToList();
        return string.Create(CultureInfo.InvariantCulture, $"{files.Count}:{files.Sum(f => f.Length)}:{(files.Count == 0 ? 0 : files.Max(f => f.LastWriteTimeUtc.Ticks))}");
    }

    private List<FileSystemInfo> Candidates()
    {
        if (!Directory.Exists(ModelsDir)) throw new DirectoryNotFoundException($"The models folder {ModelsDir} does not exist (Scanner:ModelsDir).");
        var options = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = MaxDepth, MatchCasing = MatchCasing.CaseInsensitive, IgnoreInaccessible = true };
        var root = new DirectoryInfo(ModelsDir);
        var files = root.EnumerateFiles("*.gguf", options).Cast<FileSystemInfo>();
        var folders = root.EnumerateDirectories("*", options).Where(d => HubFolder.IsModelFolder(d.FullName));
        return files.Concat(folders).OrderBy(f => f.FullName, StringComparer.Ordinal).ToList();
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
