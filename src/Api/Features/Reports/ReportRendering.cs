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

    internal async Task<(byte[] Pdf, ReportIssued Issued)> IssueAsync(
        IDocumentSession session, IReportDocument document, Guid reportId, string kind, Guid? deploymentId, DateTimeOffset asOf,
        Actor by, DateTimeOffset at, CancellationToken ct)
    {
        byte[] pdf;
        var fonts = FontSet.Load(FontsDir);
        await _gate.WaitAsync(ct);
        try
        {
            pdf = await Task.Run(() =>
            {
                using var buffer = new MemoryStream();
                PdfDocumentBuilder.Render(document, buffer, fonts);
                return buffer.ToArray();
            }, ct);
        }
        finally
        {
            _gate.Release();
        }

        var issued = new ReportIssued(reportId, kind, deploymentId, Convert.ToHexStringLower(SHA256.HashData(pdf)), asOf, CountPages(pdf), pdf.Length, by, at);
        session.Events.StartStream<ReportView>(reportId, issued);
        await session.SaveChangesAsync(ct);
        return (pdf, issued);
    }

    /// <summary>Counts "/Type /Page" objects: enough for the ledger entry, and no PDF parser needed on the server.</summary>
    private static int CountPages(byte[] pdf)
    {
        ReadOnlySpan<byte> marker = "/Type /Page"u8;
        var count = 0;
        var span = pdf.AsSpan();
        for (var i = span.IndexOf(marker); i >= 0; i = span.IndexOf(marker))
        {
            var after = i + marker.Length;
            if (after >= span.Length || span[after] != (byte)'s') count++;
            span = span[after..];
        }
        return count;
    }
}
