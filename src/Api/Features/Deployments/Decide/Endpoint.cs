using FastEndpoints;
using FluentValidation;
using Governance.Api.Infrastructure;

namespace Governance.Api.Features.Deployments.Decide;

public sealed class Request
{
    public Guid Id { get; set; }

    /// <summary>The version legal reviewed; if the deployment changed since, the decision is refused with 409.</summary>
    [FromHeader("If-Match", isRequired: false)]
    public string? IfMatch { get; set; }

    /// <summary><c>approve</c> or <c>reject</c>.</summary>
    public string? Decision { get; set; }

    /// <summary>Why: recorded with the decision and shown in the compliance report.</summary>
    public string? Justification { get; set; }

    /// <summary>Findings accepted until a date, each with its reason. Only with <c>approve</c>.</summary>
    public List<WaiverRequest>? Waivers { get; set; }
}

public sealed class WaiverRequest
{
    public string? FindingCode { get; set; }
    /// <summary>The day the waiver lapses; the deployment then needs review.</summary>
    public DateOnly? ExpiresOn { get; set; }
    public string? Reason { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public Validator(TimeProvider clock)
    {
        RuleFor(x => x.Decision).NotEmpty().Must(d => d is "approve" or "reject").WithMessage("'decision' must be 'approve' or 'reject'.");
        RuleFor(x => x.Justification).NotEmpty().WithMessage("'justification' is required: say why.").MaximumLength(4000);
        RuleFor(x => x.Waivers).Empty().When(x => x.Decision == "reject").WithMessage("Waivers can only be granted with an approval.");
        RuleFor(x => x.Waivers).Must(l => l is null || l.Count <= InputLimits.MaxListItems).WithMessage($"At most {InputLimits.MaxListItems} waivers.");
        RuleForEach(x => x.Waivers).NotNull().ChildRules(w =>
        {
            w.RuleFor(x => x.FindingCode).NotEmpty();
            w.RuleFor(x => x.Reason).NotEmpty().MaximumLength(2000);
            w.RuleFor(x => x.ExpiresOn).NotNull()
                .Must(d => d > DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)).WithMessage("'expiresOn' must be a date after today.");
        });
        RuleFor(x => x.IfMatch).Must(v => v is null || ETag.TryParse(v, out _)).WithMessage(ETag.Invalid);
    }
}

/// <summary>Legal approves or rejects. Approval is refused while a blocking finding stands without a waiver.</summary>
public sealed class Endpoint(DeploymentHandler handler) : Endpoint<Request, DeploymentView>
{
    public override void Configure()
    {
        Post("/deployments/{id}/decision");
        this.Allow(Role.Legal);
        Summary(s => s.Summary = "Approve or reject a deployment, with a justification and optional expiring waivers");
        Description(b => b.ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var waivers = (req.Waivers ?? []).Select(w => new WaiverGrant(w.FindingCode!, w.ExpiresOn!.Value, w.Reason!)).ToList();
        var command = new DeploymentCommand.Decide(req.Id, req.Decision == "approve", req.Justification!.Trim(), waivers);
        await Send.ResultAsync((await handler.HandleAsync(command, ETag.Expected(req.IfMatch), Actor.From(User), ct)).ToResult(HttpContext));
    }
}
