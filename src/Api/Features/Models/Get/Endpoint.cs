using FastEndpoints;
using Governance.Api.Infrastructure;
using Governance.Policies.Catalog;

namespace Governance.Api.Features.Models.Get;

public sealed class Request
{
    /// <summary>The repository id, e.g. <c>meta-llama/Llama-3.1-8B-Instruct</c> (it holds a slash) or an alias.</summary>
    public string Repo { get; set; } = "";
}

public sealed class Endpoint(PolicySet policies) : Endpoint<Request, CatalogModel>
{
    public override void Configure()
    {
        Get("/models/{**repo}");
        this.Allow(Role.All.ToArray());
        Summary(s => s.Summary = "One model of the catalog, by repository id or alias");
        Description(b => b.ProducesProblem(404));
    }

    public override Task HandleAsync(Request req, CancellationToken ct) =>
        policies.Models.Find(req.Repo) is { } model
            ? Send.OkAsync(model, ct)
            : Send.ResultAsync(Problem.Of(404, "Model not in catalog", $"The model catalog has no model '{req.Repo}'. GET /models lists them."));
}
