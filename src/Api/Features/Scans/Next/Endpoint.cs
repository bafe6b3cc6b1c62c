using FastEndpoints;
using Governance.Api.Infrastructure;
using Marten;
using Microsoft.Extensions.Options;

namespace Governance.Api.Features.Scans.Next;

/// <summary>
/// The first release's lease route. A GET that writes a lease was the wrong verb: scanners now <c>POST /scans/lease</c>.
/// Kept answering, exactly as before, for one release.
/// </summary>
[Deprecated]
public sealed class Endpoint(IDocumentStore store, PolicySet policies, IOptions<GovernanceOptions> options, TimeProvider clock)
    : EndpointWithoutRequest<Lease.Response>
{
    public override void Configure()
    {
        Get("/scans/next");
        this.Allow(Role.Scanner);
        Summary(s => s.Summary = "Deprecated: use POST /scans/lease. Leases the next approved deployment that lacks a valid attestation");
        Description(b => b.Produces<Lease.Response>(200).Produces(204));
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        if (await Lease.Endpoint.LeaseNextAsync(store, policies, options, clock, Actor.From(User), new Lease.Endpoint.ScannerAsking(null, null), ct) is { } lease)
            await Send.OkAsync(lease, ct);
        else await Send.NoContentAsync(ct);
    }
}
