using FastEndpoints;
using Governance.Api.Infrastructure;
using Marten;

namespace Governance.Api.Features.Deployments.Events;

public sealed class Request
{
    public Guid Id { get; set; }
}

/// <summary>One entry of the audit trail: what happened, when, who did it, and the event as recorded.</summary>
public sealed record Entry(long Version, long Sequence, string Type, DateTimeOffset Time, Actor Actor, object Data);

public sealed record Response(Guid DeploymentId, IReadOnlyList<Entry> Events);

public sealed class Endpoint(IQuerySession session) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Get("/deployments/{id}/events");
        this.Allow(Role.Auditor, Role.Legal);
        Summary(s => s.Summary = "The deployment's full audit trail, oldest first");
        Description(b => b.ProducesProblem(400).ProducesProblem(404));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(req.Id, token: ct);
        if (events.Count == 0)
        {
            await Send.ResultAsync(Problem.DeploymentNotFound(req.Id));
            return;
        }
        var entries = events.Select(e => new Entry(e.Version, e.Sequence, e.EventTypeName, e.Timestamp, ActorOf(e.Data), e.Data)).ToList();
        await Send.OkAsync(new Response(req.Id, entries), ct);
    }

    private static Actor ActorOf(object data) => (data as IRecordedEvent)?.By ?? Actor.System;
}
