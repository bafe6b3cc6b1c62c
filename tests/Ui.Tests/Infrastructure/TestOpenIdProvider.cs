using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Governance.Ui.Tests.Infrastructure;

/// <summary>
/// A minimal OpenID provider on a loopback port: discovery, JWKS, an authorization endpoint that signs in a fixed
/// person at once, and a token endpoint that checks the client, the redirect and the PKCE verifier before issuing an
/// RS256 id_token. Enough to test the console's authorization code + PKCE wiring end to end.
/// </summary>
public sealed class TestOpenIdProvider : IAsyncDisposable
{
    public const string ClientId = "governance-console";
    public const string ClientSecret = "console-secret";

    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "test-key" };
    private readonly ConcurrentDictionary<string, (string RedirectUri, string Challenge, string? Nonce)> _codes = new();
    private WebApplication? _app;

    /// <summary>The claims of the person who signs in; <c>roles</c> as an array, as Entra ID sends app roles.</summary>
    public Dictionary<string, object> Person { get; } = new() { ["sub"] = "olivia-1", ["name"] = "Olivia Oidc", ["roles"] = new[] { "legal" } };

    public string Authority { get; private set; } = "";
    public int TokensIssued { get; private set; }
    public List<string> Refusals { get; } = [];

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Authority,
            ["authorization_endpoint"] = Authority + "/authorize",
            ["token_endpoint"] = Authority + "/token",
            ["jwks_uri"] = Authority + "/jwks",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
        }));
        _app.MapGet("/jwks", () => Results.Json(new { keys = new[] { JsonWebKeyConverter.ConvertFromRSASecurityKey(PublicKey()) } }));
        _app.MapGet("/authorize", (HttpRequest r) =>
        {
            var q = r.Query;
            if (q["client_id"] != ClientId || q["response_type"] != "code" || q["code_challenge_method"] != "S256" || string.IsNullOrEmpty(q["code_challenge"]))
            {
                Refusals.Add("authorize: " + r.QueryString);
                return Results.BadRequest("bad authorization request");
            }
            var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            _codes[code] = (q["redirect_uri"]!, q["code_challenge"]!, q["nonce"]);
            return Results.Redirect($"{q["redirect_uri"]}?code={code}&state={Uri.EscapeDataString(q["state"]!)}");
        });
        _app.MapPost("/token", async (HttpRequest r) =>
        {
            var f = await r.ReadFormAsync();
            if (f["grant_type"] != "authorization_code" || f["client_id"] != ClientId || f["client_secret"] != ClientSecret
                || !_codes.TryRemove(f["code"].ToString(), out var issued) || issued.RedirectUri != f["redirect_uri"]
                || Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(f["code_verifier"].ToString()))) != issued.Challenge)
            {
                Refusals.Add("token: " + string.Join("&", f.Select(p => p.Key)));
                return Results.BadRequest(new { error = "invalid_grant" });
            }
            var claims = new Dictionary<string, object>(Person) { ["aud"] = ClientId };
            if (issued.Nonce is not null) claims["nonce"] = issued.Nonce;
            var idToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = Authority, Claims = claims, IssuedAt = DateTime.UtcNow, Expires = DateTime.UtcNow.AddMinutes(5),
                SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
            });
            TokensIssued++;
            return Results.Json(new { access_token = "opaque", token_type = "Bearer", expires_in = 300, id_token = idToken });
        });
        await _app.StartAsync();
        Authority = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    private RsaSecurityKey PublicKey() => new(_key.Rsa.ExportParameters(false)) { KeyId = _key.KeyId };

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
