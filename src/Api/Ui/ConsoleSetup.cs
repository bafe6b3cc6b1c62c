using Microsoft.AspNetCore.Antiforgery;
using Governance.Api.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Governance.Api.Ui;

/// <summary>
/// The console: Blazor static server rendering under <c>/ui</c> (no interactive render modes, no circuits), signed in
/// with its own cookie, with the same read models and use cases as the REST API.
/// </summary>
public static class ConsoleSetup
{
    /// <summary>Content-Security-Policy of every console response: only this origin's scripts, styles and forms.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; " +
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private static readonly Lazy<byte[]> Stylesheet = new(() =>
    {
        using var stream = typeof(ConsoleSetup).Assembly.GetManifestResourceStream("console.css")!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    });

    /// <summary>Registers the console's services; call after the API's own authentication.</summary>
    public static WebApplicationBuilder AddConsole(this WebApplicationBuilder builder)
    {
        ConsoleAuth.Add(builder.Services, GovernanceOptions.From(builder.Configuration));
        // Besides the fields MartenSetup duplicates (status, verdict, license, waiver expiry): the inbox sorts by the last
        // change, and the home page counts this month's reports.
        builder.Services.AddRazorComponents();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "__governance_antiforgery";
            o.Cookie.Path = ConsoleAuth.PathPrefix;
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        return builder;
    }

    /// <summary>Maps the console's pages, stylesheet, sign-out and downloads; call after authentication and authorization.</summary>
    public static WebApplication MapConsole(this WebApplication app)
    {
        app.UseWhen(c => ConsoleAuth.IsConsole(c.Request), ui => ui.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            return next(context);
        }));
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapGet($"{ConsoleAuth.PathPrefix}/console.css", () => Results.Bytes(Stylesheet.Value, "text/css; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
        app.MapPost($"{ConsoleAuth.PathPrefix}/signout", async (HttpContext context) =>
        {
            if (context.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true })
                return Results.BadRequest();
            await context.SignOutAsync(ConsoleAuth.CookieScheme);
            return Results.LocalRedirect($"{ConsoleAuth.PathPrefix}/signin");
        }).WithMetadata(new RequireAntiforgeryTokenAttribute()).AllowAnonymous().ExcludeFromDescription();
        app.MapGet($"{ConsoleAuth.PathPrefix}/signin/oidc", (string? returnUrl, IOptions<GovernanceOptions> options) => options.Value.Auth.HasAuthority
            ? Results.Challenge(new AuthenticationProperties { RedirectUri = ConsoleLinks.SafeReturn(returnUrl) }, [ConsoleAuth.OidcScheme])
            : Results.NotFound()).AllowAnonymous().ExcludeFromDescription();
        Downloads.Map(app);
        app.MapRazorComponents<App>();
        return app;
    }
}
