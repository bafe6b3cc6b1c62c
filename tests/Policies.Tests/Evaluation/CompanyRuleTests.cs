using Governance.Policies.Evaluation;

namespace Governance.Policies.Tests.Evaluation;

public sealed class CompanyRuleTests
{
    [Fact]
    public void personal_data_in_us_east_1_under_an_eu_only_rule_is_a_residency_violation()
    {
        var a = Scenario.For("apache-2.0").WithUsage(u => u with { Regions = ["eu-west-1", "us-east-1"] }).Evaluate();

        var finding = a.Single(FindingCodes.ResidencyViolation);
        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal("company#residency/personal", finding.ClauseId);
        Assert.Equal("us-east-1", finding.Facts["outside"]);
        Assert.Equal(Verdict.NonCompliant, a.Verdict);
    }

    [Fact]
    public void a_waiver_in_force_turns_a_blocking_finding_into_a_condition_and_lapses_on_its_expiry_date()
    {
        var s = Scenario.For("apache-2.0").WithUsage(u => u with { Regions = ["us-east-1"] }) with
        {
            Waivers = [new Waiver(FindingCodes.ResidencyViolation, Scenario.Today.AddDays(10), "SCCs signed", "Dana Legal")],
        };

        var waived = s.Evaluate();
        Assert.Equal(Verdict.Conditional, waived.Verdict);
        Assert.NotNull(waived.Single(FindingCodes.ResidencyViolation).Waiver);

        var lapsed = (s with { On = Scenario.Today.AddDays(10) }).Evaluate();
        Assert.Equal(Verdict.NonCompliant, lapsed.Verdict);
    }
}
