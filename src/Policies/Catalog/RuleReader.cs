namespace Governance.Policies.Catalog;

internal static class RuleReader
{
    public static readonly IReadOnlyList<string> Kinds = RuleKinds.All.Select(k => k.Kind).ToList();

    /// <summary>The one spelling of the "offer the model as an API" hosting exclusion, beside the hosting modes.</summary>
    public const string ModelApi = "model_api";

    public static Rule? Read(RuleDto dto, string at, Problems problems)
    {
        switch (dto.Kind)
        {
            case "threshold":
                var conditions = new List<ThresholdCondition>();
                if (dto.Conditions is not { Count: > 0 }) problems.Add($"'{at}.conditions' must list at least one condition");
                foreach (var (c, i) in (dto.Conditions ?? []).Select((c, i) => (c, i)))
                    if (Condition(c, $"{at}.conditions[{i}]", problems) is { } condition) conditions.Add(condition);
                var timing = problems.Enum<ThresholdTiming>(dto.Timing, at + ".timing");
                var consequence = problems.Enum<ThresholdConsequence>(dto.Consequence, at + ".consequence");
                if (consequence == ThresholdConsequence.BrandingRequired && string.IsNullOrWhiteSpace(dto.BrandingText))
                    problems.Add($"'{at}.brandingText' is required when the consequence is branding_required");
                if (consequence == ThresholdConsequence.SecurityReviewRequired)
                    problems.Add($"'{at}.consequence' security_review_required belongs to a business_gate rule");
                var thresholdWhen = dto.AppliesWhen is null ? Trigger.Always : problems.Enum<Trigger>(dto.AppliesWhen, at + ".appliesWhen");
                return timing is null || consequence is null || thresholdWhen is null ? null
                    : new ThresholdRule(conditions, timing.Value, consequence.Value, dto.BrandingText, dto.CommercialOnly, thresholdWhen.Value);

            case "use_limit":
                var use = problems.Enum<UseLimit>(dto.Use, at + ".use");
                return use is null ? null : new UseLimitRule(use.Value);

            case "attribution":
                var text = problems.Required(dto.Text, at + ".text");
                var when = problems.Enum<Trigger>(dto.AppliesWhen, at + ".appliesWhen");
                return text is null || when is null ? null : new AttributionRule(text, dto.Placement, when.Value, dto.DerivativesOnly);

            case "notice":
                var notice = problems.Required(dto.Text, at + ".text");
                var noticeWhen = problems.Enum<Trigger>(dto.AppliesWhen, at + ".appliesWhen");
                return notice is null || noticeWhen is null ? null : new NoticeRule(notice, noticeWhen.Value);

            case "derivative_naming":
                var prefix = problems.Required(dto.RequiredPrefix, at + ".requiredPrefix");
                return prefix is null ? null : new DerivativeNamingRule(prefix);

            case "output_training":
                var policy = problems.Enum<OutputTraining>(dto.Policy, at + ".policy");
                if (policy == OutputTraining.AllowedWithNaming && string.IsNullOrWhiteSpace(dto.RequiredPrefix))
                    problems.Add($"'{at}.requiredPrefix' is required when the policy is allowed_with_naming");
                return policy is null ? null : new OutputTrainingRule(policy.Value, dto.RequiredPrefix);

            case "hosting":
                var listed = dto.Excluded ?? [];
                var modelApi = listed.Contains(ModelApi, StringComparer.Ordinal);
                var excluded = listed.Where(e => e != ModelApi).Select((e, i) => problems.Enum<Hosting>(e, $"{at}.excluded[{i}]"))
                    .OfType<Hosting>().ToList();
                if (listed.Count == 0)
                    problems.Add($"'{at}.excluded' must list at least one of {string.Join(", ", Naming.Names<Hosting>().Append(ModelApi))}");
                return new HostingRule(excluded, modelApi);

            case "geographic":
                var places = Places(dto.ExcludedDomiciles, at + ".excludedDomiciles", problems);
                var modalities = problems.Enums<Modality>(dto.Modalities, at + ".modalities");
                if (modalities.Count == 0) problems.Add($"'{at}.modalities' must list at least one modality");
                return new GeographicRule(places, modalities);

            case "territory":
                return new TerritoryRule(Places(dto.Excluded, at + ".excluded", problems));

            case "business_gate":
                var businesses = problems.Enums<BusinessActivity>(dto.Businesses, at + ".businesses");
                if (dto.Businesses is not { Count: > 0 }) problems.Add($"'{at}.businesses' must list at least one business");
                var revenue = dto.Revenue is null ? null : Condition(dto.Revenue, at + ".revenue", problems);
                if (revenue is { Metric: ThresholdMetric.MonthlyActiveUsers })
                    problems.Add($"'{at}.revenue.metric' must be a revenue metric");
                ThresholdTiming? gateTiming = dto.Revenue is null && dto.Timing is null ? ThresholdTiming.Continuous
                    : problems.Enum<ThresholdTiming>(dto.Timing, at + ".timing");
                var gateConsequence = problems.Enum<ThresholdConsequence>(dto.Consequence, at + ".consequence");
                if (gateConsequence is ThresholdConsequence.BrandingRequired)
                    problems.Add($"'{at}.consequence' must be separate_license_required, no_rights or security_review_required");
                var gateWhen = problems.Enum<Trigger>(dto.AppliesWhen, at + ".appliesWhen");
                return gateTiming is null || gateConsequence is null || gateWhen is null ? null
                    : new BusinessGateRule(businesses, revenue, gateTiming.Value, gateConsequence.Value, dto.CommercialOnly, gateWhen.Value);

            case "use_restriction":
                var fields = dto.ProhibitedFields ?? [];
                if (fields.Count == 0) problems.Add($"'{at}.prohibitedFields' must list at least one field of use");
                return new UseRestrictionRule(fields, dto.PolicyName);

            case "passdown":
                var what = problems.Required(dto.What, at + ".what");
                var passWhen = problems.Enum<Trigger>(dto.AppliesWhen, at + ".appliesWhen");
                return what is null || passWhen is null ? null : new PassdownRule(what, passWhen.Value);

            case "informational":
                var topic = problems.Required(dto.Topic, at + ".topic");
                return topic is null ? null : new InformationalRule(topic);

            default:
                problems.Add($"'{at}.kind' has '{dto.Kind}', expected one of {string.Join(", ", Kinds)}");
                return null;
        }
    }

    private static ThresholdCondition? Condition(ConditionDto c, string at, Problems problems)
    {
        var metric = problems.Enum<ThresholdMetric>(c.Metric, at + ".metric");
        var scope = problems.Enum<ThresholdScope>(c.Scope, at + ".scope");
        if (c.Limit is not > 0) problems.Add($"'{at}.limit' must be a positive number");
        if (metric == ThresholdMetric.AnnualRevenueUsd && scope == ThresholdScope.Product)
            problems.Add($"'{at}' measures annual revenue of a product, which no deployment declares; use the company scope");
        return metric is null || scope is null || c.Limit is not > 0 ? null : new ThresholdCondition(metric.Value, scope.Value, c.Limit.Value, c.AtOrAbove);
    }

    private static List<string> Places(List<string>? places, string at, Problems problems)
    {
        var list = places ?? [];
        if (list.Count == 0) problems.Add($"'{at}' must list at least one place");
        foreach (var place in list.Where(p => p != Countries.EuropeanUnion && !Countries.IsCountry(p)))
            problems.Add($"'{at}' has '{place}', which is neither an ISO 3166-1 alpha-2 code nor 'EU'");
        return list;
    }
}
