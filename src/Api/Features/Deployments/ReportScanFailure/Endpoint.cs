using FastEndpoints;
using FluentValidation;
using Governance.Api.Infrastructure;
using Governance.Attestations;

namespace Governance.Api.Features.Deployments.ReportScanFailure;

public sealed class Request
{
    public Guid Id { get; set; }
    /// <summary>The lease the scan ran under, if any.</summary>
    public Guid? LeaseId { get; set; }
    /// <summary>
    /// <c>artifact-mismatch</c> (the file is not the registered artifact), <c>artifact-unreadable</c> (not a model file the
    /// scanner accepts) or <c>architecture-unsupported</c> (a model the scanner's llama.cpp release cannot run).
    /// </summary>
    public string? Code { get; set; }
    public string? Message { get; set; }
    /// <summary>What the scanner saw, e.g. <c>{"registered": "…", "actual": "…"}</c>.</summary>
    public Dictionary<string, string>? Facts { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(x => x.Code).NotEmpty().Must(c => c is not null && ScanFailureCodes.All.Contains(c))
            .WithMessage($"'code' must be one of {string.Join(", ", ScanFailureCodes.All.Order(StringComparer.Ordinal))}.");
        RuleFor(x => x.Message).NotEmpty().MaximumLength(2000);
        RuleFor(x => x.Facts).Must(f => f is null || (f.Count <= 20 && f.All(kv => kv.Key.Length is > 0 and <= 100 && kv.Value is { Length: <= 500 })))
            .WithMessage("'facts' holds at most 20 entries, keys up to 100 and values up to 500 characters.");
    }
}

/// <summary>
/// A scanner reports that it could not attest the artifact. The report is not signed evidence, so it can only add a
/// blocking finding (which legal may waive), never satisfy a requirement; an approved deployment goes to review.
/// </summary>
public sealed class Endpoint(DeploymentHandler handler) : Endpoint<Request, DeploymentView>
{
    public override void Configure()
    {
        Post("/deployments/{id}/scan-failures");
        this.Allow(Role.Scanner);
        Summary(s => s.Summary = "Report that a scan could not attest the artifact (artifact-mismatch or artifact-unreadable)");
        Description(b => b.ProducesProblem(400).ClearDefaultProduces(200).Produces<DeploymentView>(201).ProducesProblem(404).ProducesProblem(409));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var command = new DeploymentCommand.RecordScanFailure(req.Id, req.LeaseId, req.Code!, req.Message!.Trim(), req.Facts ?? []);
        await Send.ResultAsync((await handler.HandleAsync(command, null, Actor.From(User), ct)).ToResult(HttpContext, StatusCodes.Status201Created));
    }
}
