namespace Governance.Policies.Catalog;

/// <summary>
/// The machine-readable meaning of a clause. Each kind is evaluated by <see cref="Evaluation.Evaluator"/>;
/// <see cref="RuleKinds"/> names them as the catalog files (and the API) spell them.
/// </summary>
public abstract record Rule;

/// <summary>The one table of rule kinds and their names.</summary>
public static class RuleKinds
{
    public static readonly IReadOnlyList<(Type Type, string Kind)> All =
    [
        (typeof(ThresholdRule), "threshold"),
        (typeof(UseLimitRule), "use_limit"),
        (typeof(AttributionRule), "attribution"),
        (typeof(NoticeRule), "notice"),
        (typeof(DerivativeNamingRule), "derivative_naming"),
        (typeof(OutputTrainingRule), "output_training"),
        (typeof(HostingRule), "hosting"),
        (typeof(GeographicRule), "geographic"),
        (typeof(UseRestrictionRule), "use_restriction"),
        (typeof(PassdownRule), "passdown"),
        (typeof(InformationalRule), "informational"),
    ];
}

/// <summary>
/// A user or revenue threshold. Any of the <see cref="Conditions"/> being exceeded triggers the consequence,
/// which is how Kimi K2 words it ("100M MAU or $20M monthly revenue").
/// </summary>
public sealed record ThresholdRule(
    IReadOnlyList<ThresholdCondition> Conditions,
    ThresholdTiming Timing,
    ThresholdConsequence Consequence,
    string? BrandingText,
    bool CommercialOnly = false) : Rule;

public sealed record ThresholdCondition(ThresholdMetric Metric, ThresholdScope Scope, decimal Limit);

public enum ThresholdMetric { MonthlyActiveUsers, MonthlyRevenueUsd, AnnualRevenueUsd }

/// <summary><c>Company</c> counts the licensee and its affiliates; <c>Product</c> counts the deployment's own product.</summary>
public enum ThresholdScope { Company, Product }

/// <summary>
/// <c>ReleaseSnapshot</c>: measured once, in the calendar month before the model version's release date (Llama).
/// <c>Continuous</c>: measured on the latest figures, for as long as the model is used (Tongyi Qianwen).
/// </summary>
public enum ThresholdTiming { ReleaseSnapshot, Continuous }

public enum ThresholdConsequence { SeparateLicenseRequired, NoRights, BrandingRequired }

/// <summary>The license limits the purpose of use: non-commercial, research only, or non-production.</summary>
public sealed record UseLimitRule(UseLimit Limit) : Rule;

public enum UseLimit { NonCommercial, ResearchOnly, NonProduction }

/// <summary>Visible credit such as "Built with Llama" where the model is made available to others.</summary>
public sealed record AttributionRule(string Text, string? Placement, Trigger AppliesWhen) : Rule;

/// <summary>A notice to ship with copies or with the service ("Llama 3.1 is licensed under ...").</summary>
public sealed record NoticeRule(string Text, Trigger AppliesWhen) : Rule;

/// <summary>
/// When an obligation starts: <c>Always</c>; <c>Distribution</c> once the model or a service on it reaches third parties
/// (SaaS or shipped weights); <c>Redistribution</c> only when copies of the weights are given to others.
/// </summary>
public enum Trigger { Always, Distribution, Redistribution }

/// <summary>A derivative distributed or made available as a service must carry a name with this prefix (Llama 3.x: "Llama").</summary>
public sealed record DerivativeNamingRule(string RequiredPrefix) : Rule;

/// <summary>What the license says about using outputs to train or improve other models.</summary>
public sealed record OutputTrainingRule(OutputTraining Policy, string? RequiredPrefix) : Rule;

public enum OutputTraining
{
    /// <summary>Training other models on outputs is not allowed (Llama 2 outside Llama derivatives, Tongyi Qianwen).</summary>
    Prohibited,
    /// <summary>Allowed, but the resulting model is a derivative that must carry a name prefix (Llama 3.1+).</summary>
    AllowedWithNaming,
    /// <summary>Allowed, but the resulting model inherits the license's use restrictions (DeepSeek, Gemma).</summary>
    AllowedInheritsRestrictions,
}

/// <summary>Hosting modes the license excludes without separate permission (Falcon-180B: shared hosting).</summary>
public sealed record HostingRule(IReadOnlyList<Hosting> Excluded) : Rule;

/// <summary>
/// Rights not granted to licensees domiciled in the listed places for the listed modalities
/// (Llama 3.2+: multimodal models, EU). <c>"EU"</c> stands for every member state.
/// </summary>
public sealed record GeographicRule(IReadOnlyList<string> ExcludedDomiciles, IReadOnlyList<Modality> Modalities) : Rule;

/// <summary>Fields of use the license or its acceptable-use policy prohibits.</summary>
public sealed record UseRestrictionRule(IReadOnlyList<string> ProhibitedFields, string? Policy) : Rule;

/// <summary>The use restrictions must be passed on, as enforceable terms, to whoever receives the model or the service.</summary>
public sealed record PassdownRule(string What, Trigger AppliesWhen) : Rule;

/// <summary>A term worth knowing (termination, governing law, patents) that gates nothing by itself.</summary>
public sealed record InformationalRule(string Topic) : Rule;
