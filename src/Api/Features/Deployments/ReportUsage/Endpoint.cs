using FastEndpoints;
using FluentValidation;
using Governance.Api.Features.Company;
using Governance.Api.Infrastructure;
using Marten;

namespace Governance.Api.Features.Deployments.ReportUsage;

public sealed class Request
{
    public Guid Id { get; set; }

    /// <summary>The stream version the change is based on; a stale one is refused with 409.</summary>
    [FromHeader("If-Match", isRequired: false)]
    public string? IfMatch { get; set; }

    /// <summary>Only the fields sent change; the rest stay as they were.</summary>
    [FromBody]
    public UsageRequest Usage { get; set; } = new();
}

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(x => x.Usage).NotNull().WithMessage("The body must be a JSON object with the usage fields that changed.");
        RuleFor(x => x.Usage).SetValidator(new UsageValidator(forRegistration: false)).When(x => x.Usage is not null);
        RuleFor(x => x.Usage).Must(u => u.Commercial is not null || u.Hosting is not null || u.Regions is not null || u.DataClasses is not null
                || u.DisplaysAttribution is not null || u.TrainsOtherModels is not null || u.FieldsOfUse is not null
                || u.MonthlyActiveUsers is not null || u.Purpose is not null)
            .WithMessage("The report changes nothing: send at least one usage field.").When(x => x.Usage is not null);
        RuleFor(x => x.Usage.Regions).NotEmpty().When(x => x.Usage?.Regions is not null)
            .WithMessage("'regions' must list at least one region.");
        RuleFor(x => x.IfMatch).Must(v => v is null || ETag.TryParse(v, out _)).WithMessage("If-Match must be a version such as \"3\".");
    }
}

/// <summary>The architect reports a change in how the product uses the model; the deployment is re-assessed at once.</summary>
[Refuses(409)]
public sealed class Endpoint(IDocumentSession session, Assessor assessor, TimeProvider clock) : Endpoint<Request, DeploymentView>
{
    public override void Configure()
    {
        Post("/deployments/{id}/usage");
        this.Allow(Role.Architect);
        Summary(s => s.Summary = "Report a change in the product's usage (regions, users, hosting, ...) and re-assess");
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var stream = await ETag.FetchForWriting(session, req.Id, req.IfMatch, ct);
        if (stream.Aggregate?.Copy() is not { } state)
        {
            await Send.ResultAsync(Problem.DeploymentNotFound(req.Id));
            return;
        }
        if (Decider.CheckOpen(state, "changed") is { } refusal)
        {
            await Send.ResultAsync(Problem.Of(refusal.Status, refusal.Title, refusal.Detail));
            return;
        }

        var u = req.Usage;
        var before = state.Usage;
        var usage = before with
        {
            Commercial = u.Commercial ?? before.Commercial,
            Hosting = u.Hosting ?? before.Hosting,
            Regions = u.Regions ?? before.Regions,
            DataClasses = u.DataClasses ?? before.DataClasses,
            DisplaysAttribution = u.DisplaysAttribution ?? before.DisplaysAttribution,
            TrainsOtherModels = u.TrainsOtherModels ?? before.TrainsOtherModels,
            FieldsOfUse = u.FieldsOfUse ?? before.FieldsOfUse,
            MonthlyActiveUsers = u.MonthlyActiveUsers ?? before.MonthlyActiveUsers,
            Purpose = u.Purpose ?? before.Purpose,
        };
        var (now, by) = (clock.GetUtcNow(), Actor.From(User));
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var reported = new DeploymentUsageReported(state.Id, usage, Changes(before, usage), by, now);
        state.When(reported);
        var company = await session.LoadAsync<CompanyView>(CompanyView.StreamId, ct);
        var assessed = assessor.Assessed(state.Id, assessor.Assess(state, company, state.Waivers, today), "usage-reported", today, by, now);
        var events = new List<object> { reported };
        foreach (var e in Decider.Reassess(state, assessed)) { events.Add(e); state.When(e); }

        stream.AppendMany(events);
        await session.SaveChangesAsync(ct);
        HttpContext.Response.Headers.ETag = ETag.Of(state.Version);
        await Send.OkAsync(state, ct);
    }

    private static IReadOnlyList<string> Changes(Policies.UsageFacts a, Policies.UsageFacts b)
    {
        var changed = new List<string>();
        if (a.Commercial != b.Commercial) changed.Add("commercial");
        if (a.Hosting != b.Hosting) changed.Add("hosting");
        if (!a.Regions.SequenceEqual(b.Regions)) changed.Add("regions");
        if (!a.DataClasses.SequenceEqual(b.DataClasses)) changed.Add("dataClasses");
        if (a.DisplaysAttribution != b.DisplaysAttribution) changed.Add("displaysAttribution");
        if (a.TrainsOtherModels != b.TrainsOtherModels) changed.Add("trainsOtherModels");
        if (!a.FieldsOfUse.SequenceEqual(b.FieldsOfUse)) changed.Add("fieldsOfUse");
        if (a.MonthlyActiveUsers != b.MonthlyActiveUsers) changed.Add("monthlyActiveUsers");
        if (a.Purpose != b.Purpose) changed.Add("purpose");
        return changed;
    }
}
