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

/// <summary>
/// The model: by its repository id in the model catalog (<c>repo</c>, see GET /models), which supplies the name, license,
/// release date, origin and modality; or with those facts typed by hand. Facts given beside <c>repo</c> are kept as
/// declared, and any that contradict the catalog become a <c>model-facts-mismatch</c> finding.
/// </summary>
public sealed class ModelRequest
{
    /// <summary>The model catalog's repository id, e.g. <c>meta-llama/Llama-3.1-8B-Instruct</c>.</summary>
    public string? Repo { get; set; }
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
    public Validator(PolicySet policies)
    {
        RuleFor(x => x.Name).NotEmpty().MaximumLength(200);
        RuleFor(x => x.Model).NotNull();
        RuleFor(x => x.Model!).ChildRules(m =>
        {
            m.RuleFor(x => x.Repo).MaximumLength(200).Must(r => policies.Models.Find(r!) is not null)
                .WithMessage("'repo' is not in the model catalog (GET /models lists it); register with the model's facts instead.")
                .When(x => !string.IsNullOrWhiteSpace(x.Repo));
            m.RuleFor(x => x.Name).NotEmpty().When(x => x.Repo is null).MaximumLength(200);
            m.RuleFor(x => x.LicenseId).NotEmpty().When(x => x.Repo is null).MaximumLength(100);
            m.RuleFor(x => x.ReleaseDate).NotNull().When(x => x.Repo is null);
            m.RuleFor(x => x.Origin).NotEmpty().When(x => x.Repo is null).Must(o => o is null || Countries.IsCountry(o))
                .WithMessage("'origin' must be an ISO 3166-1 alpha-2 country code in upper case, e.g. 'US'.");
            m.RuleFor(x => x.Modality).NotNull().When(x => x.Repo is null).IsInEnum();
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
public sealed class Endpoint(DeploymentHandler handler, PolicySet policies) : Endpoint<Request, DeploymentView>
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
        var sha256 = m.ArtifactSha256!.ToLowerInvariant();
        var model = string.IsNullOrWhiteSpace(m.Repo)
            ? new ModelFacts(m.Name!.Trim(), m.LicenseId!.Trim(), m.ReleaseDate!.Value, m.Origin!, m.Modality!.Value,
                sha256, m.IsDerivative, m.BaseModels ?? [], m.DistributedName, m.ContextLength)
            : policies.Models.Find(m.Repo)!.Declare(sha256, m.IsDerivative, m.BaseModels, m.DistributedName, m.ContextLength,
                m.Name?.Trim(), m.LicenseId?.Trim(), m.ReleaseDate, m.Origin, m.Modality);
        var usage = new UsageFacts(u.Commercial!.Value, u.Hosting!.Value, u.Regions!, u.DataClasses ?? [], u.DisplaysAttribution ?? false,
            u.TrainsOtherModels ?? false, u.FieldsOfUse ?? [], u.MonthlyActiveUsers, u.Purpose ?? Purpose.Production,
            u.MonthlyRevenueUsd, u.OffersModelApi, u.UserCountries);
        var id = Guid.CreateVersion7();
        var outcome = await handler.HandleAsync(new DeploymentCommand.Register(id, req.Name!.Trim(), model, usage), null, Actor.From(User), ct);
        await Send.ResultAsync(outcome.ToResult(HttpContext, StatusCodes.Status201Created, $"/deployments/{id}"));
    }
}
