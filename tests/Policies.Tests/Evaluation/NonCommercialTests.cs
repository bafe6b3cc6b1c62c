using Governance.Policies.Evaluation;

namespace Governance.Policies.Tests.Evaluation;

public sealed class NonCommercialTests
{
    [Fact]
    public void command_r_plus_in_a_commercial_product_is_non_commercial_license()
    {
        var a = Scenario.For("cc-by-nc-4.0").WithModel(m => m with { Name = "c4ai-command-r-plus", Origin = "CA" }).Evaluate();

        var finding = a.Single(FindingCodes.NonCommercialLicense);
        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Equal("cc-by-nc-4.0#2a1-non-commercial", finding.ClauseId);
        Assert.Equal(Verdict.NonCompliant, a.Verdict);
    }
}
