using System.Collections.Concurrent;
using SkiaSharp;

namespace Governance.Pdf;

public enum FontKind { Regular, Bold, Mono }

/// <summary>The three DejaVu faces every report is set in, loaded from files (the Linux Skia build has no fontconfig).</summary>
public sealed class FontSet
{
    public static readonly string[] RequiredFiles = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf"];

    static readonly string[] SystemFolders =
    [
        "/usr/share/fonts/truetype/dejavu",
        "/usr/share/fonts/TTF",
        "/usr/share/fonts/dejavu",
        "/usr/share/fonts/truetype",
        "/usr/local/share/fonts",
        "/Library/Fonts",
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "Library", "Fonts"),
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.Windows), "Fonts"),
    ];

    // Typefaces and their metric tables are immutable, so one set serves every render on every thread.
    static readonly ConcurrentDictionary<string, FontSet> Cache = new();

    readonly LoadedFont[] faces;

    FontSet(LoadedFont[] faces) => this.faces = faces;

    public LoadedFont this[FontKind kind] => faces[(int)kind];

    /// <summary>Loads from <paramref name="folder"/> when configured, otherwise from the usual system font folders.</summary>
    public static FontSet Load(string? folder = null) =>
        Cache.GetOrAdd(folder ?? "", static f => new FontSet(Locate(f.Length == 0 ? null : f).Select(p => new LoadedFont(p)).ToArray()));

    static string[] Locate(string? folder)
    {
        var folders = folder is null ? SystemFolders.Where(f => f.Length > 0).ToArray() : [folder];
        var found = RequiredFiles.Select(file => folders.Select(f => Path.Combine(f, file)).FirstOrDefault(File.Exists)).ToArray();
        var missing = RequiredFiles.Where((_, i) => found[i] is null).ToArray();
        if (missing.Length > 0)
            throw new FontsMissingException(
                $"PDF reports need the DejaVu fonts {string.Join(", ", RequiredFiles)}; missing {string.Join(", ", missing)}. " +
                $"Looked in: {string.Join(", ", folders)}. Install them (Debian/Ubuntu: apt-get install fonts-dejavu-core; " +
                "Alpine: apk add font-dejavu; Fedora: dnf install dejavu-sans-fonts dejavu-sans-mono-fonts) " +
                "or configure a font folder that holds these files.");
        return found!;
    }
}

/// <summary>A typeface with its advance widths per UTF-16 unit, so measuring a string is an array walk with no native call.</summary>
public sealed class LoadedFont
{
    const float UnitsSize = 1000f;
    readonly float[] advance = new float[65536]; // per 1pt of font size
    readonly bool[] covered = new bool[65536];
    readonly char replacement;

    public LoadedFont(string path)
    {
        Typeface = SKTypeface.FromFile(path) ?? throw new InvalidOperationException($"'{path}' is not a font Skia can read.");
        using var font = CreateFont(UnitsSize);
        var codepoints = new int[65536];
        for (var i = 0; i < codepoints.Length; i++) codepoints[i] = i is >= 0xD800 and <= 0xDFFF ? 0 : i;
        var glyphs = new ushort[65536];
        font.GetGlyphs(codepoints, glyphs);
        var ids = new ushort[Typeface.GlyphCount];
        for (var i = 0; i < ids.Length; i++) ids[i] = (ushort)i;
        var widths = new float[ids.Length];
        font.GetGlyphWidths(ids, widths, Span<SKRect>.Empty, null);
        for (var c = 0; c < 65536; c++)
        {
            covered[c] = glyphs[c] != 0;
            advance[c] = widths[glyphs[c]] / UnitsSize;
        }
        font.GetFontMetrics(out var metrics);
        Ascent = -metrics.Ascent / UnitsSize;
        Descent = metrics.Descent / UnitsSize;
        replacement = covered['\uFFFD'] ? '\uFFFD' : '?';
    }

    public SKTypeface Typeface { get; }
    public float Ascent { get; }
    public float Descent { get; }

    // Unhinted, linear metrics: the widths we wrap with are exactly the advances Skia writes into the PDF.
    public SKFont CreateFont(float size) =>
        new(Typeface, size) { Hinting = SKFontHinting.None, LinearMetrics = true, Subpixel = true, Edging = SKFontEdging.Antialias };

    public float Measure(ReadOnlySpan<char> text, float size)
    {
        var sum = 0f;
        foreach (var c in text) sum += advance[c];
        return sum * size;
    }

    public float Advance(char c, float size) => advance[c] * size;

    /// <summary>
    /// Normalises line ends and tabs and replaces characters the face lacks (CJK, emoji, anything outside the BMP)
    /// with U+FFFD, so nothing is drawn as an invisible .notdef box. Allocates only when something changes.
    /// </summary>
    public string Sanitize(string text)
    {
        var i = 0;
        while (i < text.Length && (covered[text[i]] || text[i] is '\n' or ' ')) i++;
        if (i == text.Length) return text;
        var sb = new System.Text.StringBuilder(text.Length);
        sb.Append(text, 0, i);
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r') { sb.Append('\n'); if (i + 1 < text.Length && text[i + 1] == '\n') i++; }
            else if (c is '\n' or ' ') sb.Append(c);
            else if (c == '\t' || char.IsControl(c)) sb.Append(' ');
            else if (char.IsHighSurrogate(c)) { sb.Append(replacement); if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++; }
            else sb.Append(covered[c] ? c : replacement);
        }
        return sb.ToString();
    }
}

/// <summary>The report fonts are not installed: reports can't be drawn until they are (the Api answers 503).</summary>
public sealed class FontsMissingException(string message) : InvalidOperationException(message);
