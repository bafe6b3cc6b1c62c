using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Governance.Attestations;

/// <summary>
/// What a scanner records of a license text so the text can be identified without carrying it: the SHA-256 of its
/// normalised form (equal for the same license however it was re-wrapped or marked up) and a MinHash sketch of its
/// word 5-grams (close for texts that differ in a few words). <see cref="LicenseText"/> computes both.
/// </summary>
public sealed record LicenseFingerprint
{
    /// <summary>Names the normalisation and sketch below; a different algorithm makes fingerprints incomparable.</summary>
    public string? Algorithm { get; init; }
    public string? NormalizedSha256 { get; init; }
    /// <summary>Base64 of <see cref="LicenseText.Slots"/> little-endian uint32 minima.</summary>
    public string? MinHash { get; init; }
    /// <summary>Words after normalisation.</summary>
    public int Words { get; init; }
}

/// <summary>A reference license a text was identified as: <see cref="Exact"/> when the normalised texts are identical.</summary>
public sealed record LicenseMatch(string LicenseId, double Similarity, bool Exact);

/// <summary>
/// Identifies license texts tolerantly and the same way everywhere: the scanner fingerprints the LICENSE file it finds,
/// the Api fingerprints the catalog's primary texts (<c>policies/license-texts</c>) with this same code and compares.
/// Pure and deterministic: no randomness, no culture, no I/O.
/// <para>
/// Algorithm <see cref="AlgorithmName"/>: (1) lower case (invariant: Unicode simple case mapping, the same with or
/// without ICU; no Unicode normalisation form, whose results depend on the globalization mode); (2) markdown links
/// <c>[text](target)</c> keep their text; URLs (<c>http://…</c>, <c>https://…</c>) are dropped; (3) every character
/// that is not a letter or a digit becomes a space; (4) runs of spaces collapse, ends are trimmed. The normalised text's
/// UTF-8 SHA-256 is <see cref="LicenseFingerprint.NormalizedSha256"/>. Its words form 5-word shingles (one shingle of
/// all words when there are fewer), each hashed with 64-bit FNV-1a over its UTF-8 (words joined by one space); slot i
/// of the sketch is the minimum over shingles of (a_i · (h mod p) + b_i) mod p, p = 2^61 − 1, kept as its low 32 bits,
/// with (a_i, b_i) drawn from SplitMix64 seeded with <see cref="Seed"/>. Similarity is 1 for equal normalised texts,
/// otherwise the fraction of equal slots (an estimate of the shingle sets' Jaccard index).
/// </para>
/// </summary>
public static partial class LicenseText
{
    public const string AlgorithmName = "governance-license-text-v1";
    public const int Slots = 256;
    public const int ShingleWords = 5;
    public const ulong Seed = 0x6C6963656E736531; // "license1"

    /// <summary>Below this, a text is not said to be a reference license at all.</summary>
    public const double DefaultThreshold = 0.75;

    private const ulong Prime = (1UL << 61) - 1;
    private static readonly (ulong A, ulong B)[] Coefficients = MakeCoefficients();

    [GeneratedRegex(@"\[([^\]\r\n]*)\]\([^)\s]*\)", RegexOptions.CultureInvariant)]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"https?://\S+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Url();

    /// <summary>At least this many words (normalised) and a license field holds a text, not an id, name or SPDX expression.</summary>
    public const int TextWords = 40;

