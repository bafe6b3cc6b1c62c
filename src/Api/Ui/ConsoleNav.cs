using System.Reflection;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;

namespace Governance.Api.Ui;

/// <summary>A page of the console as the navigation shows it: its route and the roles its <c>[Authorize]</c> names.</summary>
public sealed record ConsolePage(string Label, string Href, IReadOnlyList<string> Roles)
{
    public bool Serves(ClaimsPrincipal user) => Roles.Any(user.IsInRole);
}

/// <summary>
/// The navigation. Routes and roles are read from the pages themselves, so a page's <c>[Authorize(Roles = ...)]</c> is
/// the one place that says who may see it.
/// </summary>
public static class ConsoleNav
{
    public static readonly IReadOnlyList<ConsolePage> Pages =
    [
        Of<Home>("Home"),
        Of<Features.Deployments.List.InboxPage>("Inbox"),
        Of<Features.Deployments.List.PortfolioPage>("Deployments"),
        Of<Features.Deployments.Waivers.WaiverRegisterPage>("Waivers"),
        Of<Features.Reports.List.ReportsPage>("Reports"),
        Of<Features.Licenses.List.LicensesPage>("Licenses"),
        Of<Features.Company.Get.CompanyPage>("Company"),
        Of<Features.Scanners.List.ScannersPage>("Scanners"),
    ];

    public static IEnumerable<ConsolePage> For(ClaimsPrincipal user) => Pages.Where(p => p.Serves(user));

    public static ConsolePage Of<TPage>(string label) where TPage : IComponent
    {
        var route = typeof(TPage).GetCustomAttribute<RouteAttribute>()?.Template
            ?? throw new InvalidOperationException($"{typeof(TPage).Name} has no @page route.");
        var roles = typeof(TPage).GetCustomAttribute<AuthorizeAttribute>()?.Roles?.Split(',', StringSplitOptions.TrimEntries)
            ?? throw new InvalidOperationException($"{typeof(TPage).Name} names no roles in [Authorize(Roles = ...)].");
        return new ConsolePage(label, route, roles);
    }
}
