using Governance.Api.Infrastructure;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Governance.Api.Auth;

/// <summary>
/// A refused bearer token is a 401 problem that says why: none was sent, it expired, it was made for another issuer or
/// audience, it carries several roles (<see cref="SingleRole"/>), or it was signed with a key this Api does not have, which locally means the <c>token</c> command ran with
/// other settings than the Api (another <c>Governance:DataDir</c> holds another signing key).
/// </summary>
public static class TokenProblems
{
    public static IServiceCollection AddTokenProblems(this IServiceCollection services)
    {
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).PostConfigure<IOptions<GovernanceOptions>>((o, governance) =>
        {
            o.Events ??= new JwtBearerEvents();
            o.Events.OnChallenge = async context =>
            {
                context.HandleResponse();
                var (error, detail) = Explain(context.AuthenticateFailure, governance.Value);
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = error is null ? "Bearer" : $"Bearer error=\"{error}\"";
                await TypedResults.Problem(statusCode: 401, title: "Unauthorized", detail: detail).ExecuteAsync(context.HttpContext);
            };
        });
        return services;
    }

    private static (string? Error, string Detail) Explain(Exception? failure, GovernanceOptions governance)
    {
        var local = governance.Auth.Authority is not { Length: > 0 };
        var mint = "mint one with `dotnet run --project src/Api -- token --role <role> --name \"Your Name\"`";
        return failure switch
        {
            null => (null, local
                ? $"This operation needs a bearer token (Authorization: Bearer <token>): {mint}."
                : "This operation needs a bearer token (Authorization: Bearer <token>) from the identity provider."),
            SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => ("invalid_token", local
                ? "The token was signed with a key this Api does not have. The token command must run with the same settings as the Api: " +
                  "the same Governance:Auth:SigningKey, or, when none is configured, the same Governance:DataDir (whose signing-key file signs tokens)."
                : "The token was not signed by a key of the configured identity provider."),
            SingleRole.Refused refused => ("invalid_token", refused.Message),
            SecurityTokenExpiredException expired => ("invalid_token", $"The token expired at {expired.Expires:u}; {(local ? mint : "get a new one")}."),
            SecurityTokenNotYetValidException => ("invalid_token", "The token is not valid yet: check the clocks of the issuer and this Api."),
            SecurityTokenInvalidAudienceException => ("invalid_token", "The token was issued for another audience than this Api."),
            SecurityTokenInvalidIssuerException => ("invalid_token", "The token was issued by another issuer than the one this Api trusts."),
            _ => ("invalid_token", "The bearer token is not a valid token for this Api."),
        };
    }
}
