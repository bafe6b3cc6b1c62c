using SkiaSharp;

namespace Governance.Pdf;

/// <summary>A piece of document content; it lays itself out on the flow, which breaks pages for it.</summary>
public abstract record Block
{
    internal abstract void Layout(Flow flow);
}

public sealed record Heading(string Text, int Level = 1) : Block
{
    internal override void Layout(Flow flow)
    {
        var style = Typography.Heading(Level);
        var text = flow.Wrap(Text, style, flow.Width);
        flow.Gap(Level <= 1 ? 14 : 10);
        // Keep with next: a heading needs room for itself and a few lines of what it heads.
        flow.Ensure(text.Height + 4 * Typography.Body.LineSpacing);
        flow.Lines(text, flow.Left, flow.Width);
        if (Level <= 1)
        {
            flow.Y += 2;
            flow.Rule(flow.Left, flow.Y, flow.Right, flow.Y, Typography.AccentLight, 0.75f);
        }
        flow.Y += 5;
    }
}

public sealed record Paragraph(IReadOnlyList<Span> Spans, TextStyle? Style = null, TextAlign Align = TextAlign.Left) : Block
{
    public Paragraph(string text, TextStyle? style = null, TextAlign align = TextAlign.Left) : this([new Span(text)], style, align) { }

    internal override void Layout(Flow flow)
    {
        var style = Style ?? Typography.Body;
        flow.Lines(TextLayout.Wrap(Spans, style, flow.Width, flow.Fonts), flow.Left, flow.Width, Align);
        flow.Gap(style.Size * 0.6f);
    }
}

/// <summary>Label column and a value column whose text wraps; for the facts at the head of a report.</summary>
public sealed record KeyValues(IReadOnlyList<(string Label, string Value)> Items) : Block
{
    internal override void Layout(Flow flow)
    {
        if (Items.Count == 0) return;
        var label = flow.Fonts[Typography.Label.Font];
        var widest = Items.Max(i => label.Measure(label.Sanitize(i.Label), Typography.Label.Size));
        var labelWidth = Math.Clamp(widest + 12, flow.Width * 0.18f, flow.Width * 0.38f);
        var grid = new Grid(flow, [labelWidth, flow.Width - labelWidth], [TextAlign.Left, TextAlign.Left], [Typography.Label, Typography.Value]);
        grid.Layout(null, Items.Select(i => (IReadOnlyList<string>)[i.Label, i.Value]).ToList());
        flow.Gap(8);
    }
}

/// <param name="Width">Points when <paramref name="Fixed"/>, otherwise a share of what the fixed columns leave.</param>
public sealed record TableColumn(string Header, float Width = 1, bool Fixed = false, TextAlign Align = TextAlign.Left, TextStyle? Style = null)
{
    public static TableColumn Relative(string header, float weight = 1, TextAlign align = TextAlign.Left, TextStyle? style = null) =>
        new(header, weight, false, align, style);

    public static TableColumn Constant(string header, float points, TextAlign align = TextAlign.Left, TextStyle? style = null) =>
        new(header, points, true, align, style);
}

/// <param name="Rows">Read once per layout pass (twice per render), one row at a time: a list, or a <see cref="RowSpool"/>
/// for tables too long to hold.</param>
public sealed record Table(IReadOnlyList<TableColumn> Columns, IEnumerable<IReadOnlyList<string>> Rows, bool Zebra = true) : Block
{
    internal override void Layout(Flow flow)
    {
        if (Columns.Count == 0) return;
        var fixedWidth = Columns.Where(c => c.Fixed).Sum(c => c.Width);
        var weights = Columns.Where(c => !c.Fixed).Sum(c => c.Width);
        var share = Math.Max(flow.Width - fixedWidth, 0);
        var widths = Columns.Select(c => c.Fixed ? c.Width : weights > 0 ? share * c.Width / weights : 0).ToArray();
        var grid = new Grid(flow, widths, Columns.Select(c => c.Align).ToArray(), Columns.Select(c => c.Style ?? Typography.TableCell).ToArray())
        {
            Zebra = Zebra,
        };
        grid.Layout(Columns.Select(c => c.Header).ToList(), Rows);
        flow.Gap(10);
    }
}

/// <summary>Fixed-pitch text on a tinted panel, for hashes and identifiers; breaks by character where it must.</summary>
public sealed record Monospace(string Text) : Block
{
    const float Pad = 5;

    internal override void Layout(Flow flow)
    {
        var text = flow.Wrap(Text, Typography.Mono, flow.Width - 2 * Pad);
        flow.Ensure(text.Lines[0].Height + 2 * Pad);
        var (page, index, top) = (flow.Page, flow.Page.Count, flow.Y);
        flow.Y += Pad;
        for (var i = 0; i < text.Lines.Count; i++)
        {
            var line = text.Lines[i];
            var last = i == text.Lines.Count - 1;
            if (!flow.Fits(line.Height + (last ? Pad : 0)))
            {
                Panel(page, index, top, flow.Y);
                flow.NewPage();
                (page, index, top) = (flow.Page, flow.Page.Count, flow.Y);
            }
            flow.DrawLine(text, line, flow.Left + Pad, flow.Y, flow.Width - 2 * Pad, TextAlign.Left);
            flow.Y += line.Height;
        }
        flow.Y += Pad;
        Panel(page, index, top, flow.Y);
        flow.Gap(8);

        // The panel goes beneath the text, so it is inserted where this page's part of the block began.
        void Panel(List<Op> ops, int at, float from, float to) =>
            ops.Insert(at, new Op(OpKind.Fill, flow.Left, from, flow.Right, to, Typography.CodeFill));
    }
}

public sealed record Spacer(float Height) : Block
{
    internal override void Layout(Flow flow) => flow.Gap(Height);
}

public sealed record PageBreak : Block
{
    internal override void Layout(Flow flow)
    {
        if (!flow.AtTop) flow.NewPage();
    }
}

/// <summary>A horizontal line across the column.</summary>
public sealed record Rule(float Thickness = 0.5f, SKColor? Color = null) : Block
{
    internal override void Layout(Flow flow)
    {
        flow.Y += 3;
        flow.Rule(flow.Left, flow.Y, flow.Right, flow.Y, Color ?? Typography.RuleColor, Thickness);
        flow.Y += 3;
    }
}

/// <summary>One line with text at the left edge, centre and right edge; made for headers and footers.</summary>
public sealed record TextRow(string Left, string Center = "", string Right = "", TextStyle? Style = null) : Block
{
    internal override void Layout(Flow flow)
    {
        var style = Style ?? Typography.Small;
        var face = flow.Fonts[style.Font];
        var baseline = flow.Y + (style.LineSpacing - style.Size * (face.Ascent + face.Descent)) / 2 + style.Size * face.Ascent;
        if (Left.Length > 0) flow.Text(flow.Left, baseline, Left, style, TextAlign.Left);
        if (Center.Length > 0) flow.Text(flow.Left + flow.Width / 2, baseline, Center, style, TextAlign.Center);
        if (Right.Length > 0) flow.Text(flow.Right, baseline, Right, style, TextAlign.Right);
        flow.Y += style.LineSpacing;
    }
}
