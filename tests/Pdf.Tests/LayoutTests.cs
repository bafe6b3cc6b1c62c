using System.Text.RegularExpressions;
using Governance.Pdf;

namespace Governance.Pdf.Tests;

public sealed class LayoutTests
{
    const float Left = 50, Right = 595.28f - 50;

    [Fact]
    public void a_paragraph_longer_than_three_pages_flows_onto_further_pages_with_every_word_in_order()
    {
        var words = Enumerable.Range(1, 2400).Select(i => $"word{i:D4}").ToList();

        using var pdf = Pdfs.Open(Pdfs.Render(new Heading("Long text"), new Paragraph(string.Join(' ', words))));

        Assert.True(pdf.NumberOfPages >= 3, $"{pdf.NumberOfPages} pages");
        var extracted = pdf.GetPages().SelectMany(Pdfs.BodyWords).Where(w => w.StartsWith("word")).ToList();
        Assert.Equal(words, extracted);
    }

    [Fact]
    public void explicit_newlines_start_new_lines()
    {
        using var pdf = Pdfs.Open(Pdfs.Render(new Paragraph("first line\nsecond line\r\n\nfourth")));

        var lines = pdf.GetPage(1).GetWords().Where(w => w.Text is "first" or "second" or "fourth").Select(w => w.BoundingBox.Bottom).ToList();
        Assert.Equal(3, lines.Count);
        Assert.True(lines[0] > lines[1] && lines[1] - lines[2] > 1.5 * (lines[0] - lines[1]) - 0.1, "blank line kept between second and fourth");
    }

    [Fact]
    public void a_table_of_300_rows_spans_pages_repeating_its_header_and_keeps_every_row_once_in_order()
    {
        var ids = Enumerable.Range(1, 300).Select(i => $"R-{i:D4}").ToList();
        var rows = ids.Select((id, i) => (IReadOnlyList<string>)
            [id, i % 7 == 0 ? "A longer description that has to wrap onto a second line inside its narrow column" : "Short", $"{i * 3.5:F1}"]).ToList();
        var table = new Table([TableColumn.Constant("Identifier", 70), TableColumn.Relative("Description", 2), TableColumn.Relative("Amount", 1, TextAlign.Right)], rows);

        using var pdf = Pdfs.Open(Pdfs.Render(new Paragraph("Rows follow."), table, new Paragraph("After the table.")));

        Assert.True(pdf.NumberOfPages >= 3, $"{pdf.NumberOfPages} pages");
        Assert.All(pdf.GetPages(), page => Assert.Contains("IdentifierDescriptionAmount", page.Text));
        var found = pdf.GetPages().SelectMany(Pdfs.BodyWords).Where(w => Regex.IsMatch(w, @"^R-\d{4}$")).ToList();
        Assert.Equal(ids, found);
        Assert.Contains("After the table.", pdf.GetPage(pdf.NumberOfPages).Text);
    }

    [Fact]
    public void a_row_taller_than_a_page_is_split_between_lines_under_a_repeated_header()
    {
        var lines = Enumerable.Range(1, 150).Select(i => $"L{i:D3}").ToList();
        var table = new Table([TableColumn.Constant("Key", 80), TableColumn.Relative("Lines")], [["tall", string.Join('\n', lines)], ["after", "x"]]);

        using var pdf = Pdfs.Open(Pdfs.Render(table));

        Assert.True(pdf.NumberOfPages >= 2);
        Assert.All(pdf.GetPages(), page => Assert.Contains("KeyLines", page.Text));
        Assert.Equal(lines, pdf.GetPages().SelectMany(Pdfs.BodyWords).Where(w => Regex.IsMatch(w, @"^L\d{3}$")).ToList());
        Assert.Contains("after", pdf.GetPage(pdf.NumberOfPages).Text);
    }

