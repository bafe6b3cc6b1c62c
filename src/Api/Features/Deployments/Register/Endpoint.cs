using FastEndpoints;
using FluentValidation;
using Governance.Api.Infrastructure;
using Governance.Policies;

namespace Governance.Api.Features.Deployments.Register;

public sealed class Request
{
    /// <summary>A name people recognise, e.g. "Support assistant (EU)".</summary>
    public string? Name { get; set; }
    public ModelRequest? Model { get; set; }
    public UsageRequest? Usage { get; set; }
}

public sealed class ModelRequest
{
    /// <summary>The model's name, e.g. "Meta-Llama-3.1-8B-Instruct".</summary>
    public string? Name { get; set; }
    /// <summary>A catalog license id (see GET /licenses). An unknown id registers with a blocking unknown-license finding.</summary>
    public string? LicenseId { get; set; }
    /// <summary>The model version's release date: the Llama user threshold is measured in the month before it.</summary>
    public DateOnly? ReleaseDate { get; set; }
    /// <summary>ISO 3166-1 alpha-2 country of the model's developer.</summary>
    public string? Origin { get; set; }
    public Modality? Modality { get; set; }
    /// <summary>SHA-256 of the model artifact, 64 hex characters.</summary>
    public string? ArtifactSha256 { get; set; }
    public bool IsDerivative { get; set; }
    public List<string>? BaseModels { get; set; }
    /// <summary>The name under which a derivative is distributed, if it is.</summary>
    public string? DistributedName { get; set; }
    /// <summary>The context length the deployment runs with: the scanner measures memory at this length.</summary>
    public int? ContextLength { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(x => x.Name).NotEmpty().MaximumLength(200);
        RuleFor(x => x.Model).NotNull();
        RuleFor(x => x.Model!).ChildRules(m =>
        {
            m.RuleFor(x => x.Name).NotEmpty().MaximumLength(200);
            m.RuleFor(x => x.LicenseId).NotEmpty().MaximumLength(100);
            m.RuleFor(x => x.ReleaseDate).NotNull();
            m.RuleFor(x => x.Origin).NotEmpty().Must(Countries.IsCountry)
                .WithMessage("'origin' must be an ISO 3166-1 alpha-2 country code in upper case, e.g. 'US'.");
            m.RuleFor(x => x.Modality).NotNull().IsInEnum();
            m.RuleFor(x => x.ArtifactSha256).NotEmpty().Matches("^[0-9a-fA-F]{64}$")
                .WithMessage("'artifactSha256' must be 64 hexadecimal characters.");
            m.RuleFor(x => x.BaseModels).Must(l => l is null || l.Count <= InputLimits.MaxListItems).WithMessage($"At most {InputLimits.MaxListItems} base models.");
            m.RuleForEach(x => x.BaseModels).NotEmpty().MaximumLength(200);
            m.RuleFor(x => x.DistributedName).MaximumLength(200);
            m.RuleFor(x => x.ContextLength).InclusiveBetween(1, 10_000_000);
        }).When(x => x.Model is not null);
        RuleFor(x => x.Usage).NotNull();
        RuleFor(x => x.Usage!).SetValidator(new UsageValidator(forRegistration: true)).When(x => x.Usage is not null);
    }
}

/// <summary>Registers a deployment and assesses it at once: the response carries the first assessment.</summary>
public sealed class Endpoint(DeploymentHandler handler) : Endpoint<Request, DeploymentView>
{
    public override void Configure()
    {
        Post("/deployments");
        this.Allow(Role.Architect);
        Summary(s => s.Summary = "Register a deployment of an open-weight model");
        Description(b => b.ProducesProblem(400).ClearDefaultProduces(200).Produces<DeploymentView>(201));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var (m, u) = (req.Model!, req.Usage!);
        var model = new ModelFacts(m.Name!.Trim(), m.LicenseId!.Trim(), m.ReleaseDate!.Value, m.Origin!, m.Modality!.Value,
            m.ArtifactSha256!.ToLowerInvariant(), m.IsDerivative, m.BaseModels ?? [], m.DistributedName, m.ContextLength);
        var usage = new UsageFacts(u.Commercial!.Value, u.Hosting!.Value, u.Regions!, u.DataClasses ?? [], u.DisplaysAttribution ?? false,
            u.TrainsOtherModels ?? false, u.FieldsOfUse ?? [], u.MonthlyActiveUsers ?? 0, u.Purpose ?? Purpose.Production);
        var id = Guid.CreateVersion7();
        var outcome = await handler.HandleAsync(new DeploymentCommand.Register(id, req.Name!.Trim(), model, usage), null, Actor.From(User), ct);
        await Send.ResultAsync(outcome.ToResult(HttpContext, StatusCodes.Status201Created, $"/deployments/{id}"));
    }
}
