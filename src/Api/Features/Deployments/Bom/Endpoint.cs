using System.Reflection;
using FastEndpoints;
using FluentValidation;
using Governance.Api.Infrastructure;
using Marten;

namespace Governance.Api.Features.Deployments.Bom;

public sealed class Request
{
    public Guid Id { get; set; }

    /// <summary><c>cyclonedx</c> (CycloneDX 1.6 JSON, default) or <c>spdx</c> (SPDX 3.0.1 JSON-LD, AI profile).</summary>
    [QueryParam]
    public string? Format { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public Validator() =>
        RuleFor(x => x.Format).Must(f => f is null or "cyclonedx" or "spdx").WithMessage("'format' must be 'cyclonedx' or 'spdx'.");
}

/// <summary>Machine-readable evidence for one deployment: an AI bill of materials.</summary>
public sealed class Endpoint(IQuerySession session, PolicySet policies) : Endpoint<Request>
{
    private static readonly string GovernanceVersion =
        typeof(Endpoint).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "1.0.0";

    public override void Configure()
    {
        Get("/deployments/{id}/bom");
        this.Allow(Role.Auditor, Role.Legal, Role.Architect, Role.Admin);
        Summary(s => s.Summary = "The deployment as a CycloneDX 1.6 ML-BOM (?format=cyclonedx) or SPDX 3.0.1 AI BOM (?format=spdx)");
        Description(b => b.ProducesProblem(400).Produces<string>(200, CycloneDx.MediaType, Spdx.MediaType).ProducesProblem(404));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        if (await session.LoadAsync<DeploymentView>(req.Id, ct) is not { } deployment)
        {
            await Send.ResultAsync(Problem.DeploymentNotFound(req.Id));
            return;
        }
        var license = policies.Catalog.Find(deployment.Model.LicenseId);
        var (document, mediaType) = req.Format == "spdx"
            ? (Spdx.Build(deployment, license, GovernanceVersion), Spdx.MediaType)
            : (CycloneDx.Build(deployment, license, GovernanceVersion), CycloneDx.MediaType + "; version=1.6");
        HttpContext.Response.Headers.ETag = ETag.Of(deployment.Version);
        await Send.StringAsync(document.ToJsonString(), 200, mediaType, ct);
    }
}
