using System.Globalization;
using System.Reflection;
using Governance.Api.Features.Company;
using Governance.Api.Features.Deployments;
using Governance.Api.Features.Deployments.Bom;
using Governance.Api.Features.Deployments.List;
using Governance.Api.Features.Reports;
using Governance.Api.Features.Reports.Deployment;
using Governance.Api.Features.Reports.Portfolio;
using Governance.Api.Infrastructure;
using Marten;

namespace Governance.Api.Ui;

/// <summary>
/// The console's downloads. The REST routes take bearer tokens only, so the console serves the same documents under
/// <c>/ui</c> from the same report model, renderer and ledger: a PDF downloaded here is issued and verifiable like
/// one downloaded through the API.
/// </summary>
internal static class Downloads
{
    private static readonly string GovernanceVersion =
        typeof(Downloads).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "1.0.0";

    public static string Report(Guid id, DateTimeOffset? asOf = null) =>
        $"{ConsoleAuth.PathPrefix}/deployments/{id}/report.pdf" + (asOf is { } at ? "?asOf=" + Uri.EscapeDataString(at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)) : "");

    public static string Bom(Guid id, string format) => $"{ConsoleAuth.PathPrefix}/deployments/{id}/bom/{format}";

    public const string Portfolio = $"{ConsoleAuth.PathPrefix}/reports/portfolio.pdf";

    public const string PortfolioCsv = $"{ConsoleAuth.PathPrefix}/deployments.csv";

    public static void Map(WebApplication app)
    {
        app.MapGet(PortfolioCsv, async (HttpContext http, IQuerySession session, TimeProvider clock, CancellationToken ct) =>
            {
                var query = PortfolioQuery.From(http.Request.Query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString()));
                var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
                var rows = await query.Apply(session.Query<DeploymentView>(), today).ToListAsync(ct);
                return Results.Text(Csv.Portfolio(rows), "text/csv; charset=utf-8");
            })
            .RequireAuthorization(p => p.RequireRole(Role.Architect, Role.Legal, Role.Auditor, Role.Admin)).ExcludeFromDescription();

        app.MapGet($"{ConsoleAuth.PathPrefix}/deployments/{{id:guid}}/report.pdf", async (
                Guid id, string? asOf, HttpContext http, IDocumentSession session, ReportRendering rendering, CancellationToken ct) =>
                await rendering.DeploymentAsync(session, id, AsOf.Parse(asOf), Actor.From(http.User), ct) is { } report
                    ? report.Download(http)
                    : Results.NotFound())
            .RequireAuthorization(p => p.RequireRole(Role.Auditor, Role.Legal)).ExcludeFromDescription();

        app.MapGet(Portfolio, async (HttpContext http, IDocumentSession session, ReportRendering rendering, CancellationToken ct) =>
                (await rendering.PortfolioAsync(session, Actor.From(http.User), ct)).Download(http))
            .RequireAuthorization(p => p.RequireRole(Role.Auditor, Role.Legal)).ExcludeFromDescription();

        app.MapGet($"{ConsoleAuth.PathPrefix}/deployments/{{id:guid}}/bom/{{format}}", async (
                Guid id, string format, IQuerySession session, PolicySet policies, CancellationToken ct) =>
            {
                if (format is not ("cyclonedx" or "spdx")) return Results.NotFound();
                if (await session.LoadAsync<DeploymentView>(id, ct) is not { } deployment) return Results.NotFound();
                var license = policies.Catalog.Find(deployment.Model.LicenseId);
                return format == "spdx"
                    ? Results.Text(Spdx.Build(deployment, license, GovernanceVersion).ToJsonString(), Spdx.MediaType)
                    : Results.Text(CycloneDx.Build(deployment, license, GovernanceVersion).ToJsonString(), CycloneDx.MediaType + "; version=1.6");
            })
            .RequireAuthorization(p => p.RequireRole(Role.Auditor, Role.Legal, Role.Architect, Role.Admin)).ExcludeFromDescription();
    }
}

/// <summary>The console's "as of" fields: a date and time in UTC, as a <c>datetime-local</c> input sends it.</summary>
public static class AsOf
{
    public const string InputFormat = "yyyy-MM-ddTHH:mm:ss";

    public static DateTimeOffset? Parse(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : null;

    public static string Input(DateTimeOffset at) => at.UtcDateTime.ToString(InputFormat, CultureInfo.InvariantCulture);

    /// <summary>An instant for a link, to the tick: "just after this event" must include the event itself.</summary>
    public static string Exact(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);
}
