using Governance.Policies.Evaluation;

namespace Governance.Policies.Tests.Evaluation;

public sealed class LlamaTests
{
    [Fact]
    public void llama_3_1_in_a_commercial_product_without_attribution_is_conditional()
    {
        var a = Scenario.For("llama3.1").WithUsage(u => u with { DisplaysAttribution = false }).Evaluate();

        var finding = a.Single(FindingCodes.AttributionRequired);
        Assert.Equal(Severity.Obligation, finding.Severity);
        Assert.Equal("llama3.1#1b-i-attribution", finding.ClauseId);
        Assert.Contains("Built with Llama", finding.Message);
        Assert.Equal(Verdict.Conditional, a.Verdict);
    }

    [Fact]
    public void the_700M_test_uses_company_usage_in_the_month_before_release_not_today()
    {
        // Huge today, small in June 2024: Llama 3.1 (released 2024-07-23) is licensed.
        var company = new CompanyFacts("Acme", "DE",
        [
            new(new YearMonth(2024, 6), 650_000_000, 0m),
            new(new YearMonth(2026, 10), 900_000_000, 0m),
        ]);
        var a = Scenario.For("llama3.1") with { Company = company };

        var result = a.Evaluate();

        Assert.DoesNotContain(result.Findings, f => f.Code == FindingCodes.MauThresholdExceeded);
        var within = result.Single(FindingCodes.ThresholdWithinLimit);
        Assert.Contains("2024-06", within.Facts["measured"]);

        // Small today, huge in June 2024: blocked, even though today's figure is below the limit.
        var blocked = (a with { Company = new CompanyFacts("Acme", "DE",
        [
            new(new YearMonth(2024, 6), 750_000_000, 0m),
            new(new YearMonth(2026, 10), 10_000_000, 0m),
        ]) }).Evaluate();
        var exceeded = blocked.Single(FindingCodes.MauThresholdExceeded);
        Assert.Equal(Severity.Blocking, exceeded.Severity);
        Assert.Equal("750,000,000", exceeded.Facts["measured"]);
        Assert.Equal("llama3.1#2-additional-commercial-terms", exceeded.ClauseId);
        Assert.Equal(Verdict.NonCompliant, blocked.Verdict);
    }

    [Fact]
    public void a_missing_snapshot_month_is_an_open_obligation_not_a_pass()
    {
        var a = (Scenario.For("llama3.1") with { Company = new CompanyFacts("Acme", "DE", []) }).Evaluate();

        var missing = a.Single(FindingCodes.ThresholdFactsMissing);
        Assert.Equal(Severity.Obligation, missing.Severity);
        Assert.Contains("2024-06", missing.Message);
    }
}
