using System.Diagnostics;
using Governance.Api.Infrastructure;
using Governance.Api.Tests.Infrastructure;

namespace Governance.Api.Tests.Features.Newcomers;

/// <summary>
/// The <c>token</c> command as a newcomer uses it: it mints without starting the web host, its tokens are accepted by an
/// Api on the same data folder, and a token minted under another data folder gets a 401 that says why.
/// </summary>
public sealed class TokenCommandTests : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), $"governance-token-{Guid.NewGuid():N}");
    private readonly string _otherDataDir = Path.Combine(Path.GetTempPath(), $"governance-token-other-{Guid.NewGuid():N}");
    private ApiFixture _api = null!;

    public async Task InitializeAsync()
    {
        // No configured key: the Api signs with the key generated into its data folder, as on a first local run.
        _api = new ApiFixture { Settings = new Dictionary<string, string> { ["Governance:Auth:SigningKey"] = "", ["Governance:DataDir"] = _dataDir } };
        await _api.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        foreach (var dir in new[] { _dataDir, _otherDataDir })
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task a_token_minted_on_the_same_data_folder_is_accepted_and_one_from_another_gets_a_401_that_says_why()
    {
        var (token, output, elapsed) = await MintAsync(_dataDir);
        Assert.Equal(3, token.Split('.').Length);
        // Minting never starts the web host (no Kestrel, no database, no schema).
        Assert.DoesNotContain("Now listening", output);
        Assert.DoesNotContain("PostgreSQL", output);
        Assert.True(elapsed < TimeSpan.FromSeconds(30), $"token took {elapsed}");

        var accepted = await _api.Send(HttpMethod.Get, "/licenses", null, headers: Bearer(token));
        Assert.Equal(200, accepted.Status);

        var (foreign, _, _) = await MintAsync(_otherDataDir);
        var refused = await _api.Send(HttpMethod.Get, "/licenses", null, headers: Bearer(foreign));
        Assert.Equal(401, refused.Status);
        Assert.Equal("application/problem+json", refused.ContentType);
        Assert.Contains("Governance:DataDir", (string?)refused.Json["detail"]);
    }

    [Fact]
    public async Task no_token_and_an_expired_token_get_401s_that_say_what_to_do()
    {
        var none = await _api.Send(HttpMethod.Get, "/licenses", null);
        Assert.Equal(401, none.Status);
        Assert.Contains("token --role", (string?)none.Json["detail"]);

        var key = Auth.SigningKey.Resolve(new GovernanceOptions { DataDir = _dataDir });
        var expired = Auth.Tokens.Issue(key, "auditor", "Old Token", lifetime: TimeSpan.FromMinutes(1), now: DateTimeOffset.UtcNow.AddHours(-2));
        var reply = await _api.Send(HttpMethod.Get, "/licenses", null, headers: Bearer(expired));
        Assert.Equal(401, reply.Status);
        Assert.Contains("expired", (string?)reply.Json["detail"]);
    }

    [Theory]
    [InlineData("src/Api")]
    [InlineData("src/Api/bin/Debug/net10.0")]
    [InlineData("")]
    public void a_relative_data_folder_belongs_to_the_repository_wherever_in_it_the_api_starts(string from)
    {
        Assert.Equal(Path.Combine(ApiFixture.RepoRoot, ".governance"), GovernanceOptions.ResolveDataPath(".governance", Path.Combine(ApiFixture.RepoRoot, from)));
        Assert.Equal("/srv/governance/.governance", GovernanceOptions.ResolveDataPath(".governance", "/srv/governance"));
        Assert.Equal("/var/lib/governance", GovernanceOptions.ResolveDataPath("/var/lib/governance", ApiFixture.RepoRoot));
    }

    private static Dictionary<string, string> Bearer(string token) => new() { ["Authorization"] = "Bearer " + token };

    private static async Task<(string Token, string Output, TimeSpan Elapsed)> MintAsync(string dataDir)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var dll = Path.Combine(ApiFixture.RepoRoot, "src", "Api", "bin", configuration, "net10.0", "Governance.Api.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(dll)! };
        foreach (var arg in new[] { dll, "token", "--role", "auditor", "--name", "Avi Auditor" }) start.ArgumentList.Add(arg);
        start.Environment["Governance__DataDir"] = dataDir;
        start.Environment.Remove("ConnectionStrings__Governance");
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await stderr);
        return ((await stdout).Trim(), await stdout + await stderr, clock.Elapsed);
    }
}
