using System.Net;
using System.Text.Json;
using Governance.Attestations;
using Governance.Scanner.Host;
using Governance.Scanner.Signing;
using Governance.Scanner.Tests.Measurement;
using Microsoft.Extensions.Logging.Abstractions;

namespace Governance.Scanner.Tests.Host;

/// <summary>
/// The worker against a scripted HTTP handler (the real Api flow is in Api.Tests/Features/Scanning): what it posts,
/// and above all what it does not post.
/// </summary>
[Collection(SerialNative.Name)]
public sealed class ScanWorkerTests(ModelFolder models) : IClassFixture<ModelFolder>
{
    private static readonly ScannerOptions Options = new() { Threads = 2, Repetitions = 1, PollSeconds = 1 };

    private ScanWorker Worker(ScriptedApi api, out ScannerKey key)
    {
        key = ScannerKey.LoadOrCreate(Path.Combine(models.Dir, "keys", "scanner-key.pem"));
        var http = new HttpClient(api) { BaseAddress = new Uri("http://api.test/") };
        var options = new ScannerOptions { ModelsDir = models.Dir, Token = "t0ken", Threads = Options.Threads, Repetitions = 1, PollSeconds = 1 };
        return ScanWorker.Create(options, http, key, TimeProvider.System, NullLoggerFactory.Instance);
    }

    private static object Lease(string sha, string name = "tiny-llama", int? context = 256) => new
    {
        leaseId = Guid.NewGuid(), leaseExpiresAt = DateTimeOffset.UtcNow.AddMinutes(30), deploymentId = Guid.NewGuid(), deploymentName = "test",
        model = new { name, licenseId = "apache-2.0", releaseDate = "2024-07-23", origin = "US", modality = "text", artifactSha256 = sha, isDerivative = false, baseModels = Array.Empty<string>(), contextLength = context },
    };

    [Fact]
    public async Task a_leased_model_found_by_name_is_scanned_and_its_envelope_posted_with_the_token()
    {
        var path = models.Write("tiny-llama-Q8.gguf", new() { License = "apache-2.0" });
        var sha = ModelFolder.Sha256(path);
        var api = new ScriptedApi(Lease(sha));

        var result = await Worker(api, out var key).RunOnceAsync(CancellationToken.None);

        Assert.Equal(ScanIteration.Attested, result);
        var post = Assert.Single(api.Posts);
        Assert.EndsWith("/attestations", post.Path);
        Assert.All(api.Requests, r => Assert.Equal("Bearer t0ken", r.Authorization));
        var verdict = Attestation.Verify(post.Body, key.PublicKeyPem);
        key.Dispose();
        Assert.True(verdict.Valid, verdict.Reason);
        Assert.Equal(sha, verdict.Statement!.Predicate.Artifact.Sha256);
        Assert.Empty(verdict.Statement.Predicate.Findings);
    }

    [Fact]
    public async Task a_file_found_only_by_digest_is_scanned_too()
    {
        var path = models.Write("renamed-by-ops.gguf", new() { License = "apache-2.0", Seed = 7 });
        var api = new ScriptedApi(Lease(ModelFolder.Sha256(path), name: "Some-Other-Name"));

        Assert.Equal(ScanIteration.Attested, await Worker(api, out var key).RunOnceAsync(CancellationToken.None));
        key.Dispose();
        Assert.Single(api.Posts);
    }

    [Fact]
    public async Task a_file_named_like_the_model_with_another_digest_is_never_attested_and_the_mismatch_is_reported()
    {
        var path = models.Write("mismatched-model.gguf", new() { Seed = 99 });
        var api = new ScriptedApi(Lease(new string('d', 64), name: "mismatched-model"));

        var result = await Worker(api, out var key).RunOnceAsync(CancellationToken.None);
        key.Dispose();

        Assert.Equal(ScanIteration.Refused, result);
        var (postedTo, body) = Assert.Single(api.Posts);
        Assert.EndsWith("/scan-failures", postedTo);
        Assert.Contains("artifact-mismatch", body);
        Assert.Contains(ModelFolder.Sha256(path), body);
    }

    [Fact]
    public async Task a_file_that_is_not_a_gguf_is_reported_unreadable_and_never_reaches_llama_cpp()
    {
        var path = Path.Combine(models.Dir, "broken-model.gguf");
        await File.WriteAllBytesAsync(path, "GGUF but not really a model file"u8.ToArray());
        var api = new ScriptedApi(Lease(ModelFolder.Sha256(path), name: "broken-model"));

        var result = await Worker(api, out var key).RunOnceAsync(CancellationToken.None);
        key.Dispose();

        Assert.Equal(ScanIteration.Refused, result);
        var (postedTo, body) = Assert.Single(api.Posts);
        Assert.EndsWith("/scan-failures", postedTo);
        Assert.Contains("artifact-unreadable", body);
    }

