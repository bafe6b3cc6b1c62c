using FastEndpoints;
using FluentValidation;
using Governance.Api.Infrastructure;

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
        RuleFor(x => x.IfMatch).Must(v => v is null || ETag.TryParse(v, out _)).WithMessage(ETag.Invalid);
    }
}

/// <summary>Takes a deployment out of service. Its history stays; nothing more can be decided or reported on it.</summary>
public sealed class Endpoint(DeploymentHandler handler) : Endpoint<Request, DeploymentView>
{
    public override void Configure()
    {
        Post("/deployments/{id}/retire");
        this.Allow(Role.Architect, Role.Legal);
        Summary(s => s.Summary = "Retire a deployment");
        Description(b => b.ProducesProblem(400).ProducesProblem(404).ProducesProblem(409));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var command = new DeploymentCommand.Retire(req.Id, string.IsNullOrWhiteSpace(req.Reason) ? null : req.Reason.Trim());
        await Send.ResultAsync((await handler.HandleAsync(command, ETag.Expected(req.IfMatch), Actor.From(User), ct)).ToResult(HttpContext));
    }
}
