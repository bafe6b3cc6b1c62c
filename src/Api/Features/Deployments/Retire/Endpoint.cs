using FastEndpoints;
using FluentValidation;
using Governance.Api.Infrastructure;
using Marten;

namespace Governance.Api.Features.Deployments.Retire;

public sealed class Request
{
    public Guid Id { get; set; }

    [FromHeader("If-Match", isRequired: false)]
    public string? IfMatch { get; set; }

    public string? Reason { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(x => x.Reason).MaximumLength(2000);
        RuleFor(x => x.IfMatch).Must(v => v is null || ETag.TryParse(v, out _)).WithMessage("If-Match must be a version such as \"3\".");
    }
}

/// <summary>Takes a deployment out of service. Its history stays; nothing more can be decided or reported on it.</summary>
[Refuses(409)]
public sealed class Endpoint(IDocumentSession session, TimeProvider clock) : Endpoint<Request, DeploymentView>
{
    public override void Configure()
    {
        Post("/deployments/{id}/retire");
        this.Allow(Role.Architect, Role.Legal);
        Summary(s => s.Summary = "Retire a deployment");
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var stream = await ETag.FetchForWriting(session, req.Id, req.IfMatch, ct);
        if (stream.Aggregate?.Copy() is not { } state)
        {
            await Send.ResultAsync(Problem.DeploymentNotFound(req.Id));
            return;
        }
        if (Decider.CheckOpen(state, "retired again") is { } refusal)
        {
            await Send.ResultAsync(Problem.Of(refusal.Status, refusal.Title, refusal.Detail));
            return;
        }
        var retired = new DeploymentRetired(state.Id, string.IsNullOrWhiteSpace(req.Reason) ? null : req.Reason.Trim(), Actor.From(User), clock.GetUtcNow());
        state.When(retired);
        stream.AppendOne(retired);
        await session.SaveChangesAsync(ct);
        HttpContext.Response.Headers.ETag = ETag.Of(state.Version);
        await Send.OkAsync(state, ct);
    }
}
