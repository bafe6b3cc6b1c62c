using FastEndpoints;
using FluentValidation;
using Governance.Api.Infrastructure;
using Governance.Policies;
using Governance.Policies.Evaluation;
using Marten;
using Marten.Pagination;

namespace Governance.Api.Features.Deployments.List;

public sealed class Request
{
    /// <summary><c>pending_review</c>, <c>approved</c>, <c>rejected</c>, <c>review_required</c> or <c>retired</c>.</summary>
    [QueryParam] public string? Status { get; set; }
    /// <summary><c>compliant</c>, <c>conditional</c> or <c>non_compliant</c>.</summary>
    [QueryParam] public string? Verdict { get; set; }
    [QueryParam] public int Page { get; set; } = 1;
    [QueryParam] public int PageSize { get; set; } = 50;
}

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(x => x.Status).Must(s => s is null || Naming.TryParse<DeploymentStatus>(s, out _))
            .WithMessage($"'status' must be one of {string.Join(", ", Naming.Names<DeploymentStatus>())}.");
        RuleFor(x => x.Verdict).Must(v => v is null || Naming.TryParse<Verdict>(v, out _))
            .WithMessage($"'verdict' must be one of {string.Join(", ", Naming.Names<Verdict>())}.");
        RuleFor(x => x.Page).GreaterThanOrEqualTo(1);
        RuleFor(x => x.PageSize).InclusiveBetween(1, 500);
    }
}

public sealed record Response(IReadOnlyList<DeploymentView> Items, int Page, int PageSize, long Total);

public sealed class Endpoint(IQuerySession session) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Get("/deployments");
        this.Allow(Role.Architect, Role.Legal, Role.Auditor, Role.Admin);
        Summary(s => s.Summary = "List deployments, newest first, filtered by status and verdict");
        Description(b => b.ProducesProblem(400));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        IQueryable<DeploymentView> query = session.Query<DeploymentView>();
        if (req.Status is not null && Naming.TryParse<DeploymentStatus>(req.Status, out var status))
            query = query.Where(d => d.Status == status);
        if (req.Verdict is not null && Naming.TryParse<Verdict>(req.Verdict, out var verdict))
            query = query.Where(d => d.Assessment!.Verdict == verdict);
        var page = await query.OrderByDescending(d => d.RegisteredAt).ToPagedListAsync(req.Page, req.PageSize, ct);
        await Send.OkAsync(new Response(page.ToList(), req.Page, req.PageSize, page.TotalItemCount), ct);
    }
}
