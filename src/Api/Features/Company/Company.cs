using Governance.Policies;

namespace Governance.Api.Features.Company;

public sealed record CompanyProfileSet(string Name, string Domicile, Actor By, DateTimeOffset At) : IRecordedEvent;

public sealed record CompanyUsageReported(YearMonth Month, long MonthlyActiveUsers, decimal MonthlyRevenueUsd, Actor By, DateTimeOffset At) : IRecordedEvent;

public sealed record CompanyRulesAdopted(
    IReadOnlyList<ResidencyRule> Residency, IReadOnlyList<string> DeniedOrigins, bool AttestationRequired, Actor By, DateTimeOffset At) : IRecordedEvent;

/// <summary>
/// The company: one stream per installation. Its profile, monthly figures and rules feed every assessment.
/// Until legal adopts rules, the defaults in policies/company-rules.yaml apply (<see cref="RulesAdoptedAt"/> is null).
/// </summary>
public sealed class CompanyView
{
    /// <summary>The company's stream id. One company per Governance installation.</summary>
    public static readonly Guid StreamId = new("00000000-0000-0000-0000-00000000c0de");

    public Guid Id { get; set; } = StreamId;
    public long Version { get; set; }
    public string? Name { get; set; }
    public string? Domicile { get; set; }
    public List<MonthlyFigures> Usage { get; set; } = [];
    public CompanyRules? Rules { get; set; }
    public Actor? RulesAdoptedBy { get; set; }
    public DateTimeOffset? RulesAdoptedAt { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }

    public void Apply(CompanyProfileSet e)
    {
        (Name, Domicile, UpdatedAt) = (e.Name, e.Domicile, e.At);
    }

    public void Apply(CompanyUsageReported e)
    {
        // A month reported again is a correction: the later figure replaces the earlier one.
        Usage.RemoveAll(u => u.Month == e.Month);
        Usage.Add(new MonthlyFigures(e.Month, e.MonthlyActiveUsers, e.MonthlyRevenueUsd));
        Usage.Sort((a, b) => a.Month.CompareTo(b.Month));
        UpdatedAt = e.At;
    }

    public void Apply(CompanyRulesAdopted e)
    {
        Rules = new CompanyRules(e.Residency, e.DeniedOrigins, e.AttestationRequired);
        (RulesAdoptedBy, RulesAdoptedAt, UpdatedAt) = (e.By, e.At, e.At);
    }

    public CompanyFacts Facts() => new(Name ?? "", Domicile, Usage);
}
