using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Governance.Policies.Catalog;

/// <summary>
/// Reads one license file. The YAML shape is documented in docs/policies.md; keys are camelCase,
/// enum values snake_case. Unknown keys are errors, because a misspelt key would silently drop a term.
/// </summary>
internal static class LicenseFile
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .Build();

    public static License? Read(CatalogSource source, List<CatalogError> errors)
    {
        LicenseDto? dto;
        try
        {
            dto = Yaml.Deserialize<LicenseDto>(source.Text);
        }
        catch (YamlException ex)
        {
            var inner = ex.InnerException?.Message is { } m ? $" ({m})" : "";
            errors.Add(new CatalogError(source.FileName, $"line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}{inner}"));
            return null;
        }
        if (dto is null)
        {
            errors.Add(new CatalogError(source.FileName, "the file is empty"));
            return null;
        }

        var problems = new Problems(source.FileName, errors);
        var before = errors.Count;
        var id = problems.Required(dto.Id, "id");
        var expectedId = Path.GetFileNameWithoutExtension(source.FileName);
        if (id is not null && id != expectedId)
            problems.Add($"id '{id}' does not match the file name (expected '{expectedId}')");
        var name = problems.Required(dto.Name, "name");
        var licensor = problems.Required(dto.Licensor, "licensor");
        var country = problems.Required(dto.Country, "country");
        if (country is not null && !Countries.IsCountry(country))
            problems.Add($"country '{country}' is not an ISO 3166-1 alpha-2 code");
        Uri? link = null;
        if (problems.Required(dto.Source, "source") is { } s && !Uri.TryCreate(s, UriKind.Absolute, out link))
            problems.Add($"source '{s}' is not an absolute URL");
        var confidence = problems.Enum<Confidence>(dto.Confidence, "confidence") ?? Confidence.Unverified;
        var commercial = problems.Enum<Commercial>(dto.Commercial, "commercial");
        var versionDate = problems.Date(dto.VersionDate, "versionDate");
        if (dto.Clauses is not { Count: > 0 }) problems.Add("'clauses' must list at least one clause");

        var clauses = new List<Clause>();
        foreach (var (c, index) in (dto.Clauses ?? []).Select((c, i) => (c, i)))
        {
            var at = $"clauses[{index}]";
            var clauseId = problems.Required(c.Id, at + ".id");
            if (clauseId is not null && id is not null && !clauseId.StartsWith(id + "#", StringComparison.Ordinal))
                problems.Add($"{at}.id '{clauseId}' must start with '{id}#'");
            var title = problems.Required(c.Title, at + ".title");
            var summary = problems.Required(c.Summary, at + ".summary");
            var clauseConfidence = c.Confidence is null ? confidence : problems.Enum<Confidence>(c.Confidence, at + ".confidence") ?? confidence;
            var rule = c.Rule is null ? problems.Missing<Rule>(at + ".rule") : RuleReader.Read(c.Rule, at + ".rule", problems);
            if (clauseId is not null && title is not null && summary is not null && rule is not null)
                clauses.Add(new Clause(clauseId, title, summary.Trim(), c.Source?.Trim(), clauseConfidence, rule));
        }

        CheckConsistency(commercial, clauses, problems);
        if (errors.Count > before) return null;
        return new License(id!, name!, licensor!, country!, link!, confidence, dto.GoverningLaw, clauses, versionDate);
    }

    /// <summary>The summary fields must agree with the clauses, or a reader of either is misled.</summary>
    private static void CheckConsistency(Commercial? commercial, List<Clause> clauses, Problems problems)
    {
        var useLimits = clauses.Where(c => c.Rule is UseLimitRule).ToList();
        if (commercial == Commercial.Prohibited && useLimits.Count == 0)
            problems.Add("commercial is 'prohibited' but no clause has a use_limit rule");
        if (commercial is Commercial.Permitted or Commercial.Conditional && useLimits.Count > 0)
            problems.Add($"commercial is '{Naming.Snake(commercial.Value)}' but clause '{useLimits[0].Id}' limits use to {Naming.Snake(((UseLimitRule)useLimits[0].Rule).Limit.ToString())}");
        var gates = clauses.Where(c => c.Rule is ThresholdRule { Consequence: not ThresholdConsequence.BrandingRequired }
            or GeographicRule or TerritoryRule or HostingRule or BusinessGateRule).ToList();
        if (commercial == Commercial.Conditional && gates.Count == 0)
            problems.Add("commercial is 'conditional' but no clause sets a threshold, hosting, geographic, territory or business condition");
        if (commercial == Commercial.Permitted && gates.Count > 0)
            problems.Add($"commercial is 'permitted' but clause '{gates[0].Id}' makes it conditional");
        if (useLimits.Select(c => ((UseLimitRule)c.Rule).Limit).Distinct().Count() > 1)
            problems.Add("clauses set different use limits; a license has one");
        var training = clauses.Select(c => c.Rule).OfType<OutputTrainingRule>().Select(r => r.Policy).Distinct().ToList();
        if (training.Count > 1)
            problems.Add($"output_training clauses contradict each other ({string.Join(" vs ", training.Select(t => Naming.Snake(t)))})");
    }
}

