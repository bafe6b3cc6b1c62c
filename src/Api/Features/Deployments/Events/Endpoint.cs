using FastEndpoints;
using FluentValidation;
using Governance.Api.Infrastructure;
using Marten;

namespace Governance.Api.Features.Deployments.Events;

public sealed class Request
{
    public Guid Id { get; set; }

    /// <summary>The version the previous page ended at (its <c>next</c>); omit to start from the first event.</summary>
    [QueryParam] public long? After { get; set; }

    /// <summary>Events per page, 1 to 1,000 (default 500).</summary>
    [QueryParam] public int Limit { get; set; } = 500;
}

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(x => x.After).GreaterThanOrEqualTo(0);
        RuleFor(x => x.Limit).InclusiveBetween(1, 1_000);
    }
}

/// <summary>One entry of the audit trail: what happened, when, who did it, and the event as recorded.</summary>
public sealed record Entry(long Version, long Sequence, string Type, DateTimeOffset Time, Actor Actor, object Data);

/// <summary>A page of the trail, oldest first; <see cref="Next"/> is the <c>after</c> of the following page (null on the last).</summary>
public sealed record Response(Guid DeploymentId, IReadOnlyList<Entry> Events, long? Next);

public sealed class Endpoint(IQuerySession session) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Get("/deployments/{id}/events");
        this.Allow(Role.Auditor, Role.Legal);
        Summary(s => s.Summary = "The deployment's audit trail, oldest first, a page at a time (?after=&limit=)");
        Description(b => b.ProducesProblem(400).ProducesProblem(404));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        // A stream's versions run 1, 2, 3, ... without gaps: a page is a window of versions, read by the stream's index.
        var after = req.After ?? 0;
        var events = await session.Events.FetchStreamAsync(req.Id, version: after + req.Limit + 1, fromVersion: after + 1, token: ct);
        if (events.Count == 0 && after == 0)
        {
            await Send.ResultAsync(Problem.DeploymentNotFound(req.Id));
            return;
        }
        var page = events.Take(req.Limit).Select(e => new Entry(e.Version, e.Sequence, e.EventTypeName, e.Timestamp, ActorOf(e.Data), e.Data)).ToList();
        await Send.OkAsync(new Response(req.Id, page, events.Count > req.Limit ? page[^1].Version : null), ct);
    }

    private static Actor ActorOf(object data) => (data as IRecordedEvent)?.By ?? Actor.System;
}
