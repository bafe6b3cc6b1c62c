using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Governance.Api.Infrastructure;

/// <summary>
/// Says what the Api is doing while it starts (the schema step can take a while on a first run, and its DDL is kept out
/// of the log) and, once it listens, where everything is and how to get a token that this Api accepts.
/// Registered before Marten, so the first line comes before the schema is applied.
/// </summary>
public sealed class StartupNotes(IServer server, IHostApplicationLifetime lifetime, IOptions<GovernanceOptions> options, IConfiguration configuration,
    ILogger<StartupNotes> log) : IHostedService
{
    public Task StartAsync(CancellationToken ct)
    {
        log.LogInformation("Bringing the database schema up to date (a first start creates it; later starts apply only what changed)");
        lifetime.ApplicationStarted.Register(Ready);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    private void Ready()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var url = (addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal)) ?? addresses.FirstOrDefault() ?? "http://localhost:5000")
            .Replace("://[::]", "://localhost").Replace("://0.0.0.0", "://localhost").Replace("://+", "://localhost").Replace("://*", "://localhost");
        var governance = options.Value;
        var keyFrom = governance.Auth.Authority is { Length: > 0 } authority
            ? $"Tokens come from the identity provider at {authority}."
            : governance.Auth.SigningKey is { Length: > 0 }
                ? "Tokens are signed with the configured Governance:Auth:SigningKey: give the token command the same setting."
                : $"Tokens are signed with the key in {Path.Combine(governance.DataPath, "signing-key")}: the token command finds it when it runs with the same Governance:DataDir.";
        log.LogInformation(
            "Governance is ready at {Url} (database: {Database}).\n  API reference: {Url}/docs (OpenAPI: {Url}/openapi/v1.json)\n  Console:       {Url}/ui\n" +
            "  Mint a token:  dotnet run --project src/Api -- token --role architect --name \"Ari Architect\"\n  {KeyFrom}",
            url, configuration.GetConnectionString("Governance") is { Length: > 0 } ? "ConnectionStrings:Governance" : $"local cluster under {governance.DataPath}",
            url, url, url, keyFrom);
    }
}
