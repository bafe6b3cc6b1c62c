using System.Security.Cryptography;
using FastEndpoints;
using Governance.Api.Infrastructure;
using Marten;

namespace Governance.Api.Features.Reports.Verify;

public sealed record Response(bool Verified, string Sha256, string Detail, Guid? ReportId, string? Kind, Guid? DeploymentId, DateTimeOffset? AsOf,
    DateTimeOffset? IssuedAt, Actor? IssuedBy, int? Pages);

/// <summary>
/// Is this PDF one Governance issued? The upload's SHA-256 is looked up in the ledger of issued reports: a copy that
/// differs by one byte has another digest and does not verify. Send the PDF as the body (application/pdf) or as the
/// file of a multipart form.
/// </summary>
public sealed class Endpoint(IQuerySession session) : EndpointWithoutRequest<Response>
{
    /// <summary>The one upload limit: the web server is told it for this route (<see cref="RequestBodyLimit"/>), and the 413 states it.</summary>
    public const long MaxBytes = 100L << 20;

    public override void Configure()
    {
        Post("/reports/verify");
        this.Allow(Role.All.ToArray());
        Summary(s => s.Summary = "Verify that a PDF is a report Governance issued, and say which, when and for whom");
        // Any content type reaches the handler (which explains what it wants), so authentication answers first.
        Description(b => b.Accepts<FastEndpoints.EmptyRequest>("application/pdf", "multipart/form-data", "*/*").ProducesProblem(400).ProducesProblem(413)
            .WithMetadata(new RequestBodyLimit(MaxBytes)));
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var request = HttpContext.Request;
        Stream? body = null;
        if (request.HasFormContentType)
        {
            try
            {
                var form = await request.ReadFormAsync(ct);
                body = form.Files.FirstOrDefault()?.OpenReadStream();
            }
            // A form without a boundary, with a section header past the limit, or cut short is the caller's error.
            catch (Exception ex) when (ex is InvalidDataException or IOException and not BadHttpRequestException && !ct.IsCancellationRequested)
            {
                AddError(new FluentValidation.Results.ValidationFailure("file", $"Malformed multipart form: {ex.Message}"));
                await Send.ErrorsAsync(400, ct);
                return;
            }
        }
        else if (request.ContentType?.StartsWith("application/pdf", StringComparison.OrdinalIgnoreCase) == true
                 || request.ContentType?.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase) == true)
        {
            body = request.Body;
        }
        if (body is null)
        {
            AddError(new FluentValidation.Results.ValidationFailure("file", "Send the PDF as the request body with Content-Type application/pdf, or as a file in a multipart form."));
            await Send.ErrorsAsync(400, ct);
            return;
        }

        string sha256;
        await using (body)
        {
            try
            {
                sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(body, ct));
            }
            catch (IOException ex) when (ex is not BadHttpRequestException && !ct.IsCancellationRequested)
            {
                AddError(new FluentValidation.Results.ValidationFailure("body", $"The upload was cut short: {ex.Message}"));
                await Send.ErrorsAsync(400, ct);
                return;
            }
        }
        var report = await session.Query<ReportView>().FirstOrDefaultAsync(r => r.Sha256 == sha256, ct);
        await Send.OkAsync(report is null
            ? new Response(false, sha256, "No report issued by this Governance has this SHA-256: the file was not issued here, or it was changed.",
                null, null, null, null, null, null, null)
            : new Response(true, sha256, $"Issued by this Governance on {report.IssuedAt:O} to {report.IssuedBy.Name}.",
                report.Id, report.Kind, report.DeploymentId, report.AsOf, report.IssuedAt, report.IssuedBy, report.Pages), ct);
    }
}