    [Fact]
    public async Task an_architecture_llama_cpp_cannot_run_is_reported_as_architecture_unsupported()
    {
        var path = Path.Combine(models.Dir, "phi-4-multimodal.gguf");
        new TestModels.GgufWriter().Add("general.architecture", "phi4mm").Add("phi4mm.block_count", 32u).Write(path);
        var api = new ScriptedApi(Lease(ModelFolder.Sha256(path), name: "phi-4-multimodal"));

        var result = await Worker(api, out var key).RunOnceAsync(CancellationToken.None);
        key.Dispose();

        Assert.Equal(ScanIteration.Refused, result);
        var (postedTo, body) = Assert.Single(api.Posts);
        Assert.EndsWith("/scan-failures", postedTo);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("architecture-unsupported", json.RootElement.GetProperty("code").GetString());
        Assert.Equal("phi4mm", json.RootElement.GetProperty("facts").GetProperty("architecture").GetString());
    }

    [Fact]
    public async Task a_model_folder_registered_by_its_manifest_digest_is_found_and_attested_inspection_only()
    {
        var folder = new TestModels.HubFolderWriter { LicenseText = "MIT License" }.Write(Path.Combine(models.Dir, "Acme-Support-8B-Instruct"));
        var root = (await Governance.Scanner.Artifacts.FolderManifest.ComputeAsync(folder)).RootSha256;
        var api = new ScriptedApi(Lease(root, name: "acme/Acme-Support-8B-Instruct"));

        Assert.Equal(ScanIteration.Attested, await Worker(api, out var key).RunOnceAsync(CancellationToken.None));

        var predicate = Attestation.Verify(Assert.Single(api.Posts).Body, key.PublicKeyPem).Statement!.Predicate;
        key.Dispose();
        Assert.Equal((root, MeasurementKind.InspectionOnly), (predicate.Artifact.Sha256, predicate.Measurement));
    }

    [Fact]
    public async Task no_work_is_a_204()
    {
        var api = new ScriptedApi(lease: null);

        Assert.Equal(ScanIteration.NoWork, await Worker(api, out var key).RunOnceAsync(CancellationToken.None));
        key.Dispose();
    }

    [Fact]
    public async Task cancellation_during_a_scan_abandons_it_and_posts_nothing()
    {
        var path = models.Write("tiny-llama-cancelled.gguf", new() { Seed = 3 });
        using var shutdown = new CancellationTokenSource();
        // SIGTERM arrives right after the lease: the scan that follows must stop, not finish and post.
        var api = new ScriptedApi(Lease(ModelFolder.Sha256(path), name: "tiny-llama-cancelled")) { AfterLease = shutdown.Cancel };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Worker(api, out _).RunOnceAsync(shutdown.Token));

