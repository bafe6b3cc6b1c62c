using FastEndpoints;
using FluentValidation;
using Governance.Api.Features.Company;
using Governance.Api.Features.Deployments;
using Governance.Api.Infrastructure;
using Marten;

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
[Refuses(409)]
public sealed class Endpoint(IDocumentSession session, Assessor assessor, TimeProvider clock) : Endpoint<Request, ScannerView>
{
    public override void Configure()
    {
        Post("/scanners/{id}/revoke");
        this.Allow(Role.Admin);
        Summary(s => s.Summary = "Revoke a scanner key; its attestations are withdrawn");
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<ScannerView>(req.Id, ct);
        if (stream.Aggregate is not { } scanner)
        {
            await Send.ResultAsync(Problem.Of(404, "Scanner not found", $"No scanner has id {req.Id}."));
            return;
        }
        if (scanner.Revoked)
        {
            await Send.ResultAsync(Problem.Of(409, "Already revoked", $"The key {scanner.KeyId} was revoked at {scanner.RevokedAt:O}."));
            return;
        }
        var (now, by) = (clock.GetUtcNow(), Actor.From(User));
        var revoked = new ScannerKeyRevoked(scanner.Id, scanner.KeyId, req.Reason!.Trim(), by, now);
        stream.AppendOne(revoked);

        var attested = await session.Query<DeploymentView>()
            .Where(d => d.HasValidAttestation && d.Attestation!.KeyId == scanner.KeyId).ToListAsync(ct);
        var company = await session.LoadAsync<CompanyView>(CompanyView.StreamId, ct);
        foreach (var deployment in attested)
            Reassessment.Reassess(session, assessor, deployment, company, "attestation-withdrawn", by, now,
                [new AttestationWithdrawn(deployment.Id, deployment.Attestation!.EnvelopeSha256, $"Scanner key {scanner.KeyId} revoked: {revoked.Reason}", by, now)]);
        await session.SaveChangesAsync(ct);

        var result = new ScannerView
        {
            Id = scanner.Id, Version = scanner.Version + 1, Name = scanner.Name, KeyId = scanner.KeyId, PublicKey = scanner.PublicKey,
            RegisteredBy = scanner.RegisteredBy, RegisteredAt = scanner.RegisteredAt,
        };
        result.Apply(revoked);
        await Send.OkAsync(result, ct);
    }
}
