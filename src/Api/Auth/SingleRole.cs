using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Governance.Api.Auth;

/// <summary>
/// A token carries exactly one role. Every event records the one role its actor acted under, and every permission is
/// granted to a role for a reason (docs/api.md, "Roles"); a token with two roles would act under their union while the
/// audit trail names one of them. Such a token is refused (401, with a problem saying why); a token with no role, or one an operation does not allow, gets the usual 403.
/// </summary>
public static class SingleRole
{
    /// <summary>Why a token was refused; <see cref="TokenProblems"/> says it in the 401 problem.</summary>
    public sealed class Refused(string why) : Exception(why);

    public static void Apply(JwtBearerOptions options)
    {
        var events = options.Events ?? new JwtBearerEvents();
        var validated = events.OnTokenValidated;
        events.OnTokenValidated = async context =>
        {
            await validated(context);
            if (context.Result is { Failure: not null }) return;
            var roles = context.Principal?.FindAll("role").Select(c => c.Value).ToList() ?? [];
            if (roles.Count <= 1) return; // none, or one the endpoint does not allow: the usual 403 says so
            context.Fail(new Refused($"The token carries {roles.Count} roles ({string.Join(", ", roles)}): a token carries exactly one, so that " +
                                     "what its bearer did is recorded under the role that allowed it. Ask for a token per role."));
        };
        options.Events = events;
    }
}
