using Governance.Policies.Evaluation;

namespace Governance.Policies.Tests.Evaluation;

/// <summary>
/// Tencent Hunyuan: "THIS LICENSE AGREEMENT DOES NOT APPLY IN THE EUROPEAN UNION, UNITED KINGDOM AND SOUTH KOREA", and
/// §5(c) bars use and display of the works or their outputs outside the Territory: where the model runs and where its
/// users are decide, not only the licensee's domicile.
/// </summary>
public sealed class TerritoryTests
{
    private static Scenario HunyuanA13B(string domicile = "US", string region = "us-east-1", params string[] users) =>
        new Scenario().Registered("tencent/Hunyuan-A13B-Instruct").WithDomicile(domicile)
            .WithUsage(u => u with { Regions = [region], UserCountries = users.Length == 0 ? ["US"] : users });

    private static Finding Territory(Scenario s) => Assert.Single(s.Evaluate().Findings, f => f.ClauseId == "tencent-hunyuan-community#territory");

    [Fact]
    public void a_us_company_running_in_us_east_1_for_us_users_is_inside_the_territory()
    {
        Assert.DoesNotContain(HunyuanA13B().Evaluate().Findings, f => f.ClauseId == "tencent-hunyuan-community#territory");
    }

    [Theory]
    [InlineData("eu-west-1", "IE")]
    [InlineData("eu-west-2", "GB")]
    [InlineData("ap-northeast-2", "KR")]
    public void running_the_model_in_an_excluded_region_is_unlicensed(string region, string country)
    {
        var finding = Territory(HunyuanA13B(region: region));

        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Contains($"region {region} ({country})", finding.Message);
    }

    [Theory]
    [InlineData("DE")]
    [InlineData("GB")]
    [InlineData("KR")]
    public void displaying_outputs_to_users_in_an_excluded_country_is_unlicensed(string users)
    {
        var finding = Territory(HunyuanA13B(users: ["US", users]));

        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Contains($"users in {users}", finding.Message);
    }

    [Theory]
    [InlineData("CH")]
    [InlineData("NO")]
    [InlineData("JP")]
    public void users_in_switzerland_norway_or_japan_are_inside_the_territory(string users)
    {
        Assert.DoesNotContain(HunyuanA13B(users: [users]).Evaluate().Findings, f => f.ClauseId == "tencent-hunyuan-community#territory");
    }

    [Fact]
    public void a_region_whose_country_is_not_known_leaves_the_territory_open()
    {
        var finding = Territory(HunyuanA13B(region: "westeurope"));

        Assert.Equal(Severity.Obligation, finding.Severity);
        Assert.Contains("the country of region westeurope", finding.Message);
    }

    [Fact]
    public void a_service_whose_users_countries_are_not_declared_leaves_the_territory_open()
    {
        var s = HunyuanA13B().WithUsage(u => u with { UserCountries = null });

        Assert.Equal(Severity.Obligation, Territory(s).Severity);
        Assert.Equal("not declared", Territory(s).Facts["userCountries"]);
    }

    [Fact]
    public void in_house_use_by_a_company_based_in_the_eu_is_use_in_the_eu()
    {
        var inHouse = HunyuanA13B(domicile: "FR").WithUsage(u => u with { Hosting = Hosting.Internal, UserCountries = null });

        var finding = Territory(inHouse);

        Assert.Equal(Severity.Blocking, finding.Severity);
        Assert.Contains("in-house use by a company domiciled in FR", finding.Message);
    }

    [Fact]
    public void a_service_run_in_the_us_for_us_users_by_a_company_based_in_the_eu_stays_open_for_legal()
    {
        var finding = Territory(HunyuanA13B(domicile: "DE"));

        Assert.Equal(Severity.Obligation, finding.Severity);
        Assert.Contains("staff of a company domiciled in DE", finding.Message);
    }
}
