using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Governance.Attestations;

/// <summary>
/// The published schema's bounds (docs/attestation-predicate.schema.json, embedded here; the Api validates with the same
/// file) applied to a statement before it is signed. Much of what a scanner records is what the inspected file says (GGUF
/// metadata, a model card, file names), which can be longer than the Api stores or hold characters PostgreSQL cannot store.
/// Refused, such an attestation would leave the deployment unattested whatever the scan measured; so a string is cut to its
/// <c>maxLength</c> (never inside a surrogate pair), an array to its <c>maxItems</c>, an object to its <c>maxProperties</c>,
/// characters <see cref="StoredText"/> refuses become U+FFFD, and each change is listed in the predicate's <c>truncated</c> with the
/// original's length and SHA-256, so the full value stays verifiable against the artifact.
/// </summary>
public static class StatementBounds
{
    private const string ResourceName = "attestation-predicate.schema.json";
    private const int MaxTruncations = 100; // the schema's own bound on "truncated"
    private const int MaxPath = 1000;

    /// <summary>The schema's text, as published.</summary>
    public static string SchemaText => Text.Value;

    private static readonly Lazy<string> Text = new(() =>
    {
        using var stream = typeof(StatementBounds).Assembly.GetManifestResourceStream(ResourceName)
                           ?? throw new InvalidOperationException($"{ResourceName} is not embedded in {typeof(StatementBounds).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    private static readonly Lazy<JsonObject> Schema = new(() => JsonNode.Parse(Text.Value)!.AsObject());

    /// <summary><paramref name="statement"/> (UTF-8 JSON) within the schema's bounds; the same bytes when it already was.</summary>
    public static byte[] Fit(byte[] statement)
    {
        var root = JsonNode.Parse(statement);
        var changes = new List<FootprintTruncation>();
        Walk(root, Schema.Value, "$", changes);
        if (changes.Count == 0) return statement;
        if (root?["predicate"] is JsonObject predicate)
            predicate["truncated"] = JsonSerializer.SerializeToNode(changes.Take(MaxTruncations).ToList(), Dsse.Options);
        return Encoding.UTF8.GetBytes(root!.ToJsonString());
    }

    private static void Walk(JsonNode? node, JsonObject schema, string path, List<FootprintTruncation> changes)
    {
        if (node is null || Resolve(schema, node) is not { } rule) return;
        switch (node)
        {
            case JsonObject item:
                if (Bound(rule, "maxProperties") is { } maxProperties && item.Count > maxProperties)
                {
                    changes.Add(Change(path, item.Count, item.ToJsonString()));
                    foreach (var extra in item.Skip(maxProperties).Select(p => p.Key).ToList()) item.Remove(extra);
                }
                var properties = rule["properties"] as JsonObject;
                var others = rule["additionalProperties"] as JsonObject;
                foreach (var (name, value) in item.ToList())
                    if ((properties?[name] as JsonObject ?? others) is { } child)
                        Walk(value, child, $"{path}.{name}", changes);
                break;
            case JsonArray items:
                if (Bound(rule, "maxItems") is { } maxItems && items.Count > maxItems)
                {
                    changes.Add(Change(path, items.Count, items.ToJsonString()));
                    while (items.Count > maxItems) items.RemoveAt(items.Count - 1);
                }
                if (rule["items"] is JsonObject each)
                    for (var i = 0; i < items.Count; i++) Walk(items[i], each, $"{path}[{i}]", changes);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                var fitted = Cut(StoredText.Mend(text), Bound(rule, "maxLength"));
                if (fitted == text) break;
                changes.Add(Change(path, text.Length, text));
                value.ReplaceWith(JsonValue.Create(fitted));
                break;
        }
    }

    /// <summary>The rule for <paramref name="node"/>: <c>$ref</c> followed, and of a <c>oneOf</c> the branch that takes its kind.</summary>
    private static JsonObject? Resolve(JsonObject schema, JsonNode node)
    {
        for (var depth = 0; depth < 16; depth++)
        {
            if (schema["$ref"]?.GetValue<string>() is { } reference)
                schema = Schema.Value["definitions"]![reference["#/definitions/".Length..]]!.AsObject();
            else if (schema["oneOf"] is JsonArray branches)
                schema = branches.OfType<JsonObject>().FirstOrDefault(b => b["$ref"] is not null || Admits(b, node)) ?? new JsonObject();
            else
                return schema;
        }
        return null;
    }

    private static bool Admits(JsonObject branch, JsonNode node)
    {
        var kind = node.GetValueKind() switch
        {
            JsonValueKind.Object => "object", JsonValueKind.Array => "array", JsonValueKind.String => "string", _ => "other",
        };
        return branch["type"] switch
        {
            JsonArray types => types.Any(t => t?.GetValue<string>() == kind),
            JsonValue type => type.GetValue<string>() == kind,
            _ => false,
        };
    }

    private static int? Bound(JsonObject rule, string keyword) => rule[keyword] is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;

    private static string Cut(string text, int? maxLength) =>
        maxLength is not { } max || text.Length <= max ? text : text[..(max > 0 && char.IsHighSurrogate(text[max - 1]) ? max - 1 : max)];

    private static FootprintTruncation Change(string path, long length, string original) =>
        new(path.Length <= MaxPath ? path : path[..MaxPath], length, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(original))));
}
