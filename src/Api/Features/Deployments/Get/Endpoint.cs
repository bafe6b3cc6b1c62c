using FastEndpoints;
using Governance.Api.Infrastructure;
using Marten;

namespace Governance.Api.Features.Deployments.Get;

public sealed class Request
{
    public Guid Id { get; set; }

    /// <summary>An ISO-8601 instant: the deployment as it stood then, replayed from its events.</summary>
    [QueryParam]
    public DateTimeOffset? AsOf { get; set; }
}

public sealed class Endpoint(IQuerySession session) : Endpoint<Request, DeploymentView>
{
    public override void Configure()
    {
        Get("/deployments/{id}");
        this.Allow(Role.Architect, Role.Legal, Role.Auditor, Role.Admin);
        Summary(s => s.Summary = "A deployment now, or as of an instant (?asOf=2026-01-31T00:00:00Z)");
        Description(b => b.ProducesProblem(400).ProducesProblem(404));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var view = req.AsOf is { } asOf
            ? await DeploymentHistory.AsOfAsync(session, req.Id, asOf.ToUniversalTime(), ct)
            : await session.LoadAsync<DeploymentView>(req.Id, ct);
        if (view is null)
        {
            await Send.ResultAsync(req.AsOf is null
                ? Problem.DeploymentNotFound(req.Id)
                : Problem.Of(404, "Deployment not found at that instant", $"Deployment {req.Id} did not exist at {req.AsOf:O}."));
            return;
        }
        HttpContext.Response.Headers.ETag = $"\"{view.Version}\"";
        await Send.OkAsync(view, ct);
    }
}
