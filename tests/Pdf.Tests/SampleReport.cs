using System.Globalization;
using Governance.Pdf;

namespace Governance.Pdf.Tests;

/// <summary>A report shaped like the compliance report, to exercise every block through <see cref="IReportDocument"/>.</summary>
internal sealed class SampleReport(SampleReport.Model model) : IReportDocument
{
    internal sealed record Finding(string Rule, string Severity, string Text, string Status);

    internal sealed record Model(
        string Deployment, string ModelName, string Licence, string Digest, string SourceUrl,
        DateTimeOffset AssessedAt, IReadOnlyList<Finding> Findings, IReadOnlyList<double> TokensPerSecond);

    public PdfMetadata Metadata => new($"Licence compliance report: {model.Deployment}", "Governance", model.AssessedAt)
    {
        Subject = $"Compliance of deployment {model.Deployment} with the {model.Licence}",
        Keywords = ["licence compliance", model.Licence, model.Deployment],
    };

    public void Compose(PdfDocumentBuilder document) => document
        .Header(_ => [new TextRow("GOVERNANCE  ·  Licence compliance report", Right: model.Deployment), new Rule()])
        .Footer(page =>
        [
            new Rule(),
            new TextRow($"Assessed {model.AssessedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}  ·  Confidential",
                Right: $"Page {page.Number} of {page.Total}"),
        ])
        .Add(Content());

    IEnumerable<Block> Content()
    {
        yield return new Paragraph("Licence compliance report", Typography.Title);
        yield return new Paragraph($"{model.ModelName} deployed as {model.Deployment}", Typography.Small);
        yield return new Spacer(6);
        yield return new KeyValues(
        [
            ("Deployment", model.Deployment),
            ("Model", model.ModelName),
            ("Licence", model.Licence),
            ("Weights digest", $"sha256:{model.Digest}"),
            ("Source", model.SourceUrl),
            ("Assessed at", model.AssessedAt.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)),
        ]);
        yield return new Heading("Summary");
        yield return new Paragraph(
        [
            new Span("The deployment was assessed against "),
            new Span($"{model.Findings.Count} rules", Typography.Strong),
            new Span($" of the {model.Licence}. Blocking findings must be resolved or waived before approval; advisory findings are recorded for the auditor. "
                + "Each finding names the rule it comes from and the evidence it rests on, so the assessment can be repeated from the recorded facts."),
        ]);
        yield return new Heading("Findings");
        yield return new Table(
            [
                TableColumn.Constant("Rule", 62),
                TableColumn.Constant("Severity", 56),
                TableColumn.Relative("Finding", 3),
                TableColumn.Constant("Status", 52, TextAlign.Right),
            ],
            model.Findings.Select(f => (IReadOnlyList<string>)[f.Rule, f.Severity, f.Text, f.Status]).ToList());
        yield return new Heading("Throughput");
        yield return new BarChart("Tokens per second by repetition",
            model.TokensPerSecond.Select((v, i) => new Bar($"#{i + 1}", v)).ToList(), "tokens/s");
        yield return new Heading("Evidence");
        yield return new Paragraph("Digests of the artefacts the assessment rests on:");
        yield return new Monospace($"weights  sha256:{model.Digest}\nlicence  sha256:{new string(model.Digest.Reverse().ToArray())}");
    }

    public static Model Example(int findings = 24) => new(
        "dep-eu-west-042", "Llama 3.1 70B Instruct (Q4_K_M)", "Llama 3.1 Community License",
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "https://huggingface.co/meta-llama/Llama-3.1-70B-Instruct/resolve/main/model-00001-of-00030.safetensors?download=true&revision=0123456789abcdef",
        new DateTimeOffset(2026, 3, 14, 9, 26, 53, TimeSpan.Zero),
        Enumerable.Range(1, findings).Select(i => new Finding(
            $"LL31-{i:D3}",
            (i % 5) switch { 0 => "Blocking", 1 or 2 => "Advisory", _ => "Info" },
            (i % 3) switch
            {
                0 => "Attribution notice \"Built with Llama\" is shown in the product's about page and documentation.",
                1 => $"Monthly active users reported as {i * 12_345:N0}, below the 700 million threshold that requires a separate licence.",
                _ => "Acceptable use policy is referenced in the terms of service; derivative model name starts with \"Llama\". Ελληνικά, Русский.",
            },
            i % 5 == 0 ? "Open" : "Pass")).ToList(),
        [41.2, 43.7, 42.9, 44.1, 38.6, 43.3, 42.8, 44.6]);
}
