using System.Globalization;
using System.Linq.Expressions;
using Governance.Policies;
using Governance.Policies.Evaluation;
using Marten;
using Microsoft.AspNetCore.WebUtilities;

namespace Governance.Api.Features.Deployments.List;

/// <summary>
/// What the console's portfolio shows: a search, filters, a sort and a page, read from and written back to the query
/// string, so a filtered list is a link (the home counts link to them) and the CSV export sees the same filter.
/// Everything is translated to SQL: no filter loads deployments into memory.
/// </summary>
public sealed record PortfolioQuery(
    string? Search = null, DeploymentStatus? Status = null, Verdict? Verdict = null, string? License = null, string? Origin = null,
    string? Region = null, string? DataClass = null, string? Attestation = null, int? WaiversWithinDays = null,
    string Sort = "registered", bool Descending = true, int Page = 1)
{
    public const int PageSize = 50;

    public static readonly IReadOnlyList<(string Key, string Words)> Sorts =
        [("registered", "Registered"), ("name", "Name"), ("status", "Status"), ("verdict", "Verdict"), ("license", "License"), ("updated", "Last change")];

    /// <summary>Attestation states a filter offers: <c>valid</c>, <c>none</c> (never attested, or no longer valid), <c>withdrawn</c>.</summary>
    public static readonly IReadOnlyList<(string Key, string Words)> AttestationStates =
        [("valid", "valid attestation"), ("none", "no valid attestation"), ("withdrawn", "attestation withdrawn")];

    /// <summary>Approved (or any) deployments without an attestation that counts. One home for "valid", shared with the home counts.</summary>
    public static readonly Expression<Func<DeploymentView, bool>> WithoutValidAttestation = d => d.Attestation == null || !d.Attestation.Valid;

    public static PortfolioQuery From(IReadOnlyDictionary<string, string?> q)
    {
        string? S(string key) => q.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        return new PortfolioQuery(
            S("q"),
            Naming.TryParse<DeploymentStatus>(S("status"), out var status) ? status : null,
            Naming.TryParse<Verdict>(S("verdict"), out var verdict) ? verdict : null,
            S("license"), S("origin"), S("region"), S("dataClass"),
            AttestationStates.Any(a => a.Key == S("attestation")) ? S("attestation") : null,
            int.TryParse(S("waiversWithin"), CultureInfo.InvariantCulture, out var days) && days is > 0 and <= 3650 ? days : null,
            Sorts.Any(s => s.Key == S("sort")) ? S("sort")! : "registered",
            S("dir") is "asc" ? false : S("dir") is "desc" || S("sort") is null or "registered" or "updated",
            int.TryParse(S("page"), CultureInfo.InvariantCulture, out var page) && page > 0 ? page : 1);
    }

    public IQueryable<DeploymentView> Apply(IQueryable<DeploymentView> query, DateOnly today) => Order(Filter(query, today));

    public IQueryable<DeploymentView> Filter(IQueryable<DeploymentView> query, DateOnly today)
    {
        if (Search is { } s) query = DeploymentSearch.Matching(query, s);
        if (Status is { } status) query = query.Where(d => d.Status == status);
        if (Verdict is { } verdict) query = query.Where(d => d.Assessment!.Verdict == verdict);
        if (License is { } license) query = query.Where(d => d.Model.LicenseId == license);
        if (Origin is { } origin) query = query.Where(d => d.Model.Origin == origin);
        if (Region is { } region) query = query.Where(d => d.Usage.Regions.Contains(region));
        if (DataClass is { } dataClass) query = query.Where(d => d.Usage.DataClasses.Contains(dataClass));
        query = Attestation switch
        {
            "valid" => query.Where(d => d.Attestation != null && d.Attestation.Valid),
            "none" => query.Where(WithoutValidAttestation),
            "withdrawn" => query.Where(d => d.Attestation != null && d.Attestation.Withdrawn),
            _ => query,
        };
        if (WaiversWithinDays is { } days)
        {
            var until = today.AddDays(days);
            query = query.Where(d => d.NextWaiverExpiry != null && d.NextWaiverExpiry <= until);
        }
        return query;
    }

    public IQueryable<DeploymentView> Order(IQueryable<DeploymentView> query)
    {
        return (Sort, Descending) switch
        {
            ("name", false) => query.OrderBy(d => d.Name),
            ("name", true) => query.OrderByDescending(d => d.Name),
            ("status", false) => query.OrderBy(d => d.Status).ThenBy(d => d.Name),
            ("status", true) => query.OrderByDescending(d => d.Status).ThenBy(d => d.Name),
            ("verdict", false) => query.OrderBy(d => d.Assessment!.Verdict).ThenBy(d => d.Name),
            ("verdict", true) => query.OrderByDescending(d => d.Assessment!.Verdict).ThenBy(d => d.Name),
            ("license", false) => query.OrderBy(d => d.Model.LicenseId).ThenBy(d => d.Name),
            ("license", true) => query.OrderByDescending(d => d.Model.LicenseId).ThenBy(d => d.Name),
            ("updated", false) => query.OrderBy(d => d.UpdatedAt),
            ("updated", true) => query.OrderByDescending(d => d.UpdatedAt),
            (_, false) => query.OrderBy(d => d.RegisteredAt),
            _ => query.OrderByDescending(d => d.RegisteredAt),
        };
    }

    /// <summary>The query string of this query, with <paramref name="change"/> applied: links for sorting, paging, the CSV.</summary>
    public string Link(string path, Func<PortfolioQuery, PortfolioQuery>? change = null)
    {
        var q = change is null ? this : change(this);
        var pairs = new Dictionary<string, string?>
        {
            ["q"] = q.Search,
            ["status"] = q.Status is { } s ? Naming.Snake(s) : null,
            ["verdict"] = q.Verdict is { } v ? Naming.Snake(v) : null,
            ["license"] = q.License,
            ["origin"] = q.Origin,
            ["region"] = q.Region,
            ["dataClass"] = q.DataClass,
            ["attestation"] = q.Attestation,
            ["waiversWithin"] = q.WaiversWithinDays?.ToString(CultureInfo.InvariantCulture),
            ["sort"] = q.Sort == "registered" ? null : q.Sort,
            ["dir"] = q.Descending == (q.Sort is "registered" or "updated") ? null : q.Descending ? "desc" : "asc",
            ["page"] = q.Page == 1 ? null : q.Page.ToString(CultureInfo.InvariantCulture),
        };
        return QueryHelpers.AddQueryString(path, pairs.Where(p => p.Value is not null)!);
    }
}
