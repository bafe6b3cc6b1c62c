using FastEndpoints;
using Governance.Api.Infrastructure;
using Governance.Policies.Catalog;

namespace Governance.Api.Features.Models.List;

public sealed record Response(string ModelCatalogVersion, IReadOnlyList<CatalogModel> Models);

public sealed class Endpoint(PolicySet policies) : EndpointWithoutRequest<Response>
{
    public override void Configure()
    {
        Get("/models");
        this.Allow(Role.All.ToArray());
        Summary(s => s.Summary = "The model catalog: each model's repository id, license, release date, origin, modality, base models and source");
    }

    public override Task HandleAsync(CancellationToken ct) => Send.OkAsync(new Response(policies.Models.Version, policies.Models.Models), ct);
}
