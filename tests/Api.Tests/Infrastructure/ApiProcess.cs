using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Governance.Api.Auth;
using Microsoft.IdentityModel.Tokens;

namespace Governance.Api.Tests.Infrastructure;

/// <summary>
/// The Api as it runs in production: its own process (the build beside this test's), Kestrel on a loopback port, the
/// system clock, configuration from the environment. For what only separate processes can show: several replicas on
/// one database, a replica killed outright, the Api's own memory. Shared by the tests and the benchmarks.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly SecurityKey _key;
    private readonly StringBuilder _output = new();
    private StreamWriter? _log;

    private ApiProcess(Process process, int port, byte[] signingKey)
    {
        _process = process;
        _key = new SymmetricSecurityKey(signingKey) { KeyId = "configured" };
        Http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(5),
        };
    }

    public HttpClient Http { get; }

    public int ProcessId => _process.Id;

    /// <summary>The folder holding Governance.sln.</summary>
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Governance.sln"))) return dir.FullName;
            throw new DirectoryNotFoundException("Governance.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>A bearer token the replica accepts (it is configured with the same signing key).</summary>
    public string Token(string role) => Tokens.Issue(_key, role, $"Test {role}", lifetime: TimeSpan.FromHours(2));

    /// <summary>What the process wrote, for the failure message of a test.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>Starts the Api built in the same configuration as the calling assembly, and waits until it is ready.</summary>
    /// <param name="signingKey">The token key; a random one when only this process will mint tokens for it.</param>
    public static async Task<ApiProcess> StartAsync(string connectionString, byte[]? signingKey = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        signingKey ??= System.Security.Cryptography.RandomNumberGenerator.GetBytes(48);
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var dll = Path.Combine(RepoRoot, "src", "Api", "bin", configuration, "net10.0", "Governance.Api.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"Build the Api in {configuration} first (dotnet build -c {configuration} src/Api).", dll);
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(dll)! };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ConnectionStrings__Governance"] = connectionString;
        start.Environment["Governance__Auth__SigningKey"] = Convert.ToBase64String(signingKey);
        start.Environment["Governance__PoliciesDir"] = Path.Combine(RepoRoot, "policies");
        start.Environment["Governance__DataDir"] = Path.Combine(Path.GetTempPath(), $"governance-replica-{Guid.NewGuid():N}");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) start.Environment[key.Replace(":", "__")] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var api = new ApiProcess(process, port, signingKey);
        process.OutputDataReceived += (_, e) => api.Append(e.Data);
        process.ErrorDataReceived += (_, e) => api.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await api.WaitUntilReadyAsync();
            return api;
        }
        catch
        {
            await api.DisposeAsync();
            throw;
        }
    }

    /// <summary>Peak and current resident memory of the Api process (Linux /proc), in bytes.</summary>
    public (long Rss, long PeakRss) Memory()
    {
        long Field(string[] lines, string name) =>
            long.Parse(lines.First(l => l.StartsWith(name, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        var status = File.ReadAllLines($"/proc/{_process.Id}/status");
        return (Field(status, "VmRSS:"), Field(status, "VmHWM:"));
    }

    public async Task<Reply> Send(HttpMethod method, string url, string role, object? body = null, IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(role));
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.Add(name, value);
        if (body is not null) request.Content = new StringContent(JsonSerializer.Serialize(body, Governance.Api.Infrastructure.Json.Options), Encoding.UTF8, "application/json");
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = response.Content.Headers.ContentType?.MediaType?.Contains("json") == true && text.Length > 0 ? JsonNode.Parse(text) : null;
        return new Reply((int)response.StatusCode, json, text, response.Headers.ETag?.Tag ?? "", response.Content.Headers.ContentType?.ToString() ?? "");
    }

    public Task<Reply> Get(string url, string role) => Send(HttpMethod.Get, url, role);

    public Task<Reply> Post(string url, string role, object body, IDictionary<string, string>? headers = null) => Send(HttpMethod.Post, url, role, body, headers);

    public Task<Reply> Put(string url, string role, object body) => Send(HttpMethod.Put, url, role, body);

    /// <summary>SIGKILL: no shutdown, no flushing, connections dropped mid-transaction.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
        lock (_output) _log?.Dispose();
        Http.Dispose();
        await Task.CompletedTask;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.AppendLine(line);
            _log?.WriteLine(line);
        }
    }

    /// <summary>Also writes what the process writes from now on to <paramref name="path"/> (a benchmark's <c>--api-log</c>).</summary>
    public void LogTo(string path)
    {
        lock (_output) _log = new StreamWriter(path, append: true) { AutoFlush = true };
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (_process.HasExited) throw new InvalidOperationException($"The Api exited during start-up:\n{Output}");
            try
            {
                if ((await Http.GetAsync("/health/ready")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The Api was not ready within 90 s:\n{Output}");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
