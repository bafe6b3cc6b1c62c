using System.Diagnostics;
using Governance.Api.Tests.Infrastructure;

namespace Governance.Api.Tests.Features;

/// <summary>The Api as a process: what an operator sees when starting it or asking it for a token.</summary>
public sealed class StartupTests
{
    private static async Task<(int ExitCode, string Out, string Err)> RunApi(IDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Governance.Api.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task a_contradictory_catalog_file_stops_the_api_naming_the_file_and_the_problem()
    {
        var policies = Directory.CreateTempSubdirectory("governance-bad-policies-");
        try
        {
            Directory.CreateDirectory(Path.Combine(policies.FullName, "licenses"));
            File.Copy(Path.Combine(ApiFixture.RepoRoot, "policies", "licenses", "apache-2.0.yaml"), Path.Combine(policies.FullName, "licenses", "apache-2.0.yaml"));
            await File.WriteAllTextAsync(Path.Combine(policies.FullName, "licenses", "broken.yaml"), """
                id: broken
                name: Broken
                licensor: Nobody
                country: US
                source: https://example.com
                confidence: verified
                commercial: permitted
                clauses:
                  - id: broken#1
                    title: Research only
                    summary: Research use only.
                    rule: { kind: use_limit, use: research_only }
                """);

            var (exit, _, err) = await RunApi(new Dictionary<string, string> { ["Governance__PoliciesDir"] = policies.FullName });

            Assert.Equal(1, exit);
            Assert.Contains("broken.yaml", err);
            Assert.Contains("commercial is 'permitted' but clause 'broken#1' limits use to research_only", err);
        }
        finally
        {
            policies.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task the_token_command_prints_a_token_signed_with_the_local_key_that_the_api_accepts()
    {
        var dataDir = Directory.CreateTempSubdirectory("governance-token-");
        try
        {
            var (exit, token, err) = await RunApi(new Dictionary<string, string> { ["Governance__DataDir"] = dataDir.FullName },
                "token", "--role", "legal", "--name", "Dana Legal");
            Assert.True(exit == 0, err);
            Assert.True(File.Exists(Path.Combine(dataDir.FullName, "signing-key")));

            var jwt = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token.Trim());
            Assert.Equal("legal", jwt.GetClaim("role").Value);
            Assert.Equal("Dana Legal", jwt.GetClaim("name").Value);
            var key = new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(Convert.FromBase64String(File.ReadAllText(Path.Combine(dataDir.FullName, "signing-key"))));
            var validation = await new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().ValidateTokenAsync(token.Trim(),
                new Microsoft.IdentityModel.Tokens.TokenValidationParameters
                {
                    ValidIssuer = Auth.SigningKey.Issuer, ValidAudience = Auth.SigningKey.Audience, IssuerSigningKey = key,
                });
            Assert.True(validation.IsValid, validation.Exception?.Message);

            var (badExit, _, usage) = await RunApi(new Dictionary<string, string> { ["Governance__DataDir"] = dataDir.FullName }, "token", "--role", "king");
            Assert.Equal(2, badExit);
            Assert.Contains("usage: token --role", usage);
        }
        finally
        {
            dataDir.Delete(recursive: true);
        }
    }
}
