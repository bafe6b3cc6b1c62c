using System.Text;
using System.Text.Json;
using Governance.Api.Tests.Infrastructure;
using Governance.Attestations;
using Governance.Scanner.Artifacts;
using Governance.Scanner.Host;
using Governance.Scanner.Signing;
using Governance.Scanner.Tests.TestModels;
using Microsoft.AspNetCore.TestHost;

namespace Governance.Api.Tests.Features.Scanning;

/// <summary>
/// The real Api (PostgreSQL, the whole HTTP pipeline) and the real scanner host (llama.cpp on a random-weight tiny
/// llama) talking over the test server: register the scanner's key, approve a deployment of the file, run one pass of
/// the host loop, and the deployment carries the attestation. Then the Api's refusals, with the scanner's own envelope.
/// </summary>
public sealed class ScanningTests(ApiFixture api) : IClassFixture<ApiFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("governance-scanning-").FullName;

    private async Task<string> ApprovedDeployment(string name, string modelName, string sha256)
    {
        await api.Put("/company/rules", "legal", new { residency = Array.Empty<object>(), deniedOrigins = Array.Empty<string>(), attestationRequired = true });
        await api.SettleAsync();
        var registered = await api.Post("/deployments", "architect", new
        {
            name,
            model = new
            {
                name = modelName, licenseId = "llama3.1", releaseDate = "2024-07-23", origin = "US", modality = "text", artifactSha256 = sha256,
                isDerivative = false, baseModels = Array.Empty<string>(), contextLength = 256,
            },
            usage = new
            {
                commercial = true, hosting = "saas", regions = new[] { "eu-west-1" }, dataClasses = new[] { "personal" }, displaysAttribution = true,
                trainsOtherModels = false, fieldsOfUse = new[] { "customer-support" }, monthlyActiveUsers = 250_000,
            },
        });
        Assert.True(registered.Status == 201, registered.ToString());
        var id = (string)registered.Json["id"]!;
        var approved = await api.Post($"/deployments/{id}/decision", "legal", new
        {
            decision = "approve", justification = "Pending the scan.",
            waivers = new[] { new { findingCode = "attestation-required", expiresOn = api.Clock.Today.AddDays(60).ToString("yyyy-MM-dd"), reason = "Scanner rollout" } },
        });
        Assert.True(approved.Status == 200, approved.ToString());
        return id;
    }

    [Fact]
    public async Task the_scanner_host_attests_an_approved_deployment_and_the_api_refuses_tampering_strangers_and_replays()
    {
        // The model file as ops would drop it in the scanner's models folder, and its registered digest.
        var models = Directory.CreateDirectory(Path.Combine(_dir, "models")).FullName;
        var file = Path.Combine(models, "tiny-llama-3.1.gguf");
        TinyLlama.Write(file, new TinyLlamaOptions { Name = "Tiny Llama 3.1", License = "llama3.1" });
        var sha256 = await ArtifactHasher.Sha256Async(file);

        using var key = ScannerKey.LoadOrCreate(Path.Combine(_dir, "scanner-key.pem"));
        var scanner = await api.Post("/scanners", "admin", new { name = "e2e-scanner", publicKey = key.PublicKeyPem });
        Assert.True(scanner.Status == 201, scanner.ToString());
        Assert.Equal(key.KeyId, (string?)scanner.Json["keyId"]);
        var id = await ApprovedDeployment("scanned-by-the-host", "tiny-llama-3.1", sha256);

        // The host, pointed at the test server; the Api's clock, so scannedAt is "now" to the Api.
        var http = api.Host.Server.CreateClient();
        var options = new ScannerOptions { ModelsDir = models, Token = ApiFixture.Token("scanner", "e2e scanner host"), Threads = 2, Repetitions = 2 };
        var worker = ScanWorker.Create(options, http, key, api.Clock);

        var result = await worker.RunOnceAsync(CancellationToken.None);

        Assert.Equal(ScanIteration.Attested, result);
        var deployment = await api.Get($"/deployments/{id}", "auditor");
        Assert.True((bool)deployment.Json["attestation"]!["valid"]!, deployment.ToString());
        var attestation = deployment.Json["attestation"]!;
        Assert.Equal(key.KeyId, (string?)attestation["keyId"]);
        var predicate = attestation["predicate"]!;
        Assert.Equal(sha256, (string?)predicate["artifact"]!["sha256"]);
        Assert.Equal("cpu", (string?)predicate["environment"]!["backend"]);
        Assert.Equal(["pp512", "tg128"], predicate["throughput"]!.AsArray().Select(t => (string?)t!["test"]));
        Assert.True((double)predicate["throughput"]![1]!["meanTokensPerSecond"]! > 0);
        Assert.True((long)predicate["footprint"]!["deviceBytes"]!["kvCache"]! > 0);
        Assert.Contains(predicate["footprint"]!["buffers"]!.AsArray(), b => (string?)b!["kind"] == "KvCache" && (long)b["bytes"]! > 0);
        var trail = await api.Get($"/deployments/{id}/events", "auditor");
        Assert.Contains(trail.Json["events"]!.AsArray(), e => (string?)e!["type"] == "deployment_attested");

        // Nothing left to scan: the attested deployment is not offered again.
        Assert.Equal(ScanIteration.NoWork, await worker.RunOnceAsync(CancellationToken.None));

        // The scanner's own envelope, re-made for the refusals below: same file, same key, a later scan.
        api.Clock.Advance(TimeSpan.FromMinutes(1));
        var outcome = await new ScanPipeline(key, api.Clock).ScanAsync(new ScanRequest
        {
            Path = file, DeploymentId = Guid.Parse(id), RegisteredSha256 = sha256,
            Bench = new() { PromptTokens = 16, GenerateTokens = 4, Repetitions = 1, Threads = 2, ContextLength = 256 },
        });
        var envelope = outcome.Envelope!;

        var tampered = envelope with { Payload = Convert.ToBase64String(Encoding.UTF8.GetBytes(
            Encoding.UTF8.GetString(Convert.FromBase64String(envelope.Payload)).Replace("\"backend\":\"cpu\"", "\"backend\":\"cuda\""))) };
        Assert.NotEqual(envelope.Payload, tampered.Payload);
        Assert.Equal(422, (await Post(id, tampered)).Status);

        using var stranger = ScannerKey.LoadOrCreate(Path.Combine(_dir, "stranger-key.pem"));
        var strangers = Attestation.Sign(outcome.Predicate!, stranger);
        Assert.Equal(422, (await Post(id, strangers)).Status);

        var accepted = await Post(id, envelope);
        Assert.True(accepted.Status == 201, accepted.ToString());
        var replay = await Post(id, envelope);
        Assert.Equal(409, replay.Status);
        Assert.Contains("Replayed", (string?)replay.Json["title"]);

        var events = (await api.Get($"/deployments/{id}/events", "auditor")).Json["events"]!.AsArray();
        Assert.Equal(2, events.Count(e => (string?)e!["type"] == "deployment_attested"));
    }

    [Fact]
    public async Task a_file_that_is_not_the_registered_artifact_is_never_attested_and_the_mismatch_is_reported()
    {
        var models = Directory.CreateDirectory(Path.Combine(_dir, "mismatch")).FullName;
        TinyLlama.Write(Path.Combine(models, "swapped-model.gguf"), new TinyLlamaOptions { Seed = 77 });
        var id = await ApprovedDeployment("swapped", "swapped-model", new string('e', 64));
        using var key = ScannerKey.LoadOrCreate(Path.Combine(_dir, "mismatch-key.pem"));
        var options = new ScannerOptions { ModelsDir = models, Token = ApiFixture.Token("scanner"), Threads = 2, Repetitions = 1 };

        // Other deployments of this class may be waiting too; drain until ours has been tried.
        var worker = ScanWorker.Create(options, api.Host.Server.CreateClient(), key, api.Clock);
        for (var i = 0; i < 10 && await worker.RunOnceAsync(CancellationToken.None) != ScanIteration.NoWork; i++) { }

        var deployment = await api.Get($"/deployments/{id}", "auditor");
        Assert.Null(deployment.Json["attestation"]); // no attestation of any file, valid or not
        var events = (await api.Get($"/deployments/{id}/events", "auditor")).Json["events"]!.AsArray();
        Assert.DoesNotContain(events, e => (string?)e!["type"] == "deployment_attested");
        Assert.Contains(events, e => (string?)e!["type"] == "scan_leased");
        Assert.Contains(events, e => (string?)e!["type"] == "scan_failed" && (string?)e["actor"]!["role"] == "scanner");
        Assert.Equal("review_required", (string?)deployment.Json["status"]);
        var finding = deployment.Json["assessment"]!["findings"]!.AsArray().Single(f => (string?)f!["code"] == "artifact-mismatch")!;
        Assert.Equal(new string('e', 64), (string?)finding["facts"]!["registered"]);
    }

    private Task<Reply> Post(string id, Dsse.Envelope envelope) =>
        api.Send(HttpMethod.Post, $"/deployments/{id}/attestations", "scanner", JsonSerializer.Serialize(envelope));

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

