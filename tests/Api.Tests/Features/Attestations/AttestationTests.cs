using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Governance.Api.Tests.Infrastructure;

namespace Governance.Api.Tests.Features.Attestations;

public sealed class AttestationTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private sealed record Scanner(ECDsa Key, string KeyId, string Id);

    private async Task<Scanner> RegisterScanner(string name)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var reply = await api.Post("/scanners", "admin", new { name, publicKey = key.ExportSubjectPublicKeyInfoPem() });
        Assert.Equal(201, reply.Status);
        var keyId = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
        Assert.Equal(keyId, (string?)reply.Json["keyId"]);
        return new Scanner(key, keyId, (string)reply.Json["id"]!);
    }

    private async Task<string> ApprovedDeployment(string name)
    {
        await api.Put("/company/rules", "legal", new { residency = Array.Empty<object>(), deniedOrigins = Array.Empty<string>(), attestationRequired = true });
        await api.SettleAsync();
        var id = (string)(await api.Post("/deployments", "architect", Requests.Deployment(name: name))).Json["id"]!;
        var approved = await api.Post($"/deployments/{id}/decision", "legal", new
        {
            decision = "approve", justification = "Scan pending.",
            waivers = new[] { new { findingCode = "attestation-required", expiresOn = api.Clock.Today.AddDays(60).ToString("yyyy-MM-dd"), reason = "Scanner rollout" } },
        });
        Assert.True(approved.Status == 200, approved.ToString());
        return id;
    }

    private static byte[] Statement(string deploymentId, string sha256, DateTimeOffset scannedAt, string fileLicense = "llama3.1") =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["_type"] = "https://in-toto.io/Statement/v1",
            ["subject"] = new[] { new { name = "Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf", digest = new { sha256 } } },
            ["predicateType"] = "urn:governance:model-footprint:v1",
            ["predicate"] = new
            {
                deploymentId, scannedAt,
                artifact = new { name = "Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf", sizeBytes = 4_920_739_232L, sha256 },
                metadata = new { architecture = "llama", name = "Meta Llama 3.1 8B Instruct", parameters = 8_030_261_248L, fileType = "MOSTLY_Q4_K_M", contextLength = 131072, license = fileLicense, baseModels = Array.Empty<string>() },
                footprint = new { modelBytes = 4_920_739_232L, contextLength = 8192, deviceBytes = new { weights = 4_685_000_000L, kvCache = 1_073_741_824L, compute = 560_000_000L, total = 6_318_741_824L }, hostPeakRssBytes = 812_000_000L },
                throughput = new[]
                {
                    new { test = "pp512", nPrompt = 512, nGen = 0, repetitions = 5, meanTokensPerSecond = 9210.4, stddevTokensPerSecond = 41.2, samplesTokensPerSecond = new[] { 9170.0, 9260.1, 9190.3, 9240.0, 9191.6 } },
                    new { test = "tg128", nPrompt = 0, nGen = 128, repetitions = 5, meanTokensPerSecond = 142.7, stddevTokensPerSecond = 0.6, samplesTokensPerSecond = new[] { 142.1, 143.2, 142.5, 143.3, 142.4 } },
                },
                loadSeconds = 2.31, timeToFirstTokenSeconds = 0.061,
                environment = new { backend = "cuda", device = "NVIDIA H100 80GB HBM3", driver = "580.65", cudaVersion = "13.0", cpu = "AMD EPYC", threads = 16, llamaCppBuild = "b0.5.0", scannerVersion = "1.0.0" },
                rooflineFraction = 0.71,
                findings = fileLicense == "llama3.1" ? Array.Empty<object>() : new object[] { new { code = "license-mismatch", severity = "blocking", message = $"The file declares {fileLicense}.", facts = new Dictionary<string, string> { ["file"] = fileLicense } } },
            },
        });

    private static object Envelope(byte[] payload, params (ECDsa Key, string KeyId)[] signers)
    {
        var pae = Encoding.UTF8.GetBytes($"DSSEv1 28 application/vnd.in-toto+json {payload.Length} ").Concat(payload).ToArray();
        return new
        {
            payloadType = "application/vnd.in-toto+json",
            payload = Convert.ToBase64String(payload),
            signatures = signers.Select(s => new { keyid = s.KeyId, sig = Convert.ToBase64String(s.Key.SignData(pae, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)) }).ToArray(),
        };
    }

    [Fact]
    public async Task lease_scan_attest_and_the_deployment_shows_the_attestation()
    {
        var scanner = await RegisterScanner("gpu-scanner-01");
        var id = await ApprovedDeployment("attest-me");

        // Scanners drain the queue: every waiting deployment is leased once, ours among them; then there is nothing.
        var leased = new List<string>();
        for (var next = await api.Get("/scans/next", "scanner"); next.Status == 200; next = await api.Get("/scans/next", "scanner"))
        {
            leased.Add((string)next.Json["deploymentId"]!);
            if ((string?)next.Json["deploymentId"] == id) Assert.Equal(Requests.Sha, (string?)next.Json["model"]!["artifactSha256"]);
            Assert.True(leased.Count < 100);
        }
        Assert.Contains(id, leased);
        Assert.Equal(leased.Count, leased.Distinct().Count());
        Assert.Equal(204, (await api.Get("/scans/next", "scanner")).Status);

        var payload = Statement(id, Requests.Sha, api.Clock.GetUtcNow());
        var recorded = await api.Post($"/deployments/{id}/attestations", "scanner", Envelope(payload, (scanner.Key, scanner.KeyId)));
        Assert.True(recorded.Status == 201, recorded.ToString());
        Assert.Equal(scanner.KeyId, (string?)recorded.Json["attestation"]!["keyId"]);
        Assert.Equal(142.7, (double)recorded.Json["attestation"]!["predicate"]!["throughput"]![1]!["meanTokensPerSecond"]!);
        var attestation = recorded.Json["assessment"]!["findings"]!.AsArray().Single(f => (string?)f!["code"] == "attestation-required")!;
        Assert.Equal("info", (string?)attestation["severity"]);
        Assert.Null(recorded.Json["lease"]);

        // The attestation's measurements travel into the machine-readable evidence, still schema-valid.
        var bom = await api.Get($"/deployments/{id}/bom", "auditor");
        Assert.Empty(await Bom.BomTests.CycloneDxErrors(bom.Text));
        var metrics = bom.Json["components"]![0]!["modelCard"]!["quantitativeAnalysis"]!["performanceMetrics"]!.AsArray();
        Assert.Contains(metrics, m => (string?)m!["slice"] == "tg128" && (string?)m["value"] == "142.7");

        var trail = await api.Get($"/deployments/{id}/events", "auditor");
        Assert.Contains(trail.Json["events"]!.AsArray(), e => (string?)e!["type"] == "deployment_attested" && (string?)e["actor"]!["role"] == "scanner");

        // Replaying the same envelope is refused and records nothing.
        var replay = await api.Post($"/deployments/{id}/attestations", "scanner", Envelope(payload, (scanner.Key, scanner.KeyId)));
        Assert.Equal(409, replay.Status);
        Assert.Equal((int)recorded.Json["version"]!, (int)(await api.Get($"/deployments/{id}", "auditor")).Json["version"]!);
    }

    /// <summary>
    /// A file that says more than the schema holds (here a GGUF with a whole license text in general.license) would be refused;
    /// the scanner fits its statement first (StatementBounds), and the report says what was shortened and how to check it.
    /// </summary>
    [Fact]
    public async Task a_statement_fitted_to_the_bounds_is_recorded_and_the_report_lists_what_was_shortened()
    {
        var scanner = await RegisterScanner("gpu-scanner-bounds");
        var id = await ApprovedDeployment("fitted");
        var license = string.Concat(Enumerable.Repeat("LLAMA 3.1 COMMUNITY LICENSE AGREEMENT ", 2_000));
        var statement = System.Text.Json.Nodes.JsonNode.Parse(Statement(id, Requests.Sha, api.Clock.GetUtcNow()))!;
        statement["predicate"]!["metadata"]!["license"] = license;
        var whole = JsonSerializer.SerializeToUtf8Bytes(statement);
        Assert.Equal(400, (await api.Post($"/deployments/{id}/attestations", "scanner", Envelope(whole, (scanner.Key, scanner.KeyId)))).Status);

        var recorded = await api.Post($"/deployments/{id}/attestations", "scanner", Envelope(Governance.Attestations.StatementBounds.Fit(whole), (scanner.Key, scanner.KeyId)));

        Assert.True(recorded.Status == 201, recorded.ToString());
        var shortened = recorded.Json["attestation"]!["predicate"]!["truncated"]!.AsArray().Single()!;
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(license)));
        Assert.Equal(("$.predicate.metadata.license", license.Length, digest), ((string)shortened["path"]!, (int)shortened["length"]!, (string)shortened["sha256"]!));
        var (status, pdf, _) = await api.Download($"/deployments/{id}/report", "auditor");
        Assert.Equal(200, status);
        var text = Reports.DeploymentReportTests.Compact(Reports.DeploymentReportTests.Text(pdf));
        Assert.Contains("thescannershortenedthesevalues", text);
        Assert.Contains(digest, text);
        Assert.Contains("(65,536charactersintheattestation)", text);
    }

    [Fact]
    public async Task a_tampered_envelope_a_wrong_key_and_a_wrong_digest_are_refused()
    {
        var scanner = await RegisterScanner("gpu-scanner-02");
        var id = await ApprovedDeployment("tamper");
        var payload = Statement(id, Requests.Sha, api.Clock.GetUtcNow());

        var tampered = payload.ToArray();
        var at = Encoding.UTF8.GetString(tampered).IndexOf("142.7", StringComparison.Ordinal);
        tampered[at] = (byte)'9';
        var signed = (dynamic)Envelope(payload, (scanner.Key, scanner.KeyId));
        var forged = new { payloadType = (string)signed.payloadType, payload = Convert.ToBase64String(tampered), signatures = signed.signatures };
        Assert.Equal(422, (await api.Post($"/deployments/{id}/attestations", "scanner", forged)).Status);

        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var strangerId = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(stranger.ExportSubjectPublicKeyInfo()));
        Assert.Equal(422, (await api.Post($"/deployments/{id}/attestations", "scanner", Envelope(payload, (stranger, strangerId)))).Status);
        // A stranger claiming a registered key id still fails: the signature is checked against the registered key.
        Assert.Equal(422, (await api.Post($"/deployments/{id}/attestations", "scanner", Envelope(payload, (stranger, scanner.KeyId)))).Status);

        var otherArtifact = Statement(id, new string('b', 64), api.Clock.GetUtcNow());
        var mismatch = await api.Post($"/deployments/{id}/attestations", "scanner", Envelope(otherArtifact, (scanner.Key, scanner.KeyId)));
        Assert.Equal(422, mismatch.Status);
        Assert.Contains("digest", (string?)mismatch.Json["title"], StringComparison.OrdinalIgnoreCase);

        var events = (await api.Get($"/deployments/{id}/events", "auditor")).Json["events"]!.AsArray();
        Assert.DoesNotContain(events, e => (string?)e!["type"] == "deployment_attested");
    }

    [Fact]
    public async Task scan_findings_join_the_assessment_and_revoking_the_key_withdraws_the_attestation()
    {
        var scanner = await RegisterScanner("gpu-scanner-03");
        var id = await ApprovedDeployment("mismatch");
        var payload = Statement(id, Requests.Sha, api.Clock.GetUtcNow(), fileLicense: "apache-2.0");
        var recorded = await api.Post($"/deployments/{id}/attestations", "scanner", Envelope(payload, (scanner.Key, scanner.KeyId)));
        Assert.Equal(201, recorded.Status);
        Assert.Equal("review_required", (string?)recorded.Json["status"]);
        Assert.Contains(recorded.Json["assessment"]!["findings"]!.AsArray(), f => (string?)f!["code"] == "license-mismatch" && (string?)f["severity"] == "blocking");

        var revoked = await api.Post($"/scanners/{scanner.Id}/revoke", "admin", new { reason = "Host decommissioned" });
        Assert.Equal(200, revoked.Status);
        await api.SettleAsync();
        var after = await api.Get($"/deployments/{id}", "auditor");
        Assert.True((bool)after.Json["attestation"]!["withdrawn"]!);
        Assert.False((bool)after.Json["attestation"]!["valid"]!);

        var later = Statement(id, Requests.Sha, api.Clock.GetUtcNow().AddMinutes(1));
        Assert.Equal(422, (await api.Post($"/deployments/{id}/attestations", "scanner", Envelope(later, (scanner.Key, scanner.KeyId)))).Status);
    }

    /// <summary>
    /// Some converters copy the LICENSE file into the license field (GGUF general.license). Such a field names no license id:
    /// its text is identified like a shipped license file, so the declared license's own text is no mismatch and another's is.
    /// </summary>
    [Theory]
    [InlineData("llama3.1.txt", null)]
    [InlineData("apache-2.0.txt", "apache-2.0")]
    public async Task a_license_text_in_the_license_field_is_identified_like_a_license_file(string text, string? identifiedAs)
    {
        var scanner = await RegisterScanner($"gpu-scanner-text-{text}");
        var id = await ApprovedDeployment($"license-text-{text}");
        var payload = Governance.Attestations.StatementBounds.Fit(
            Statement(id, Requests.Sha, api.Clock.GetUtcNow(), fileLicense: File.ReadAllText(Path.Combine(ApiFixture.RepoRoot, "policies", "license-texts", text))));

        var recorded = await api.Post($"/deployments/{id}/attestations", "scanner", Envelope(payload, (scanner.Key, scanner.KeyId)));

        Assert.True(recorded.Status == 201, recorded.ToString());
        var findings = recorded.Json["assessment"]!["findings"]!.AsArray();
        var mismatch = findings.SingleOrDefault(f => (string?)f!["code"] == "license-mismatch");
        Assert.Equal(identifiedAs, (string?)mismatch?["facts"]!["licenseFileIdentifiedAs"]);
        if (mismatch is not null) Assert.Equal("metadata.license", (string?)mismatch["facts"]!["licenseFile"]);
        Assert.DoesNotContain(findings, f => (string?)f!["code"] == "license-undeclared");
    }

    [Fact]
    public async Task a_lease_lapses_when_the_scanner_dies()
    {
        var id = await ApprovedDeployment("lease-lapse");
        string? leased = null;
        for (var i = 0; i < 20 && leased != id; i++)
        {
            var next = await api.Get("/scans/next", "scanner");
            if (next.Status == 204) break;
            leased = (string?)next.Json["deploymentId"];
        }
        Assert.Equal(id, leased);
        api.Clock.Advance(TimeSpan.FromMinutes(31));
        var again = await api.Get("/scans/next", "scanner");
        Assert.Equal(200, again.Status);
    }
}

