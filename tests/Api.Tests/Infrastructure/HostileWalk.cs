using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Governance.Api.Tests.Infrastructure;

/// <summary>
/// Walks every operation of the Api's own OpenAPI document with generated bad input: text that cannot be stored
/// (U+0000, lone surrogates, control characters), wrong JSON types, huge and deep JSON, bad GUIDs, paging extremes,
/// charsets and content types, multipart garbage, and (for the attestation operation) correctly signed but malformed
/// in-toto statements. Every answer must be below 500, and every 4xx an <c>application/problem+json</c> that names the
/// field or header (an <c>errors</c> entry, or for a domain refusal a detail). Seeded: the same seed, the same cases.
/// Shared by the test (in-process, a few thousand cases) and the <c>hostile</c> benchmark (Kestrel, 10,000 or more).
/// </summary>
public sealed class HostileWalk(HttpClient http, Func<string, string> token, int seed)
{
    public sealed record Case(string Operation, string Kind, HttpMethod Method, string Url, string? Role, byte[]? Body, string? ContentType,
        IReadOnlyDictionary<string, string> Headers, string? Names);

    public sealed record Outcome(Case Case, int Status, string ContentType, string Text, string? Failure);

    private sealed record Operation(string Method, string Path, string? Role, JsonArray Parameters, JsonNode? BodySchema, string? BodyType, bool Expensive);

    private readonly Random _random = new(seed);
    private JsonObject _document = null!;
    private List<Operation> _operations = [];
    private string _deploymentId = "";
    private string _scannerId = "";
    private ECDsa _scannerKey = null!;

    public int OperationCount => _operations.Count;

    /// <summary>Reads the OpenAPI document and makes what the cases point at: a deployment and a registered scanner key.</summary>
    public async Task PrepareAsync()
    {
        _document = JsonNode.Parse(await http.GetStringAsync("/openapi/v1.json"))!.AsObject();
        foreach (var (path, item) in _document["paths"]!.AsObject())
        foreach (var (method, op) in item!.AsObject())
        {
            if (op is not JsonObject operation || method is "parameters" or "summary" or "description") continue;
            var roles = operation["x-roles"]?.AsArray().Select(r => (string)r!).ToList() ?? [];
            var content = operation["requestBody"]?["content"]?.AsObject();
            var json = content?.FirstOrDefault(c => c.Key.Contains("json"));
            var pdf = operation["responses"]?.AsObject().Any(r => r.Value?["content"]?["application/pdf"] is not null) == true;
            _operations.Add(new Operation(method.ToUpperInvariant(), path, roles.FirstOrDefault(),
                operation["parameters"]?.AsArray() ?? [], json?.Value?["schema"], json?.Key ?? content?.FirstOrDefault().Key, pdf));
        }
        if (_operations.Count == 0) throw new InvalidOperationException("The OpenAPI document lists no operations.");

        _deploymentId = await Created("/deployments", "architect", JsonSerializer.Serialize(Requests.Deployment(name: "hostile-walk target"), Api.Infrastructure.Json.Options));
        _scannerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _scannerId = await Created("/scanners", "admin", JsonSerializer.Serialize(new { name = $"hostile-walk-{seed}", publicKey = _scannerKey.ExportSubjectPublicKeyInfoPem() }));
    }

