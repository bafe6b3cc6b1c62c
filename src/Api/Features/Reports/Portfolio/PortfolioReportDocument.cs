using System.Globalization;
using Governance.Api.Features.Deployments;
using Governance.Pdf;
using Governance.Policies;
using Governance.Policies.Evaluation;

namespace Governance.Api.Features.Reports.Portfolio;

/// <summary>Every deployment of the company on a few pages: a one-page summary, then the full list and what needs attention.</summary>
internal sealed class PortfolioReportDocument(PortfolioReportModel m) : IReportDocument
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public PdfMetadata Metadata => new($"Portfolio compliance report: {m.CompanyName}", $"Governance, issued to {m.IssuedBy.Name}", m.IssuedAt)
    {
        Subject = $"{m.Total} deployments as of {Time(m.IssuedAt)}; report {m.ReportId}",
        Keywords = ["compliance", "portfolio", "license"],
    };

    public void Compose(PdfDocumentBuilder document)
    {
        document.Header(_ => [new TextRow($"Governance · Portfolio report · {m.CompanyName}", "", $"as of {Time(m.IssuedAt)}"), new Rule()]);
        document.Footer(page => [new Rule(), new TextRow($"Report {m.ReportId}", "", $"Page {page.Number} of {page.Total}")]);
        document.Add(Summary());
        document.Add(new PageBreak());
        document.Add(AllDeployments());
        document.Add(Attention());
        document.Add(new Heading("Verifying this report"));
        document.Add(new Paragraph($"Governance recorded the SHA-256 digest of this exact PDF in its ledger when it issued report {m.ReportId}. " +
                                   "POST the PDF to /reports/verify (Content-Type: application/pdf) to check a copy; a copy that differs by one byte does not verify."));
    }

    private IEnumerable<Block> Summary()
    {
        yield return new Paragraph("Portfolio compliance report", Typography.Title);
        yield return new Paragraph(m.CompanyName, Typography.Heading2);
        yield return new KeyValues(
        [
            ("Deployments", $"{m.Total} ({m.InService} in service, {m.Total - m.InService} retired)"),
            ("By status", string.Join(", ", m.ByStatus.OrderBy(g => g.Key).Select(g => $"{g.Value} {Naming.Words(g.Key)}"))),
            ("By verdict (in service)", string.Join(", ", m.ByVerdict.OrderBy(g => g.Key).Select(g => $"{g.Value} {Naming.Words(g.Key)}")
                .Concat(m.NotAssessed > 0 ? [$"{m.NotAssessed} not assessed"] : []))),
            ("Open obligations", $"{m.Obligations} across {m.WithObligations} deployments"),
            ("Unwaived blocking findings", $"{m.OpenBlocking} across {m.NonCompliant} deployments"),
            ("Waivers expiring", $"{m.WaiversWithin30} in the next 30 days, {m.WaiversWithin90} in the next 90 days"),
            ("Attested", m.Attested == 0 ? "none" : $"{m.Attested} of {m.InService}; oldest attestation {m.OldestAttestationDays} days old"),
            ("Needs review", $"{m.ByStatus.GetValueOrDefault(DeploymentStatus.ReviewRequired)} review required, {m.ByStatus.GetValueOrDefault(DeploymentStatus.PendingReview)} pending review"),
            ("Report id", m.ReportId.ToString()),
            ("Issued", $"{Time(m.IssuedAt)} to {m.IssuedBy.Name} ({m.IssuedBy.Role})"),
        ]);
        var byLicense = m.ByLicense.OrderByDescending(g => g.Value).ThenBy(g => g.Key, StringComparer.Ordinal).Take(12).ToList();
        if (byLicense.Count > 0)
            yield return new BarChart("Deployments in service by license", byLicense.Select(g => new Bar(g.Key, g.Value)).ToList(), "deployments", 170);
    }

    private IEnumerable<Block> AllDeployments()
    {
        yield return new Heading("Every deployment");
        yield return new Table(
        [
            // Obligation codes are long hyphenated words: their column gets the room, so a row is two or three lines, not five.
            TableColumn.Relative("Deployment", 1.6f), TableColumn.Relative("Model · license", 1.8f), TableColumn.Constant("Status", 62),
            TableColumn.Constant("Verdict", 62), TableColumn.Relative("Open obligations", 3.4f), TableColumn.Constant("Next waiver expiry", 58),
            TableColumn.Constant("Scan age", 44, TextAlign.Right),
        ], m.Deployments);
    }

    private IEnumerable<Block> Attention()
    {
        yield return new Heading("Waivers expiring in the next 90 days");
        yield return m.ExpiringWaivers.Count == 0
            ? new Paragraph("None.")
            : new Table(
                [TableColumn.Relative("Deployment", 2), TableColumn.Constant("Finding", 130), TableColumn.Constant("Expires on", 62), TableColumn.Constant("Within", 50), TableColumn.Relative("Reason", 2)],
                m.ExpiringWaivers);

        yield return new Heading("Deployments that need attention");
        yield return m.Attention.Count == 0
            ? new Paragraph("None: no deployment in service is non-compliant or awaiting review.")
            : new Table([TableColumn.Relative("Deployment", 2), TableColumn.Constant("Status", 70), TableColumn.Relative("Why", 4)], m.Attention);
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Inv) + " UTC";
}
