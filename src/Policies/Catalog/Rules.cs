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
        (typeof(TerritoryRule), "territory"),
        (typeof(BusinessGateRule), "business_gate"),
        (typeof(UseRestrictionRule), "use_restriction"),
        (typeof(PassdownRule), "passdown"),
        (typeof(InformationalRule), "informational"),
    ];
}

/// <summary>
/// A user or revenue threshold. Any of the <see cref="Conditions"/> being exceeded triggers the consequence,
/// which is how Kimi K2 words it ("100M MAU or $20M monthly revenue"). <see cref="AppliesWhen"/> carves out internal
/// use where the license does (Kimi K3 §4: use that makes nothing available to third parties).
/// </summary>
public sealed record ThresholdRule(
    IReadOnlyList<ThresholdCondition> Conditions,
    ThresholdTiming Timing,
    ThresholdConsequence Consequence,
    string? BrandingText,
    bool CommercialOnly = false,
    Trigger AppliesWhen = Trigger.Always) : Rule;

/// <summary>
/// One measured figure against a limit. Exceeded when strictly greater, as "more than" is written; <see cref="AtOrAbove"/>
/// for licenses that say "at least" or "or more".
/// </summary>
public sealed record ThresholdCondition(ThresholdMetric Metric, ThresholdScope Scope, decimal Limit, bool AtOrAbove = false)
{
    public bool IsExceededBy(decimal value) => AtOrAbove ? value >= Limit : value > Limit;
}

public enum ThresholdMetric { MonthlyActiveUsers, MonthlyRevenueUsd, AnnualRevenueUsd }

/// <summary>
/// <c>Company</c> counts the licensee and its affiliates (the company's reported monthly figures);
/// <c>Product</c> counts the deployment's own product (its declared monthly active users and monthly revenue).
/// </summary>
public enum ThresholdScope { Company, Product }

/// <summary>
/// <c>ReleaseSnapshot</c>: measured once, in the calendar month before the license version's release date (Llama:
/// "on the Llama 3.1 version release date ... in the preceding calendar month").
/// <c>Continuous</c>: measured on the latest figures, for as long as the model is used (Tongyi Qianwen).
/// <c>PrecedingMonth</c>: the calendar month before the assessment date, and only that month (Devstral 2: "for the
/// preceding month").
/// <c>AnyTwelveMonths</c>: annual revenue over any twelve consecutive reported months up to the assessment date
/// (Kimi K3, Qwen3.8-Max, GLM-5.3: "over any consecutive 12 months").
/// </summary>
public enum ThresholdTiming { ReleaseSnapshot, Continuous, PrecedingMonth, AnyTwelveMonths }

public enum ThresholdConsequence { SeparateLicenseRequired, NoRights, BrandingRequired, SecurityReviewRequired }

/// <summary>The license limits the purpose of use.</summary>
public sealed record UseLimitRule(UseLimit Limit) : Rule;

/// <summary>
/// <c>NonCommercial</c>: the use is not commercial (CC BY-NC). <c>ResearchOnly</c>: non-commercial research, and no
/// distribution by a commercial entity (MRL). <c>NonProduction</c>: testing, research or evaluation in a non-production
/// environment whoever the licensee is, never supplied to others in a commercial activity (MNPL).
/// <c>ResearchOrEvaluation</c>: non-commercial research or evaluation (Qwen and Tongyi Qianwen RESEARCH).
/// </summary>
public enum UseLimit { NonCommercial, ResearchOnly, NonProduction, ResearchOrEvaluation }

/// <summary>
/// Visible credit such as "Built with Llama" where the model is made available to others. <see cref="DerivativesOnly"/>
/// when the license asks it only of derivative works (TII Falcon License §6).
/// </summary>
public sealed record AttributionRule(string Text, string? Placement, Trigger AppliesWhen, bool DerivativesOnly = false) : Rule;

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

/// <summary>
/// Hosting modes the license excludes without separate permission. <see cref="ModelApi"/> excludes offering the
/// model itself to third parties as an inference or fine-tuning API or managed service (Falcon-180B's "Hosting Use"),
/// which a product that only embeds the model does not do.
/// </summary>
public sealed record HostingRule(IReadOnlyList<Hosting> Excluded, bool ModelApi = false) : Rule;

/// <summary>
/// Rights not granted to licensees domiciled in (with their principal place of business in) the listed places, for
/// models of the listed modalities (Llama 3.2+: multimodal models, EU). <c>"EU"</c> stands for every member state.
/// End users, regions and the product's users do not matter to it.
/// </summary>
public sealed record GeographicRule(IReadOnlyList<string> ExcludedDomiciles, IReadOnlyList<Modality> Modalities) : Rule;

/// <summary>
/// The license does not apply in the listed places at all: the model, its outputs and results may not be used,
/// distributed or displayed there (Tencent Hunyuan: EU, United Kingdom, South Korea). Unlike <see cref="GeographicRule"/>
/// it turns on where the model runs and where its users are, not only on the licensee's domicile.
/// </summary>
public sealed record TerritoryRule(IReadOnlyList<string> Excluded) : Rule;

/// <summary>
/// A licensee (with its affiliates) that conducts one of the <see cref="Businesses"/> needs a separate agreement (or a
/// security review) before using the model commercially, in some licenses only above a <see cref="Revenue"/> figure
/// measured as <see cref="Timing"/> says (Kimi K3 §2, Qwen3.8-Max §2, Qwen Community License §2, GLM-5.3 §2).
/// </summary>
public sealed record BusinessGateRule(
    IReadOnlyList<BusinessActivity> Businesses,
    ThresholdCondition? Revenue,
    ThresholdTiming Timing,
    ThresholdConsequence Consequence,
    bool CommercialOnly,
    Trigger AppliesWhen) : Rule;

/// <summary>Fields of use the license or its acceptable-use policy prohibits.</summary>
public sealed record UseRestrictionRule(IReadOnlyList<string> ProhibitedFields, string? Policy) : Rule;

/// <summary>The use restrictions must be passed on, as enforceable terms, to whoever receives the model or the service.</summary>
public sealed record PassdownRule(string What, Trigger AppliesWhen) : Rule;

/// <summary>A term worth knowing (termination, governing law, patents) that gates nothing by itself.</summary>
public sealed record InformationalRule(string Topic) : Rule;
