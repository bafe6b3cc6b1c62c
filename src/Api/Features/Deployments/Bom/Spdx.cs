using Governance.Attestations;
using System.Globalization;
using System.Text.Json.Nodes;
using Governance.Policies.Catalog;

namespace Governance.Api.Features.Deployments.Bom;

/// <summary>
/// SPDX 3.0.1 JSON-LD with the AI profile: an <c>ai_AIPackage</c> for the model (with the properties the AI profile
/// requires: suppliedBy, downloadLocation, packageVersion, primaryPurpose, releaseTime), its declared and concluded
/// licenses as relationships, and base models as ancestors. <c>ai_energyConsumption</c> is left out: Governance does
/// not measure training energy.
/// </summary>
public static class Spdx
{
    public const string MediaType = "application/ld+json";
    public const string Context = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld";

    public static JsonObject Build(DeploymentView d, License? license, string governanceVersion)
    {
        var ns = $"urn:governance:deployment:{d.Id}:v{d.Version}";
        var created = d.UpdatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var attestation = d.Attestation is { Withdrawn: false } a ? a.Predicate : null;
        var tool = $"{ns}#tool";
        var supplier = $"{ns}#supplier";
        var package = $"{ns}#model";
        var declared = $"{ns}#license-declared";
        var concluded = $"{ns}#license-concluded";
        var concludedId = attestation is not null && DeploymentState.Claims(attestation).License is { Length: > 0 } fileLicense ? fileLicense : d.Model.LicenseId;

        var graph = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "CreationInfo", ["@id"] = "_:creationinfo", ["specVersion"] = "3.0.1", ["created"] = created,
                ["createdBy"] = new JsonArray { tool },
            },
            new JsonObject { ["type"] = "Tool", ["spdxId"] = tool, ["creationInfo"] = "_:creationinfo", ["name"] = $"Governance {governanceVersion}" },
            new JsonObject
            {
                ["type"] = "Organization", ["spdxId"] = supplier, ["creationInfo"] = "_:creationinfo",
                ["name"] = attestation?.Metadata.Organization ?? license?.Licensor ?? "NOASSERTION",
            },
            new JsonObject
            {
                ["type"] = "ai_AIPackage",
                ["spdxId"] = package,
                ["creationInfo"] = "_:creationinfo",
                ["name"] = d.Model.Name,
                ["suppliedBy"] = supplier,
                ["releaseTime"] = d.Model.ReleaseDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00Z",
                ["software_downloadLocation"] = "NOASSERTION",
                ["software_packageVersion"] = d.Model.ReleaseDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["software_primaryPurpose"] = "model",
                ["verifiedUsing"] = new JsonArray { new JsonObject { ["type"] = "Hash", ["algorithm"] = "sha256", ["hashValue"] = d.Model.ArtifactSha256 } },
                ["ai_typeOfModel"] = new JsonArray { attestation?.Metadata.Architecture ?? "transformer" },
                ["ai_domain"] = new JsonArray(d.Usage.FieldsOfUse.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray()),
                ["ai_autonomyType"] = "noAssertion",
                ["ai_useSensitivePersonalInformation"] = d.Usage.DataClasses.Contains("personal", StringComparer.OrdinalIgnoreCase) ? "yes" : "noAssertion",
                ["ai_limitation"] = string.Join(" ", d.Assessment?.Findings.Where(f => f.Severity != Policies.Evaluation.Severity.Info).Select(f => $"[{f.Code}] {f.Message}") ?? []),
                ["ai_metric"] = Metrics(attestation),
                ["ai_hyperparameter"] = Hyperparameters(attestation),
            },
            LicenseExpression(declared, d.Model.LicenseId),
            LicenseExpression(concluded, concludedId),
            Relationship($"{ns}#rel-declared", package, "hasDeclaredLicense", declared),
            Relationship($"{ns}#rel-concluded", package, "hasConcludedLicense", concluded),
        };
        var elements = new List<string> { tool, supplier, package, declared, concluded, $"{ns}#rel-declared", $"{ns}#rel-concluded" };
        foreach (var (baseModel, i) in d.Model.BaseModels.Select((b, i) => (b, i)))
        {
            var ancestor = $"{ns}#base-{i}";
            graph.Add(new JsonObject
            {
                ["type"] = "ai_AIPackage", ["spdxId"] = ancestor, ["creationInfo"] = "_:creationinfo", ["name"] = baseModel,
                ["suppliedBy"] = supplier, ["releaseTime"] = "1970-01-01T00:00:00Z", ["software_downloadLocation"] = "NOASSERTION",
                ["software_packageVersion"] = "NOASSERTION", ["software_primaryPurpose"] = "model",
            });
            graph.Add(Relationship($"{ns}#rel-base-{i}", ancestor, "ancestorOf", package));
            elements.Add(ancestor);
            elements.Add($"{ns}#rel-base-{i}");
        }
        graph.Add(new JsonObject
        {
            ["type"] = "SpdxDocument", ["spdxId"] = ns, ["creationInfo"] = "_:creationinfo", ["name"] = $"Governance AI BOM: {d.Name}",
            ["profileConformance"] = new JsonArray { "core", "software", "ai", "simpleLicensing" },
            ["rootElement"] = new JsonArray { package },
            ["element"] = new JsonArray(elements.Select(e => (JsonNode)JsonValue.Create(e)!).ToArray()),
        });
        return new JsonObject { ["@context"] = Context, ["@graph"] = graph };
    }

    private static JsonObject LicenseExpression(string id, string licenseId) => new()
    {
        ["type"] = "simplelicensing_LicenseExpression", ["spdxId"] = id, ["creationInfo"] = "_:creationinfo",
        ["simplelicensing_licenseExpression"] = CycloneDx.SpdxIds.TryGetValue(licenseId, out var spdx) ? spdx : $"LicenseRef-{Sanitize(licenseId)}",
    };

    private static JsonObject Relationship(string id, string from, string type, string to) => new()
    {
        ["type"] = "Relationship", ["spdxId"] = id, ["creationInfo"] = "_:creationinfo", ["from"] = from, ["relationshipType"] = type,
        ["to"] = new JsonArray { to },
    };

    private static JsonArray Metrics(ModelFootprint? attestation) => attestation is null ? [] : new JsonArray(attestation.Throughput
        .Select(t => (JsonNode)Entry($"{t.Test}_tokens_per_second", t.MeanTokensPerSecond.ToString("0.###", CultureInfo.InvariantCulture)))
        .Append(Entry("device_memory_bytes", attestation.Footprint.DeviceBytes.Total.ToString(CultureInfo.InvariantCulture))).ToArray());

    private static JsonArray Hyperparameters(ModelFootprint? attestation) => attestation is null ? [] : new JsonArray(
        Entry("context_length", attestation.Footprint.ContextLength.ToString(CultureInfo.InvariantCulture)),
        Entry("file_type", attestation.Metadata.FileType ?? "unknown"),
        Entry("parameters", (attestation.Metadata.Parameters ?? 0).ToString(CultureInfo.InvariantCulture)));

    private static JsonObject Entry(string key, string value) => new() { ["type"] = "DictionaryEntry", ["key"] = key, ["value"] = value };

    private static string Sanitize(string id) => new(id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '-').ToArray());
}