    /// <summary>
    /// Whether a license field (GGUF <c>general.license</c>, a card's <c>license</c>) holds a license's text rather than
    /// its id: some converters copy the LICENSE file there. Such a field is identified like a shipped license file.
    /// </summary>
    public static bool IsText(string? value) =>
        value is { Length: >= TextWords * 2 } && Normalize(value).Count(c => c == ' ') + 1 >= TextWords;

    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.ToLowerInvariant();
        s = MarkdownLink().Replace(s, "$1");
        s = Url().Replace(s, " ");
        var builder = new StringBuilder(s.Length);
        var space = true; // no leading space
        foreach (var rune in s.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                builder.Append(rune.ToString());
                space = false;
            }
            else if (!space)
            {
                builder.Append(' ');
                space = true;
            }
        }
        if (builder.Length > 0 && builder[^1] == ' ') builder.Length--;
        return builder.ToString();
    }

    public static LicenseFingerprint Fingerprint(string text)
    {
        var normalized = Normalize(text);
        var words = normalized.Length == 0 ? [] : normalized.Split(' ');
        var minima = new ulong[Slots];
        Array.Fill(minima, ulong.MaxValue);
        var shingles = Math.Max(1, words.Length - ShingleWords + 1);
        for (var start = 0; start < shingles && words.Length > 0; start++)
        {
            var x = Fnv1a(string.Join(' ', words, start, Math.Min(ShingleWords, words.Length - start))) % Prime;
            for (var i = 0; i < Slots; i++)
            {
                var h = MulAddMod(Coefficients[i].A, x, Coefficients[i].B);
                if (h < minima[i]) minima[i] = h;
            }
        }
        var sketch = new byte[Slots * 4];
        for (var i = 0; i < Slots; i++) BinaryPrimitives.WriteUInt32LittleEndian(sketch.AsSpan(i * 4), (uint)minima[i]);
        return new LicenseFingerprint
        {
            Algorithm = AlgorithmName,
            NormalizedSha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized))),
            MinHash = Convert.ToBase64String(sketch),
            Words = words.Length,
        };
    }

    /// <summary>1 for the same normalised text; else the share of equal sketch slots; 0 when either fingerprint is unusable.</summary>
    public static double Similarity(LicenseFingerprint a, LicenseFingerprint b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Algorithm != AlgorithmName || b.Algorithm != AlgorithmName) return 0;
        if (a.NormalizedSha256 is { Length: > 0 } ha && string.Equals(ha, b.NormalizedSha256, StringComparison.OrdinalIgnoreCase)) return 1;
        if (Sketch(a.MinHash) is not { } sa || Sketch(b.MinHash) is not { } sb) return 0;
        var equal = 0;
        for (var i = 0; i < Slots; i++)
            if (sa[i] == sb[i]) equal++;
        return (double)equal / Slots;
    }

    /// <summary>
    /// The reference most similar to <paramref name="scanned"/>, if at least <paramref name="threshold"/>; ties go to the
    /// smaller id (ordinal), so the answer never depends on the order references are given in.
    /// </summary>
    public static LicenseMatch? Identify(LicenseFingerprint scanned, IReadOnlyDictionary<string, LicenseFingerprint> references, double threshold = DefaultThreshold)
    {
        ArgumentNullException.ThrowIfNull(scanned);
        ArgumentNullException.ThrowIfNull(references);
        LicenseMatch? best = null;
        foreach (var (id, reference) in references.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var similarity = Similarity(scanned, reference);
            if (similarity >= threshold && (best is null || similarity > best.Similarity))
                best = new LicenseMatch(id, similarity, similarity >= 1 && string.Equals(scanned.NormalizedSha256, reference.NormalizedSha256, StringComparison.OrdinalIgnoreCase));
        }
        return best;
    }

    private static uint[]? Sketch(string? base64)
    {
        if (base64 is null || base64.Length != (Slots * 4 + 2) / 3 * 4) return null;
        var bytes = new byte[Slots * 4];
        if (!Convert.TryFromBase64String(base64, bytes, out var written) || written != bytes.Length) return null;
        var slots = new uint[Slots];
        for (var i = 0; i < Slots; i++) slots[i] = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i * 4));
        return slots;
    }

    // (a · x + b) mod 2^61 − 1 by folding the high bits onto the low ones: the same value as %, several times faster.
    private static ulong MulAddMod(ulong a, ulong x, ulong b)
    {
        var v = (UInt128)a * x + b;
        var r = ((ulong)v & Prime) + (ulong)(v >> 61);
        r = (r & Prime) + (r >> 61);
        return r >= Prime ? r - Prime : r;
    }

    private static ulong Fnv1a(string s)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        return hash;
    }

    private static (ulong, ulong)[] MakeCoefficients()
    {
        var state = Seed;
        ulong Next()
        {
            var z = state += 0x9E3779B97F4A7C15;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            return z ^ (z >> 31);
        }
        var coefficients = new (ulong, ulong)[Slots];
        for (var i = 0; i < Slots; i++) coefficients[i] = (Next() % (Prime - 1) + 1, Next() % Prime);
        return coefficients;
    }
}
