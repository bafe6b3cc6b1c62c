using SkiaSharp;

namespace Governance.Pdf;

public enum OpKind { Text, Fill, Line }

/// <summary>One drawing instruction with absolute page coordinates (points, origin top-left, Y of text is its baseline).</summary>
public readonly record struct Op(OpKind Kind, float X, float Y, float X2, float Y2, SKColor Color, string? Text = null, TextStyle? Style = null, float Thickness = 0);

/// <summary>
/// The layout cursor: blocks ask it for room, it starts a new page when there is none and collects the current
/// page's ops. A finished page is handed to the flow's owner and forgotten, so a document of any length holds one page.
/// A band flow (header, footer) never breaks; it only measures and collects.
/// </summary>
public sealed class Flow
{
    readonly Func<int, (float Top, float Bottom)>? contentArea;
    readonly Action<List<Op>>? finished;
    float top;

    /// <summary>
    /// A paginating flow; <paramref name="contentArea"/> gives the top and bottom of page n's body (0-based),
    /// <paramref name="finished"/> receives each page's ops once nothing more is drawn on it.
    /// </summary>
    public Flow(FontSet fonts, float left, float width, Func<int, (float Top, float Bottom)> contentArea, Action<List<Op>> finished)
        : this(fonts, left, width, 0, float.MaxValue, contentArea, finished) { }

    /// <summary>A band flow: one page, no breaks.</summary>
    public Flow(FontSet fonts, float left, float width, float top, float bottom = float.MaxValue)
        : this(fonts, left, width, top, bottom, null, null) { }

    Flow(FontSet fonts, float left, float width, float top, float bottom, Func<int, (float Top, float Bottom)>? contentArea, Action<List<Op>>? finished)
    {
        Fonts = fonts;
        Left = left;
        Width = width;
        this.contentArea = contentArea;
        this.finished = finished;
        (this.top, Bottom, Y) = (top, bottom, top);
        if (contentArea is not null) StartPage();
    }

    public FontSet Fonts { get; }
    public float Left { get; }
    public float Width { get; }
    public float Right => Left + Width;
    public float Y { get; set; }
    public float Bottom { get; private set; }
    /// <summary>Pages begun so far, the current one included.</summary>
    public int PageCount { get; private set; } = 1;
    public List<Op> Page { get; private set; } = [];
    public float Top => top;
    public float Remaining => Bottom - Y;
    public float PageHeight => Bottom - top;
    public bool AtTop => Y <= top + 0.01f;

    public bool Fits(float height) => Y + height <= Bottom + 0.01f;

    /// <summary>Starts a new page unless <paramref name="height"/> fits here or we are already at the top (where waiting helps nothing).</summary>
    public void Ensure(float height)
    {
        if (!Fits(height) && !AtTop) NewPage();
    }

    public void NewPage()
    {
        if (contentArea is null) return;
        finished?.Invoke(Page);
        Page = [];
        PageCount++;
        StartPage();
    }

    /// <summary>Hands over the last page; the flow takes nothing more after this.</summary>
    public void Finish()
    {
        finished?.Invoke(Page);
        Page = [];
    }

    /// <summary>Vertical gap between blocks; swallowed at the top of a page so pages don't start with white space.</summary>
    public void Gap(float height)
    {
        if (!AtTop) Y = Math.Min(Y + height, Bottom);
    }

    void StartPage()
    {
        (top, Bottom) = contentArea!(PageCount - 1);
        Y = top;
    }

    public void Text(float x, float baseline, string text, TextStyle style) =>
        Page.Add(new Op(OpKind.Text, x, baseline, 0, 0, style.Color, text, style));

    public void Text(float x, float baseline, string text, TextStyle style, TextAlign align)
    {
        var face = Fonts[style.Font];
        var sanitized = face.Sanitize(text);
        var width = face.Measure(sanitized, style.Size);
        Text(align switch { TextAlign.Center => x - width / 2, TextAlign.Right => x - width, _ => x }, baseline, sanitized, style);
    }

    public void Fill(SKRect rect, SKColor color) => Page.Add(new Op(OpKind.Fill, rect.Left, rect.Top, rect.Right, rect.Bottom, color));

    public void Rule(float x1, float y1, float x2, float y2, SKColor color, float thickness = 0.5f) =>
        Page.Add(new Op(OpKind.Line, x1, y1, x2, y2, color, Thickness: thickness));

    /// <summary>Draws lines of wrapped text starting at the cursor, breaking pages between lines.</summary>
    public void Lines(WrappedText text, float x, float width, TextAlign align = TextAlign.Left)
    {
        foreach (var line in text.Lines)
        {
            Ensure(line.Height);
            DrawLine(text, line, x, Y, width, align);
            Y += line.Height;
        }
    }

    public void DrawLine(WrappedText text, Line line, float x, float y, float width, TextAlign align)
    {
        var offset = align switch { TextAlign.Center => (width - line.Width) / 2, TextAlign.Right => width - line.Width, _ => 0 };
        for (var i = line.First; i < line.First + line.Count; i++)
        {
            var f = text.Fragments[i];
            Text(x + offset + f.X, y + line.Baseline, f.Text, f.Style);
        }
    }

    public WrappedText Wrap(string text, TextStyle style, float width) => TextLayout.Wrap(text, style, width, Fonts);
}
