using Governance.Policies.Catalog;
using Governance.Policies.Evaluation;

namespace Governance.Policies.Tests.Evaluation;

/// <summary>
/// Every clause of every catalogued license, tested through its own rule data: the notice text it names, the fields its
/// policy prohibits, the prefix its naming rule asks for. Gating clauses (thresholds, use limits, geographic, territory,
/// business and hosting terms) have hand-written cases at their boundaries in <see cref="GateBoundaryTests"/>, whose
/// coverage test keeps that table in step with the catalog.
/// </summary>
public sealed class ClauseKindTests
{
    private static TheoryData<string> ClausesOf<TRule>() where TRule : Rule =>
        new(TestCatalog.Instance.Licenses.SelectMany(l => l.Clauses).Where(c => c.Rule is TRule).Select(c => c.Id));

    private static (License License, Clause Clause) Find(string clauseId)
    {
        var license = TestCatalog.Get(clauseId[..clauseId.IndexOf('#')]);
        return (license, license.FindClause(clauseId)!);
    }

    /// <summary>A deployment under the license that triggers nothing gating: non-commercial research, in-house, in the US.</summary>
    private static Scenario Quiet(License license) => new Scenario { License = license }
        .WithModel(m => m with { LicenseId = license.Id })
        .WithDomicile("US")
        .WithUsage(u => u with { Commercial = false, Purpose = Purpose.Research, Hosting = Hosting.Internal, Regions = ["us-east-1"], DisplaysAttribution = false });

    private static Scenario Reaching(Scenario s, Trigger trigger) =>
        s.WithUsage(u => u with { Hosting = trigger == Trigger.Redistribution ? Hosting.Redistributed : Hosting.Saas });

    public static TheoryData<string> Notices => ClausesOf<NoticeRule>();
    public static TheoryData<string> Passdowns => ClausesOf<PassdownRule>();
    public static TheoryData<string> Attributions => ClausesOf<AttributionRule>();
    public static TheoryData<string> UseRestrictions => ClausesOf<UseRestrictionRule>();
    public static TheoryData<string> OutputTrainings => ClausesOf<OutputTrainingRule>();
    public static TheoryData<string> DerivativeNamings => ClausesOf<DerivativeNamingRule>();
    public static TheoryData<string> Informationals => ClausesOf<InformationalRule>();

    [Theory]
    [MemberData(nameof(Notices))]
    public void a_notice_is_owed_with_its_own_text_when_copies_go_out_and_not_while_the_model_stays_in_house(string clauseId)
    {
        var (license, clause) = Find(clauseId);
        var rule = (NoticeRule)clause.Rule;

        var owed = Reaching(Quiet(license), rule.AppliesWhen).Evaluate();
        var inHouse = Quiet(license).Evaluate();

        var finding = Assert.Single(owed.Findings, f => f.ClauseId == clauseId);
        Assert.Equal((FindingCodes.NoticeRequired, Severity.Obligation, rule.Text), (finding.Code, finding.Severity, finding.Facts["text"]));
        Assert.DoesNotContain(inHouse.Findings, f => f.ClauseId == clauseId);
        if (rule.AppliesWhen == Trigger.Redistribution)
            Assert.DoesNotContain(Reaching(Quiet(license), Trigger.Distribution).Evaluate().Findings, f => f.ClauseId == clauseId);
    }

    [Theory]
    [MemberData(nameof(Passdowns))]
    public void restrictions_are_passed_on_to_whoever_the_model_reaches(string clauseId)
    {
        var (license, clause) = Find(clauseId);
        var rule = (PassdownRule)clause.Rule;

        var reached = Reaching(Quiet(license), rule.AppliesWhen).Evaluate();

        var finding = Assert.Single(reached.Findings, f => f.ClauseId == clauseId);
        Assert.Equal((FindingCodes.UseRestrictionsPassdown, Severity.Obligation), (finding.Code, finding.Severity));
        Assert.StartsWith(rule.What, finding.Message);
        Assert.DoesNotContain(Quiet(license).Evaluate().Findings, f => f.ClauseId == clauseId);
    }

    [Theory]
    [MemberData(nameof(Attributions))]
    public void attribution_is_owed_in_the_licenses_words_and_is_information_once_displayed(string clauseId)
    {
        var (license, clause) = Find(clauseId);
        var rule = (AttributionRule)clause.Rule;
        var reaching = Reaching(Quiet(license), rule.AppliesWhen).WithModel(m => m with { IsDerivative = true, DistributedName = "Llama-Acme-8B" });

        var owed = reaching.Evaluate();
        var displayed = reaching.WithUsage(u => u with { DisplaysAttribution = true }).Evaluate();

        var finding = Assert.Single(owed.Findings, f => f.ClauseId == clauseId);
        Assert.Equal((FindingCodes.AttributionRequired, Severity.Obligation, rule.Text), (finding.Code, finding.Severity, finding.Facts["text"]));
        Assert.Equal(Severity.Info, Assert.Single(displayed.Findings, f => f.ClauseId == clauseId).Severity);
        Assert.DoesNotContain(Quiet(license).Evaluate().Findings, f => f.ClauseId == clauseId);
        if (rule.DerivativesOnly)
            Assert.DoesNotContain(reaching.WithModel(m => m with { IsDerivative = false }).Evaluate().Findings, f => f.ClauseId == clauseId);
    }

