using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Governance.Api.Features.Deployments.Attest;
using Governance.Api.Tests.Infrastructure;
using Governance.Attestations;

namespace Governance.Api.Tests.Features.Attestations;

/// <summary>
/// The published schema (docs/attestation-predicate.schema.json) is the rule the Api applies to a signed statement,
/// it describes every property of the contract in src/Attestations, and a correctly signed statement that breaks it is
/// a 400 naming the JSON path, never a 500 and never recorded.
/// </summary>
public sealed class StatementSchemaTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly string SchemaFile = Path.Combine(ApiFixture.RepoRoot, "docs", "attestation-predicate.schema.json");

    [Fact]
    public void the_schema_in_docs_is_the_one_the_api_validates_with()
    {
        Assert.Equal(File.ReadAllText(SchemaFile), StatementBounds.SchemaText);
    }

    [Fact]
    public void the_schema_describes_every_property_of_the_predicate_contract()
    {
        var schema = JsonNode.Parse(File.ReadAllText(SchemaFile))!;
        var missing = new List<string>();
        Walk(typeof(ModelFootprint), schema["definitions"]!["predicate"]!, "predicate", schema, missing, []);
        Assert.True(missing.Count == 0, "not in the schema: " + string.Join(", ", missing));
    }

    private static void Walk(Type type, JsonNode definition, string at, JsonNode schema, List<string> missing, HashSet<Type> seen)
    {
        if (!seen.Add(type)) return;
        var properties = definition["properties"]!.AsObject();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (!properties.ContainsKey(name))
            {
                missing.Add($"{at}.{name}");
                continue;
            }
            var element = property.PropertyType.IsGenericType && property.PropertyType.GetGenericTypeDefinition() == typeof(IReadOnlyList<>)
                ? property.PropertyType.GetGenericArguments()[0]
                : property.PropertyType;
            if (element.Namespace != typeof(ModelFootprint).Namespace || !element.IsClass) continue;
            var node = properties[name]!;
            node = node["items"] ?? node;
            var reference = (string?)node["$ref"] ?? (string?)node["oneOf"]?.AsArray().Select(o => o?["$ref"]).FirstOrDefault(r => r is not null);
            Assert.True(reference is not null, $"{at}.{name} should refer to a definition");
            Walk(element, schema["definitions"]![reference!.Split('/')[^1]]!, $"{at}.{name}", schema, missing, seen);
        }
    }

    private static byte[] Full() => Dsse.StatementFor("m.gguf", new string('a', 64), new ModelFootprint
    {
        DeploymentId = Guid.NewGuid(), ScannedAt = DateTimeOffset.Parse("2026-12-01T10:00:00Z"),
        Artifact = new FootprintArtifact
        {
            Name = "m", SizeBytes = 10, Sha256 = new string('a', 64), Format = ArtifactFormat.Safetensors,
            Manifest = new FootprintManifest
            {
                Serialization = new FootprintSerialization { Method = "files", HashType = "sha256", IgnorePaths = [".git"] },
                Resources = [new FootprintResource { Name = "model.safetensors", Algorithm = "sha256", Digest = new string('b', 64) }],
            },
        },
        Metadata = new FootprintMetadata
        {
            Architecture = "llama", Name = "M", Organization = "O", Parameters = 8, FileType = "Q4", ContextLength = 8192, License = "llama3.1",
            LicenseName = "L", LicenseLink = "https://example.org", BaseModels = ["a/b"], ActiveParameters = 4, Experts = new FootprintExperts { Count = 8, Used = 2, Shared = 1 },
            Attention = "gqa", SlidingWindow = 4096, Layers = 32, Vision = new FootprintVision { File = "mmproj.gguf", SizeBytes = 1, Sha256 = new string('c', 64), ProjectorType = "gemma3", Parameters = 1 },
            BaseModelRelation = "finetune",
            LicenseFiles = [new FootprintLicenseFile { File = "LICENSE", SizeBytes = 1, Sha256 = new string('d', 64), Fingerprint = new LicenseFingerprint { Algorithm = "a", NormalizedSha256 = new string('e', 64), MinHash = "AAAA", Words = 3 } }],
        },
        Footprint = new FootprintMeasurement
        {
            ModelBytes = 1, ContextLength = 1, DeviceBytes = new DeviceBytes { Weights = 1, KvCache = 1, Compute = 1, Total = 3, Measured = 3 }, HostPeakRssBytes = 1,
            Buffers = [new FootprintBuffer("CUDA0", "KvCache", 1)], BytesReadPerToken = 1, BytesReadPerTokenBasis = BytesPerTokenBasis.ActiveWeights,
        },
        Throughput = [new ThroughputTest { Test = "tg128", NGen = 128, Repetitions = 1, MeanTokensPerSecond = 1, SamplesTokensPerSecond = [1] }],
        LoadSeconds = 1, TimeToFirstTokenSeconds = 0.1, RooflineFraction = 0.5,
        Environment = new FootprintEnvironment { Backend = "cuda", Device = "H200", Driver = "1", CudaVersion = "13", Cpu = "x", Threads = 16, LlamaCppBuild = "b1", ScannerVersion = "1" },
        Findings = [new FootprintFinding { Code = "c", Severity = "info", Message = "m", Facts = new Dictionary<string, string> { ["k"] = "v" } }],
        Measurement = MeasurementKind.LlamaBench,
        Sweep = new FootprintSweep { Criterion = "tg", Best = new FootprintConfiguration { UBatch = 512, FlashAttention = true, GpuLayers = 99 },
            Trials = [new FootprintTrial { Configuration = new FootprintConfiguration { UBatch = 512 }, Throughput = [], DeviceBytes = new DeviceBytes() }] },
    });

    [Fact]
    public void statements_the_scanner_writes_conform_full_or_with_every_optional_part_left_null()
    {
        Assert.Empty(StatementSchema.Check(Full()));
        Assert.Empty(StatementSchema.Check(Dsse.StatementFor("m.gguf", new string('a', 64), new ModelFootprint { DeploymentId = Guid.NewGuid(), ScannedAt = DateTimeOffset.UnixEpoch })));
    }

    public static IEnumerable<object[]> Malformed() =>
    [
        ["_type not a string", (Action<JsonObject>)(s => s["_type"] = 5), "$._type"],
        ["subject [null]", (Action<JsonObject>)(s => s["subject"] = new JsonArray((JsonNode?)null)), "$.subject[0]"],
        ["no subject", (Action<JsonObject>)(s => s["subject"] = new JsonArray()), "$.subject"],
        ["predicate.artifact null", (Action<JsonObject>)(s => s["predicate"]!["artifact"] = null), "$.predicate.artifact"],
        ["findings [null]", (Action<JsonObject>)(s => s["predicate"]!["findings"] = new JsonArray((JsonNode?)null)), "$.predicate.findings[0]"],
        ["no scannedAt", (Action<JsonObject>)(s => s["predicate"]!.AsObject().Remove("scannedAt")), "$.predicate.scannedAt"],
        ["scannedAt not a time", (Action<JsonObject>)(s => s["predicate"]!["scannedAt"] = "yesterday"), "$.predicate.scannedAt"],
        ["metadata null", (Action<JsonObject>)(s => s["predicate"]!["metadata"] = null), "$.predicate.metadata"],
        ["footprint null", (Action<JsonObject>)(s => s["predicate"]!["footprint"] = null), "$.predicate.footprint"],
        ["environment null", (Action<JsonObject>)(s => s["predicate"]!["environment"] = null), "$.predicate.environment"],
        ["a 500 KB finding message", (Action<JsonObject>)(s => s["predicate"]!["findings"]![0]!["message"] = new string('m', 500_000)), "$.predicate.findings[0].message"],
        ["U+0000 in a name", (Action<JsonObject>)(s => s["predicate"]!["metadata"]!["name"] = "a\u0000b"), "$.predicate.metadata.name"],
        ["10,000 base models", (Action<JsonObject>)(s => s["predicate"]!["metadata"]!["baseModels"] = new JsonArray(Enumerable.Range(0, 10_000).Select(i => (JsonNode?)$"m{i}").ToArray())), "$.predicate.metadata.baseModels"],
        ["a size that is text", (Action<JsonObject>)(s => s["predicate"]!["artifact"]!["sizeBytes"] = "big"), "$.predicate.artifact.sizeBytes"],
    ];

    [Theory]
    [MemberData(nameof(Malformed))]
    public void the_validator_names_the_json_path_of_what_breaks_the_schema(string why, Action<JsonObject> breakIt, string path)
    {
        var statement = JsonNode.Parse(Full())!.AsObject();
        breakIt(statement);
        var errors = StatementSchema.Check(JsonSerializer.SerializeToUtf8Bytes(statement));
        Assert.True(errors.Any(e => e.Path == path), $"{why}: expected {path}, got {string.Join("; ", errors)}");
    }

    public static IEnumerable<object[]> PastTheBounds() =>
    [
        ["a 500 KB finding message", (Action<JsonObject>)(s => s["predicate"]!["findings"]![0]!["message"] = new string('m', 500_000)), "$.predicate.findings[0].message"],
        ["U+0000 in a name", (Action<JsonObject>)(s => s["predicate"]!["metadata"]!["name"] = "a\u0000b"), "$.predicate.metadata.name"],
        ["a bell character in an organization", (Action<JsonObject>)(s => s["predicate"]!["metadata"]!["organization"] = "a\u0007b"), "$.predicate.metadata.organization"],
        ["10,000 base models", (Action<JsonObject>)(s => s["predicate"]!["metadata"]!["baseModels"] = new JsonArray(Enumerable.Range(0, 10_000).Select(i => (JsonNode?)$"m{i}").ToArray())), "$.predicate.metadata.baseModels"],
        ["a 70,000-character license in the GGUF metadata", (Action<JsonObject>)(s => s["predicate"]!["metadata"]!["license"] = new string('l', 70_000)), "$.predicate.metadata.license"],
        ["60 facts", (Action<JsonObject>)(s => s["predicate"]!["findings"]![0]!["facts"] = new JsonObject(Enumerable.Range(0, 60).Select(i => KeyValuePair.Create($"k{i}", (JsonNode?)"v")))), "$.predicate.findings[0].facts"],
        ["a base model name of 10,000 characters", (Action<JsonObject>)(s => s["predicate"]!["metadata"]!["baseModels"]![0] = new string('b', 10_000)), "$.predicate.metadata.baseModels[0]"],
    ];

    /// <summary>
    /// What an inspected file says can break the schema's bounds; the scanner fits its statement before signing
    /// (StatementBounds), so the same statement the Api would refuse is accepted, and says what was changed.
    /// </summary>
    [Theory]
    [MemberData(nameof(PastTheBounds))]
    public void a_statement_fitted_to_the_bounds_conforms_and_lists_what_was_changed(string why, Action<JsonObject> breakIt, string path)
    {
        var statement = JsonNode.Parse(Full())!.AsObject();
        breakIt(statement);
        var broken = JsonSerializer.SerializeToUtf8Bytes(statement);
        Assert.Contains(StatementSchema.Check(broken), e => e.Path == path);

        var fitted = StatementBounds.Fit(broken);

        Assert.True(StatementSchema.Check(fitted) is { Count: 0 } errors, $"{why}: {string.Join("; ", StatementSchema.Check(fitted))}");
        Assert.Contains(Dsse.ReadStatement(fitted)!.Predicate.Truncated, t => t.Path == path);
    }

    [Fact]
    public void a_statement_nested_past_the_limit_is_refused_before_it_is_walked() =>
        Assert.Contains(StatementSchema.Check(System.Text.Encoding.UTF8.GetBytes(new string('[', 10_000))), e => e.Path == "$");

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task a_correctly_signed_malformed_statement_is_a_400_naming_the_path_and_nothing_is_recorded(string why, Action<JsonObject> breakIt, string path)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Equal(201, (await api.Post("/scanners", "admin", new { name = $"schema-{Guid.NewGuid():N}", publicKey = key.ExportSubjectPublicKeyInfoPem() })).Status);
        var id = (string)(await api.Post("/deployments", "architect", Requests.Deployment(name: "schema target"))).Json["id"]!;
        var statement = JsonNode.Parse(Full())!.AsObject();
        statement["predicate"]!["deploymentId"] = id;
        breakIt(statement);
        var envelope = Dsse.Sign(JsonSerializer.SerializeToUtf8Bytes(statement), key);

        var reply = await api.Post($"/deployments/{id}/attestations", "scanner", new
        {
            payloadType = envelope.PayloadType, payload = envelope.Payload, signatures = envelope.Signatures.Select(s => new { keyid = s.KeyId, sig = s.Sig }),
        });

        Assert.True(reply.Status == 400, $"{why}: {reply}");
        Assert.StartsWith("application/problem+json", reply.ContentType);
        Assert.Contains(reply.Json["errors"]!.AsArray(), e => (string?)e!["name"] == $"payload:{path}");
        var events = await api.Get($"/deployments/{id}/events", "auditor");
        Assert.DoesNotContain(events.Json["events"]!.AsArray(), e => ((string?)e!["type"])?.Contains("attest", StringComparison.OrdinalIgnoreCase) == true);
    }
}