    private async Task<string> Created(string url, string role, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token(role));
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != 201) throw new InvalidOperationException($"POST {url}: {(int)response.StatusCode} {text}");
        return (string)JsonNode.Parse(text)!["id"]!;
    }

    /// <summary>Runs <paramref name="count"/> cases, round-robin over the operations, <paramref name="concurrency"/> at a time.</summary>
    public async Task<IReadOnlyList<Outcome>> RunAsync(int count, int concurrency = 4, TimeSpan? budget = null)
    {
        var cases = Enumerable.Range(0, count).Select(i => Generate(_operations[i % _operations.Count])).ToList();
        var outcomes = new Outcome[cases.Count];
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, cases.Count, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            if (budget is { } b && clock.Elapsed > b) return;
            outcomes[i] = await SendAsync(cases[i]);
        });
        return outcomes.Where(o => o is not null).ToList();
    }

    private async Task<Outcome> SendAsync(Case c)
    {
        using var request = new HttpRequestMessage(c.Method, c.Url);
        if (c.Role is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token(c.Role));
        if (c.Body is not null)
        {
            request.Content = new ByteArrayContent(c.Body);
            if (c.ContentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", c.ContentType);
        }
        foreach (var (name, value) in c.Headers) request.Headers.TryAddWithoutValidation(name, value);
        try
        {
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var type = response.Content.Headers.ContentType?.ToString() ?? "";
            return new Outcome(c, (int)response.StatusCode, type, text.Length > 2000 ? text[..2000] : text, Judge(c, (int)response.StatusCode, type, text));
        }
        catch (HttpRequestException ex)
        {
            return new Outcome(c, 0, "", ex.Message, $"no response: {ex.Message}");
        }
    }

    /// <summary>Why an answer breaks the promise, or null when it keeps it.</summary>
    private static string? Judge(Case c, int status, string contentType, string text)
    {
        if (status >= 500) return $"{status}";
        if (status < 400) return null;
        if (!contentType.StartsWith("application/problem+json", StringComparison.Ordinal)) return $"{status} as '{contentType}', not a problem";
        JsonNode? problem;
        try
        {
            problem = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return $"{status} problem is not JSON";
        }
        var names = problem?["errors"] is JsonArray errors ? errors.Select(e => (string?)e?["name"] ?? "").Where(n => n.Length > 0).ToList() : [];
        if (names.Count == 0 && string.IsNullOrWhiteSpace((string?)problem?["detail"])) return $"{status} problem names no field or header";
        // Names may list alternatives (a|b): a case bad in two places is rightly refused for either.
        if (status == 400 && c.Names is { } expected && names.Count > 0
            && !expected.Split('|').Any(e => names.Any(n => n.StartsWith(e, StringComparison.OrdinalIgnoreCase) || e.StartsWith(n, StringComparison.OrdinalIgnoreCase))))
            return $"400 names {string.Join(", ", names)}, not {expected}";
        return null;
    }

    // ---------------------------------------------------------------- generation

    private static readonly string[] BadGuids =
    [
        "not-a-guid", "00000000-0000-0000-0000-000000000000", "%01", "%ED%A0%80", "1", "-1", "{}", "00000000-0000-0000-0000-00000000000g",
        "..%2F..%2Fetc%2Fpasswd",
    ];

    private static readonly string[] ParameterExtremes =
    [
        "2147483647", "-2147483648", "2147483648", "9223372036854775807", "-9223372036854775808", "99999999999999999999", "0", "-1",
        "1e400", "NaN", "", "%00", "%ED%A0%80", "%C3%28", "true", "0001-01-01", "9999-12-31T23:59:59Z", "2024-02-30",
    ];

    private static readonly string[] ContentTypes =
    [
        "application/json; charset=utf-7", "application/json; charset=latin1", "application/json; charset=nope", "text/plain", "application/xml",
        "application/x-www-form-urlencoded", "multipart/form-data", "application/json; charset=\"utf-16\"", "%%%", "application/json;;;",
    ];

    private Case Generate(Operation op)
    {
        var kinds = new List<string> { "path", "query", "header", "content-type" };
        if (op.BodySchema is not null) kinds.AddRange(["field", "field", "field", "body", "body"]);
        if (op.Path.EndsWith("/attestations", StringComparison.Ordinal)) kinds.AddRange(["statement", "statement", "statement"]);
        if (op.Path == "/reports/verify") kinds.AddRange(["multipart", "multipart"]);
        var kind = Pick(kinds);
        var name = $"{op.Method} {op.Path}";
        var role = op.Role;
        var headers = new Dictionary<string, string>();
        string? names = null;
        var (body, contentType) = op.BodySchema is null ? ((byte[]?)null, (string?)null) : (Utf8(Template(op.BodySchema, 0).ToJsonString()), op.BodyType);
        var pathValues = new Dictionary<string, string>();
        var query = new List<string>();

        // A report operation renders a PDF when its request is valid: its cases only point at nothing, or are refused early.
        var pathMutated = kind == "path" || op.Expensive;
        foreach (System.Text.RegularExpressions.Match match in System.Text.RegularExpressions.Regex.Matches(op.Path, @"\{\*{0,2}(\w+)\}"))
        {
            var p = match.Groups[1].Value;
            pathValues[p] = pathMutated ? Pick(BadGuids) : ValidPathValue(op.Path, p);
            // U+0000 in a path is refused before routing, naming the path; other bad values by the binder, naming the parameter.
            // (U+0000 itself the web server refuses before any application code: Kestrel's bare 400, which no walk can change.)
            // The empty GUID binds (it is then a 404, or the body's 400 comes first): only values that cannot bind must be named.
            if (pathMutated) names = pathValues[p] == "%01" ? "path" : Guid.TryParse(pathValues[p], out _) ? null : p;
        }
        if (kind == "path" && pathValues.Count == 0) kind = "query";

        switch (kind)
        {
            case "query":
            {
                var parameters = op.Parameters.OfType<JsonObject>().Where(p => (string?)p["in"] == "query").Select(p => (string)p["name"]!).ToList();
                var p = parameters.Count > 0 ? Pick(parameters) : "unexpected";
                var hostile = _random.Next(4) == 0;
                var value = hostile ? Pick(HostileQueryText) : Pick(ParameterExtremes);
                query.Add($"{p}={value}");
                if (_random.Next(3) == 0) query.Add($"{p}={Pick(ParameterExtremes)}");
                if (op.Expensive && parameters.Count > 0 && !hostile) query.Add($"{Pick(parameters)}=%00");
                names = hostile ? (pathValues.ContainsValue("%01") ? $"{p}|path" : p) : null;
                break;
            }
            case "header":
                switch (_random.Next(5))
                {
                    case 0: headers["If-Match"] = Pick(["\"abc\"", "W/\"1\"", "*", "\"-1\"", "\"99999999999999999999\"", "garbage"]); break;
                    case 1: headers["Idempotency-Key"] = new string('k', _random.Next(250, 400)); break;
                    case 2: headers["Accept"] = Pick(["application/xml", "text/html", "*/*;q=0", "nonsense"]); break;
                    case 3: role = null; headers["Authorization"] = Pick(["Bearer x.y.z", "Bearer ", "Basic YTpi", "Bearer " + new string('a', 3000)]); break;
                    default: headers["X-Padding"] = new string('p', _random.Next(40_000, 100_000)); names = "X-Padding"; break;
                }
                break;
            case "content-type":
                contentType = _random.Next(6) == 0 ? null : Pick(ContentTypes);
                body ??= Utf8("{}");
                // Only an operation that reads a body has a media type to insist on; verify reads any, and names 'file'.
                names = op.BodySchema is not null ? "Content-Type" : null;
                break;
            case "field":
            {
                var template = Template(op.BodySchema!, 0);
                var leaves = Leaves(template, "").ToList();
                if (leaves.Count == 0) goto case "body";
                var (path, set) = Pick(leaves);
                var (hostile, refused) = HostileValue();
                set(JsonValue.Create("@@hostile@@"));
                body = Utf8(template.ToJsonString().Replace(Placeholder, hostile));
                // A body property the document lists but the binder takes from the route or a header (id, ifMatch) is not read from the body.
                var top = path.TrimStart('.').Split('.', '[')[0];
                var bound = op.Parameters.OfType<JsonObject>().Select(x => ((string?)x["name"] ?? "").Replace("-", "")).Concat(pathValues.Keys)
                    .Any(n => n.Equals(top, StringComparison.OrdinalIgnoreCase)) || top.Equals("ifMatch", StringComparison.OrdinalIgnoreCase);
                names = refused && !bound ? path.TrimStart('.') : null;
                break;
            }
            case "body":
                (body, names) = HostileBody();
                contentType = op.BodyType ?? "application/json";
                break;
            case "statement":
            {
                var (statement, path) = MalformedStatement();
                body = Utf8(SignedEnvelope(statement));
                contentType = "application/json";
                names = path is null ? "payload" : $"payload:{path}";
                pathValues["id"] = _deploymentId;
                break;
            }
            case "multipart":
                (body, contentType) = MultipartGarbage();
                names = null;
                break;
        }

        var url = op.Path;
        foreach (var (p, value) in pathValues) url = url.Replace("{" + p + "}", value).Replace("{**" + p + "}", value);
        if (query.Count > 0) url += "?" + string.Join("&", query);
        if (_random.Next(200) == 0) url = url + (url.Contains('?') ? "&" : "?") + "pad=" + new string('u', 9000);
        return new Case(name, kind, new HttpMethod(op.Method), url, role, body, contentType, headers, names);
    }

    private string ValidPathValue(string path, string parameter) => path switch
    {
        _ when path.StartsWith("/scanners/", StringComparison.Ordinal) => _scannerId,
        _ when path.StartsWith("/deployments/", StringComparison.Ordinal) => _deploymentId,
        _ when path.StartsWith("/licenses/", StringComparison.Ordinal) => "llama3.1",
        _ when path.StartsWith("/models/", StringComparison.Ordinal) => "meta-llama/Llama-3.1-8B-Instruct",
        _ => Guid.NewGuid().ToString(),
    };

    /// <summary>JSON text the writer would not produce (escaped U+0000, lone surrogates, control characters): refused wherever it stands.</summary>
    private static readonly string[] HostileJsonText =
        ["\"a\\u0000b\"", "\"\\u0000\"", "\"\\ud800\"", "\"x\\udc00\"", "\"\\u0007bell\"", "\"\\u001b[31m\"", "\"\\u007f\""];

    /// <summary>Hostile query text, percent-encoded: a control character or U+0000.</summary>
    private static readonly string[] HostileQueryText = ["%00", "a%00b", "%07", "%1B%5B31m", "%7F"];

    private const string Placeholder = "\"@@hostile@@\"";

    /// <summary>A hostile JSON value as raw text, and whether the Api must refuse it wherever it stands (text it cannot store).</summary>
    private (string Json, bool Refused) HostileValue() => _random.Next(12) switch
    {
        0 or 1 or 2 => (Pick(HostileJsonText), true),
        3 => ("\"" + new string('w', _random.Next(5_000, 300_000)) + "\"", false),
        4 => ("1e300", false),
        5 => ("-1", false),
        6 => ("9223372036854775807", false),
        7 => ("null", false),
        8 => ("{\"nested\":[1,2]}", false),
        9 => ("[" + string.Join(",", Enumerable.Range(0, _random.Next(100, 3000)).Select(i => $"\"item{i}\"")) + "]", false),
        10 => ("\"00000000-0000-0000-0000-000000000000\"", false),
        _ => ("true", false),
    };

    /// <summary>A whole hostile body and what its 400 must name (null: any field).</summary>
    private (byte[] Body, string? Names) HostileBody() => _random.Next(12) switch
    {
        0 => ([], null),
        1 => (Utf8("null"), null),
        2 => (Utf8(new string('[', _random.Next(65, 5000)) + new string(']', 10)), null),
        3 => (Utf8("{\"a\":" + string.Concat(Enumerable.Repeat("{\"a\":", _random.Next(64, 2000))) + "1}"), null),
        4 => (Utf8("{\"name\":\"unterminated"), null),
        5 => ([0xEF, 0xBB, 0xBF, .. Utf8("{}")], null),
        6 => ([(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'], null),
        7 => (Utf8("[" + string.Join(",", Enumerable.Repeat("{}", _random.Next(10_000, 100_000))) + "]"), null),
        8 => (Utf8("{\"name\":\"a\",\"name\":\"b\"}"), null),
        9 => (RandomBytes(_random.Next(1, 4096)), null),
        10 => (Utf8("{\"" + new string('k', 100_000) + "\":1}"), null),
        _ => (Utf8("\"" + new string('s', 1 << 20) + "\""), null),
    };

    private byte[] RandomBytes(int n)
    {
        var bytes = new byte[n];
        _random.NextBytes(bytes);
        return bytes;
    }

    private (byte[] Body, string ContentType) MultipartGarbage()
    {
        const string part = "Content-Disposition: form-data; name=\"file\"; filename=\"r.pdf\"\r\nContent-Type: application/pdf\r\n";
        return _random.Next(7) switch
        {
            0 => (Utf8($"--b\r\n{part}\r\n%PDF-1.7\r\n--b--\r\n"), "multipart/form-data"),
            1 => (Utf8($"--b\r\n{part}\r\n%PDF-1.7 and then nothing"), "multipart/form-data; boundary=b"),
            2 => (Utf8($"--b\r\n{part}X-Long: {new string('h', 20_000)}\r\n\r\n%PDF\r\n--b--\r\n"), "multipart/form-data; boundary=b"),
            3 => (Utf8("no boundary anywhere"), "multipart/form-data; boundary=b"),
            4 => (Utf8("--\r\n\r\n"), "multipart/form-data; boundary=\"\""),
            5 => (Utf8($"--{new string('b', 200)}\r\n\r\n"), $"multipart/form-data; boundary={new string('b', 200)}"),
            _ => (Utf8(string.Concat(Enumerable.Repeat("--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx\r\n", 2000)) + "--b--\r\n"), "multipart/form-data; boundary=b"),
        };
    }

    // ---------------------------------------------------------------- attestation statements

    private JsonObject ValidStatement()
    {
        var sha = new string('a', 64);
        return JsonNode.Parse($$$"""
        {"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"m.gguf","digest":{"sha256":"{{{sha}}}"}}],
         "predicateType":"urn:governance:model-footprint:v1",
         "predicate":{"deploymentId":"{{{_deploymentId}}}","scannedAt":"2026-01-01T00:00:00Z",
           "artifact":{"name":"m.gguf","sizeBytes":1,"sha256":"{{{sha}}}"},
           "metadata":{"architecture":"llama","name":"M","license":"llama3.1","baseModels":[]},
           "footprint":{"modelBytes":1,"contextLength":1,"deviceBytes":{"weights":1,"kvCache":1,"compute":1,"total":3}},
           "throughput":[{"test":"tg128","nPrompt":0,"nGen":128,"repetitions":1,"meanTokensPerSecond":1,"stddevTokensPerSecond":0,"samplesTokensPerSecond":[1]}],
           "environment":{"backend":"cpu"},"findings":[{"code":"c","severity":"info","message":"m"}]}}
        """)!.AsObject();
    }

    /// <summary>A statement broken at one JSON path (the path the 400 must name), signed by the registered scanner.</summary>
    private (JsonObject Statement, string? Path) MalformedStatement()
    {
        var s = ValidStatement();
        var p = s["predicate"]!.AsObject();
        switch (_random.Next(16))
        {
            case 0: s["_type"] = 5; return (s, "$._type");
            case 1: s["subject"] = new JsonArray((JsonNode?)null); return (s, "$.subject[0]");
            case 2: p["artifact"] = null; return (s, "$.predicate.artifact");
            case 3: p["findings"] = new JsonArray((JsonNode?)null); return (s, "$.predicate.findings[0]");
            case 4: p.Remove("scannedAt"); return (s, "$.predicate.scannedAt");
            case 5: p["metadata"] = null; return (s, "$.predicate.metadata");
            case 6: p["footprint"] = null; return (s, "$.predicate.footprint");
            case 7: p["environment"] = null; return (s, "$.predicate.environment");
            case 8: p["findings"]![0]!["message"] = new string('m', 500_000); return (s, "$.predicate.findings[0].message");
            case 9: p["metadata"]!["name"] = "nul\u0000"; return (s, "$.predicate.metadata.name");
            case 10: p["scannedAt"] = "yesterday"; return (s, "$.predicate.scannedAt");
            case 11: p["throughput"] = new JsonArray(Enumerable.Range(0, 500).Select(_ => (JsonNode?)JsonValue.Create(1)).ToArray()); return (s, "$.predicate.throughput");
            case 12: p["footprint"]!["modelBytes"] = "big"; return (s, "$.predicate.footprint.modelBytes");
            case 13: s["subject"] = new JsonArray(); return (s, "$.subject");
            case 14: p["metadata"]!["baseModels"] = new JsonArray((JsonNode?)null); return (s, "$.predicate.metadata.baseModels[0]");
            default: p["deploymentId"] = "nope"; return (s, "$.predicate.deploymentId");
        }
    }

    private string SignedEnvelope(JsonObject statement)
    {
        var payload = Utf8(statement.ToJsonString());
        var envelope = Governance.Attestations.Dsse.Sign(payload, _scannerKey);
        return JsonSerializer.Serialize(new
        {
            payloadType = envelope.PayloadType, payload = envelope.Payload,
            signatures = envelope.Signatures.Select(x => new { keyid = x.KeyId, sig = x.Sig }),
        });
    }

    // ---------------------------------------------------------------- bodies from the document's schemas

    private JsonNode Template(JsonNode schema, int depth)
    {
        if (schema["$ref"] is JsonValue reference)
        {
            var name = ((string)reference!).Split('/')[^1];
            return depth > 6 ? new JsonObject() : Template(_document["components"]!["schemas"]![name]!, depth + 1);
        }
        if ((schema["oneOf"] ?? schema["anyOf"]) is JsonArray { Count: > 0 } choices)
            return Template(choices.First(c => (string?)c?["type"] != "null")!, depth);
        if (schema["enum"] is JsonArray { Count: > 0 } values) return values.First(v => v is not null)!.DeepClone();
        var type = schema["type"] switch
        {
            JsonArray types => types.Select(t => (string?)t).FirstOrDefault(t => t != "null") ?? "string",
            JsonValue single => (string?)single ?? "object",
            _ => schema["properties"] is not null ? "object" : "string",
        };
        return type switch
        {
            "object" => new JsonObject((schema["properties"]?.AsObject() ?? []).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Template(p.Value!, depth + 1)))),
            "array" => schema["items"] is { } items && depth < 8 ? new JsonArray(Template(items, depth + 1)) : new JsonArray(),
            "integer" => JsonValue.Create(1),
            "number" => JsonValue.Create(1.5),
            "boolean" => JsonValue.Create(true),
            _ => (string?)schema["format"] switch
            {
                "uuid" => JsonValue.Create(Guid.NewGuid().ToString()),
                "date" => JsonValue.Create("2030-01-01"),
                "date-time" => JsonValue.Create("2030-01-01T00:00:00Z"),
                _ => JsonValue.Create("x"),
            },
        };
    }

    /// <summary>Every value of a body, with its JSON path as the Api names it (<c>usage.regions[0]</c>) and a way to replace it.</summary>
    private static IEnumerable<(string Path, Action<JsonNode?> Set)> Leaves(JsonNode node, string path)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    var at = $"{path}.{key}";
                    yield return (at, v => o[key] = v);
                    if (value is not null) foreach (var leaf in Leaves(value, at)) yield return leaf;
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    var (index, at) = (i, $"{path}[{i}]");
                    yield return (at, v => a[index] = v);
                    if (a[i] is { } value) foreach (var leaf in Leaves(value, at)) yield return leaf;
                }
                break;
        }
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
