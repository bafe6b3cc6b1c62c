using Governance.Attestations;
using System.Globalization;
using System.Text.Json.Nodes;
using Governance.Policies.Catalog;
using Governance.Policies.Evaluation;

namespace Governance.Api.Features.Deployments.Bom;

/// <summary>
/// A CycloneDX 1.6 BOM for one deployment: a <c>machine-learning-model</c> component with its hash, licenses
/// (declared, and concluded from the file when a scan says otherwise), pedigree for base models, a model card whose
/// performance metrics come from the attestation, and Governance's verdict as properties. Deterministic: the same
/// deployment version gives the same document.
/// </summary>
public static class CycloneDx
{
    public const string MediaType = "application/vnd.cyclonedx+json";

    /// <summary>Catalog ids that are SPDX license ids; the others are named with a link to their text.</summary>
    internal static readonly IReadOnlyDictionary<string, string> SpdxIds = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["apache-2.0"] = "Apache-2.0", ["mit"] = "MIT", ["cc-by-nc-4.0"] = "CC-BY-NC-4.0",
    }.AsReadOnly();

    public static JsonObject Build(DeploymentView d, License? license, string governanceVersion)
    {
        var modelRef = $"model-{d.Id}";
        var attestation = d.Attestation is { Withdrawn: false } a ? a.Predicate : null;

        var licenses = new JsonArray { LicenseEntry(d.Model.LicenseId, license, "declared") };
        if (attestation is not null && DeploymentState.Claims(attestation).License is { Length: > 0 } fileLicense
            && !string.Equals(fileLicense, d.Model.LicenseId, StringComparison.OrdinalIgnoreCase))
            licenses.Add(LicenseEntry(fileLicense, null, "concluded"));

        var component = new JsonObject
        {
            ["type"] = "machine-learning-model",
            ["bom-ref"] = modelRef,
            ["name"] = d.Model.Name,
            ["hashes"] = new JsonArray { new JsonObject { ["alg"] = "SHA-256", ["content"] = d.Model.ArtifactSha256 } },
            ["licenses"] = licenses,
            ["modelCard"] = ModelCard(d, attestation),
            ["properties"] = Properties(d),
        };
        if (attestation?.Metadata.Organization is { Length: > 0 } organization)
            component["manufacturer"] = new JsonObject { ["name"] = organization };
        if (d.Model.BaseModels.Count > 0)
            component["pedigree"] = new JsonObject
            {
                ["ancestors"] = new JsonArray(d.Model.BaseModels.Select(b => (JsonNode)new JsonObject
                {
                    ["type"] = "machine-learning-model", ["name"] = b,
                }).ToArray()),
            };

        return new JsonObject
        {
            ["bomFormat"] = "CycloneDX",
            ["specVersion"] = "1.6",
            ["serialNumber"] = $"urn:uuid:{DeterministicUuid($"{d.Id}/{d.Version}")}",
            ["version"] = 1,
            ["metadata"] = new JsonObject
            {
                ["timestamp"] = d.UpdatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                ["tools"] = new JsonObject
                {
                    ["components"] = new JsonArray { new JsonObject { ["type"] = "application", ["name"] = "Governance", ["version"] = governanceVersion } },
                },
                ["component"] = new JsonObject
                {
                    ["type"] = "application", ["bom-ref"] = $"deployment-{d.Id}", ["name"] = d.Name,
                    ["version"] = d.Version.ToString(CultureInfo.InvariantCulture),
                },
            },
            ["components"] = new JsonArray { component },
            ["dependencies"] = new JsonArray
            {
                new JsonObject { ["ref"] = $"deployment-{d.Id}", ["dependsOn"] = new JsonArray { modelRef } },
                new JsonObject { ["ref"] = modelRef },
            },
        };
    }

    private static JsonObject LicenseEntry(string id, License? license, string acknowledgement)
    {
        var entry = SpdxIds.TryGetValue(id, out var spdx)
            ? new JsonObject { ["id"] = spdx }
            : new JsonObject { ["name"] = license?.Name ?? id };
        if (license is not null) entry["url"] = license.Source.ToString();
        entry["acknowledgement"] = acknowledgement;
        return new JsonObject { ["license"] = entry };
    }

    private static JsonObject ModelCard(DeploymentView d, ModelFootprint? attestation)
    {
        var card = new JsonObject
        {
            ["modelParameters"] = new JsonObject
            {
                ["task"] = "text-generation",
                ["architectureFamily"] = attestation?.Metadata.Architecture ?? "unknown",
                ["modelArchitecture"] = attestation?.Metadata.Name ?? d.Model.Name,
            },
            ["considerations"] = new JsonObject
            {
                ["useCases"] = new JsonArray(d.Usage.FieldsOfUse.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray()),
                ["technicalLimitations"] = new JsonArray(d.Assessment?.Findings.Where(f => f.Severity != Severity.Info)
                    .Select(f => (JsonNode)JsonValue.Create($"{f.Code} ({Policies.Naming.Snake(f.Severity)}, {f.ClauseId}): {f.Message}")!).ToArray() ?? []),
            },
        };
        if (attestation is not null)
        {
            var metrics = new JsonArray();
            foreach (var t in attestation.Throughput)
                metrics.Add(new JsonObject
                {
                    ["type"] = "throughput-tokens-per-second",
                    ["value"] = Number(t.MeanTokensPerSecond),
                    ["slice"] = t.Test,
                    ["confidenceInterval"] = new JsonObject
                    {
                        ["lowerBound"] = Number(t.MeanTokensPerSecond - t.StddevTokensPerSecond),
                        ["upperBound"] = Number(t.MeanTokensPerSecond + t.StddevTokensPerSecond),
                    },
                });
            metrics.Add(new JsonObject { ["type"] = "device-memory-bytes", ["value"] = Number(attestation.Footprint.DeviceBytes.Total), ["slice"] = $"ctx{attestation.Footprint.ContextLength}" });
            if (attestation.LoadSeconds is { } load) metrics.Add(new JsonObject { ["type"] = "load-seconds", ["value"] = Number(load) });
            if (attestation.TimeToFirstTokenSeconds is { } ttft) metrics.Add(new JsonObject { ["type"] = "time-to-first-token-seconds", ["value"] = Number(ttft) });
            card["quantitativeAnalysis"] = new JsonObject { ["performanceMetrics"] = metrics };
        }
        return card;
    }

    private static JsonArray Properties(DeploymentView d)
    {
        var properties = new JsonArray
        {
            Property("governance:deploymentId", d.Id.ToString()),
            Property("governance:status", Policies.Naming.Snake(d.Status)),
        };
        if (d.Assessment is { } a)
        {
            properties.Add(Property("governance:verdict", Policies.Naming.Snake(a.Verdict)));
            properties.Add(Property("governance:catalogVersion", a.CatalogVersion));
            foreach (var f in a.Findings)
                properties.Add(Property("governance:finding", $"{f.Code} {Policies.Naming.Snake(f.Severity)} {f.ClauseId}"));
        }
        if (d.Attestation is { Withdrawn: false } att)
            properties.Add(Property("governance:attestation", $"sha256:{att.EnvelopeSha256} signed by {att.KeyId}"));
        return properties;
    }

    private static JsonObject Property(string name, string value) => new() { ["name"] = name, ["value"] = value };

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>A name-based UUID (version 5 layout over SHA-256's first 16 bytes) so a BOM's serial number is reproducible.</summary>
    public static Guid DeterministicUuid(string name)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("governance-bom:" + name));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