internal enum Commercial { Permitted, Conditional, Prohibited }

internal sealed class Problems(string file, List<CatalogError> errors)
{
    public void Add(string problem) => errors.Add(new CatalogError(file, problem));

    public string? Required(string? value, string field)
    {
        if (!string.IsNullOrWhiteSpace(value)) return value.Trim();
        Add($"'{field}' is required");
        return null;
    }

    public T? Missing<T>(string field) where T : class
    {
        Add($"'{field}' is required");
        return null;
    }

    /// <summary>An optional ISO date (YYYY-MM-DD); <c>null</c> when absent.</summary>
    public DateOnly? Date(string? value, string field)
    {
        if (value is null) return null;
        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var date))
            return date;
        Add($"'{field}' has '{value}', expected a date in the form YYYY-MM-DD");
        return null;
    }

    public TEnum? Enum<TEnum>(string? value, string field) where TEnum : struct, Enum
    {
        if (value is null)
        {
            Add($"'{field}' is required (one of {string.Join(", ", Naming.Names<TEnum>())})");
            return null;
        }
        if (Naming.TryParse<TEnum>(value, out var parsed)) return parsed;
        Add($"'{field}' has '{value}', expected one of {string.Join(", ", Naming.Names<TEnum>())}");
        return null;
    }

    public List<TEnum> Enums<TEnum>(List<string>? values, string field) where TEnum : struct, Enum =>
        (values ?? []).Select((v, i) => Enum<TEnum>(v, $"{field}[{i}]")).OfType<TEnum>().ToList();
}

internal sealed class LicenseDto
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? Licensor { get; set; }
    public string? Country { get; set; }
    public string? Source { get; set; }
    public string? Confidence { get; set; }
    public string? Commercial { get; set; }
    public string? GoverningLaw { get; set; }
    public string? VersionDate { get; set; }
    public List<ClauseDto>? Clauses { get; set; }
}

internal sealed class ClauseDto
{
    public string? Id { get; set; }
    public string? Title { get; set; }
    public string? Summary { get; set; }
    public string? Source { get; set; }
    public string? Confidence { get; set; }
    public RuleDto? Rule { get; set; }
}

internal sealed class RuleDto
{
    public string? Kind { get; set; }
    // threshold
    public List<ConditionDto>? Conditions { get; set; }
    public string? Timing { get; set; }
    public string? Consequence { get; set; }
    public string? BrandingText { get; set; }
    public bool CommercialOnly { get; set; }
    // business_gate
    public List<string>? Businesses { get; set; }
    public ConditionDto? Revenue { get; set; }
    // use_limit
    public string? Use { get; set; }
    // attribution, notice, passdown
    public string? Text { get; set; }
    public string? Placement { get; set; }
    public string? AppliesWhen { get; set; }
    public bool DerivativesOnly { get; set; }
    public string? What { get; set; }
    // derivative_naming, output_training
    public string? RequiredPrefix { get; set; }
    public string? Policy { get; set; }
    // hosting, territory, geographic, use_restriction
    public List<string>? Excluded { get; set; }
    public List<string>? ExcludedDomiciles { get; set; }
    public List<string>? Modalities { get; set; }
    public List<string>? ProhibitedFields { get; set; }
    public string? PolicyName { get; set; }
    // informational
    public string? Topic { get; set; }
}

internal sealed class ConditionDto
{
    public string? Metric { get; set; }
    public string? Scope { get; set; }
    public decimal? Limit { get; set; }
    public bool AtOrAbove { get; set; }
}
