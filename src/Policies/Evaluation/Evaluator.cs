using System.Globalization;
using Governance.Policies.Catalog;

namespace Governance.Policies.Evaluation;

/// <summary>
/// The policy evaluator: a pure function from facts to findings. Same input, same output, no clock and no I/O,
/// so an assessment can be recomputed by anyone holding the facts it records.
/// </summary>
public static class Evaluator
{
    public const string UnknownLicenseClause = "catalog#unknown-license";
    public const string ResidencyClausePrefix = "company#residency/";
    public const string DeniedOriginsClause = "company#denied-origins";
    public const string AttestationClause = "company#attestation-required";
    public const string ScanClause = "scan#artifact";

    public static Assessment Evaluate(EvaluationInput input)
    {
        var findings = new List<Finding>();
        var (deployment, license) = (input.Deployment, input.License);

        if (license is null)
        {
            findings.Add(new Finding(FindingCodes.UnknownLicense, Severity.Blocking, UnknownLicenseClause,
                $"The license '{deployment.Model.LicenseId}' is not in the catalog, so nobody has established what it permits. " +
                "The deployment can't be approved until the license is catalogued or a waiver is granted.",
                Facts(("licenseId", deployment.Model.LicenseId))));
        }
        else
        {
            foreach (var clause in license.Clauses)
                EvaluateClause(license, clause, input, findings);
        }

        EvaluateCompanyRules(input, findings);
        EvaluateScan(input, findings);

        var waived = ApplyWaivers(findings, input.Waivers, input.On);
        var ordered = waived
            .OrderBy(f => f.Severity)
            .ThenBy(f => f.ClauseId, StringComparer.Ordinal)
            .ThenBy(f => f.Code, StringComparer.Ordinal)
            .ToList();
        return new Assessment(Assessment.VerdictOf(ordered), ordered);
    }

