using Governance.Pdf;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace Governance.Pdf.Tests;

/// <summary>Renders blocks to PDF bytes and reads them back with PdfPig.</summary>
internal static class Pdfs
{
    public static readonly DateTimeOffset Created = new(2026, 3, 14, 9, 26, 53, TimeSpan.Zero);
    public static readonly FontSet Fonts = FontSet.Load();

    public static PdfMetadata Metadata(bool pdfA = true) => new("Licence compliance report", "Governance", Created)
    {
        Subject = "Deployment dep-42",
        Keywords = ["compliance", "llm", "audit"],
        PdfA = pdfA,
    };

    public static PdfDocumentBuilder Document(params Block[] blocks) =>
        new PdfDocumentBuilder()
            .Header(_ => [new TextRow("Governance", Right: "Licence compliance report"), new Rule()])
            .Footer(p => [new Rule(), new TextRow("Confidential", Right: $"Page {p.Number} of {p.Total}")])
            .Add(blocks);

    public static byte[] Render(PdfDocumentBuilder builder, PdfMetadata? metadata = null)
    {
        using var output = new MemoryStream();
        builder.Render(output, metadata ?? Metadata(), Fonts);
        return output.ToArray();
    }

    public static byte[] Render(params Block[] blocks) => Render(Document(blocks));

    public static PdfDocument Open(byte[] pdf) => PdfDocument.Open(pdf);

    /// <summary>The page's words in drawing order, with the header and footer rows left out.</summary>
    public static List<string> BodyWords(Page page)
    {
        var words = page.GetWords().ToList();
        return words.Where(w => w.BoundingBox.Bottom < page.Height - 50 && w.BoundingBox.Top > 50).Select(w => w.Text).ToList();
    }
}
