using System.Security.Cryptography;
using Governance.Api.Features.Company;
using Governance.Api.Features.Reports.Deployment;
using Governance.Api.Features.Reports.Portfolio;
using Governance.Api.Infrastructure;
using Governance.Pdf;
using Microsoft.Extensions.Options;
using Marten;

namespace Governance.Api.Features.Reports;

/// <summary>A report as issued: the PDF in a temporary file (deleted when disposed), its ledger entry and a file name.</summary>
public sealed record IssuedReport(FileStream Pdf, ReportIssued Issued, string FileName) : IAsyncDisposable
{
    /// <summary>The download, with the ledger's id and digest in headers; the file goes when the response is written.</summary>
    public IResult Download(HttpContext http)
    {
        http.Response.Headers["X-Report-Id"] = Issued.ReportId.ToString();
        http.Response.Headers["X-Report-Sha256"] = Issued.Sha256;
        return Results.File(Pdf, "application/pdf", FileName);
    }

    public ValueTask DisposeAsync() => Pdf.DisposeAsync();
}

/// <summary>
/// Issues reports, for the REST endpoints and the console alike: loads the model, renders, records the digest, and
/// hands back the file. Rendering is CPU work: at most half the cores render at once, so a burst of report downloads
/// never starves the rest of the API of threads or CPU.
/// </summary>
public sealed class ReportRendering(IOptions<GovernanceOptions> options, PolicySet policies, TimeProvider clock, ILogger<ReportRendering> log)
{
    private readonly SemaphoreSlim _gate = new(Math.Max(1, Environment.ProcessorCount / 2));

    /// <summary><c>Governance:Reports:FontsDir</c>, else the system font folders.</summary>
    private string? FontsDir => options.Value.Reports.FontsDir is { Length: > 0 } dir ? dir : null;

    /// <summary>Loads the fonts once at start-up so a missing package is reported then, not on an auditor's first download.</summary>
    public void CheckFonts()
    {
        try
        {
            FontSet.Load(FontsDir);
        }
        catch (FontsMissingException ex)
        {
            log.LogWarning("PDF reports are unavailable until this is fixed: {Problem}", ex.Message);
        }
    }

    /// <summary>
    /// The deployment's compliance report as it stood at <paramref name="asOf"/> (null, or an instant not yet past,
    /// is now); null when the deployment did not exist then.
    /// </summary>
    public async Task<IssuedReport?> DeploymentAsync(IDocumentSession session, Guid id, DateTimeOffset? asOf, Actor by, CancellationToken ct)
    {
        var (now, reportId) = (clock.GetUtcNow(), Guid.CreateVersion7());
        var past = asOf is { } requested && requested < now ? requested.ToUniversalTime() : (DateTimeOffset?)null;
        using var model = await DeploymentReportModel.LoadAsync(session, policies, id, past, reportId, now, by, ct);
        if (model is null) return null;
        var (pdf, issued) = await IssueAsync(session, new DeploymentReportDocument(model), reportId, "deployment", id, model.AsOf, by, now, ct);
        return new IssuedReport(pdf, issued, $"governance-report-{id}-{model.AsOf.UtcDateTime:yyyyMMddTHHmmssZ}.pdf");
    }

    /// <summary>The portfolio report: every deployment, now.</summary>
    public async Task<IssuedReport> PortfolioAsync(IDocumentSession session, Actor by, CancellationToken ct)
    {
        var (now, reportId) = (clock.GetUtcNow(), Guid.CreateVersion7());
        var company = await session.LoadAsync<CompanyState>(CompanyState.StreamId, ct);
        using var model = await PortfolioReportModel.LoadAsync(session, reportId, now, by, company?.Name ?? "Company", ct);
        var (pdf, issued) = await IssueAsync(session, new PortfolioReportDocument(model), reportId, "portfolio", null, now, by, now, ct);
        return new IssuedReport(pdf, issued, $"governance-portfolio-{now.UtcDateTime:yyyyMMddTHHmmssZ}.pdf");
    }

    /// <summary>
    /// Renders into a temporary file (deleted when the returned stream is disposed), hashes it, records the issue, and
    /// returns the file positioned at its start: nothing of the report is held in memory, whatever its length.
    /// </summary>
    private async Task<(FileStream Pdf, ReportIssued Issued)> IssueAsync(
        IDocumentSession session, IReportDocument document, Guid reportId, string kind, Guid? deploymentId, DateTimeOffset asOf,
        Actor by, DateTimeOffset at, CancellationToken ct)
    {
        var fonts = FontSet.Load(FontsDir);
        var pdf = new FileStream(Path.Combine(Path.GetTempPath(), $"governance-report-{reportId:N}.pdf"), FileMode.CreateNew,
            FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        try
        {
            int pages;
            await _gate.WaitAsync(ct);
            try
            {
                pages = await Task.Run(() => PdfDocumentBuilder.Render(document, pdf, fonts), ct);
            }
            finally
            {
                _gate.Release();
            }

            pdf.Position = 0;
            var sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(pdf, ct));
            var issued = new ReportIssued(reportId, kind, deploymentId, sha256, asOf, pages, pdf.Length, by, at);
            session.Events.StartStream<ReportView>(reportId, issued);
            await session.SaveChangesAsync(ct);
            pdf.Position = 0;
            return (pdf, issued);
        }
        catch
        {
            await pdf.DisposeAsync();
            throw;
        }
    }
}
