using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Governance.Policies.Catalog;

/// <summary>
/// Reads one model family file. Family-level keys (developer, origin, license, modality, architecture, source,
/// confidence) are defaults each model may override. The shape is documented in docs/policies.md; unknown keys are
/// errors, as in license files.
/// </summary>
internal static partial class ModelFile
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .Build();

    public static IReadOnlyList<CatalogModel> Read(CatalogSource source, LicenseCatalog licenses, List<CatalogError> errors)
    {
        FamilyDto? dto;
        try
        {
            dto = Yaml.Deserialize<FamilyDto>(source.Text);
        }
        catch (YamlException ex)
        {
            var inner = ex.InnerException?.Message is { } m ? $" ({m})" : "";
            errors.Add(new CatalogError(source.FileName, $"line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}{inner}"));
            return [];
        }
        if (dto is null)
        {
            errors.Add(new CatalogError(source.FileName, "the file is empty"));
            return [];
        }

        var problems = new Problems(source.FileName, errors);
        var before = errors.Count;
        var family = problems.Required(dto.Family, "family");
        if (dto.Models is not { Count: > 0 }) problems.Add("'models' must list at least one model");

        var models = new List<CatalogModel>();
        foreach (var (m, index) in (dto.Models ?? []).Select((m, i) => (m, i)))
        {
            var at = $"models[{index}]";
            var repo = problems.Required(m.Repo, at + ".repo");
            if (repo is not null && !RepoId().IsMatch(repo))
                problems.Add($"{at}.repo '{repo}' is not a repository id such as 'meta-llama/Llama-3.1-8B-Instruct'");
            var developer = problems.Required(m.Developer ?? dto.Developer, at + ".developer");
            var origin = problems.Required(m.Origin ?? dto.Origin, at + ".origin");
            if (origin is not null && !Countries.IsCountry(origin))
                problems.Add($"{at}.origin '{origin}' is not an ISO 3166-1 alpha-2 code");
            var license = problems.Required(m.License ?? dto.License, at + ".license");
            var additional = m.AdditionalLicenses ?? dto.AdditionalLicenses ?? [];
            foreach (var id in additional.Prepend(license).OfType<string>().Where(id => licenses.Find(id) is null))
                problems.Add($"{at} ({repo}) names license '{id}', which the license catalog does not hold");
            var released = problems.Date(m.ReleaseDate, at + ".releaseDate");
            if (m.ReleaseDate is null) problems.Add($"'{at}.releaseDate' is required");
            var modality = problems.Enum<Modality>(m.Modality ?? dto.Modality, at + ".modality");
            // Some publishers do not disclose a size: leave it out rather than estimate it.
            if (m.Parameters is <= 0) problems.Add($"'{at}.parameters' must be a positive number of billions");
            if (m.ActiveParameters is <= 0 || (m.ActiveParameters is not null && m.Parameters is not null && m.ActiveParameters > m.Parameters))
                problems.Add($"'{at}.activeParameters' must be positive and no more than 'parameters'");
            var architecture = problems.Required(m.Architecture ?? dto.Architecture, at + ".architecture");
            Uri? link = null;
            if (problems.Required(m.Source ?? dto.Source, at + ".source") is { } s && !Uri.TryCreate(s, UriKind.Absolute, out link))
                problems.Add($"{at}.source '{s}' is not an absolute URL");
            var confidenceText = m.Confidence ?? dto.Confidence;
            var confidence = confidenceText is null ? Confidence.Verified : problems.Enum<Confidence>(confidenceText, at + ".confidence");

            if (repo is null || developer is null || origin is null || license is null || released is null || modality is null
                || architecture is null || link is null || confidence is null || m.Parameters is <= 0)
                continue;
            models.Add(new CatalogModel(repo, family ?? "", developer, license, additional, released.Value, origin, modality.Value,
                m.Parameters, m.ActiveParameters, architecture, m.BaseModels ?? [], m.Aliases ?? [], link, confidence.Value,
                m.Notes?.Trim()));
        }
        return errors.Count > before ? [] : models;
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    private static partial Regex RepoId();

    private sealed class FamilyDto
    {
        public string? Family { get; set; }
        public string? Developer { get; set; }
        public string? Origin { get; set; }
        public string? License { get; set; }
        public List<string>? AdditionalLicenses { get; set; }
        public string? Modality { get; set; }
        public string? Architecture { get; set; }
        public string? Source { get; set; }
        public string? Confidence { get; set; }
        public List<ModelDto>? Models { get; set; }
    }

    private sealed class ModelDto
    {
        public string? Repo { get; set; }
        public List<string>? Aliases { get; set; }
        public string? Developer { get; set; }
        public string? Origin { get; set; }
        public string? License { get; set; }
        public List<string>? AdditionalLicenses { get; set; }
        public string? ReleaseDate { get; set; }
        public string? Modality { get; set; }
        public decimal? Parameters { get; set; }
        public decimal? ActiveParameters { get; set; }
        public string? Architecture { get; set; }
        public List<string>? BaseModels { get; set; }
        public string? Source { get; set; }
        public string? Confidence { get; set; }
        public string? Notes { get; set; }
    }
}
