using Microsoft.AspNetCore.Authentication.JwtBearer;
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
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IConfiguration>((o, configuration) =>
        {
            o.MapInboundClaims = false;
            var authority = configuration["Governance:Auth:Authority"];
            o.TokenValidationParameters = new TokenValidationParameters
            {
                NameClaimType = "name",
                RoleClaimType = "role",
                ValidateAudience = true,
                ValidateLifetime = true,
                ClockSkew = TimeSpan.FromSeconds(30),
            };
            if (!string.IsNullOrEmpty(authority))
            {
                o.Authority = authority;
                o.Audience = configuration["Governance:Auth:Audience"]
                    ?? throw new InvalidOperationException("Governance:Auth:Audience is required with Governance:Auth:Authority.");
                o.TokenValidationParameters.ValidAudience = o.Audience;
            }
            else
            {
                o.TokenValidationParameters.ValidIssuer = SigningKey.Issuer;
                o.TokenValidationParameters.ValidAudience = SigningKey.Audience;
                o.TokenValidationParameters.IssuerSigningKey = SigningKey.Resolve(configuration);
            }
        });
        services.AddAuthorization();
        return services;
    }
}
