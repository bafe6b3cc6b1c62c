using SkiaSharp;

namespace Governance.Pdf;

/// <summary>
/// Collects a report's blocks and page furniture and renders them in two passes: the first counts the pages, the
/// second draws each page with its header and footer ("Page x of y") as soon as it is laid out.
/// </summary>
public sealed class PdfDocumentBuilder
{
    public static readonly SKSize A4 = new(595.28f, 841.89f);

    readonly List<Block> content = [];
    Func<PageInfo, IEnumerable<Block>>? header;
    Func<PageInfo, IEnumerable<Block>>? footer;

    public SKSize PageSize { get; set; } = A4;
    public float MarginX { get; set; } = 50;
    public float MarginY { get; set; } = 36;

    /// <summary>Space between the header or footer band and the body.</summary>
    public float BandGap { get; set; } = 14;

    /// <summary>Header blocks for a page; while laying out, <see cref="PageInfo.Total"/> is provisional (the page's own number).</summary>
    public PdfDocumentBuilder Header(Func<PageInfo, IEnumerable<Block>> compose) { header = compose; return this; }

    public PdfDocumentBuilder Footer(Func<PageInfo, IEnumerable<Block>> compose) { footer = compose; return this; }

    public PdfDocumentBuilder Add(params IEnumerable<Block> blocks) { content.AddRange(blocks); return this; }

    /// <returns>The number of pages.</returns>
    public static int Render(IReportDocument report, Stream output, FontSet? fonts = null)
    {
        var builder = new PdfDocumentBuilder();
        report.Compose(builder);
        return builder.Render(output, report.Metadata, fonts ?? FontSet.Load());
    }

    /// <summary>
    /// Lays the content out twice: once to count the pages, then again drawing each page as it is finished, so no
    /// more than one page of drawing ops is ever held. Blocks are therefore laid out twice and must read the same
    /// both times (a <see cref="Table"/> over a <see cref="RowSpool"/> re-reads its file). Skia writes into a
    /// temporary file, which <see cref="PdfFixups"/> patches before the bytes are copied to <paramref name="output"/>.
    /// </summary>
    /// <returns>The number of pages.</returns>
    public int Render(Stream output, PdfMetadata metadata, FontSet fonts)
    {
        var total = Layout(fonts, _ => { });
        using var raw = new FileStream(Path.Combine(Path.GetTempPath(), $"governance-{Guid.NewGuid():N}.pdf"), FileMode.CreateNew,
            FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        using (var document = SKDocument.CreatePdf(raw, ToSkia(metadata)))
        using (var painter = new Painter(fonts))
        {
            var number = 0;
            var drawn = Layout(fonts, ops =>
            {
                var info = new PageInfo(++number, total);
                var canvas = document.BeginPage(PageSize.Width, PageSize.Height);
                if (header is not null) painter.Draw(canvas, Band(fonts, header(info), MarginY).Ops);
                painter.Draw(canvas, ops);
                if (footer is not null)
                {
                    var blocks = footer(info).ToList();
                    painter.Draw(canvas, Band(fonts, blocks, PageSize.Height - MarginY - Band(fonts, blocks, 0).Height).Ops);
                }
                document.EndPage();
            });
            if (drawn != total) throw new InvalidOperationException($"The layout changed between passes ({total} pages, then {drawn}): a block read different content twice.");
            document.Close();
        }
        raw.Flush();
        PdfFixups.Write(raw, metadata, output);
        return total;
    }

    /// <summary>Lays the content out, handing each finished page's ops to <paramref name="page"/>; returns the page count.</summary>
    internal int Layout(FontSet fonts, Action<List<Op>> page)
    {
        var width = PageSize.Width - 2 * MarginX;
        var flow = new Flow(fonts, MarginX, width, n =>
        {
            var info = new PageInfo(n + 1, n + 1);
            var top = MarginY + (header is null ? 0 : Band(fonts, header(info), 0).Height + BandGap);
            var bottom = PageSize.Height - MarginY - (footer is null ? 0 : Band(fonts, footer(info), 0).Height + BandGap);
            return (top, bottom);
        }, page);
        foreach (var block in content) block.Layout(flow);
        flow.Finish();
        return flow.PageCount;
    }

    (List<Op> Ops, float Height) Band(FontSet fonts, IEnumerable<Block> blocks, float top)
    {
        var band = new Flow(fonts, MarginX, PageSize.Width - 2 * MarginX, top);
        foreach (var block in blocks) block.Layout(band);
        return (band.Page, band.Y - top);
    }

    static SKDocumentPdfMetadata ToSkia(PdfMetadata m)
    {
        var skia = SKDocumentPdfMetadata.Default;
        skia.Title = m.Title;
        skia.Author = m.Author;
        skia.Subject = m.Subject;
        skia.Keywords = string.Join(", ", m.Keywords);
        skia.Creator = m.Creator;
        skia.Producer = m.Producer;
        // Skia keeps the wall-clock fields and derives a zone offset from the host; PdfFixups rewrites that offset to UTC.
        skia.Creation = DateTime.SpecifyKind(m.CreatedAt.UtcDateTime, DateTimeKind.Unspecified);
        skia.Modified = DateTime.SpecifyKind((m.ModifiedAt ?? m.CreatedAt).UtcDateTime, DateTimeKind.Unspecified);
        skia.PdfA = m.PdfA;
        return skia;
    }

    /// <summary>Turns ops into Skia calls; fonts are made once per face and size for the whole document.</summary>
    sealed class Painter(FontSet fonts) : IDisposable
    {
        readonly Dictionary<(FontKind, float), SKFont> cache = [];
        readonly SKPaint fill = new() { IsAntialias = true, Style = SKPaintStyle.Fill };
        readonly SKPaint stroke = new() { IsAntialias = true, Style = SKPaintStyle.Stroke };

        public void Draw(SKCanvas canvas, List<Op> ops)
        {
            foreach (var op in ops)
            {
                switch (op.Kind)
                {
                    case OpKind.Text when op.Text is { Length: > 0 } && op.Style is { } style:
                        if (!cache.TryGetValue((style.Font, style.Size), out var font))
                            cache[(style.Font, style.Size)] = font = fonts[style.Font].CreateFont(style.Size);
                        fill.Color = op.Color;
                        canvas.DrawText(op.Text, op.X, op.Y, SKTextAlign.Left, font, fill);
                        break;
                    case OpKind.Fill:
                        fill.Color = op.Color;
                        canvas.DrawRect(new SKRect(op.X, op.Y, op.X2, op.Y2), fill);
                        break;
                    case OpKind.Line:
                        stroke.Color = op.Color;
                        stroke.StrokeWidth = op.Thickness;
                        canvas.DrawLine(op.X, op.Y, op.X2, op.Y2, stroke);
                        break;
                }
            }
        }

        public void Dispose()
        {
            foreach (var font in cache.Values) font.Dispose();
            fill.Dispose();
            stroke.Dispose();
        }
    }
}
