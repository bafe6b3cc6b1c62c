using System.Globalization;
using Governance.Api.Features.Deployments;
using Governance.Pdf;
using Governance.Policies;
using Governance.Policies.Evaluation;

namespace Governance.Api.Features.Reports.Portfolio;

public sealed record PortfolioReportModel(Guid ReportId, DateTimeOffset IssuedAt, Actor IssuedBy, string CompanyName, IReadOnlyList<DeploymentView> Deployments);

/// <summary>Every deployment of the company on a few pages: a one-page summary, then the full list and what needs attention.</summary>
internal sealed class PortfolioReportDocument(PortfolioReportModel m) : IReportDocument
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private DateOnly Today => DateOnly.FromDateTime(m.IssuedAt.UtcDateTime);

    public PdfMetadata Metadata => new($"Portfolio compliance report: {m.CompanyName}", $"Governance, issued to {m.IssuedBy.Name}", m.IssuedAt)
    {
        Subject = $"{m.Deployments.Count} deployments as of {Time(m.IssuedAt)}; report {m.ReportId}",
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
        var d = m.Deployments;
        var open = d.Where(x => x.Status != DeploymentStatus.Retired).ToList();
        int Waivers(int days) => open.Sum(x => x.Waivers.Count(w => w.ExpiresOn >= Today && w.ExpiresOn <= Today.AddDays(days)));
        var attested = open.Where(x => x.Attestation?.Valid == true).ToList();
        yield return new Paragraph("Portfolio compliance report", Typography.Title);
        yield return new Paragraph(m.CompanyName, Typography.Heading2);
        yield return new KeyValues(
        [
            ("Deployments", $"{d.Count} ({open.Count} in service, {d.Count - open.Count} retired)"),
            ("By status", string.Join(", ", d.GroupBy(x => x.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} {Words(g.Key)}"))),
            ("By verdict (in service)", string.Join(", ", open.GroupBy(x => x.Assessment?.Verdict).OrderBy(g => g.Key).Select(g => $"{g.Count()} {(g.Key is { } v ? Words(v) : "not assessed")}"))),
            ("Open obligations", $"{open.Sum(Obligations)} across {open.Count(x => Obligations(x) > 0)} deployments"),
            ("Unwaived blocking findings", $"{open.Sum(x => x.Assessment?.Findings.Count(f => f.IsOpenBlocking()) ?? 0)} across {open.Count(x => x.Assessment?.Verdict == Verdict.NonCompliant)} deployments"),
            ("Waivers expiring", $"{Waivers(30)} in the next 30 days, {Waivers(90)} in the next 90 days"),
            ("Attested", attested.Count == 0 ? "none" : $"{attested.Count} of {open.Count}; oldest attestation {attested.Max(a => Age(a))} days old"),
            ("Needs review", $"{open.Count(x => x.Status == DeploymentStatus.ReviewRequired)} review required, {open.Count(x => x.Status == DeploymentStatus.PendingReview)} pending review"),
            ("Report id", m.ReportId.ToString()),
            ("Issued", $"{Time(m.IssuedAt)} to {m.IssuedBy.Name} ({m.IssuedBy.Role})"),
        ]);
        var byLicense = open.GroupBy(x => x.Model.LicenseId).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Take(12).ToList();
        if (byLicense.Count > 0)
            yield return new BarChart("Deployments in service by license", byLicense.Select(g => new Bar(g.Key, g.Count())).ToList(), "deployments", 170);
    }

    private IEnumerable<Block> AllDeployments()
    {
        yield return new Heading("Every deployment");
        yield return new Table(
        [
            TableColumn.Relative("Deployment", 2), TableColumn.Relative("Model · license", 2.2f), TableColumn.Constant("Status", 62),
            TableColumn.Constant("Verdict", 62), TableColumn.Relative("Open obligations", 2), TableColumn.Constant("Next waiver expiry", 58),
            TableColumn.Constant("Scan age", 44, TextAlign.Right),
        ],
        m.Deployments.OrderBy(x => x.Status == DeploymentStatus.Retired).ThenBy(x => x.Name, StringComparer.Ordinal).Select(x => (IReadOnlyList<string>)
        [
            x.Name, $"{x.Model.Name} · {x.Model.LicenseId}", Words(x.Status), x.Assessment is { } a ? Words(a.Verdict) : "—",
            string.Join(", ", x.Assessment?.Findings.Where(f => f.Severity == Severity.Obligation).Select(f => f.Code).Distinct() ?? []),
            x.NextWaiverExpiry?.ToString("yyyy-MM-dd", Inv) ?? "—",
            x.Attestation?.Valid == true ? $"{Age(x)} d" : "none",
        ]).ToList());
    }

    private IEnumerable<Block> Attention()
    {
        var open = m.Deployments.Where(x => x.Status != DeploymentStatus.Retired).ToList();
        var expiring = open.SelectMany(x => x.Waivers.Where(w => w.ExpiresOn <= Today.AddDays(90)).Select(w => (x, w)))
            .OrderBy(p => p.w.ExpiresOn).ToList();
        yield return new Heading("Waivers expiring in the next 90 days");
        yield return expiring.Count == 0
            ? new Paragraph("None.")
            : new Table(
                [TableColumn.Relative("Deployment", 2), TableColumn.Constant("Finding", 130), TableColumn.Constant("Expires on", 62), TableColumn.Constant("Within", 50), TableColumn.Relative("Reason", 2)],
                expiring.Select(p => (IReadOnlyList<string>)
                [
                    p.x.Name, p.w.FindingCode, p.w.ExpiresOn.ToString("yyyy-MM-dd", Inv), p.w.ExpiresOn <= Today.AddDays(30) ? "30 days" : "90 days", p.w.Reason,
                ]).ToList());

        var attention = open.Where(x => x.Status == DeploymentStatus.ReviewRequired || x.Assessment?.Verdict == Verdict.NonCompliant).ToList();
        yield return new Heading("Deployments that need attention");
        yield return attention.Count == 0
            ? new Paragraph("None: no deployment in service is non-compliant or awaiting review.")
            : new Table(
                [TableColumn.Relative("Deployment", 2), TableColumn.Constant("Status", 70), TableColumn.Relative("Why", 4)],
                attention.Select(x => (IReadOnlyList<string>)
                [
                    x.Name, Words(x.Status),
                    x.ReviewReason ?? string.Join(" ", x.Assessment?.Findings.Where(f => f.IsOpenBlocking()).Select(f => $"[{f.Code}] {f.Message}") ?? []),
                ]).ToList());
    }

    private static int Obligations(DeploymentView x) => x.Assessment?.Findings.Count(f => f.Severity == Severity.Obligation) ?? 0;

    private int Age(DeploymentView x) => x.Attestation is { } a ? Math.Max(0, (int)(m.IssuedAt - a.Predicate.ScannedAt).TotalDays) : 0;

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Inv) + " UTC";

    private static string Words<T>(T value) where T : struct, Enum => Naming.Words(value);
}
