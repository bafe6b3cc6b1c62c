using Governance.Api.Features.Company;
using Governance.Policies;

namespace Governance.Api.Tests.Features.Company;

/// <summary>The company stream's rules: every command is a fact that replaces what it restates.</summary>
public sealed class CompanyDeciderTests
{
    private static readonly Actor Admin = new("admin:ada", "Ada Admin", Role.Admin);
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private static CompanyState Given(params CompanyCommand[] commands) =>
        commands.SelectMany(c => CompanyDecider.Decide(c, Admin, Now)).Aggregate(new CompanyState(), (s, e) => s.Evolve(e));

    [Fact]
    public void setting_the_profile_records_name_and_domicile()
    {
        var e = Assert.IsType<CompanyProfileSet>(Assert.Single(CompanyDecider.Decide(new CompanyCommand.SetProfile("Acme GmbH", "DE"), Admin, Now)));
        Assert.Equal(("Acme GmbH", "DE", Admin, Now), (e.Name, e.Domicile, e.By, e.At));
        Assert.Equal("DE", Given(new CompanyCommand.SetProfile("Acme", "FR"), new CompanyCommand.SetProfile("Acme GmbH", "DE")).Domicile);
    }

    [Fact]
    public void a_month_reported_again_corrects_it_and_months_stay_in_order()
    {
        var company = Given(
            new CompanyCommand.ReportFigures(new YearMonth(2026, 10), 100, 1m),
            new CompanyCommand.ReportFigures(new YearMonth(2024, 6), 700_000_001, 2m),
            new CompanyCommand.ReportFigures(new YearMonth(2026, 10), 200, 3m));

        Assert.Equal([new YearMonth(2024, 6), new YearMonth(2026, 10)], company.Usage.Select(u => u.Month));
        Assert.Equal(200, company.Usage[1].MonthlyActiveUsers);
    }

    [Fact]
    public void adopted_rules_replace_the_previous_ones_and_name_who_adopted_them()
    {
        var company = Given(
            new CompanyCommand.AdoptRules([new ResidencyRule("personal", ["eu-*"])], ["CN"], false),
            new CompanyCommand.AdoptRules([], ["CN", "CN", "RU"], true));

        Assert.Equal((0, true), (company.Rules!.Residency.Count, company.Rules.AttestationRequired));
        Assert.Equal(["CN", "RU"], company.Rules.DeniedOrigins);
        Assert.Equal(Admin, company.RulesAdoptedBy);
    }

    [Fact]
    public void each_command_names_the_trigger_of_the_re_assessment_it_causes() =>
        Assert.Equal(["company-profile-set", "company-usage-reported", "company-rules-adopted"],
            new CompanyCommand[] { new CompanyCommand.SetProfile("a", "DE"), new CompanyCommand.ReportFigures(new YearMonth(2026, 1), 1, 1), new CompanyCommand.AdoptRules([], [], false) }
                .Select(c => c.Trigger));
}