/// <summary>
/// A model folder that says <c>apache-2.0</c> while shipping the Llama 3.1 agreement: the scanner signs both pieces of
/// evidence as an inspection-only attestation, and the evaluator finds the license mismatch.
/// </summary>
public sealed class PermissiveWashingTests(ApiFixture api) : IClassFixture<ApiFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("governance-washing-").FullName;

    [Fact]
    public async Task a_folder_whose_license_file_is_another_license_than_it_says_is_a_blocking_license_mismatch_with_both_pieces_of_evidence()
    {
        var models = Directory.CreateDirectory(Path.Combine(_dir, "models")).FullName;
        var folder = new HubFolderWriter
        {
            CardLicense = "apache-2.0", LicenseText = File.ReadAllText(Path.Combine(ApiFixture.RepoRoot, "policies", "license-texts", "llama3.1.txt")),
        }.Write(Path.Combine(models, "acme-support-8b"));
        var digest = (await FolderManifest.ComputeAsync(folder)).RootSha256;

        using var key = ScannerKey.LoadOrCreate(Path.Combine(_dir, "scanner-key.pem"));
        Assert.Equal(201, (await api.Post("/scanners", "admin", new { name = "washing-scanner", publicKey = key.PublicKeyPem })).Status);
        var id = (string)(await api.Post("/deployments", "architect", new
        {
            name = "Acme support (apache?)",
            model = new { name = "acme-support-8b", licenseId = "apache-2.0", releaseDate = "2025-01-10", origin = "US", modality = "text", artifactSha256 = digest },
            usage = new { commercial = true, hosting = "saas", regions = new[] { "eu-west-1" }, dataClasses = Array.Empty<string>() },
        })).Json["id"]!;
        Assert.Equal(200, (await api.Post($"/deployments/{id}/decision", "legal", new { decision = "approve", justification = "Apache, it says." })).Status);

        var worker = ScanWorker.Create(new ScannerOptions { ModelsDir = models, Token = ApiFixture.Token("scanner"), Threads = 2, Repetitions = 1 },
            api.Host.Server.CreateClient(), key, api.Clock);
        for (var i = 0; i < 10 && await worker.RunOnceAsync(CancellationToken.None) != ScanIteration.NoWork; i++) { }

        var deployment = await api.Get($"/deployments/{id}", "auditor");
        Assert.Equal("inspection-only", (string?)deployment.Json["attestation"]!["predicate"]!["measurement"]);
        Assert.Equal("review_required", (string?)deployment.Json["status"]);
        var finding = deployment.Json["assessment"]!["findings"]!.AsArray().Single(f => (string?)f!["code"] == "license-mismatch")!;
        Assert.Equal("blocking", (string?)finding["severity"]);
        Assert.Equal(("apache-2.0", "llama3.1", "LICENSE"),
            ((string?)finding["facts"]!["fileLicense"], (string?)finding["facts"]!["licenseFileIdentifiedAs"], (string?)finding["facts"]!["licenseFile"]));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
