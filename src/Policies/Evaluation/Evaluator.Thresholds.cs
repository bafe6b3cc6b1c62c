using Governance.Policies.Catalog;

namespace Governance.Policies.Evaluation;

/// <summary>User and revenue thresholds and business gates: which figure is measured, for which month, and what follows.</summary>
public static partial class Evaluator
{
    /// <summary>An ongoing test needs current figures: the latest month may lag by at most this many months.</summary>
    public const int MaxAgeMonths = 3;

    private static void Threshold(Terms terms, Clause clause, ThresholdRule rule, Context context, List<Finding> findings)
    {
        var (license, usage) = (terms.License, context.Usage);
        if (rule.CommercialOnly && !usage.Commercial) return;
        if (!Triggered(rule.AppliesWhen, usage)) return;

        var month = MeasuredMonth(rule.Timing, terms, context.Input.On);
        var missing = new List<string>();
        var within = new List<string>();
        foreach (var condition in rule.Conditions)
        {
            var (value, basis) = Measure(condition, rule.Timing, month, terms, context);
            var facts = TimingFacts(rule.Timing, terms, month,
                ("metric", Words(condition.Metric)), ("scope", Words(condition.Scope)), ("limit", Number(condition.Limit)),
                ("measured", value is null ? "not reported" : Number(value.Value)), ("basis", basis));
            if (value is null)
            {
                missing.Add(basis);
                continue;
            }
            if (!condition.IsExceededBy(value.Value))
            {
                within.Add($"{Words(condition.Metric)} {Number(value.Value)} {(condition.AtOrAbove ? "<" : "≤")} {Number(condition.Limit)} ({basis})");
                continue;
            }

            var code = condition.Metric == ThresholdMetric.MonthlyActiveUsers
                ? FindingCodes.MauThresholdExceeded
                : FindingCodes.RevenueThresholdExceeded;
            var exceeded = $"{Words(condition.Metric)} of {Number(value.Value)} ({basis}) {(condition.AtOrAbove ? "reaches" : "exceeds")} " +
                           $"{license.Name}'s limit of {Number(condition.Limit)}";
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
                TimingFacts(rule.Timing, terms, month, ("missing", string.Join("; ", missing)))));
        else
            findings.Add(new Finding(FindingCodes.ThresholdWithinLimit, Severity.Info, clause.Id,
                $"{license.Name}'s threshold is not reached: {string.Join("; ", within)}.",
                TimingFacts(rule.Timing, terms, month, ("measured", string.Join("; ", within)))));
    }

    private static void BusinessGate(Terms terms, Clause clause, BusinessGateRule rule, Context context, List<Finding> findings)
    {
        var (license, usage, company) = (terms.License, context.Usage, context.Company);
        if (rule.CommercialOnly && !usage.Commercial) return;
        if (!Triggered(rule.AppliesWhen, usage)) return;

        var listed = string.Join(" or ", rule.Businesses.Select(BusinessWords));
        var conducted = (company.Businesses ?? []).Where(rule.Businesses.Contains).Distinct().ToList();
        // A deployment that itself offers the model as an API to others is a model-as-a-service business.
        if (usage.OffersModelApi == true && rule.Businesses.Contains(BusinessActivity.ModelAsAService) && !conducted.Contains(BusinessActivity.ModelAsAService))
            conducted.Add(BusinessActivity.ModelAsAService);
        var declared = company.Businesses is null ? "not declared" : company.Businesses.Count == 0 ? "none" : string.Join(", ", company.Businesses.Select(Words));
        if (conducted.Count == 0)
        {
            if (company.Businesses is null)
                findings.Add(new Finding(FindingCodes.ThresholdFactsMissing, Severity.Obligation, clause.Id,
                    $"{license.Name} gates commercial use by a licensee that, with its affiliates, conducts a {listed} business. " +
                    "The company has not declared its lines of business, so this can't be settled.",
                    Facts(("businesses", listed), ("declaredBusinesses", declared), ("missing", "the company's lines of business"))));
            return;
        }

        var conductedWords = string.Join(" and ", conducted.Select(BusinessWords));
        var facts = Facts(("businesses", listed), ("declaredBusinesses", declared), ("conducted", conductedWords));
        var above = "";
        if (rule.Revenue is { } revenue)
        {
            var month = MeasuredMonth(rule.Timing, terms, context.Input.On);
            var (value, basis) = Measure(revenue, rule.Timing, month, terms, context);
            facts["metric"] = Words(revenue.Metric);
            facts["limit"] = Number(revenue.Limit);
            facts["timing"] = Words(rule.Timing);
            facts["basis"] = basis;
            facts["measured"] = value is null ? "not reported" : Number(value.Value);
            if (value is null)
            {
                facts["missing"] = basis;
                findings.Add(new Finding(FindingCodes.ThresholdFactsMissing, Severity.Obligation, clause.Id,
                    $"{license.Name} gates a {conductedWords} business above {Number(revenue.Limit)} of {Words(revenue.Metric)}; " +
                    $"no figures were reported for {basis}.", facts));
                return;
            }
            if (!revenue.IsExceededBy(value.Value))
            {
                findings.Add(new Finding(FindingCodes.ThresholdWithinLimit, Severity.Info, clause.Id,
                    $"The company conducts a {conductedWords} business, but its {Words(revenue.Metric)} of {Number(value.Value)} ({basis}) " +
                    $"is within {license.Name}'s limit of {Number(revenue.Limit)}.", facts));
                return;
            }
            above = $" whose {Words(revenue.Metric)} of {Number(value.Value)} ({basis}) exceeds {Number(revenue.Limit)}";
        }

        var consequence = rule.Consequence switch
        {
            ThresholdConsequence.SecurityReviewRequired => "must pass the licensor's security review before using the model or its derivatives for any commercial purpose",
            ThresholdConsequence.NoRights => "gets no rights under the license",
            _ => "needs a separate agreement with the licensor before using the model or its derivatives for any commercial purpose",
        };
        facts["consequence"] = Words(rule.Consequence);
        findings.Add(new Finding(FindingCodes.BusinessGate, Severity.Blocking, clause.Id,
            $"Under {license.Name}, a licensee that, with its affiliates, conducts a {listed} business{above} {consequence}. " +
            $"The company conducts a {conductedWords} business" +
            $"{(usage.OffersModelApi == true ? " (this deployment offers the model to third parties as an API)" : "")}.",
            facts));
    }

    private static YearMonth MeasuredMonth(ThresholdTiming timing, Terms terms, DateOnly on) => timing switch
    {
        ThresholdTiming.ReleaseSnapshot => YearMonth.Of(terms.Anchor).Previous(),
        ThresholdTiming.PrecedingMonth => YearMonth.Of(on).Previous(),
        _ => YearMonth.Of(on),
    };

    /// <summary>Every threshold finding says which month was measured and, for a snapshot, which date anchored it and why.</summary>
    private static Dictionary<string, string> TimingFacts(ThresholdTiming timing, Terms terms, YearMonth month, params (string Key, string Value)[] more)
    {
        var facts = Facts(more);
        facts["timing"] = Words(timing);
        facts["measuredMonth"] = month.ToString();
        if (timing == ThresholdTiming.ReleaseSnapshot)
        {
            facts["anchorDate"] = Date(terms.Anchor);
            facts["anchor"] = terms.AnchorBasis;
        }
        return facts;
    }

    private static (decimal? Value, string Basis) Measure(ThresholdCondition condition, ThresholdTiming timing, YearMonth month, Terms terms, Context context)
    {
        var usage = context.Usage;
        if (condition.Scope == ThresholdScope.Product)
            return condition.Metric == ThresholdMetric.MonthlyActiveUsers
                ? (usage.MonthlyActiveUsers, usage.MonthlyActiveUsers is null
                    ? "the product's monthly active users, which the deployment does not declare"
                    : "the product's monthly active users, as declared for the deployment")
                : (usage.MonthlyRevenueUsd, usage.MonthlyRevenueUsd is null
                    ? "the product's monthly revenue, which the deployment does not declare"
                    : "the product's monthly revenue, as declared for the deployment");

        var company = context.Company;
        if (condition.Metric == ThresholdMetric.AnnualRevenueUsd)
            return timing == ThresholdTiming.AnyTwelveMonths ? AnyTwelveMonths(condition, company, month) : TwelveMonths(condition, timing, company, month);

        var figures = timing switch
        {
            ThresholdTiming.Continuous => company.LatestOnOrBefore(month),
            _ => company.For(month),
        };
        if (timing == ThresholdTiming.Continuous && figures is not null && Stale(figures.Month, month))
            return (null, $"company-wide figures since {figures.Month} (the latest reported is more than {MaxAgeMonths} months old)");
        var which = timing switch
        {
            ThresholdTiming.ReleaseSnapshot => $"company-wide figures for {month}, the calendar month before {terms.AnchorBasis} ({Date(terms.Anchor)})",
            ThresholdTiming.PrecedingMonth => $"company-wide figures for {month}, the month preceding the assessment date ({Date(context.Input.On)})",
            _ => figures is null ? $"company-wide figures up to {month}" : $"company-wide figures for {figures.Month}, the latest reported",
        };
        if (figures is null) return (null, which);
        return condition.Metric == ThresholdMetric.MonthlyActiveUsers
            ? (figures.MonthlyActiveUsers, which)
            : (figures.MonthlyRevenueUsd, which);
    }

    /// <summary>The twelve months ending with the measured (or, for an ongoing test, the latest reported) month.</summary>
    private static (decimal? Value, string Basis) TwelveMonths(ThresholdCondition condition, ThresholdTiming timing, CompanyFacts company, YearMonth month)
    {
        var end = timing == ThresholdTiming.Continuous ? company.LatestOnOrBefore(month)?.Month : month;
        if (end is null || (timing == ThresholdTiming.Continuous && Stale(end.Value, month)))
            return (null, $"company revenue for the twelve months up to {month}");
        var (sum, count, start) = Window(company, end.Value);
        var basis = $"company revenue {start}..{end.Value}, {count} of 12 months reported";
        // Missing months can only add revenue: a partial sum above the limit settles it, one below does not.
        return count == 12 || condition.IsExceededBy(sum) ? (sum, basis) : (null, basis);
    }

    /// <summary>
    /// "Over any consecutive 12 months": every window ending at a reported month up to the assessment month counts, and
    /// the latest one exceeding the limit is the one reported. Within the limit needs a complete, current latest window.
    /// </summary>
    private static (decimal? Value, string Basis) AnyTwelveMonths(ThresholdCondition condition, CompanyFacts company, YearMonth month)
    {
        var ends = company.Usage.Where(u => u.Month <= month).Select(u => u.Month).Distinct().OrderDescending().ToList();
        foreach (var end in ends)
        {
            var (sum, count, start) = Window(company, end);
            if (condition.IsExceededBy(sum))
                return (sum, $"company revenue {start}..{end}, {count} of 12 months reported (any twelve consecutive months)");
        }
        if (ends.Count == 0 || Stale(ends[0], month))
            return (null, $"company revenue for twelve consecutive months up to {month}");
        var (latest, reported, from) = Window(company, ends[0]);
        var basis = $"company revenue {from}..{ends[0]}, {reported} of 12 months reported (any twelve consecutive months)";
        return reported == 12 ? (latest, basis) : (null, basis);
    }

    private static (decimal Sum, int Count, YearMonth Start) Window(CompanyFacts company, YearMonth end)
    {
        var start = end;
        for (var i = 0; i < 11; i++) start = start.Previous();
        var months = company.Usage.Where(u => u.Month >= start && u.Month <= end)
            .GroupBy(u => u.Month).Select(g => g.Last()).ToList();
        return (months.Sum(m => m.MonthlyRevenueUsd), months.Count, start);
    }

    private static bool Stale(YearMonth reported, YearMonth current)
    {
        var limit = current;
        for (var i = 0; i < MaxAgeMonths; i++) limit = limit.Previous();
        return reported < limit;
    }

    private static string BusinessWords(BusinessActivity business) => business switch
    {
        BusinessActivity.ModelAsAService => "model-as-a-service",
        _ => "AI work assistant",
    };
}
