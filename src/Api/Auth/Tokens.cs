using Governance.Api.Infrastructure;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Governance.Api.Auth;

/// <summary>Issues tokens signed with the local key: for the <c>token</c> command, and for tests.</summary>
public static class Tokens
{
    public static string Issue(SecurityKey key, string role, string name, string? subject = null, TimeSpan? lifetime = null, DateTimeOffset? now = null)
    {
        var issuedAt = (now ?? DateTimeOffset.UtcNow).UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = SigningKey.Issuer,
            Audience = SigningKey.Audience,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + (lifetime ?? TimeSpan.FromHours(12)),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
            Subject = new ClaimsIdentity(
            [
                new Claim("sub", subject ?? $"{role}:{name.ToLowerInvariant().Replace(' ', '.')}"),
                new Claim("name", name),
                new Claim("role", role),
            ]),
        });
    }

    /// <summary><c>token --role legal --name "Dana Legal" [--hours 12] [--subject id]</c>: prints a token to stdout.</summary>
    public static int RunCommand(string[] args, GovernanceOptions options)
    {
        string? Option(string name) => args.SkipWhile(a => a != "--" + name).Skip(1).FirstOrDefault();
        var role = Option("role");
        var name = Option("name");
        if (role is null || !Role.All.Contains(role) || string.IsNullOrWhiteSpace(name))
        {
            Console.Error.WriteLine($"usage: token --role <{string.Join("|", Role.All)}> --name \"Full Name\" [--hours 12] [--subject id]");
            return 2;
        }
        var hours = double.TryParse(Option("hours"), System.Globalization.CultureInfo.InvariantCulture, out var h) && h > 0 ? h : 12;
        Console.WriteLine(Issue(SigningKey.Resolve(options), role, name, Option("subject"), TimeSpan.FromHours(hours)));
        return 0;
    }
}