    private static void EvaluateClause(License license, Clause clause, EvaluationInput input, List<Finding> findings)
    {
        var usage = input.Deployment.Usage;
        var model = input.Deployment.Model;
        switch (clause.Rule)
        {
            case ThresholdRule rule:
                Threshold(license, clause, rule, input, findings);
                break;

            case UseLimitRule rule:
                var allowed = rule.Limit switch
                {
                    UseLimit.NonCommercial => !usage.Commercial,
                    UseLimit.ResearchOnly => !usage.Commercial && usage.Purpose == Purpose.Research,
                    UseLimit.NonProduction => !usage.Commercial && usage.Purpose != Purpose.Production,
                    _ => false,
                };
                if (!allowed)
                {
                    var what = rule.Limit switch
                    {
                        UseLimit.NonCommercial => "non-commercial use only",
                        UseLimit.ResearchOnly => "research purposes only, which excludes internal business use and production",
                        _ => "non-production use only",
                    };
                    findings.Add(new Finding(FindingCodes.NonCommercialLicense, Severity.Blocking, clause.Id,
                        $"{license.Name} grants rights for {what}; this deployment is declared " +
                        $"{(usage.Commercial ? "commercial" : "non-commercial")} with purpose '{Words(usage.Purpose)}'. " +
                        "A separate commercial license from the licensor is required.",
                        Facts(("commercial", Bool(usage.Commercial)), ("purpose", Words(usage.Purpose)), ("limit", Words(rule.Limit)))));
                }
                break;

            case AttributionRule rule when Triggered(rule.AppliesWhen, usage):
                findings.Add(usage.DisplaysAttribution
                    ? new Finding(FindingCodes.AttributionRequired, Severity.Info, clause.Id,
                        $"Attribution \"{rule.Text}\" is required and the deployment declares that it is displayed.",
                        Facts(("text", rule.Text), ("displaysAttribution", "true"), ("hosting", Words(usage.Hosting))))
                    : new Finding(FindingCodes.AttributionRequired, Severity.Obligation, clause.Id,
                        $"Because the model reaches third parties ({Words(usage.Hosting)}), \"{rule.Text}\" must be displayed" +
                        $"{(rule.Placement is null ? "" : " " + rule.Placement)}. The deployment does not declare that it is.",
                        Facts(("text", rule.Text), ("displaysAttribution", "false"), ("hosting", Words(usage.Hosting)))));
                break;

            case NoticeRule rule when Triggered(rule.AppliesWhen, usage):
                findings.Add(new Finding(FindingCodes.NoticeRequired, Severity.Obligation, clause.Id,
                    $"Copies and the service's notices must carry: \"{rule.Text}\"",
                    Facts(("text", rule.Text), ("hosting", Words(usage.Hosting)))));
                break;

            case DerivativeNamingRule rule when model.IsDerivative && usage.ReachesThirdParties():
                findings.Add(model.DistributedName switch
                {
                    null or "" => new Finding(FindingCodes.DerivativeNaming, Severity.Obligation, clause.Id,
                        $"The deployment makes a derivative of {license.Name} available to others ({Words(usage.Hosting)}); its name must begin with \"{rule.RequiredPrefix}\". No distributed name is declared.",
                        Facts(("requiredPrefix", rule.RequiredPrefix))),
                    var name when name.StartsWith(rule.RequiredPrefix, StringComparison.Ordinal) =>
                        new Finding(FindingCodes.DerivativeNaming, Severity.Info, clause.Id,
                            $"The distributed name \"{name}\" begins with \"{rule.RequiredPrefix}\" as the license requires.",
                            Facts(("requiredPrefix", rule.RequiredPrefix), ("distributedName", name))),
                    var name => new Finding(FindingCodes.DerivativeNaming, Severity.Blocking, clause.Id,
                        $"The derivative is distributed as \"{name}\", but {license.Name} requires the name of a distributed derivative to begin with \"{rule.RequiredPrefix}\".",
                        Facts(("requiredPrefix", rule.RequiredPrefix), ("distributedName", name))),
                });
                break;

            case OutputTrainingRule rule when usage.TrainsOtherModels:
                findings.Add(rule.Policy switch
                {
                    OutputTraining.Prohibited => new Finding(FindingCodes.OutputTrainingProhibited, Severity.Blocking, clause.Id,
                        $"{license.Name} prohibits using the model or its outputs to train or improve other models; the deployment declares that it does.",
                        Facts(("trainsOtherModels", "true"))),
                    OutputTraining.AllowedWithNaming => new Finding(FindingCodes.DerivativeNaming, Severity.Obligation, clause.Id,
                        $"Training other models on outputs is allowed, but a model so trained and distributed must carry a name beginning with \"{rule.RequiredPrefix}\" and the license's terms.",
                        Facts(("trainsOtherModels", "true"), ("requiredPrefix", rule.RequiredPrefix ?? ""))),
                    _ => new Finding(FindingCodes.UseRestrictionsPassdown, Severity.Obligation, clause.Id,
                        $"A model trained on {license.Name} outputs is a derivative: it inherits the license's use restrictions, which must be passed on with it.",
                        Facts(("trainsOtherModels", "true"))),
                });
                break;

            case HostingRule rule when rule.Excluded.Contains(usage.Hosting):
                findings.Add(new Finding(FindingCodes.HostingRestricted, Severity.Blocking, clause.Id,
                    $"{license.Name} excludes '{Words(usage.Hosting)}' hosting without the licensor's written permission.",
                    Facts(("hosting", Words(usage.Hosting)), ("excluded", string.Join(", ", rule.Excluded.Select(Words))))));
                break;

            case GeographicRule rule when rule.Modalities.Contains(model.Modality):
                var domicile = input.Company.Domicile;
                if (domicile is null)
                    findings.Add(new Finding(FindingCodes.GeographicRestriction, Severity.Obligation, clause.Id,
                        $"{license.Name} grants no rights for {Words(model.Modality)} models to licensees domiciled in {string.Join(", ", rule.ExcludedDomiciles)}. " +
                        "The company's domicile is not on record, so this can't be settled.",
                        Facts(("modality", Words(model.Modality)), ("excludedDomiciles", string.Join(", ", rule.ExcludedDomiciles)))));
                else if (rule.ExcludedDomiciles.Any(place => Countries.IsIn(domicile, place)))
                    findings.Add(new Finding(FindingCodes.GeographicRestriction, Severity.Blocking, clause.Id,
                        $"{license.Name} grants no rights for {Words(model.Modality)} models to licensees domiciled in " +
                        $"{string.Join(", ", rule.ExcludedDomiciles)}; the company is domiciled in {domicile}.",
                        Facts(("modality", Words(model.Modality)), ("domicile", domicile), ("excludedDomiciles", string.Join(", ", rule.ExcludedDomiciles)))));
                break;

            case UseRestrictionRule rule:
                var hits = usage.FieldsOfUse
                    .Where(f => rule.ProhibitedFields.Contains(f, StringComparer.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal).ToList();
                if (hits.Count > 0)
                    findings.Add(new Finding(FindingCodes.UseRestriction, Severity.Blocking, clause.Id,
                        $"{rule.Policy ?? license.Name} prohibits use for {string.Join(", ", hits)}, which the deployment declares.",
                        Facts(("fieldsOfUse", string.Join(", ", usage.FieldsOfUse)), ("prohibited", string.Join(", ", hits)))));
                break;

            case PassdownRule rule when Triggered(rule.AppliesWhen, usage):
                findings.Add(new Finding(FindingCodes.UseRestrictionsPassdown, Severity.Obligation, clause.Id,
                    $"{rule.What} must be passed on as an enforceable term to everyone the model or the service reaches.",
                    Facts(("hosting", Words(usage.Hosting)))));
                break;
        }
    }

    private static void Threshold(License license, Clause clause, ThresholdRule rule, EvaluationInput input, List<Finding> findings)
    {
        var usage = input.Deployment.Usage;
        if (rule.CommercialOnly && !usage.Commercial) return;

        var release = input.Deployment.Model.ReleaseDate;
        var month = rule.Timing == ThresholdTiming.ReleaseSnapshot ? YearMonth.Of(release).Previous() : YearMonth.Of(input.On);
        var missing = new List<string>();
        var within = new List<string>();
        foreach (var condition in rule.Conditions)
        {
            var (value, basis) = Measure(condition, rule.Timing, month, input);
            var facts = Facts(
                ("metric", Words(condition.Metric)), ("scope", Words(condition.Scope)), ("timing", Words(rule.Timing)),
                ("limit", Number(condition.Limit)), ("measured", value is null ? "not reported" : Number(value.Value)),
                ("basis", basis), ("releaseDate", release.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
            if (value is null)
            {
                missing.Add(basis);
                continue;
            }
            if (value.Value <= condition.Limit)
            {
                within.Add($"{Words(condition.Metric)} {Number(value.Value)} ≤ {Number(condition.Limit)} ({basis})");
                continue;
            }

            var code = condition.Metric == ThresholdMetric.MonthlyActiveUsers
                ? FindingCodes.MauThresholdExceeded
                : FindingCodes.RevenueThresholdExceeded;
            var exceeded = $"{Words(condition.Metric)} of {Number(value.Value)} ({basis}) exceeds {license.Name}'s limit of {Number(condition.Limit)}";
            findings.Add(rule.Consequence switch
            {
                ThresholdConsequence.SeparateLicenseRequired => new Finding(code, Severity.Blocking, clause.Id,
                    $"{exceeded}: no rights are granted under this license until the licensor grants a separate license.", facts),
                ThresholdConsequence.NoRights => new Finding(code, Severity.Blocking, clause.Id,
                    $"{exceeded}: the license grants no rights at all above it.", facts),
                _ when usage.DisplaysAttribution => new Finding(code, Severity.Info, clause.Id,
                    $"{exceeded}: \"{rule.BrandingText}\" must be displayed, and the deployment declares that it is.", facts),
                _ => new Finding(code, Severity.Obligation, clause.Id,
                    $"{exceeded}: \"{rule.BrandingText}\" must be displayed prominently in the product's user interface.", facts),
            });
            return;
        }

        if (missing.Count > 0)
            findings.Add(new Finding(FindingCodes.ThresholdFactsMissing, Severity.Obligation, clause.Id,
                $"{license.Name}'s threshold test can't be settled: no figures were reported for {string.Join("; ", missing)}.",
                Facts(("missing", string.Join("; ", missing)), ("timing", Words(rule.Timing)),
                    ("releaseDate", release.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))));
        else
            findings.Add(new Finding(FindingCodes.ThresholdWithinLimit, Severity.Info, clause.Id,
                $"{license.Name}'s threshold is not reached: {string.Join("; ", within)}.",
                Facts(("measured", string.Join("; ", within)), ("timing", Words(rule.Timing)))));
    }

    private static (decimal? Value, string Basis) Measure(ThresholdCondition condition, ThresholdTiming timing, YearMonth month, EvaluationInput input)
    {
        if (condition.Scope == ThresholdScope.Product)
        {
            return condition.Metric == ThresholdMetric.MonthlyActiveUsers
                ? (input.Deployment.Usage.MonthlyActiveUsers, "the product's reported monthly active users")
                : (null, "the product's revenue (Governance records revenue per company only)");
        }

        var company = input.Company;
        if (condition.Metric == ThresholdMetric.AnnualRevenueUsd)
        {
            var end = timing == ThresholdTiming.ReleaseSnapshot ? month : company.LatestOnOrBefore(month)?.Month;
            if (end is null || (timing == ThresholdTiming.Continuous && Stale(end.Value, month)))
                return (null, $"company revenue for the twelve months up to {month}");
            var start = end.Value;
            for (var i = 0; i < 11; i++) start = start.Previous();
            var months = company.Usage.Where(u => u.Month >= start && u.Month <= end.Value)
                .GroupBy(u => u.Month).Select(g => g.Last()).ToList();
            var sum = months.Sum(m => m.MonthlyRevenueUsd);
            var basis = $"company revenue {start}..{end.Value}, {months.Count} of 12 months reported";
            // Missing months can only add revenue: a partial sum above the limit settles it, one below does not.
            return months.Count == 12 || sum > condition.Limit ? (sum, basis) : (null, basis);
        }

        var figures = timing == ThresholdTiming.ReleaseSnapshot ? company.For(month) : company.LatestOnOrBefore(month);
        if (timing == ThresholdTiming.Continuous && figures is not null && Stale(figures.Month, month))
            return (null, $"company-wide figures since {figures.Month} (the latest reported is more than {MaxAgeMonths} months old)");
        var which = timing == ThresholdTiming.ReleaseSnapshot
            ? $"company-wide figures for {month}, the calendar month before the release date"
            : figures is null ? $"company-wide figures up to {month}" : $"company-wide figures for {figures.Month}, the latest reported";
        if (figures is null) return (null, which);
        return condition.Metric == ThresholdMetric.MonthlyActiveUsers
            ? (figures.MonthlyActiveUsers, which)
            : (figures.MonthlyRevenueUsd, which);
    }

    /// <summary>An ongoing test needs current figures: the latest month may lag by at most this many months.</summary>
    public const int MaxAgeMonths = 3;

    private static bool Stale(YearMonth reported, YearMonth current)
    {
        var limit = current;
        for (var i = 0; i < MaxAgeMonths; i++) limit = limit.Previous();
        return reported < limit;
    }

    private static void EvaluateCompanyRules(EvaluationInput input, List<Finding> findings)
    {
        var (model, usage) = (input.Deployment.Model, input.Deployment.Usage);
        foreach (var rule in input.Rules.Residency)
        {
            if (!usage.DataClasses.Contains(rule.DataClass, StringComparer.OrdinalIgnoreCase)) continue;
            var outside = usage.Regions.Where(r => !Regions.IsAllowed(r, rule.AllowedRegions)).ToList();
            if (outside.Count == 0) continue;
            findings.Add(new Finding(FindingCodes.ResidencyViolation, Severity.Blocking, ResidencyClausePrefix + rule.DataClass,
                $"Company rule: {rule.DataClass} data may only be processed in {string.Join(", ", rule.AllowedRegions)}; " +
                $"the deployment runs in {string.Join(", ", outside)}.",
                Facts(("dataClass", rule.DataClass), ("regions", string.Join(", ", usage.Regions)),
                    ("outside", string.Join(", ", outside)), ("allowedRegions", string.Join(", ", rule.AllowedRegions)))));
        }

        if (input.Rules.DeniedOrigins.Contains(model.Origin, StringComparer.OrdinalIgnoreCase))
            findings.Add(new Finding(FindingCodes.OriginDenied, Severity.Blocking, DeniedOriginsClause,
                $"Company rule: models originating in {model.Origin} are not permitted.",
                Facts(("origin", model.Origin), ("deniedOrigins", string.Join(", ", input.Rules.DeniedOrigins)))));

        if (input.Rules.AttestationRequired)
            findings.Add(input.Attestation.HasValidAttestation
                ? new Finding(FindingCodes.AttestationRequired, Severity.Info, AttestationClause,
                    "Company rule: a signed scanner attestation is required, and a valid one is on record.",
                    Facts(("hasValidAttestation", "true")))
                : new Finding(FindingCodes.AttestationRequired, Severity.Obligation, AttestationClause,
                    "Company rule: a signed scanner attestation of the artifact is required; none is on record yet.",
                    Facts(("hasValidAttestation", "false"), ("artifactSha256", model.ArtifactSha256))));
    }

    /// <summary>
    /// What the artifact itself says outranks what was declared: a file under another license, derived from other base
    /// models, not the registered artifact at all, or unreadable, invalidates the assessment's premise until someone
    /// reconciles the two.
    /// </summary>
    private static void EvaluateScan(EvaluationInput input, List<Finding> findings)
    {
        if (input.Attestation is { HasValidAttestation: true, Artifact: { } file })
            findings.AddRange(ArtifactJudgement.Judge(input.Deployment.Model, file));
        foreach (var failure in input.Attestation.ScanFailures ?? [])
            findings.Add(new Finding(failure.Code, Severity.Blocking, ScanClause, failure.Message, failure.Facts));
    }

    private static IEnumerable<Finding> ApplyWaivers(List<Finding> findings, IReadOnlyList<Waiver> waivers, DateOnly on)
    {
        foreach (var finding in findings)
        {
            // A waiver lapses on its expiry date: legal must act before that day, not after it.
            var waiver = finding.Severity == Severity.Info
                ? null
                : waivers.Where(w => w.FindingCode == finding.Code && w.ExpiresOn > on).MaxBy(w => w.ExpiresOn);
            yield return waiver is null ? finding : finding with { Waiver = new WaiverApplied(waiver.ExpiresOn, waiver.Reason, waiver.ApprovedBy) };
        }
    }

    private static bool Triggered(Trigger trigger, UsageFacts usage) => trigger switch
    {
        Trigger.Always => true,
        Trigger.Distribution => usage.ReachesThirdParties(),
        _ => usage.Hosting == Hosting.Redistributed,
    };

    private static Dictionary<string, string> Facts(params (string Key, string Value)[] pairs)
    {
        var facts = new Dictionary<string, string>(pairs.Length, StringComparer.Ordinal);
        foreach (var (key, value) in pairs) facts[key] = value;
        return facts;
    }

    private static string Number(decimal value) => value.ToString("#,0.##", CultureInfo.InvariantCulture);

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Words<T>(T value) where T : struct, Enum => Naming.Snake(value);
}
