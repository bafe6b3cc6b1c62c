using Governance.Attestations;
using System.Buffers;
using System.Security.Cryptography;

namespace Governance.Scanner.Artifacts;

/// <summary>
/// SHA-256 of a model file in one sequential pass, so the digest can be compared with the one registered for the
/// deployment: the file that runs must be the file that was assessed.
/// </summary>
internal static class ArtifactHasher
{
    // Large reads keep a multi-GB file disk-bound rather than syscall-bound.
    private const int BufferSize = 4 * 1024 * 1024;

    public static async Task<string> Sha256Async(string path, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.Read,
            BufferSize = 0,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
        });
        return await Sha256Async(stream, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Hashes from the stream's current position to its end and returns lowercase hex. <paramref name="progress"/>
    /// receives the bytes hashed since its previous report (they add up to the bytes read), so reports delivered
    /// out of order by <see cref="Progress{T}"/> still total correctly.
    /// </summary>
    public static async Task<string> Sha256Async(Stream stream, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                progress?.Report(read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// <c>artifact-mismatch</c> when the file's digest is not the registered one; null when they agree.
    /// The registered digest may carry a <c>sha256:</c> prefix and any case.
    /// </summary>
    public static ScanFailure? CompareToRegistered(string registeredSha256, string actualSha256)
    {
        ArgumentNullException.ThrowIfNull(registeredSha256);
        ArgumentNullException.ThrowIfNull(actualSha256);
        var registered = Normalize(registeredSha256);
        var actual = Normalize(actualSha256);
        if (registered == actual) return null;

        return new ScanFailure(
            ScanFailureCodes.ArtifactMismatch,
            "The model file is not the one registered for this deployment: its SHA-256 differs, so the assessment does not cover it.",
            new Dictionary<string, string> { ["registeredSha256"] = registered, ["actualSha256"] = actual });
    }

    private static string Normalize(string digest)
    {
        var d = digest.Trim();
        if (d.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase)) d = d["sha256:".Length..];
        return d.ToLowerInvariant();
    }
}
