using FastEndpoints;
using Governance.Api.Infrastructure;
using Governance.Policies.Catalog;

namespace Governance.Api.Features.Licenses.Get;

public sealed class Request
{
    public string Id { get; set; } = "";
}

public sealed class Endpoint(PolicySet policies) : Endpoint<Request, License>
{
    public override void Configure()
    {
        Get("/licenses/{id}");
        this.Allow(Role.All.ToArray());
        Summary(s => s.Summary = "One license of the catalog");
        Description(b => b.ProducesProblem(404));
    }

    public override Task HandleAsync(Request req, CancellationToken ct) =>
        policies.Catalog.Find(req.Id) is { } license
            ? Send.OkAsync(license, ct)
            : Send.ResultAsync(Problem.Of(404, "License not in catalog", $"The catalog has no license '{req.Id}'. GET /licenses lists them."));
}
