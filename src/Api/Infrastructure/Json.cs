using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Governance.Policies;
using Governance.Policies.Catalog;

namespace Governance.Api.Infrastructure;

/// <summary>
/// One JSON shape for the API and its OpenAPI document: camelCase names, enum values spelt by <see cref="Naming"/>,
/// clause rules tagged with their catalog kind. The domain in src/Policies carries no serializer attributes; its wire
/// shape is decided here.
/// </summary>
public static class Json
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = null;
        options.Converters.Add(new JsonStringEnumConverter(new SnakeCase(), allowIntegerValues: false));
        options.Converters.Add(new YearMonthJsonConverter());
        // Every string a request carries must be storable (no U+0000, no lone surrogates): refused here, once, for all.
        options.Converters.Add(new StoredTextJsonConverter());
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(TagRuleKinds);
    }

    public static readonly JsonSerializerOptions Options = Create();

    private static void TagRuleKinds(JsonTypeInfo info)
    {
        if (info.Type != typeof(Rule)) return;
        info.PolymorphismOptions = new JsonPolymorphismOptions { TypeDiscriminatorPropertyName = "kind" };
        foreach (var (type, kind) in RuleKinds.All) info.PolymorphismOptions.DerivedTypes.Add(new JsonDerivedType(type, kind));
    }

    private sealed class SnakeCase : JsonNamingPolicy
    {
        public override string ConvertName(string name) => Naming.Snake(name);
    }

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(o);
        return o;
    }
}

/// <summary>Months travel as <c>"YYYY-MM"</c>, the way people write them.</summary>
public sealed class YearMonthJsonConverter : JsonConverter<YearMonth>
{
    public override YearMonth Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && YearMonth.TryParse(reader.GetString(), out var month)
            ? month
            : throw new JsonException("Expected a month in the form YYYY-MM.");

    public override void Write(Utf8JsonWriter writer, YearMonth value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
