using FastEndpoints;
using FluentValidation;
using Governance.Api.Features.Company;
using Governance.Api.Infrastructure;
using Governance.Policies;
using Marten;

namespace Governance.Api.Features.Deployments.ReportScanFailure;

public sealed class Request
{
    public Guid Id { get; set; }
    /// <summary>The lease the scan ran under, if any.</summary>
    public Guid? LeaseId { get; set; }
    /// <summary><c>artifact-mismatch</c> (the file is not the registered artifact) or <c>artifact-unreadable</c> (not a model file the scanner accepts).</summary>
    public string? Code { get; set; }
    public string? Message { get; set; }
    /// <summary>What the scanner saw, e.g. <c>{"registered": "…", "actual": "…"}</c>.</summary>
    public Dictionary<string, string>? Facts { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(x => x.Code).NotEmpty().Must(c => c is FindingCodes.ArtifactMismatch or FindingCodes.ArtifactUnreadable)
            .WithMessage($"'code' must be '{FindingCodes.ArtifactMismatch}' or '{FindingCodes.ArtifactUnreadable}'.");
        RuleFor(x => x.Message).NotEmpty().MaximumLength(2000);
        RuleFor(x => x.Facts).Must(f => f is null || (f.Count <= 20 && f.All(kv => kv.Key.Length is > 0 and <= 100 && kv.Value is { Length: <= 500 })))
            .WithMessage("'facts' holds at most 20 entries, keys up to 100 and values up to 500 characters.");
    }
}

/// <summary>
/// A scanner reports that it could not attest the artifact. The report is not signed evidence, so it can only add a
/// blocking finding (which legal may waive), never satisfy a requirement; an approved deployment goes to review.
/// </summary>
[Creates, Refuses(409)]
public sealed class Endpoint(IDocumentSession session, Assessor assessor, TimeProvider clock) : Endpoint<Request, DeploymentView>
{
    public override void Configure()
    {
        Post("/deployments/{id}/scan-failures");
        this.Allow(Role.Scanner);
        Summary(s => s.Summary = "Report that a scan could not attest the artifact (artifact-mismatch or artifact-unreadable)");
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        if (await session.LoadAsync<DeploymentView>(req.Id, ct) is not { } state)
        {
            await Send.ResultAsync(Problem.DeploymentNotFound(req.Id));
            return;
        }
        if (state.Status is DeploymentStatus.Retired or DeploymentStatus.Rejected)
        {
            await Send.ResultAsync(Problem.Of(409, "Deployment not in service", $"The deployment is {Naming.Snake(state.Status)}; it takes no scan results."));
            return;
        }
        var (now, by) = (clock.GetUtcNow(), Actor.From(User));
        var failed = new ScanFailed(state.Id, req.LeaseId, req.Code!, req.Message!.Trim(), req.Facts ?? [], by, now);
        var company = await session.LoadAsync<CompanyView>(CompanyView.StreamId, ct);
        // Appended at the version read: a concurrent change makes this a 409, never a report on a stale state.
        Reassessment.Reassess(session, assessor, state, company, "scan-failed", by, now, [failed]);
        await session.SaveChangesAsync(ct);
        var view = await session.LoadAsync<DeploymentView>(state.Id, ct);
        HttpContext.Response.Headers.ETag = ETag.Of(view!.Version);
        await Send.ResponseAsync(view, StatusCodes.Status201Created, ct);
    }
}
