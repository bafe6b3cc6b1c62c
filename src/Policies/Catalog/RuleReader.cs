namespace Governance.Policies.Catalog;

internal static class RuleReader
{
    public static readonly IReadOnlyList<string> Kinds = RuleKinds.All.Select(k => k.Kind).ToList();

    public static Rule? Read(RuleDto dto, string at, Problems problems)
    {
        switch (dto.Kind)
        {
            case "threshold":
                var conditions = new List<ThresholdCondition>();
                if (dto.Conditions is not { Count: > 0 }) problems.Add($"'{at}.conditions' must list at least one condition");
                foreach (var (c, i) in (dto.Conditions ?? []).Select((c, i) => (c, i)))
                {
                    var metric = problems.Enum<ThresholdMetric>(c.Metric, $"{at}.conditions[{i}].metric");
                    var scope = problems.Enum<ThresholdScope>(c.Scope, $"{at}.conditions[{i}].scope");
                    if (c.Limit is not > 0) problems.Add($"'{at}.conditions[{i}].limit' must be a positive number");
                    if (metric is not null && scope is not null && c.Limit is > 0)
                        conditions.Add(new ThresholdCondition(metric.Value, scope.Value, c.Limit.Value));
                }
                var timing = problems.Enum<ThresholdTiming>(dto.Timing, at + ".timing");
                var consequence = problems.Enum<ThresholdConsequence>(dto.Consequence, at + ".consequence");
                if (consequence == ThresholdConsequence.BrandingRequired && string.IsNullOrWhiteSpace(dto.BrandingText))
                    problems.Add($"'{at}.brandingText' is required when the consequence is branding_required");
                return timing is null || consequence is null ? null
                    : new ThresholdRule(conditions, timing.Value, consequence.Value, dto.BrandingText, dto.CommercialOnly);

            case "use_limit":
                var use = problems.Enum<UseLimit>(dto.Use, at + ".use");
                return use is null ? null : new UseLimitRule(use.Value);

            case "attribution":
                var text = problems.Required(dto.Text, at + ".text");
                var when = problems.Enum<Trigger>(dto.AppliesWhen, at + ".appliesWhen");
                return text is null || when is null ? null : new AttributionRule(text, dto.Placement, when.Value);

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
                var excluded = problems.Enums<Hosting>(dto.Excluded, at + ".excluded");
                if (excluded.Count == 0) problems.Add($"'{at}.excluded' must list at least one hosting mode");
                return new HostingRule(excluded);

            case "geographic":
                var places = dto.ExcludedDomiciles ?? [];
                if (places.Count == 0) problems.Add($"'{at}.excludedDomiciles' must list at least one place");
                foreach (var place in places.Where(p => p != "EU" && !Countries.IsCountry(p)))
                    problems.Add($"'{at}.excludedDomiciles' has '{place}', which is neither an ISO 3166-1 alpha-2 code nor 'EU'");
                var modalities = problems.Enums<Modality>(dto.Modalities, at + ".modalities");
                if (modalities.Count == 0) problems.Add($"'{at}.modalities' must list at least one modality");
                return new GeographicRule(places, modalities);

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
}
