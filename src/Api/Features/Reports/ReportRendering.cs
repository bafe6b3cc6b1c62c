using System.Security.Cryptography;
using Governance.Api.Infrastructure;
using Governance.Pdf;
using Microsoft.Extensions.Options;
using Marten;

namespace Governance.Api.Features.Reports;

/// <summary>
/// Renders a report, records its digest, and hands back the bytes. Rendering is CPU work: at most half the cores
/// render at once, so a burst of report downloads never starves the rest of the API of threads or CPU.
/// </summary>
public sealed class ReportRendering(IOptions<GovernanceOptions> options, ILogger<ReportRendering> log)
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
    /// Renders into a temporary file (deleted when the returned stream is disposed), hashes it, records the issue, and
    /// returns the file positioned at its start: nothing of the report is held in memory, whatever its length.
    /// </summary>
    internal async Task<(FileStream Pdf, ReportIssued Issued)> IssueAsync(
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
