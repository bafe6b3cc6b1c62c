using FastEndpoints;
using Governance.Api.Features.Deployments;
using Governance.Api.Infrastructure;
using Governance.Attestations;
using JasperFx;
using Marten;
using Microsoft.Extensions.Options;

namespace Governance.Api.Features.Scans.Lease;

public sealed class Request
{
    /// <summary>The environment the scanner measures on (device, driver, CUDA, llama.cpp build). Optional.</summary>
    public FootprintEnvironment? Environment { get; set; }
}

public sealed record Response(Guid LeaseId, DateTimeOffset LeaseExpiresAt, Guid DeploymentId, string DeploymentName, Policies.ModelFacts Model);

/// <summary>
/// A scanner asks for work: the oldest approved deployment without a valid attestation and without a live lease is
/// leased to it (an event on the deployment's stream). Two scanners asking at once never get the same deployment: each
/// lease goes through the deployment's decider at the version read, and the loser moves on to the next candidate.
/// </summary>
public sealed class Endpoint(IDocumentStore store, PolicySet policies, IOptions<GovernanceOptions> options, TimeProvider clock) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("/scans/lease");
        this.Allow(Role.Scanner);
        Summary(s => s.Summary = "Lease the next approved deployment that lacks a valid attestation (204 when none)");
        Description(b => b.Produces<Response>(200).Produces(204).ProducesProblem(400));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        if (await LeaseNextAsync(store, policies, options.Value.Scans, clock, Actor.From(User), ct) is { } lease) await Send.OkAsync(lease, ct);
        else await Send.NoContentAsync(ct);
    }

    /// <summary>The lease itself, shared with the deprecated <c>GET /scans/next</c>.</summary>
    internal static async Task<Response?> LeaseNextAsync(IDocumentStore store, PolicySet policies, ScanOptions scans, TimeProvider clock, Actor by, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // A failed scan (wrong or unreadable file) is tried again only after a pause: someone has to fix the file first.
        var retryFailedAfter = now - scans.RetryFailedAfter;
        await using var query = store.QuerySession();
        var candidates = await query.Query<DeploymentState>()
            .Where(d => d.Status == DeploymentStatus.Approved && !d.HasValidAttestation && (d.LeaseExpiresAt == null || d.LeaseExpiresAt < now)
                && (d.ScanFailedAt == null || d.ScanFailedAt < retryFailedAfter))
            .OrderBy(d => d.RegisteredAt).Take(10).ToListAsync(ct);

        foreach (var candidate in candidates)
        {
            var command = new DeploymentCommand.LeaseForScan(candidate.Id, Guid.CreateVersion7(), now + scans.Lease, retryFailedAfter);
            try
            {
                await using var session = store.LightweightSession();
                var outcome = await new DeploymentHandler(session, policies, clock).HandleAsync(command, candidate.Version, by, ct);
                if (outcome.Value is { } leased)
                    return new Response(command.LeaseId, command.ExpiresAt, leased.Id, leased.Name, leased.Model);
            }
            catch (ConcurrencyException)
            {
                // another scanner, or a change, got there first: try the next candidate
            }
        }
        return null;
    }
}