public sealed class ScanFailureTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task a_reported_artifact_mismatch_blocks_sends_the_approval_to_review_and_is_not_leased_again_at_once()
    {
        var id = (string)(await api.Post("/deployments", "architect", Requests.Deployment(name: "swapped-file"))).Json["id"]!;
        Assert.Equal(200, (await api.Post($"/deployments/{id}/decision", "legal", new { decision = "approve", justification = "ok" })).Status);

        var reported = await api.Post($"/deployments/{id}/scan-failures", "scanner", new
        {
            code = "artifact-mismatch", message = "The file named like the model has another SHA-256.",
            facts = new Dictionary<string, string> { ["registered"] = Requests.Sha, ["actual"] = new string('f', 64) },
        });
        Assert.Equal(201, reported.Status);
        Assert.Equal("review_required", (string?)reported.Json["status"]);
        var finding = reported.Json["assessment"]!["findings"]!.AsArray().Single(f => (string?)f!["code"] == "artifact-mismatch")!;
        Assert.Equal("blocking", (string?)finding["severity"]);
        Assert.Equal(new string('f', 64), (string?)finding["facts"]!["actual"]);

        // Re-approved by legal with a waiver, it is still not offered to scanners until the pause has passed.
        await api.Post($"/deployments/{id}/decision", "legal", new
        {
            decision = "approve", justification = "File being replaced.",
            waivers = new[] { new { findingCode = "artifact-mismatch", expiresOn = api.Clock.Today.AddDays(7).ToString("yyyy-MM-dd"), reason = "Re-upload in progress" } },
        });
        for (var next = await api.Get("/scans/next", "scanner"); next.Status == 200; next = await api.Get("/scans/next", "scanner"))
            Assert.NotEqual(id, (string?)next.Json["deploymentId"]);

        var bad = await api.Post($"/deployments/{id}/scan-failures", "scanner", new { code = "cosmic-rays", message = "?" });
        Assert.Equal(400, bad.Status);
        Assert.Contains(bad.Json["errors"]!.AsArray(), e => (string?)e!["name"] == "code");
    }
}