        Assert.Empty(api.Posts);
    }

    [Fact]
    public async Task the_host_loop_stops_cleanly_when_the_host_stops()
    {
        var api = new ScriptedApi(lease: null);
        var worker = Worker(api, out var key);

        await worker.StartAsync(CancellationToken.None);
        await api.FirstRequest.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await worker.StopAsync(CancellationToken.None);
        key.Dispose();

        Assert.True(worker.ExecuteTask!.IsCompletedSuccessfully);
        Assert.Empty(api.Posts);
    }

    [Fact]
    public async Task the_lease_is_a_post_carrying_the_environment_under_the_predicate_s_own_names()
    {
        var api = new ScriptedApi(lease: null);
        var client = new ApiClient(new HttpClient(api) { BaseAddress = new Uri("http://api.test/") }, "t0ken", new Retry(TimeProvider.System), NullLogger.Instance);
        var environment = new FootprintEnvironment
        {
            Backend = "cuda", Device = "NVIDIA H200", Driver = "580.95.05", CudaVersion = "13.0", Cpu = "AMD EPYC 9654", Threads = 16,
            LlamaCppBuild = "v0.5.0 (ggml 0.25.1, commit 0ad4a86, cuda build)", ScannerVersion = "1.0.0",
        };

        Assert.Null(await client.LeaseNextAsync(environment, "sha256:abc", CancellationToken.None));

        var (method, path, authorization) = Assert.Single(api.Requests);
        Assert.Equal(("POST", "/scans/lease", "Bearer t0ken"), (method, path, authorization));
        var (contentType, body) = Assert.Single(api.LeaseRequests);
        Assert.Equal("application/json", contentType);
        using var json = JsonDocument.Parse(body);
        var sent = json.RootElement.GetProperty("environment");
        Assert.Equal(["backend", "device", "driver", "cudaVersion", "cpu", "threads", "llamaCppBuild", "scannerVersion"], sent.EnumerateObject().Select(p => p.Name));
        Assert.Equal(environment, sent.Deserialize<FootprintEnvironment>(new JsonSerializerOptions(JsonSerializerDefaults.Web)));
        Assert.Equal("sha256:abc", json.RootElement.GetProperty("keyId").GetString()); // which host's earlier attestations are now on another environment
    }

    [Fact]
    public async Task the_worker_leases_with_the_environment_its_attestations_will_name()
    {
        var path = models.Write("tiny-llama-environment.gguf", new() { Seed = 11 });
        var api = new ScriptedApi(Lease(ModelFolder.Sha256(path), name: "tiny-llama-environment"));

        Assert.Equal(ScanIteration.Attested, await Worker(api, out var key).RunOnceAsync(CancellationToken.None));

        using var leased = JsonDocument.Parse(api.LeaseRequests[0].Body);
        var sent = leased.RootElement.GetProperty("environment").Deserialize<FootprintEnvironment>(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var attested = Attestation.Verify(Assert.Single(api.Posts).Body, key.PublicKeyPem).Statement!.Predicate.Environment;
        key.Dispose();
        Assert.Equal(attested, sent);
        Assert.Equal("cpu", sent!.Backend);
        Assert.StartsWith("v0.5.0 (ggml ", sent.LlamaCppBuild);
    }

    [Fact]
    public async Task a_5xx_is_retried_and_a_4xx_is_not()
    {
        var flaky = new ScriptedApi(lease: null) { Failures = [HttpStatusCode.ServiceUnavailable, HttpStatusCode.BadGateway] };
        var client = new ApiClient(new HttpClient(flaky) { BaseAddress = new Uri("http://api.test/") }, "t", new Retry(TimeProvider.System, baseDelay: TimeSpan.FromMilliseconds(1)), NullLogger.Instance);

        Assert.Null(await client.LeaseNextAsync(new FootprintEnvironment(), null, CancellationToken.None));
        Assert.Equal(3, flaky.Requests.Count);

        var refusing = new ScriptedApi(lease: null) { Failures = [HttpStatusCode.Unauthorized] };
        client = new ApiClient(new HttpClient(refusing) { BaseAddress = new Uri("http://api.test/") }, "t", new Retry(TimeProvider.System, baseDelay: TimeSpan.FromMilliseconds(1)), NullLogger.Instance);
        var error = await Assert.ThrowsAsync<ApiRefusedException>(() => client.LeaseNextAsync(new FootprintEnvironment(), null, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, error.Status);
        Assert.Single(refusing.Requests);
    }
}

/// <summary>Answers POST /scans/lease with one lease (then 204) and POST …/attestations with 201, recording every request.</summary>
internal sealed class ScriptedApi(object? lease) : HttpMessageHandler
{
    private object? _lease = lease;

    public List<HttpStatusCode> Failures { get; init; } = [];
    public Action? AfterLease { get; init; }
    public List<(string Method, string Path, string? Authorization)> Requests { get; } = [];
    public List<(string Path, string Body)> Posts { get; } = [];
    public List<(string? ContentType, string Body)> LeaseRequests { get; } = [];
    public TaskCompletionSource FirstRequest { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add((request.Method.Method, request.RequestUri!.AbsolutePath, request.Headers.Authorization?.ToString()));
        FirstRequest.TrySetResult();
        if (Failures.Count > 0)
        {
            var status = Failures[0];
            Failures.RemoveAt(0);
            return new HttpResponseMessage(status) { Content = new StringContent("""{"title":"scripted","detail":"scripted failure"}""") };
        }
        if (request.Method == HttpMethod.Post && request.RequestUri.AbsolutePath == "/scans/lease")
        {
            LeaseRequests.Add((request.Content?.Headers.ContentType?.MediaType, request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken)));
            if (Interlocked.Exchange(ref _lease, null) is not { } next) return new HttpResponseMessage(HttpStatusCode.NoContent);
            AfterLease?.Invoke();
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(JsonSerializer.Serialize(next), System.Text.Encoding.UTF8, "application/json") };
        }
        Posts.Add((request.RequestUri.AbsolutePath, await request.Content!.ReadAsStringAsync(cancellationToken)));
        return new HttpResponseMessage(HttpStatusCode.Created) { Content = new StringContent("{}") };
    }
}
