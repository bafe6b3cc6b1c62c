using FastEndpoints;
using Governance.Api.Infrastructure;
using Governance.Policies.Catalog;

namespace Governance.Api.Features.Licenses.List;

public sealed record Response(string CatalogVersion, IReadOnlyList<License> Licenses);

public sealed class Endpoint(PolicySet policies) : EndpointWithoutRequest<Response>
{
    public override void Configure()
    {
        Get("/licenses");
        this.Allow(Role.All.ToArray());
        Summary(s => s.Summary = "The license catalog, every clause with its id, source and rule");
    }

    public override Task HandleAsync(CancellationToken ct) =>
        Send.OkAsync(new Response(policies.Version, policies.Catalog.Licenses), ct);
}
