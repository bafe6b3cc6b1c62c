using SkiaSharp;

namespace Governance.Pdf;

/// <summary>
/// Collects a report's blocks and page furniture and renders them in two passes: layout decides every page
/// (so the page count is known), then each page is drawn with its header and footer ("Page x of y").
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

    public static void Render(IReportDocument report, Stream output, FontSet? fonts = null)
    {
        var builder = new PdfDocumentBuilder();
        report.Compose(builder);
        builder.Render(output, report.Metadata, fonts ?? FontSet.Load());
    }

    public void Render(Stream output, PdfMetadata metadata, FontSet fonts)
    {
        var pages = Layout(fonts);
        using var buffer = new MemoryStream();
        using (var document = SKDocument.CreatePdf(buffer, ToSkia(metadata)))
        using (var painter = new Painter(fonts))
        {
            for (var p = 0; p < pages.Count; p++)
            {
                var info = new PageInfo(p + 1, pages.Count);
                var canvas = document.BeginPage(PageSize.Width, PageSize.Height);
                if (header is not null) painter.Draw(canvas, Band(fonts, header(info), MarginY).Ops);
                painter.Draw(canvas, pages[p]);
                if (footer is not null)
                {
                    var blocks = footer(info).ToList();
                    painter.Draw(canvas, Band(fonts, blocks, PageSize.Height - MarginY - Band(fonts, blocks, 0).Height).Ops);
                }
                document.EndPage();
            }
            document.Close();
        }
        PdfFixups.Write(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), metadata, output);
    }

    internal List<List<Op>> Layout(FontSet fonts)
    {
        var width = PageSize.Width - 2 * MarginX;
        var flow = new Flow(fonts, MarginX, width, page =>
        {
            var info = new PageInfo(page + 1, page + 1);
            var top = MarginY + (header is null ? 0 : Band(fonts, header(info), 0).Height + BandGap);
            var bottom = PageSize.Height - MarginY - (footer is null ? 0 : Band(fonts, footer(info), 0).Height + BandGap);
            return (top, bottom);
        });
        foreach (var block in content) block.Layout(flow);
        return flow.Pages;
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
