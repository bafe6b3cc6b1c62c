using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Governance.Api.Infrastructure;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Governance.Api.Ui;

/// <summary>
/// Two doors, never mixed: <c>/ui/**</c> authenticates with the console's cookie only (a bearer token there is ignored),
/// every other route with a bearer token only (the cookie there is ignored, and refusals stay 401/403 problems).
/// </summary>
public static class ConsoleAuth
{
    public const string CookieScheme = "console";
    public const string OidcScheme = "console-oidc";
    private const string ByPathScheme = "by-path";
    public const string PathPrefix = "/ui";

    /// <summary>When the person signed in: the cookie slides with use, but never past <see cref="AbsoluteLifetime"/> from here.</summary>
    private const string SignedInAtClaim = "signed_in_at";
    public static readonly TimeSpan SlidingLifetime = TimeSpan.FromHours(1);
    public static readonly TimeSpan AbsoluteLifetime = TimeSpan.FromHours(8);

    public static void Add(IServiceCollection services, GovernanceOptions options)
    {
        var auth = services.AddAuthentication(o =>
        {
            o.DefaultScheme = ByPathScheme;
            o.DefaultChallengeScheme = ByPathScheme;
            o.DefaultForbidScheme = ByPathScheme;
        });
        auth.AddPolicyScheme(ByPathScheme, "Cookie for the console, bearer for the API", o =>
            o.ForwardDefaultSelector = context => IsConsole(context.Request) ? CookieScheme : JwtBearerDefaults.AuthenticationScheme);

        auth.AddCookie(CookieScheme, o =>
        {
            o.Cookie = new ConsoleCookie { Name = "__governance_console" };
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.Path = PathPrefix;
            o.ExpireTimeSpan = SlidingLifetime;
            o.SlidingExpiration = true;
            o.LoginPath = $"{PathPrefix}/signin";
            o.LogoutPath = $"{PathPrefix}/signout";
            o.AccessDeniedPath = $"{PathPrefix}/not-allowed";
            if (options.Auth.HasAuthority) o.ForwardChallenge = OidcScheme;
            o.Events.OnValidatePrincipal = context =>
            {
                var now = context.Options.TimeProvider?.GetUtcNow() ?? DateTimeOffset.UtcNow;
                if (!long.TryParse(context.Principal?.FindFirstValue(SignedInAtClaim), out var at)
                    || now - DateTimeOffset.FromUnixTimeSeconds(at) > AbsoluteLifetime)
                {
                    context.RejectPrincipal();
                    return context.HttpContext.SignOutAsync(CookieScheme);
                }
                return Task.CompletedTask;
            };
        });

        if (options.Auth.HasAuthority) auth.AddOpenIdConnect(OidcScheme, o => ConfigureOidc(o, options));
    }

    private static void ConfigureOidc(OpenIdConnectOptions o, GovernanceOptions options)
    {
        o.SignInScheme = CookieScheme;
        o.Authority = options.Auth.Authority;
        // Plain HTTP only for a provider on this machine (a development or test provider), never across a network.
        o.RequireHttpsMetadata = !IsLoopbackUrl(options.Auth.Authority!);
        o.ClientId = options.Ui.ClientId;
        o.ClientSecret = options.Ui.ClientSecret;
        o.ResponseType = OpenIdConnectResponseType.Code;
        o.UsePkce = true;
        o.CallbackPath = $"{PathPrefix}/signin-oidc";
        o.SignedOutCallbackPath = $"{PathPrefix}/signout-callback-oidc";
        o.MapInboundClaims = false;
        o.SaveTokens = false;
        o.Scope.Clear();
        o.Scope.Add("openid");
        o.Scope.Add("profile");
        // The provider answers with a redirect (not a cross-site form post), so the sign-in cookies can stay SameSite=Lax.
        o.ResponseMode = OpenIdConnectResponseMode.Query;
        o.NonceCookie = new ConsoleCookie { Name = ".governance.oidc.nonce.", HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, Path = PathPrefix };
        o.CorrelationCookie = new ConsoleCookie { Name = ".governance.oidc.correlation.", HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, Path = PathPrefix };
        o.Events.OnTokenValidated = context =>
        {
            var now = context.Options.TimeProvider?.GetUtcNow() ?? DateTimeOffset.UtcNow;
            var principal = context.Principal!;
            // One role per session, as one role per token: what a person does is recorded under the role they acted in,
            // and an account holding several would act under all of them while the trail names one.
            if (RolesOf(principal) is { Count: > 1 } several)
            {
                context.HandleResponse();
                context.Response.Redirect($"{PathPrefix}/signin?refused={Uri.EscapeDataString(string.Join(",", several))}");
                return Task.CompletedTask;
            }
            context.Principal = Principal(
                principal.FindFirstValue("sub") ?? "unknown",
                principal.FindFirstValue("name") ?? principal.FindFirstValue("preferred_username") ?? "unknown",
                RolesOf(principal),
                now);
            return Task.CompletedTask;
        };
    }

    /// <summary>
    /// The roles a provider sent, as tokens carry them: a <c>role</c> claim (one or several), or a <c>roles</c> array
    /// (which the handler flattens into one claim per entry). Only Governance's roles count.
    /// </summary>
    public static IReadOnlyList<string> RolesOf(ClaimsPrincipal principal) =>
        principal.FindAll("role").Concat(principal.FindAll("roles")).Select(c => c.Value).Where(Role.All.Contains).Distinct().ToList();

    /// <summary>The console's principal, whichever way the person signed in: the same claims the API reads from tokens.</summary>
    public static ClaimsPrincipal Principal(string subject, string name, IReadOnlyList<string> roles, DateTimeOffset signedInAt)
    {
        var claims = new List<Claim> { new("sub", subject), new("name", name), new(SignedInAtClaim, signedInAt.ToUnixTimeSeconds().ToString()) };
        claims.AddRange(roles.Select(r => new Claim("role", r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieScheme, "name", "role"));
    }

    public static bool IsConsole(HttpRequest request) => request.Path.StartsWithSegments(PathPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The local sign-in page is on only in local mode (no identity provider) and only while every address the server
    /// listens on is a loopback address, unless <c>Governance:Ui:DevSignIn=true</c> says otherwise.
    /// </summary>
    public static bool DevSignInEnabled(GovernanceOptions options, IServer server)
    {
        if (options.Auth.HasAuthority) return false;
        if (options.Ui.DevSignIn) return true;
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses;
        return addresses is { Count: > 0 } && addresses.All(IsLoopbackUrl);
    }

    public static bool IsLoopbackUrl(string url)
    {
        // Kestrel spells "every interface" as +, * or an unspecified address; Uri can't parse the first two.
        if (!Uri.TryCreate(url.Replace("://+", "://any-host").Replace("://*", "://any-host"), UriKind.Absolute, out var uri)) return false;
        if (uri.IsLoopback) return true;
        return IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }

    /// <summary>Secure outside loopback: a session cookie from a browser on another machine only ever travels over HTTPS.</summary>
    private sealed class ConsoleCookie : CookieBuilder
    {
        public override CookieOptions Build(HttpContext context, DateTimeOffset expiresFrom)
        {
            var cookie = base.Build(context, expiresFrom);
            var local = context.Connection.LocalIpAddress is { } ip && IPAddress.IsLoopback(ip);
            cookie.Secure = context.Request.IsHttps || !local;
            return cookie;
        }
    }
}
