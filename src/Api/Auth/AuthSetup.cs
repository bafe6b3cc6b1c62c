using Governance.Api.Infrastructure;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Governance.Api.Auth;

public static class AuthSetup
{
    /// <summary>
    /// Production validates tokens of the issuer at <c>Governance:Auth:Authority</c> for <c>Governance:Auth:Audience</c>;
    /// without an authority, tokens signed with the local key are accepted. Either way the role sits in the <c>role</c> claim.
    /// </summary>
    public static IServiceCollection AddGovernanceAuth(this IServiceCollection services)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<GovernanceOptions>>((o, governance) =>
        {
            var options = governance.Value;
            o.MapInboundClaims = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                NameClaimType = "name",
                RoleClaimType = "role",
                ValidateAudience = true,
                ValidateLifetime = true,
                ClockSkew = TimeSpan.FromSeconds(30),
            };
            if (options.Auth.Authority is { Length: > 0 } authority)
            {
                o.Authority = authority;
                o.Audience = options.Auth.Audience;
                o.TokenValidationParameters.ValidAudience = o.Audience;
            }
            else
            {
                o.TokenValidationParameters.ValidIssuer = SigningKey.Issuer;
                o.TokenValidationParameters.ValidAudience = SigningKey.Audience;
                o.TokenValidationParameters.IssuerSigningKey = SigningKey.Resolve(options);
            }
        });
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, SingleRole.Apply);
        services.AddAuthorization();
        return services;
    }
}
