using FastEndpoints;
using FluentValidation;
using Governance.Api.Infrastructure;

namespace Governance.Api.Features.Scanners.Revoke;

public sealed class Request
{
    public Guid Id { get; set; }
    public string? Reason { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public Validator() => RuleFor(x => x.Reason).NotEmpty().MaximumLength(2000);
}

/// <summary>
/// Revokes a scanner key. Attestations it signed stop counting: each is withdrawn on its deployment, which is
/// re-assessed in the same transaction (an approved deployment whose attestation was required goes to review).
/// </summary>
public sealed class Endpoint(ScannerHandler handler) : Endpoint<Request, ScannerChange>
{
    public override void Configure()
    {
        Post("/scanners/{id}/revoke");
        this.Allow(Role.Admin);
        Summary(s => s.Summary = "Revoke a scanner key; its attestations are withdrawn");
        Description(b => b.ProducesProblem(400).ProducesProblem(404).ProducesProblem(409));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct) =>
        await Send.ResultAsync((await handler.HandleAsync(new ScannerCommand.Revoke(req.Id, req.Reason!.Trim()), Actor.From(User), ct)).ToResult(HttpContext));
}
