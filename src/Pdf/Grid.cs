using SkiaSharp;

namespace Governance.Pdf;

/// <summary>
/// Rows of wrapped cells laid out down the flow; shared by <see cref="Table"/> and <see cref="KeyValues"/>.
/// A row that doesn't fit moves to the next page whole; a row taller than a page is split between lines.
/// The header row is drawn again at the top of every page the grid continues on.
/// </summary>
public sealed class Grid(Flow flow, float[] widths, TextAlign[] aligns, TextStyle[] styles)
{
    const float PadX = 4, PadY = 3;

    readonly float[] xs = Offsets(flow.Left, widths);
    WrappedText[]? header;
    float headerHeight;
    float bodyTop;
    float[] shift = [];

    public bool Zebra { get; init; }
    public bool RowRules { get; init; } = true;

    public void Layout(IReadOnlyList<string>? headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        if (headers is not null)
        {
            header = Wrap(headers, _ => Typography.TableHeader);
            shift = new float[header.Length];
            headerHeight = Height(header, new int[header.Length]) + 2 * PadY;
        }
        var started = false;
        var r = 0;
        foreach (var row in rows)
        {
            var cells = Wrap(row, c => styles[c]);
            var next = new int[cells.Length];
            shift = FirstBaselines(cells);
            if (!started)
            {
                // A header alone at the foot of a page is useless: keep it with the first line of the first row.
                var firstLines = Enumerable.Range(0, cells.Length).Max(c => shift[c] + cells[c].Lines[0].Height) + 2 * PadY;
                flow.Ensure(headerHeight + firstLines);
                DrawHeader();
                started = true;
            }
            Row(cells, next, r++);
        }
        if (!started) { flow.Ensure(headerHeight); DrawHeader(); }
    }

    void Row(WrappedText[] cells, int[] next, int index)
    {
        var split = false;
        while (true)
        {
            var rest = Height(cells, next) + 2 * PadY;
            if (flow.Fits(rest)) { Slice(cells, next, null, index); return; }
            var fresh = flow.Y <= bodyTop + 0.01f;
            if (!split && !fresh && rest <= flow.PageHeight - headerHeight) { Break(); continue; }
            var take = new int[cells.Length];
            var avail = flow.Remaining - 2 * PadY;
            var any = false;
            for (var c = 0; c < cells.Length; c++)
            {
                var used = next[c] == 0 ? shift[c] : 0;
                for (var l = next[c]; l < cells[c].Lines.Count && used + cells[c].Lines[l].Height <= avail + 0.01f; l++)
                {
                    used += cells[c].Lines[l].Height;
                    take[c]++;
                }
                if (take[c] == 0 && fresh && next[c] < cells[c].Lines.Count) take[c] = 1; // a line taller than a page
                any |= take[c] > 0;
            }
            if (!any) { Break(); continue; }
            Slice(cells, next, take, index);
            split = true;
            if (Enumerable.Range(0, cells.Length).All(c => next[c] >= cells[c].Lines.Count)) return;
            Break();
        }
    }

    void Slice(WrappedText[] cells, int[] next, int[]? take, int index)
    {
        var height = 0f;
        for (var c = 0; c < cells.Length; c++)
            height = Math.Max(height, LinesHeight(cells[c], next[c], take?[c] ?? cells[c].Lines.Count - next[c]) + (next[c] == 0 ? shift[c] : 0));
        height += 2 * PadY;
        if (Zebra && index % 2 == 1) flow.Fill(new SKRect(flow.Left, flow.Y, flow.Right, flow.Y + height), Typography.ZebraFill);
        for (var c = 0; c < cells.Length; c++)
        {
            var y = flow.Y + PadY + (next[c] == 0 ? shift[c] : 0);
            var end = take is null ? cells[c].Lines.Count : next[c] + take[c];
            for (; next[c] < end; next[c]++)
            {
                var line = cells[c].Lines[next[c]];
                flow.DrawLine(cells[c], line, xs[c] + PadX, y, widths[c] - 2 * PadX, aligns[c]);
                y += line.Height;
            }
        }
        flow.Y += height;
        if (RowRules) flow.Rule(flow.Left, flow.Y, flow.Right, flow.Y, Typography.HairlineColor);
    }

    void Break()
    {
        flow.NewPage();
        DrawHeader();
    }

    void DrawHeader()
    {
        if (header is not null)
        {
            flow.Fill(new SKRect(flow.Left, flow.Y, flow.Right, flow.Y + headerHeight), Typography.HeaderFill);
            for (var c = 0; c < header.Length; c++)
            {
                var y = flow.Y + PadY;
                foreach (var line in header[c].Lines)
                {
                    flow.DrawLine(header[c], line, xs[c] + PadX, y, widths[c] - 2 * PadX, aligns[c]);
                    y += line.Height;
                }
            }
            flow.Y += headerHeight;
            flow.Rule(flow.Left, flow.Y, flow.Right, flow.Y, Typography.AccentLight, 0.75f);
        }
        bodyTop = flow.Y;
    }

    WrappedText[] Wrap(IReadOnlyList<string> cells, Func<int, TextStyle> style)
    {
        var wrapped = new WrappedText[widths.Length];
        for (var c = 0; c < widths.Length; c++)
            wrapped[c] = flow.Wrap(c < cells.Count ? cells[c] ?? "" : "", style(c), widths[c] - 2 * PadX);
        return wrapped;
    }

    float Height(WrappedText[] cells, int[] next)
    {
        var h = 0f;
        for (var c = 0; c < cells.Length; c++)
            h = Math.Max(h, LinesHeight(cells[c], next[c], cells[c].Lines.Count - next[c]) + (next[c] == 0 ? shift[c] : 0));
        return h;
    }

    /// <summary>How far each cell moves down so the first lines of a row share one baseline across styles.</summary>
    static float[] FirstBaselines(WrappedText[] cells)
    {
        var baseline = cells.Max(c => c.Lines[0].Baseline);
        return cells.Select(c => baseline - c.Lines[0].Baseline).ToArray();
    }

    static float LinesHeight(WrappedText text, int first, int count)
    {
        var h = 0f;
        for (var l = first; l < first + count; l++) h += text.Lines[l].Height;
        return h;
    }

    static float[] Offsets(float left, float[] widths)
    {
        var xs = new float[widths.Length];
        for (var c = 0; c < widths.Length; c++) xs[c] = c == 0 ? left : xs[c - 1] + widths[c - 1];
        return xs;
    }
}
