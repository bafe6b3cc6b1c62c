using Governance.Api.Events;
using Governance.Api.Infrastructure;
using Governance.Policies;

namespace Governance.Api.Features.Company;

// The company stream: one per installation (id CompanyState.StreamId). Its profile, monthly figures and rules feed every
// assessment. The class names are the stored type names: never rename one.

/// <summary>
/// The company's profile: name, domicile (principal place of business), whether it is a commercial entity (null before
/// 2026-12: a company, so yes), and the lines of business it or its affiliates conduct (null when not declared).
/// </summary>
public sealed record CompanyProfileSet(
    string Name, string Domicile, Actor By, DateTimeOffset At, bool? CommercialEntity = null, IReadOnlyList<BusinessActivity>? Businesses = null)
    : IRecordedEvent;

/// <summary>Company-wide monthly active users and revenue for a month; a month reported again corrects it.</summary>
public sealed record CompanyUsageReported(YearMonth Month, long MonthlyActiveUsers, decimal MonthlyRevenueUsd, Actor By, DateTimeOffset At) : IRecordedEvent;

/// <summary>Legal adopted the company's rules; they replace the previous ones as a whole.</summary>
public sealed record CompanyRulesAdopted(
    IReadOnlyList<StoredResidencyRule> Residency, IReadOnlyList<string> DeniedOrigins, bool AttestationRequired, Actor By, DateTimeOffset At)
    : IRecordedEvent;

public static class CompanyEvents
{
    public static readonly IReadOnlyList<Type> Types = [typeof(CompanyProfileSet), typeof(CompanyUsageReported), typeof(CompanyRulesAdopted)];
}

/// <summary>
/// The company as it stands: folded by <see cref="Evolve"/> (pure; Marten's convention for immutable self-aggregating
/// types), kept inline by Marten, decided on and served as is.
/// Until legal adopts rules, the defaults of policies/company-rules.yaml apply (<see cref="Rules"/> is null).
/// </summary>
public sealed record CompanyState : IVersioned
{
    /// <summary>The company's stream id. One company per Governance installation.</summary>
    public static readonly Guid StreamId = new("00000000-0000-0000-0000-00000000c0de");

    public Guid Id { get; init; } = StreamId;
    public long Version { get; init; }
    public string? Name { get; init; }
    public string? Domicile { get; init; }

    /// <summary>Whether the company is a commercial entity (the Mistral Research License bars any distribution by one).</summary>
    public bool CommercialEntity { get; init; } = true;

    /// <summary>Lines of business some licenses gate (model-as-a-service, AI work assistants); null when not declared.</summary>
    public IReadOnlyList<BusinessActivity>? Businesses { get; init; }

    /// <summary>Monthly figures, oldest first, one per month.</summary>
    public IReadOnlyList<MonthlyFigures> Usage { get; init; } = [];

    public CompanyRules? Rules { get; init; }
    public Actor? RulesAdoptedBy { get; init; }
    public DateTimeOffset? RulesAdoptedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }

    public CompanyFacts Facts() => new(Name ?? "", Domicile, Usage, CommercialEntity, Businesses);

    public CompanyState Evolve(object @event)
    {
        var s = this;
        return @event switch
        {
            CompanyProfileSet e => s with
            {
                Name = e.Name, Domicile = e.Domicile, CommercialEntity = e.CommercialEntity ?? true, Businesses = e.Businesses, UpdatedAt = e.At,
            },
            CompanyUsageReported e => s with
            {
                // A month reported again is a correction: the later figure replaces the earlier one.
                Usage = [.. s.Usage.Where(u => u.Month != e.Month).Append(new MonthlyFigures(e.Month, e.MonthlyActiveUsers, e.MonthlyRevenueUsd)).OrderBy(u => u.Month)],
                UpdatedAt = e.At,
            },
            CompanyRulesAdopted e => s with
            {
                Rules = new CompanyRules([.. e.Residency.Select(r => r.ToDomain())], e.DeniedOrigins, e.AttestationRequired),
                RulesAdoptedBy = e.By, RulesAdoptedAt = e.At, UpdatedAt = e.At,
            },
            _ => s,
        };
    }
}

public abstract record CompanyCommand
{
    /// <summary>How the re-assessment it causes is labelled on each deployment's assessment.</summary>
    public abstract string Trigger { get; }

    public sealed record SetProfile(string Name, string Domicile, bool CommercialEntity = true, IReadOnlyList<BusinessActivity>? Businesses = null)
        : CompanyCommand
    {
        public override string Trigger => "company-profile-set";
    }

    public sealed record ReportFigures(YearMonth Month, long MonthlyActiveUsers, decimal MonthlyRevenueUsd) : CompanyCommand
    {
        public override string Trigger => "company-usage-reported";
    }

    public sealed record AdoptRules(IReadOnlyList<ResidencyRule> Residency, IReadOnlyList<string> DeniedOrigins, bool AttestationRequired) : CompanyCommand
    {
        public override string Trigger => "company-rules-adopted";
    }
}

/// <summary>The company's rules of state. Every command is accepted as given: its shape was validated, and a later fact replaces an earlier one.</summary>
public static class CompanyDecider
{
    public static IReadOnlyList<object> Decide(CompanyCommand command, Actor by, DateTimeOffset at) => command switch
    {
        CompanyCommand.SetProfile c => [new CompanyProfileSet(c.Name, c.Domicile, by, at, c.CommercialEntity, c.Businesses?.Distinct().ToList())],
        CompanyCommand.ReportFigures c => [new CompanyUsageReported(c.Month, c.MonthlyActiveUsers, c.MonthlyRevenueUsd, by, at)],
        CompanyCommand.AdoptRules c => [new CompanyRulesAdopted([.. c.Residency.Select(StoredResidencyRule.From)], [.. c.DeniedOrigins.Distinct()], c.AttestationRequired, by, at)],
        _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "No rule decides this command."),
    };
}
