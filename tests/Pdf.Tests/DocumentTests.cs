using System.Text;
using Governance.Pdf;

namespace Governance.Pdf.Tests;

public sealed class DocumentTests
{
    [Fact]
    public void metadata_is_written_with_the_callers_dates()
    {
        var metadata = Pdfs.Metadata() with { ModifiedAt = Pdfs.Created.AddHours(2) };

        using var pdf = Pdfs.Open(Pdfs.Render(Pdfs.Document(new Paragraph("x")), metadata));

        var info = pdf.Information;
        Assert.Equal("Licence compliance report", info.Title);
        Assert.Equal("Governance", info.Author);
        Assert.Equal("Deployment dep-42", info.Subject);
        Assert.Equal("compliance, llm, audit", info.Keywords);
        Assert.Equal("Governance", info.Creator);
        Assert.Equal("Governance reports (SkiaSharp PDF)", info.Producer);
        Assert.Equal("D:20260314092653+00'00'", info.CreationDate);
        Assert.Equal("D:20260314112653+00'00'", info.ModifiedDate);
    }

    [Fact]
    public void a_non_utc_creation_date_is_written_as_the_same_instant_in_utc()
    {
        var metadata = Pdfs.Metadata() with { CreatedAt = new DateTimeOffset(2026, 3, 14, 15, 0, 0, TimeSpan.FromHours(5.5)) };

        using var pdf = Pdfs.Open(Pdfs.Render(Pdfs.Document(new Paragraph("x")), metadata));

        Assert.Equal("D:20260314093000+00'00'", pdf.Information.CreationDate);
    }

    [Fact]
    public void pdf_a_adds_xmp_identification_and_an_output_intent()
    {
        var text = Encoding.Latin1.GetString(Pdfs.Render(new Paragraph("x")));

        Assert.Contains("<pdfaid:part>2</pdfaid:part>", text);
        Assert.Contains("<pdfaid:conformance>B</pdfaid:conformance>", text);
        Assert.Contains("/OutputIntents", text);
        Assert.Contains("<xmp:CreateDate>2026-03-14T09:26:53+00:00</xmp:CreateDate>", text);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void the_same_input_renders_to_the_same_bytes(bool pdfA)
    {
        byte[] Render()
        {
            var builder = new PdfDocumentBuilder();
            new SampleReport(SampleReport.Example(80)).Compose(builder);
            return Pdfs.Render(builder, Pdfs.Metadata(pdfA));
        }

        Assert.Equal(Render(), Render());
    }

    [Fact]
    public void renders_running_in_parallel_share_fonts_and_stay_identical()
    {
        var renders = new byte[4][];

        Parallel.For(0, renders.Length, i => renders[i] = Pdfs.Render(new Heading("Parallel"), new Paragraph(string.Join(' ', Enumerable.Repeat("text", 3000)))));

        Assert.All(renders, r => Assert.Equal(renders[0], r));
    }

    [Fact]
    public void a_trailer_id_skia_wrote_as_a_literal_string_is_replaced_too()
    {
        var pdf = Encoding.Latin1.GetBytes(
            "<xmpMM:DocumentID>uuid:d174ebd3-5f56-71bd-3d67-1dacb422c33c</xmpMM:DocumentID>\n" +
            "<xmpMM:InstanceID>uuid:d174ebd3-5f56-71bd-3d67-1dacb422c33c</xmpMM:InstanceID>\n" +
            "xref\ntrailer\n<</Size 12\n/Root 7 0 R\n/ID [(j?\\2778CL<\\371]) (j?\\2778CL<\\371])]>>\nstartxref\n42\n%%EOF");
        using var output = new MemoryStream();

        PdfFixups.Write(new MemoryStream(pdf), Pdfs.Metadata(), output);

        var text = Encoding.Latin1.GetString(output.ToArray());
        var hex = System.Text.RegularExpressions.Regex.Match(text, @"/ID \[<([0-9A-F]{32})> <\1>\]>>\nstartxref\n42\n%%EOF$").Groups[1].Value;
        Assert.NotEmpty(hex);
        Assert.Equal(2, text.Split($"uuid:{new Guid(hex):D}<").Length - 1);
    }

    [Fact]
    public void the_document_id_follows_the_content()
    {
        static string Id(string text) =>
            Encoding.Latin1.GetString(Pdfs.Render(new Paragraph(text))).Split("/ID [<")[1][..32];

        Assert.Equal(Id("one"), Id("one"));
        Assert.NotEqual(Id("one"), Id("two"));
    }

    [Fact]
    public void host_dependent_zone_offsets_from_skia_are_rewritten_to_utc()
    {
        var pdf = Encoding.ASCII.GetBytes("/CreationDate (D:20260314092653+20'00')\n/ModDate (D:20260314092653-13'00')\n");
        using var output = new MemoryStream();

        PdfFixups.Write(new MemoryStream(pdf), Pdfs.Metadata(pdfA: false), output);

        Assert.Equal("/CreationDate (D:20260314092653+00'00')\n/ModDate (D:20260314092653+00'00')\n", Encoding.ASCII.GetString(output.ToArray()));
    }

    [Fact]
    public void missing_fonts_are_reported_with_the_files_needed_and_how_to_install_them()
    {
        var error = Assert.Throws<FontsMissingException>(() => FontSet.Load("/nonexistent/fonts"));

        Assert.Contains("DejaVuSans.ttf, DejaVuSans-Bold.ttf, DejaVuSansMono.ttf", error.Message);
        Assert.Contains("apt-get install fonts-dejavu-core", error.Message);
        Assert.Contains("/nonexistent/fonts", error.Message);
    }
}
