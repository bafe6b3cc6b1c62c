using System.Text.Json;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NJsonSchema;

namespace Governance.Api.Features.Deployments.Attest;

/// <summary>
/// The in-toto statement a scanner signs, checked against the published schema (docs/attestation-predicate.schema.json,
/// embedded in the contract's assembly: the file is the rule, and scanners fit their statements to it, StatementBounds).
/// A statement that fails it is the sender's error (400 naming the JSON path), whether or not its signature verifies: a
/// correct signature over a malformed statement is still malformed.
/// </summary>
public static class StatementSchema
{
    /// <summary>Deeper than any statement the scanner writes; past this the payload is refused before it is walked.</summary>
    public const int MaxDepth = 32;

    private static readonly Lazy<JsonSchema> Schema =
        new(() => JsonSchema.FromJsonAsync(Governance.Attestations.StatementBounds.SchemaText).GetAwaiter().GetResult());

    /// <summary>Each way <paramref name="statement"/> (UTF-8 JSON) departs from the schema, as (JSON path, what is wrong); empty when it conforms.</summary>
    public static IReadOnlyList<(string Path, string Reason)> Check(byte[] statement)
    {
        JToken token;
        try
        {
            using var text = new JsonTextReader(new StreamReader(new MemoryStream(statement), new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true)))
            {
                DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Double, MaxDepth = MaxDepth,
            };
            token = JToken.ReadFrom(text);
            if (text.Read()) return [("$", "Text after the statement's JSON value.")];
        }
        catch (Exception ex) when (ex is JsonReaderException or System.Text.DecoderFallbackException)
        {
            return [("$", $"Not a JSON statement: {ex.Message}")];
        }

        var errors = Schema.Value.Validate(token).SelectMany(Leaves)
            .Select(e => (Path(e.Path), $"{Describe(e.Kind)} ({e.Kind})"))
            .ToList();
        // The schema bounds lengths; the Api's one rule for storable text (no U+0000, no lone surrogates) applies inside too.
        errors.AddRange(Texts(token).Select(t => (Path(t.Path), t.Why)));
        return errors.Distinct().Take(20).ToList();
    }

    private static IEnumerable<(string Path, string Why)> Texts(JToken root)
    {
        var tokens = root is JContainer container ? container.DescendantsAndSelf() : [root];
        foreach (var value in tokens.OfType<JValue>())
            if (value.Type == JTokenType.String && Governance.Attestations.StoredText.Refusal((string)value!) is { } why)
                yield return ("#/" + value.Path, why);
        foreach (var property in tokens.OfType<JProperty>())
            if (Governance.Attestations.StoredText.Refusal(property.Name) is { } why)
                yield return ("#/" + property.Path, why);
    }

    /// <summary>An error about an array item or a choice holds the errors that say what is wrong, deeper down: those name the path.</summary>
    private static IEnumerable<NJsonSchema.Validation.ValidationError> Leaves(NJsonSchema.Validation.ValidationError error) =>
        error is NJsonSchema.Validation.ChildSchemaValidationError { Errors.Count: > 0 } child && child.Errors.Values.Any(e => e.Count > 0)
            ? child.Errors.Values.SelectMany(e => e).SelectMany(Leaves)
            : [error];

    /// <summary>NJsonSchema's <c>#/predicate.findings[0]</c> as the JSON path a person reads: <c>$.predicate.findings[0]</c>.</summary>
    private static string Path(string? path) =>
        (path ?? "#").TrimStart('#').TrimStart('/') is { Length: > 0 } p ? "$." + p : "$";

    private static string Describe(NJsonSchema.Validation.ValidationErrorKind kind) => kind switch
    {
        NJsonSchema.Validation.ValidationErrorKind.PropertyRequired => "Required",
        NJsonSchema.Validation.ValidationErrorKind.StringTooLong => "Too long",
        NJsonSchema.Validation.ValidationErrorKind.TooManyItems => "Too many items",
        NJsonSchema.Validation.ValidationErrorKind.NotInEnumeration => "Not the expected value",
        NJsonSchema.Validation.ValidationErrorKind.DateTimeExpected => "Expected an ISO 8601 date and time",
        _ => "Does not match docs/attestation-predicate.schema.json",
    };
}
