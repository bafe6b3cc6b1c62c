using FastEndpoints;
using Governance.Api.Features.Deployments;
using Governance.Api.Infrastructure;
using JasperFx;
using Marten;

namespace Governance.Api.Features.Scans.Next;

public sealed record Response(Guid LeaseId, DateTimeOffset LeaseExpiresAt, Guid DeploymentId, string DeploymentName, Policies.ModelFacts Model);

/// <summary>
/// A scanner asks for work: the oldest approved deployment without a valid attestation and without a live lease is
/// leased to it (an event on the deployment's stream). Two scanners asking at once never get the same deployment:
/// the lease is appended at the version read, and the loser moves on to the next candidate.
/// </summary>
public sealed class Endpoint(IDocumentStore store, TimeProvider clock, IConfiguration configuration) : EndpointWithoutRequest<Response>
{
    public override void Configure()
    {
        Get("/scans/next");
        this.Allow(Role.Scanner);
        Summary(s => s.Summary = "Lease the next approved deployment that lacks a valid attestation (204 when none)");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var leaseFor = TimeSpan.FromMinutes(configuration.GetValue("Governance:Scans:LeaseMinutes", 30));
        // A failed scan (wrong or unreadable file) is tried again only after a pause: someone has to fix the file first.
        var retryFailedBefore = now - TimeSpan.FromHours(configuration.GetValue("Governance:Scans:RetryFailedAfterHours", 24));
        await using var query = store.QuerySession();
        var candidates = await query.Query<DeploymentView>()
            .Where(d => d.Status == DeploymentStatus.Approved && !d.HasValidAttestation && (d.LeaseExpiresAt == null || d.LeaseExpiresAt < now)
                && (d.ScanFailedAt == null || d.ScanFailedAt < retryFailedBefore))
            .OrderBy(d => d.RegisteredAt).Take(10).ToListAsync(ct);

        foreach (var candidate in candidates)
        {
            var lease = new ScanLeased(candidate.Id, Guid.CreateVersion7(), now + leaseFor, Actor.From(User), now);
            try
            {
                await using var session = store.LightweightSession();
                session.Events.Append(candidate.Id, candidate.Version + 1, lease);
                await session.SaveChangesAsync(ct);
            }
            catch (ConcurrencyException)
            {
                continue; // another scanner, or a change, got there first
            }
            await Send.OkAsync(new Response(lease.LeaseId, lease.ExpiresAt, candidate.Id, candidate.Name, candidate.Model), ct);
            return;
        }
        await Send.NoContentAsync(ct);
    }
}