    [Fact]
    public void long_unbreakable_strings_wrap_inside_the_margins_and_extract_whole()
    {
        var hash = string.Concat(Enumerable.Range(0, 32).Select(i => (i * 37 % 256).ToString("x2")));
        var url = "https://models.example.com/" + string.Concat(Enumerable.Range(0, 40).Select(i => $"seg{i:D2}x")) + "?q=" + new string('z', 30);
        url = url[..300];
        var table = new Table([TableColumn.Constant("Digest", 90, style: Typography.Mono), TableColumn.Relative("Where")], [[hash, url]]);

        var blocks = new Block[]
        {
            new Paragraph($"Digest {hash} of the file at {url} end."),
            new Paragraph(hash + hash, Typography.Heading1),
            new KeyValues([("Source", url), ("Digest", hash)]),
            new Monospace($"{hash}{hash}{hash}"),
            table,
        };
        using var pdf = Pdfs.Open(Pdfs.Render(blocks));

        var letters = pdf.GetPages().SelectMany(p => p.Letters).ToList();
        Assert.All(letters, l => Assert.InRange(l.EndBaseLine.X, Left - 0.05, Right + 0.05));
        Assert.All(letters, l => Assert.InRange(l.StartBaseLine.X, Left - 0.05, Right + 0.05));
        var text = string.Concat(pdf.GetPages().Select(p => p.Text)).Replace(" ", "");
        Assert.Equal(8, Regex.Matches(text, hash).Count); // paragraph, heading ×2, key/value, monospace ×3, table
        Assert.Equal(3, Regex.Matches(text, Regex.Escape(url)).Count);
    }

    [Fact]
    public void greek_and_cyrillic_render_and_extract()
    {
        using var pdf = Pdfs.Open(Pdfs.Render(new Heading("Ελληνικά"), new Paragraph("Русский текст и ελληνικό κείμενο."),
            new Table([TableColumn.Relative("Язык")], [["Ελληνικά"]])));

        var words = Pdfs.BodyWords(pdf.GetPage(1));
        Assert.Equal(["Ελληνικά", "Русский", "текст", "и", "ελληνικό", "κείμενο.", "Язык", "Ελληνικά"], words);
    }

    [Fact]
    public void characters_the_fonts_lack_become_replacement_characters_not_invisible_boxes()
    {
        using var pdf = Pdfs.Open(Pdfs.Render(new Paragraph("模型 ok")));

        Assert.Equal(["\uFFFD\uFFFD", "ok"], Pdfs.BodyWords(pdf.GetPage(1)));
    }

    [Fact]
    public void every_page_says_page_x_of_y_with_the_final_count()
    {
        var text = string.Join(' ', Enumerable.Repeat("filler", 2500));

        using var pdf = Pdfs.Open(Pdfs.Render(new Paragraph(text), new PageBreak(), new Paragraph("last")));

        var n = pdf.NumberOfPages;
        Assert.True(n >= 3);
        Assert.All(pdf.GetPages(), page => Assert.EndsWith($"Page {page.Number} of {n}", page.Text));
    }

    [Fact]
    public void a_bar_chart_draws_axis_ticks_value_labels_and_categories()
    {
        var chart = new BarChart("Throughput", [new Bar("#1", 41.2), new Bar("#2", 44.6), new Bar("#3", 38.0)], "tokens/s");

        using var pdf = Pdfs.Open(Pdfs.Render(chart));

        var words = Pdfs.BodyWords(pdf.GetPage(1));
        Assert.Superset(new HashSet<string> { "Throughput", "tokens/s", "0", "10", "50", "41.2", "44.6", "38.0", "#1", "#2", "#3" }, words.ToHashSet());
    }

    [Fact]
    public void a_report_class_composes_its_read_model_with_its_own_metadata()
    {
        var model = SampleReport.Example(findings: 60);
        using var output = new MemoryStream();

        PdfDocumentBuilder.Render(new SampleReport(model), output, Pdfs.Fonts);

        using var pdf = Pdfs.Open(output.ToArray());
        Assert.Equal("Licence compliance report: dep-eu-west-042", pdf.Information.Title);
        var rules = pdf.GetPages().SelectMany(Pdfs.BodyWords).Where(w => w.StartsWith("LL31-")).ToList();
        Assert.Equal(model.Findings.Select(f => f.Rule), rules);
    }
}
