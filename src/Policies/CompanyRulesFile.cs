using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Governance.Policies;

/// <summary>Reads the default company rules (policies/company-rules.yaml).</summary>
public static class CompanyRulesFile
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .Build();

    public static CompanyRules Parse(string fileName, string text)
    {
        Dto? dto;
        try
        {
            dto = Yaml.Deserialize<Dto>(text);
        }
        catch (YamlException ex)
        {
            throw new FormatException($"{fileName}: line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}", ex);
        }
        if (dto is null) return CompanyRules.None;
        var problems = new List<string>();
        foreach (var (r, i) in (dto.Residency ?? []).Select((r, i) => (r, i)))
        {
            if (string.IsNullOrWhiteSpace(r.DataClass)) problems.Add($"residency[{i}].dataClass is required");
            if (r.AllowedRegions is not { Count: > 0 }) problems.Add($"residency[{i}].allowedRegions must list at least one region pattern");
        }
        foreach (var origin in (dto.DeniedOrigins ?? []).Where(o => !Countries.IsCountry(o)))
            problems.Add($"deniedOrigins has '{origin}', which is not an ISO 3166-1 alpha-2 code");
        if (problems.Count > 0) throw new FormatException($"{fileName}: {string.Join("; ", problems)}");
        return new CompanyRules(
            (dto.Residency ?? []).Select(r => new ResidencyRule(r.DataClass!, r.AllowedRegions!)).ToList(),
            dto.DeniedOrigins ?? [],
            dto.AttestationRequired);
    }

    private sealed class Dto
    {
        public List<ResidencyDto>? Residency { get; set; }
        public List<string>? DeniedOrigins { get; set; }
        public bool AttestationRequired { get; set; }
    }

    private sealed class ResidencyDto
    {
        public string? DataClass { get; set; }
        public List<string>? AllowedRegions { get; set; }
        public string? Source { get; set; }
    }
}
