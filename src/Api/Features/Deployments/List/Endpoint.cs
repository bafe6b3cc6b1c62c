using System.Globalization;
using System.Text;
using FastEndpoints;
using FluentValidation;
using Governance.Api.Features.Company;
using Governance.Api.Infrastructure;
using Governance.Policies;
using Governance.Policies.Evaluation;
using Marten;
using Marten.Linq.MatchesSql;

namespace Governance.Api.Features.Deployments.List;

public sealed class Request
{
    /// <summary><c>pending_review</c>, <c>approved</c>, <c>rejected</c>, <c>review_required</c> or <c>retired</c>.</summary>
    [QueryParam] public string? Status { get; set; }
    /// <summary><c>compliant</c>, <c>conditional</c> or <c>non_compliant</c>.</summary>
    [QueryParam] public string? Verdict { get; set; }
    /// <summary>A catalog license id: deployments declared under it.</summary>
    [QueryParam] public string? License { get; set; }
    /// <summary>
    /// <c>true</c>: only open deployments whose latest assessment rests on an older company or another catalog than
    /// those in force (a background re-assessment has not reached them yet).
    /// </summary>
    [QueryParam] public bool? Outdated { get; set; }
    /// <summary>Where the previous page ended (its <c>next</c>); omit for the first page.</summary>
    [QueryParam] public string? Cursor { get; set; }
    /// <summary>Deprecated offset paging, for pages within the first 10,000 deployments; use <c>cursor</c>.</summary>
    [QueryParam] public int Page { get; set; } = 1;
    [QueryParam] public int PageSize { get; set; } = 50;
}

public sealed class Validator : Validator<Request>
{
    /// <summary>Offset paging reads every skipped row; past this, only the cursor walks on.</summary>
    public const int MaxOffset = 10_000;

    public Validator()
    {
        RuleFor(x => x.Status).Must(s => s is null || Naming.TryParse<DeploymentStatus>(s, out _))
            .WithMessage($"'status' must be one of {string.Join(", ", Naming.Names<DeploymentStatus>())}.");
        RuleFor(x => x.Verdict).Must(v => v is null || Naming.TryParse<Verdict>(v, out _))
            .WithMessage($"'verdict' must be one of {string.Join(", ", Naming.Names<Verdict>())}.");
        RuleFor(x => x.License).MaximumLength(100);
        RuleFor(x => x.Cursor).Must(c => c is null || PageCursor.TryParse(c, out _)).WithMessage("'cursor' is not one this API gave out.");
        RuleFor(x => x.PageSize).InclusiveBetween(1, 500);
        RuleFor(x => x.Page).GreaterThanOrEqualTo(1)
            .Must((r, page) => (long)(page - 1) * r.PageSize < MaxOffset)
            .WithMessage($"'page' reaches past the first {MaxOffset:N0} deployments: follow 'next' (the cursor) instead.")
            .Must((r, page) => page == 1 || r.Cursor is null).WithMessage("Give either 'page' or 'cursor', not both.");
    }
}

/// <summary>
/// A page of deployments, newest first. <see cref="Next"/> is the cursor of the following page (null on the last);
/// <see cref="Total"/> counts every match, and is given on the first page only, so walking on never recounts.
/// </summary>
public sealed record Response(IReadOnlyList<DeploymentView> Items, int Page, int PageSize, long? Total, string? Next);

/// <summary>Where a page ended: the registration instant and id of its last deployment (the order is newest first).</summary>
public readonly record struct PageCursor(DateTimeOffset RegisteredAt, Guid Id)
{
    public override string ToString() =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{RegisteredAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}:{Id:N}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryParse(string text, out PageCursor cursor)
    {
        cursor = default;
        try
        {
            var padded = text.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split(':');
            if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks || !Guid.TryParseExact(parts[1], "N", out var id))
                return false;
            cursor = new PageCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

public sealed class Endpoint(IQuerySession session, PolicySet policies) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Get("/deployments");
        this.Allow(Role.Architect, Role.Legal, Role.Auditor, Role.Admin);
        Summary(s => s.Summary = "List deployments, newest first, filtered by status, verdict, license or an outdated assessment; paged by cursor");
        Description(b => b.ProducesProblem(400));
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        IQueryable<DeploymentView> query = session.Query<DeploymentView>();
        if (req.Status is not null && Naming.TryParse<DeploymentStatus>(req.Status, out var status))
            query = query.Where(d => d.Status == status);
        if (req.Verdict is not null && Naming.TryParse<Verdict>(req.Verdict, out var verdict))
            query = query.Where(d => d.Assessment!.Verdict == verdict);
        if (req.License is { Length: > 0 } license)
            query = query.Where(d => d.Model.LicenseId == license);
        if (req.Outdated == true)
        {
            var (catalog, company) = (policies.Version, (await session.LoadAsync<CompanyState>(CompanyState.StreamId, ct))?.Version ?? 0);
            query = query.Where(d => d.Status != DeploymentStatus.Retired
                && (d.Assessment!.CatalogVersion != catalog || d.Assessment.CompanyVersion == null || d.Assessment.CompanyVersion < company));
        }

        var total = req.Cursor is null ? await query.CountAsync(ct) : (long?)null;
        if (req.Cursor is not null && PageCursor.TryParse(req.Cursor, out var after))
            query = query.Where(d => d.MatchesSql("(d.registered_at, d.id) < (?, ?)", after.RegisteredAt, after.Id));
        else if (req.Page > 1)
            query = query.Skip((req.Page - 1) * req.PageSize);
        var items = await query.OrderByDescending(d => d.RegisteredAt).ThenByDescending(d => d.Id).Take(req.PageSize + 1).ToListAsync(ct);
        var next = items.Count > req.PageSize ? new PageCursor(items[req.PageSize - 1].RegisteredAt, items[req.PageSize - 1].Id).ToString() : null;
        await Send.OkAsync(new Response([.. items.Take(req.PageSize)], req.Page, req.PageSize, total, next), ct);
    }
}
