using System.Security.Cryptography;
using System.Text;

namespace Governance.Scanner.Artifacts;

/// <summary>One file of a model folder: its path relative to the folder (POSIX separators) and SHA-256.</summary>
internal sealed record ManifestResource(string Name, string Sha256, long SizeBytes);

/// <summary>
/// A multi-file model (sharded safetensors, tokenizer, configuration) as one digest, computed the way the OpenSSF
/// model-signing project (sigstore/model-transparency, serialization method <c>files</c>) computes it, so its tools and
/// ours agree: every regular file under the folder except <see cref="IgnorePaths"/> (at its top), symbolic links followed to their
/// file (a Hugging Face cache snapshot is made of them), each hashed with SHA-256; the resources sorted by path
/// component by component (a directory's files come before a sibling file whose name extends the directory's); the
/// root digest is SHA-256 over the concatenated 32-byte digests in that order. docs/scanner.md shows the same
/// computation with sha256sum.
/// </summary>
internal sealed record FolderManifest(IReadOnlyList<ManifestResource> Resources, string RootSha256)
{
    /// <summary>What the model-signing tools leave out by default, plus the Hugging Face download cache.</summary>
    public static IReadOnlyList<string> IgnorePaths { get; } = [".git", ".gitattributes", ".github", ".gitignore", ".cache", "model.sig"];

    public const string Method = "files";
    public const string HashType = "sha256";

    /// <summary>Folders deeper than this are not a model layout; refusing them bounds the walk.</summary>
    private const int MaxDepth = 8;
    private const int MaxFiles = 100_000;

    public long SizeBytes => Resources.Sum(r => r.SizeBytes);

    public static async Task<FolderManifest> ComputeAsync(string folder, IProgress<long>? hashed = null, CancellationToken cancellationToken = default)
    {
        var root = new DirectoryInfo(folder);
        if (!root.Exists) throw new DirectoryNotFoundException($"No model folder at {folder}.");
        var files = Files(root);
        var digests = new string[files.Count];
        // Shards are independent: hash several at once (a fast disk serves several readers; SHA-256 is one core each).
        await Parallel.ForEachAsync(Enumerable.Range(0, files.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(Environment.ProcessorCount, 1, 4), CancellationToken = cancellationToken },
            async (i, ct) => digests[i] = await ArtifactHasher.Sha256Async(files[i].Full, hashed, ct).ConfigureAwait(false)).ConfigureAwait(false);
        var resources = files.Select((f, i) => new ManifestResource(f.Name, digests[i], f.Size)).ToList();
        return new FolderManifest(resources, RootDigest(resources.Select(r => r.Sha256)));
    }

    /// <summary>SHA-256 over the concatenated raw digests, in manifest order.</summary>
    public static string RootDigest(IEnumerable<string> sha256Hex)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var hex in sha256Hex) hash.AppendData(Convert.FromHexString(hex));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Path order of the model-signing tools (Python's PurePosixPath: component by component, by code point).</summary>
    public static int ComparePaths(string a, string b)
    {
        var x = a.Split('/');
        var y = b.Split('/');
        for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            // UTF-8 byte order is code point order, as Python compares strings.
            var c = Encoding.UTF8.GetBytes(x[i]).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y[i]));
            if (c != 0) return c;
        }
        return x.Length.CompareTo(y.Length);
    }

    private static List<(string Name, string Full, long Size)> Files(DirectoryInfo root)
    {
        var found = new List<(string, string, long)>();
        void Walk(DirectoryInfo dir, string prefix, int depth)
        {
            if (depth > MaxDepth) throw new InvalidDataException($"{dir.FullName} nests deeper than {MaxDepth} folders; not a model layout.");
            foreach (var entry in dir.EnumerateFileSystemInfos())
            {
                if (depth == 0 && IgnorePaths.Contains(entry.Name, StringComparer.Ordinal)) continue; // paths relative to the folder, as the tools mean them
                var name = prefix + entry.Name;
                if (entry is DirectoryInfo sub)
                {
                    // A linked folder could loop or leave the model; model folders link files, not folders.
                    if (sub.LinkTarget is null) Walk(sub, name + "/", depth + 1);
                    continue;
                }
                var file = (FileInfo)entry;
                var target = file.LinkTarget is null ? file : file.ResolveLinkTarget(returnFinalTarget: true) as FileInfo;
                if (target is not { Exists: true }) continue; // a dangling link has no content to attest
                if (found.Count >= MaxFiles) throw new InvalidDataException($"{root.FullName} holds more than {MaxFiles} files; not a model layout.");
                found.Add((name, target.FullName, target.Length));
            }
        }
        Walk(root, "", 0);
        found.Sort((a, b) => ComparePaths(a.Item1, b.Item1));
        return found;
    }
}
