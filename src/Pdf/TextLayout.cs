namespace Governance.Pdf;

/// <summary>A run of text in one style; a null style means the enclosing block's style.</summary>
public sealed record Span(string Text, TextStyle? Style = null);

public readonly record struct Fragment(string Text, TextStyle Style, float X, float Width);

/// <param name="Baseline">Distance from the line's top to its baseline.</param>
public readonly record struct Line(int First, int Count, float Width, float Height, float Baseline);

public sealed class WrappedText
{
    public List<Line> Lines { get; } = [];
    public List<Fragment> Fragments { get; } = [];
    public float Height { get; private set; }
    public float Width { get; private set; }

    internal void Add(Line line)
    {
        Lines.Add(line);
        Height += line.Height;
        Width = Math.Max(Width, line.Width);
    }
}

/// <summary>
/// Greedy line breaking by measured width. Breaks at spaces and explicit newlines; a word wider than the line
/// (a 64-hex hash, a long URL) is broken by character, preferring just after a URL separator.
/// </summary>
public sealed class TextLayout
{
    const string SoftBreaks = "/-_?&=.,;:";

    readonly FontSet fonts;
    readonly float maxWidth;
    readonly TextStyle baseStyle;
    readonly WrappedText result = new();
    readonly List<(string Source, int Start, int End, TextStyle Style, float X, float Width)> line = [];
    float x;
    (string Source, int Start, int End, TextStyle Style, float Width)? pending;

    TextLayout(FontSet fonts, float maxWidth, TextStyle baseStyle) =>
        (this.fonts, this.maxWidth, this.baseStyle) = (fonts, Math.Max(maxWidth, 1), baseStyle);

    public static WrappedText Wrap(string text, TextStyle style, float maxWidth, FontSet fonts)
    {
        var layout = new TextLayout(fonts, maxWidth, style);
        layout.Add(text, style);
        return layout.Finish();
    }

    public static WrappedText Wrap(IReadOnlyList<Span> spans, TextStyle style, float maxWidth, FontSet fonts)
    {
        var layout = new TextLayout(fonts, maxWidth, style);
        foreach (var span in spans) layout.Add(span.Text, span.Style ?? style);
        return layout.Finish();
    }

    void Add(string raw, TextStyle style)
    {
        var face = fonts[style.Font];
        var text = face.Sanitize(raw);
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '\n') { EndLine(); i++; continue; }
            var e = i;
            if (text[i] == ' ')
            {
                while (e < text.Length && text[e] == ' ') e++;
                pending = line.Count > 0 ? (text, i, e, style, face.Measure(text.AsSpan(i, e - i), style.Size)) : null;
                i = e;
                continue;
            }
            while (e < text.Length && text[e] is not (' ' or '\n')) e++;
            var width = face.Measure(text.AsSpan(i, e - i), style.Size);
            if (line.Count > 0 && x + (pending?.Width ?? 0) + width > maxWidth) EndLine();
            if (width <= maxWidth) Place(text, i, e, style, width);
            else BreakWord(text, i, e, style, face);
            i = e;
        }
    }

    void BreakWord(string text, int i, int end, TextStyle style, LoadedFont face)
    {
        while (i < end)
        {
            var avail = maxWidth - x - (pending?.Width ?? 0);
            var k = i;
            var w = 0f;
            while (k < end && w + face.Advance(text[k], style.Size) <= avail) w += face.Advance(text[k++], style.Size);
            if (k == i)
            {
                if (line.Count > 0) { EndLine(); continue; }
                k = i + 1; // narrower than one character: still make progress
            }
            else if (k < end)
            {
                for (var b = k; b > i + (k - i) / 2; b--)
                    if (SoftBreaks.Contains(text[b - 1])) { k = b; break; }
            }
            Place(text, i, k, style, face.Measure(text.AsSpan(i, k - i), style.Size));
            i = k;
            if (i < end) EndLine();
        }
    }

    void Place(string text, int start, int end, TextStyle style, float width)
    {
        if (pending is { } p && line.Count > 0)
        {
            Append(p.Source, p.Start, p.End, p.Style, p.Width);
        }
        pending = null;
        Append(text, start, end, style, width);
    }

    void Append(string text, int start, int end, TextStyle style, float width)
    {
        if (line.Count > 0 && line[^1] is var last && ReferenceEquals(last.Source, text) && last.End == start && last.Style == style)
            line[^1] = last with { End = end, Width = last.Width + width };
        else
            line.Add((text, start, end, style, x, width));
        x += width;
    }

    void EndLine()
    {
        var height = 0f;
        var baseline = 0f;
        foreach (var f in line) Measure(f.Style, ref height, ref baseline);
        if (line.Count == 0) Measure(baseStyle, ref height, ref baseline);
        var first = result.Fragments.Count;
        foreach (var f in line)
            result.Fragments.Add(new Fragment(f.Source.Substring(f.Start, f.End - f.Start), f.Style, f.X, f.Width));
        result.Add(new Line(first, line.Count, x, height, baseline));
        line.Clear();
        x = 0;
        pending = null;
    }

    void Measure(TextStyle style, ref float height, ref float baseline)
    {
        if (style.LineSpacing <= height) return;
        var face = fonts[style.Font];
        height = style.LineSpacing;
        baseline = (height - style.Size * (face.Ascent + face.Descent)) / 2 + style.Size * face.Ascent;
    }

    WrappedText Finish()
    {
        if (line.Count > 0 || result.Lines.Count == 0) EndLine();
        return result;
    }
}