    [Theory]
    [MemberData(nameof(UseRestrictions))]
    public void every_field_a_policy_prohibits_blocks_and_a_field_it_does_not_name_passes(string clauseId)
    {
        var (license, clause) = Find(clauseId);
        var rule = (UseRestrictionRule)clause.Rule;

        foreach (var field in rule.ProhibitedFields)
        {
            var finding = Assert.Single(Quiet(license).WithUsage(u => u with { FieldsOfUse = ["customer-support", field] }).Evaluate().Findings,
                f => f.ClauseId == clauseId);
            Assert.Equal((FindingCodes.UseRestriction, Severity.Blocking, field), (finding.Code, finding.Severity, finding.Facts["prohibited"]));
        }
        Assert.DoesNotContain(Quiet(license).WithUsage(u => u with { FieldsOfUse = ["customer-support", "translation"] }).Evaluate().Findings,
            f => f.ClauseId == clauseId);
    }

    [Theory]
    [MemberData(nameof(OutputTrainings))]
    public void training_other_models_on_outputs_gets_the_licenses_answer(string clauseId)
    {
        var (license, clause) = Find(clauseId);
        var rule = (OutputTrainingRule)clause.Rule;
        var (code, severity) = rule.Policy switch
        {
            OutputTraining.Prohibited => (FindingCodes.OutputTrainingProhibited, Severity.Blocking),
            OutputTraining.AllowedWithNaming => (FindingCodes.DerivativeNaming, Severity.Obligation),
            _ => (FindingCodes.UseRestrictionsPassdown, Severity.Obligation),
        };

        var training = Quiet(license).WithUsage(u => u with { TrainsOtherModels = true }).Evaluate();

        var finding = Assert.Single(training.Findings, f => f.ClauseId == clauseId);
        Assert.Equal((code, severity), (finding.Code, finding.Severity));
        Assert.DoesNotContain(Quiet(license).Evaluate().Findings, f => f.ClauseId == clauseId);
    }

    [Theory]
    [MemberData(nameof(DerivativeNamings))]
    public void a_distributed_derivative_must_begin_with_the_prefix_as_a_hub_name_writes_it(string clauseId)
    {
        var (license, clause) = Find(clauseId);
        var prefix = ((DerivativeNamingRule)clause.Rule).RequiredPrefix;
        var hubName = string.Join('-', ModelNames.Words(prefix).Select(w => char.ToUpperInvariant(w[0]) + w[1..])) + "-Acme-8B";
        Scenario Named(string name) => Reaching(Quiet(license), Trigger.Redistribution).WithModel(m => m with { IsDerivative = true, DistributedName = name });

        var right = Assert.Single(Named(hubName).Evaluate().Findings, f => f.ClauseId == clauseId);
        var wrong = Assert.Single(Named("Acme-8B").Evaluate().Findings, f => f.ClauseId == clauseId);

        Assert.Equal(Severity.Info, right.Severity);
        Assert.Equal(Severity.Blocking, wrong.Severity);
        Assert.DoesNotContain(Reaching(Quiet(license), Trigger.Redistribution).Evaluate().Findings, f => f.ClauseId == clauseId);
    }

    [Theory]
    [MemberData(nameof(Informationals))]
    public void an_informational_clause_never_produces_a_finding(string clauseId)
    {
        var (license, _) = Find(clauseId);
        // Everything switched on: commercial, redistributed, training, derivative, restricted fields, large figures.
        var everything = new Scenario { License = license }.WithModel(m => m with { LicenseId = license.Id, IsDerivative = true, DistributedName = "Acme-8B" })
            .WithUsage(u => u with { Hosting = Hosting.Redistributed, TrainsOtherModels = true, FieldsOfUse = ["military", "medical-advice"],
                MonthlyActiveUsers = 900_000_000, MonthlyRevenueUsd = 900_000_000m, OffersModelApi = true })
            .WithCompany(c => c with { Businesses = [BusinessActivity.ModelAsAService, BusinessActivity.AiWorkAssistant] });

        Assert.DoesNotContain(everything.Evaluate().Findings, f => f.ClauseId == clauseId);
    }
}