/// <summary>An attestation is true for one environment: when the scanner's changes, the deployment is scanned again and a slower result is drift.</summary>
public sealed class DriftTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static object Environment(string driver) => new { backend = "cuda", device = "NVIDIA H200", driver, cudaVersion = "13.0", llamaCppBuild = "v0.5.0", threads = 16 };

    private static object Envelope(ECDsa key, string keyId, string deploymentId, DateTimeOffset scannedAt, double tg, string driver)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["_type"] = "https://in-toto.io/Statement/v1",
            ["subject"] = new[] { new { name = "m.gguf", digest = new { sha256 = Requests.Sha } } },
            ["predicateType"] = "urn:governance:model-footprint:v1",
            ["predicate"] = new
            {
                deploymentId, scannedAt,
                artifact = new { name = "m.gguf", sizeBytes = 10L, sha256 = Requests.Sha },
                metadata = new { architecture = "llama", license = "llama3.1" },
                footprint = new { deviceBytes = new { total = 6L << 30 } },
                throughput = new[] { new { test = "tg128", nGen = 128, repetitions = 5, meanTokensPerSecond = tg } },
                environment = Environment(driver),
            },
        });
        var pae = Encoding.UTF8.GetBytes($"DSSEv1 28 application/vnd.in-toto+json {payload.Length} ").Concat(payload).ToArray();
        return new
        {
            payloadType = "application/vnd.in-toto+json", payload = Convert.ToBase64String(payload),
            signatures = new[] { new { keyid = keyId, sig = Convert.ToBase64String(key.SignData(pae, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)) } },
        };
    }

    [Fact]
    public async Task a_scanner_on_a_new_driver_re_leases_what_it_attested_and_a_slower_second_attestation_is_drift()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keyId = (string)(await api.Post("/scanners", "admin", new { name = "drifting", publicKey = key.ExportSubjectPublicKeyInfoPem() })).Json["keyId"]!;
        var id = (string)(await api.Post("/deployments", "architect", Requests.Deployment(name: "drift"))).Json["id"]!;
        Assert.Equal(200, (await api.Post($"/deployments/{id}/decision", "legal", new { decision = "approve", justification = "ok" })).Status);

        async Task<string?> Lease(string driver)
        {
            for (var next = await api.Post("/scans/lease", "scanner", new { keyId, environment = Environment(driver) }); next.Status == 200;
                 next = await api.Post("/scans/lease", "scanner", new { keyId, environment = Environment(driver) }))
                if ((string?)next.Json["deploymentId"] == id) return id;
            return null;
        }

        Assert.Equal(id, await Lease("580.95"));
        Assert.Equal(201, (await api.Post($"/deployments/{id}/attestations", "scanner", Envelope(key, keyId, id, api.Clock.GetUtcNow(), 140, "580.95"))).Status);
        api.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Null(await Lease("580.95")); // the same environment: nothing to scan again

        Assert.Equal(id, await Lease("590.10")); // the driver changed under the scanner
        var second = await api.Post($"/deployments/{id}/attestations", "scanner", Envelope(key, keyId, id, api.Clock.GetUtcNow(), 100, "590.10"));
        Assert.Equal(201, second.Status);
        var drift = second.Json["assessment"]!["findings"]!.AsArray().Single(f => (string?)f!["code"] == "attestation-drift")!;
        Assert.Equal(("obligation", "140", "100"), ((string?)drift["severity"], (string?)drift["facts"]!["tg128.previous"], (string?)drift["facts"]!["tg128.current"]));
        Assert.Equal("review_required", (string?)second.Json["status"]);
        var trail = (await api.Get($"/deployments/{id}/events", "auditor")).Json["events"]!.AsArray();
        Assert.Equal(2, trail.Count(e => (string?)e!["type"] == "scan_leased" && (string?)e["data"]!["keyId"] == keyId));
    }
}
