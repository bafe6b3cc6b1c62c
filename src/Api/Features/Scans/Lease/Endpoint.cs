using FastEndpoints;
using Governance.Api.Features.Deployments;
using Governance.Api.Infrastructure;
using Governance.Attestations;
using JasperFx;
using Marten;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace Governance.Api.Features.Scans.Lease;

public sealed class Request
{
    /// <summary>The environment the scanner measures on (device, driver, CUDA, llama.cpp build). Optional.</summary>
    public FootprintEnvironment? Environment { get; set; }

    /// <summary>The key id the scanner signs with (<c>sha256:…</c>): an attestation it made on another environment is scanned again.</summary>
    public string? KeyId { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public Validator() => RuleFor(x => x.KeyId).MaximumLength(200);
}

public sealed record Response(Guid LeaseId, DateTimeOffset LeaseExpiresAt, Guid DeploymentId, string DeploymentName, Policies.ModelFacts Model);

/// <summary>
/// A scanner asks for work: the oldest approved deployment that needs a scan (no valid attestation; one older than
/// <c>Governance:Scans:AttestationMaxAgeDays</c>; or one this scanner made on an environment it no longer reports) and
/// has no live lease is leased to it (an event on the deployment's stream). Two scanners asking at once never get the
/// same deployment: each lease goes through the deployment's decider at the version read, and the loser moves on.
/// </summary>
public sealed class Endpoint(IDocumentStore store, PolicySet policies, IOptions<GovernanceOptions> options, TimeProvider clock, RequestTransaction request)
    : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("/scans/lease");
        this.Allow(Role.Scanner);
        Summary(s => s.Summary = "Lease the next approved deployment that needs a scan (204 when none)");
        Description(b => b.Produces<Response>(200).Produces(204).ProducesProblem(400));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var scanner = new ScannerAsking(req.KeyId, req.Environment is null ? null : DeploymentState.EnvironmentKey(req.Environment));
        if (await LeaseNextAsync(store, policies, options, clock, Actor.From(User), scanner, ct, request.Transaction) is { } lease) await Send.OkAsync(lease, ct);
        else await Send.NoContentAsync(ct);
    }

    /// <summary>Which scanner asks: its key and the environment it measures on, when it says.</summary>
    internal sealed record ScannerAsking(string? KeyId, string? Environment);

    /// <summary>The lease itself, shared with the deprecated <c>GET /scans/next</c>.</summary>
    /// <param name="transaction">
    /// The request's transaction (an <c>Idempotency-Key</c>), if any: the lease is written in it, so it commits with the
    /// stored response or not at all; a candidate lost to another scanner is undone to a savepoint and the next one tried.
    /// </param>
    internal static async Task<Response?> LeaseNextAsync(IDocumentStore store, PolicySet policies, IOptions<GovernanceOptions> options, TimeProvider clock,
        Actor by, ScannerAsking scanner, CancellationToken ct, Npgsql.NpgsqlTransaction? transaction = null)
    {
        var (now, scans) = (clock.GetUtcNow(), options.Value.Scans);
        // A failed scan (wrong or unreadable file) is tried again only after a pause: someone has to fix the file first.
        var retryFailedAfter = now - scans.RetryFailedAfter;
        var staleBefore = now - scans.AttestationMaxAge;
        var (keyId, environment) = (scanner.KeyId ?? "", scanner.Environment ?? "");
        await using var query = store.QuerySession();
        var candidates = await query.Query<DeploymentState>()
            .Where(d => d.Status == DeploymentStatus.Approved && (d.LeaseExpiresAt == null || d.LeaseExpiresAt < now)
                && (d.ScanFailedAt == null || d.ScanFailedAt < retryFailedAfter)
                && (!d.HasValidAttestation || d.Attestation!.ScannedAt < staleBefore
                    || (environment != "" && d.Attestation.KeyId == keyId && d.Attestation.Environment != environment)))
            .OrderBy(d => d.RegisteredAt).Take(10).ToListAsync(ct);

        foreach (var candidate in candidates)
        {
            var command = new DeploymentCommand.LeaseForScan(candidate.Id, Guid.CreateVersion7(), now + scans.Lease, retryFailedAfter, staleBefore,
                scanner.KeyId, scanner.Environment);
            const string savepoint = "lease_candidate";
            if (transaction is not null) await transaction.SaveAsync(savepoint, ct);
            try
            {
                await using var session = transaction is null ? store.LightweightSession()
                    : store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction, shouldAutoCommit: false));
                var outcome = await new DeploymentHandler(session, policies, options, clock)
                    .HandleAsync(command, candidate.Version, by, ct);
                if (transaction is not null) await transaction.ReleaseAsync(savepoint, ct);
                if (outcome.Value is { } leased)
                    return new Response(command.LeaseId, command.ExpiresAt, leased.Id, leased.Name, leased.Model);
            }
            catch (ConcurrencyException)
            {
                // another scanner, or a change, got there first: try the next candidate
                if (transaction is not null) await transaction.RollbackAsync(savepoint, ct);
            }
        }
        return null;
    }
}
