using Governance.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Governance.Ui.Tests.Infrastructure;

/// <summary>
/// The real Api on a real Kestrel port (so a real browser can reach it), a database of its own, a clock the test
/// moves, and extra settings for tests about configuration.
/// </summary>
public sealed class ConsoleFactory : WebApplicationFactory<Program>
{
    private static readonly byte[] Key = Enumerable.Range(100, 48).Select(i => (byte)i).ToArray();
    private static readonly SymmetricSecurityKey SecurityKey = new(Key) { KeyId = "configured" };

    private readonly string _connectionString;
    private readonly IReadOnlyDictionary<string, string> _settings;

    public ConsoleFactory(string connectionString, IReadOnlyDictionary<string, string>? settings = null, Action<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>? kestrel = null)
    {
        _connectionString = connectionString;
        _settings = settings ?? new Dictionary<string, string>();
        if (kestrel is null) UseKestrel(0);
        else UseKestrel(kestrel);
    }

    public TestClock Clock { get; } = new();

    /// <summary>The address the browser opens, e.g. http://127.0.0.1:43121.</summary>
    public string BaseUrl { get; private set; } = "";

    public static string Token(string role, string name) => Governance.Api.Auth.Tokens.Issue(SecurityKey, role, name, now: DateTimeOffset.UtcNow);

    public string Start()
    {
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = address.Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1").TrimEnd('/');
        return BaseUrl;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Governance", _connectionString);
        builder.UseSetting("Governance:Auth:SigningKey", Convert.ToBase64String(Key));
        builder.UseSetting("Governance:PoliciesDir", Path.Combine(ApiFixture.RepoRoot, "policies"));
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureServices(s => s.AddSingleton<TimeProvider>(Clock));
        builder.ConfigureLogging(l => l.AddProvider(new ErrorLog()));
    }
}
