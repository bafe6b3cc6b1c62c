using System.Globalization;
using Governance.Policies.Catalog;

namespace Governance.Policies.Evaluation;

/// <summary>
/// The policy evaluator: a pure function from facts to findings. Same input, same output, no clock and no I/O,
/// so an assessment can be recomputed by anyone holding the facts it records.
/// </summary>
public static partial class Evaluator
{
    public const string UnknownLicenseClause = "catalog#unknown-license";
    public const string ModelFactsClausePrefix = "catalog#model-facts/";
    public const string LicenseConflictClausePrefix = "lineage#license-conflict/";
    public const string LineageUnresolvedClausePrefix = "lineage#unresolved/";
    public const string ResidencyClausePrefix = "company#residency/";
    public const string DeniedOriginsClause = "company#denied-origins";
    public const string AttestationClause = "company#attestation-required";
    public const string ScanClause = "scan#artifact";
    public const string DriftClause = "scan#drift";

    public static Assessment Evaluate(EvaluationInput input)
    {
        var findings = new List<Finding>();
        var lineage = input.Lineage ?? Lineage.None;
        var context = new Context(input, Effective(input.Deployment.Model, lineage.Model), lineage, input.Lineage is not null);

        if (input.License is null)
            findings.Add(UnknownLicense(input.Deployment.Model.LicenseId));
        else
            EvaluateTerms(RootTerms(input.License, context), context, findings);

        foreach (var inherited in lineage.Inherited)
        {
            if (inherited.License is null)
            {
                findings.Add(Inherit(UnknownLicense(inherited.LicenseId), inherited));
                continue;
            }
            var own = new List<Finding>();
            EvaluateTerms(InheritedTerms(inherited.License, inherited, context), context, own);
            findings.AddRange(own.Select(f => Inherit(f, inherited)));
        }

        EvaluateLineage(context, findings);
        EvaluateCompanyRules(context, findings);
        EvaluateScan(input, findings);

        var waived = ApplyWaivers(findings, input.Waivers, input.On);
        var ordered = waived
            .OrderBy(f => f.Severity)
            .ThenBy(f => f.ClauseId, StringComparer.Ordinal)
            .ThenBy(f => f.Code, StringComparer.Ordinal)
            .ToList();
        return new Assessment(Assessment.VerdictOf(ordered), ordered);
    }

    /// <summary>What one assessment reads besides the input: the model as the catalog corrects it, and the lineage.</summary>
    private sealed record Context(EvaluationInput Input, ModelFacts Model, Lineage Lineage, bool CatalogInUse)
    {
        public UsageFacts Usage => Input.Deployment.Usage;
        public CompanyFacts Company => Input.Company;
        public ModelFacts Declared => Input.Deployment.Model;
    }

    /// <summary>
    /// One license's terms as they bear on this deployment: whether it is inherited, the date its release snapshot is
    /// anchored to and why, and the modality of the material it governs (known when the model catalog says so).
    /// </summary>
    private sealed record Terms(License License, LineageTerms? Inherited, DateOnly Anchor, string AnchorBasis, Modality Modality, bool ModalityKnown);

    /// <summary>The catalog's release date, origin and modality are facts about the model; a declaration can't change them.</summary>
    private static ModelFacts Effective(ModelFacts declared, CatalogModel? entry) =>
        entry is null ? declared : declared with { ReleaseDate = entry.ReleaseDate, Origin = entry.Origin, Modality = entry.Modality };

    private static Terms RootTerms(License license, Context context)
    {
        var (anchor, basis) = AnchorOf(license, context.Lineage.CarrierOf(license.Id), context.Model);
        return new Terms(license, null, anchor, basis, context.Model.Modality, context.Lineage.Model is not null);
    }

    /// <summary>
    /// An inherited license governs the base model's material, so the material's modality counts: a derivative of a
    /// Llama 3.2 vision model is built on a multimodal model whatever it accepts itself.
    /// </summary>
    private static Terms InheritedTerms(License license, LineageTerms inherited, Context context)
    {
        var (anchor, basis) = AnchorOf(license, inherited.Carrier, context.Model);
        var modality = inherited.Carrier.Modality == Modality.Multimodal || context.Model.Modality == Modality.Multimodal
            ? Modality.Multimodal : Modality.Text;
        return new Terms(license, inherited, anchor, basis, modality, true);
    }

    /// <summary>
    /// A release-snapshot test is measured "on the [license] version release date": the date the license names, else
    /// the release date of the catalogued model that carries it, else (no catalog) the date declared for this model.
    /// </summary>
    private static (DateOnly Anchor, string Basis) AnchorOf(License license, CatalogModel? carrier, ModelFacts model) =>
        license.VersionDate is { } version ? (version, $"the {license.Name} version release date named in the license")
        : carrier is not null ? (carrier.ReleaseDate, $"the release date of {carrier.Repo}, which carries the license")
        : (model.ReleaseDate, "the release date declared for this model, as the license names no version date");

    private static Finding UnknownLicense(string licenseId) =>
        new(FindingCodes.UnknownLicense, Severity.Blocking, UnknownLicenseClause,
            $"The license '{licenseId}' is not in the catalog, so nobody has established what it permits. " +
            "The deployment can't be approved until the license is catalogued or a waiver is granted.",
            Facts(("licenseId", licenseId)));

    /// <summary>Every finding from an inherited license says which license and which base model it comes from.</summary>
    private static Finding Inherit(Finding finding, LineageTerms inherited)
    {
        var facts = new Dictionary<string, string>(finding.Facts, StringComparer.Ordinal)
        {
            ["licenseId"] = inherited.LicenseId,
            ["inheritedFrom"] = inherited.Carrier.Repo,
            ["inheritedVia"] = inherited.Via,
        };
        return finding with
        {
            Message = $"Inherited from {inherited.Carrier.Repo} ({inherited.Via}): {finding.Message}",
            Facts = facts,
        };
    }

    private static void EvaluateTerms(Terms terms, Context context, List<Finding> findings)
    {
        foreach (var clause in terms.License.Clauses)
            EvaluateClause(terms, clause, context, findings);
    }

    private static void EvaluateClause(Terms terms, Clause clause, Context context, List<Finding> findings)
    {
        var (license, usage, model) = (terms.License, context.Usage, context.Model);
        switch (clause.Rule)
        {
            case ThresholdRule rule:
                Threshold(terms, clause, rule, context, findings);
                break;

            case BusinessGateRule rule:
                BusinessGate(terms, clause, rule, context, findings);
                break;

            case UseLimitRule rule:
                UseLimitFinding(license, clause, rule, context, findings);
                break;

            case AttributionRule rule when Triggered(rule.AppliesWhen, usage) && (!rule.DerivativesOnly || model.IsDerivative):
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
                findings.Add(DerivativeName(license, clause, rule, model, usage));
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

            case HostingRule rule:
                HostingTerms(license, clause, rule, usage, findings);
                break;

            case GeographicRule rule:
                Geographic(terms, clause, rule, context, findings);
                break;

            case TerritoryRule rule:
                Territory(license, clause, rule, context, findings);
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

    private static void UseLimitFinding(License license, Clause clause, UseLimitRule rule, Context context, List<Finding> findings)
    {
        var (usage, company) = (context.Usage, context.Company);
        // MRL and MNPL bar supplying the model to others in a commercial activity, paid or free, SaaS included;
        // a commercial entity's distribution is that by definition.
        var suppliedCommercially = usage.ReachesThirdParties() && (usage.Commercial || company.CommercialEntity);
        var (allowed, why) = rule.Limit switch
        {
            UseLimit.NonCommercial => (!usage.Commercial, "non-commercial use only"),
            UseLimit.ResearchOnly => (!usage.Commercial && usage.Purpose == Purpose.Research && !(company.CommercialEntity && usage.ReachesThirdParties()),
                "research purposes only: not the daily tasks of a company's staff, not revenue-oriented tests, and no distribution " +
                "by a commercial entity, paid or free, SaaS included"),
            UseLimit.NonProduction => (usage.Purpose != Purpose.Production && !suppliedCommercially,
                "testing, research or evaluation in non-production environments, whoever the licensee is, and never supplying " +
                "the model to others in a commercial activity, paid or free, SaaS included"),
            UseLimit.ResearchOrEvaluation => (!usage.Commercial && usage.Purpose != Purpose.Production,
                "non-commercial research or evaluation only"),
            _ => (false, "a use this version of Governance does not know"),
        };
        if (allowed) return;
        findings.Add(new Finding(FindingCodes.NonCommercialLicense, Severity.Blocking, clause.Id,
            $"{license.Name} grants rights for {why}. This deployment is declared {(usage.Commercial ? "commercial" : "non-commercial")} " +
            $"with purpose '{Words(usage.Purpose)}' and hosting '{Words(usage.Hosting)}', for a company that " +
            $"{(company.CommercialEntity ? "is" : "is not")} a commercial entity. A separate commercial license from the licensor is required.",
            Facts(("commercial", Bool(usage.Commercial)), ("purpose", Words(usage.Purpose)), ("limit", Words(rule.Limit)),
                ("hosting", Words(usage.Hosting)), ("commercialEntity", Bool(company.CommercialEntity)))));
    }

    private static Finding DerivativeName(License license, Clause clause, DerivativeNamingRule rule, ModelFacts model, UsageFacts usage)
    {
        if (string.IsNullOrWhiteSpace(model.DistributedName))
            return new Finding(FindingCodes.DerivativeNaming, Severity.Obligation, clause.Id,
                $"The deployment makes a derivative of {license.Name} available to others ({Words(usage.Hosting)}); its name must begin with \"{rule.RequiredPrefix}\". No distributed name is declared.",
                Facts(("requiredPrefix", rule.RequiredPrefix)));
        var name = model.DistributedName;
        var reading = $"read word by word as \"{ModelNames.Reading(name)}\" against \"{ModelNames.Reading(rule.RequiredPrefix)}\"";
        var facts = Facts(("requiredPrefix", rule.RequiredPrefix), ("distributedName", name), ("readAs", ModelNames.Reading(name)));
        return ModelNames.BeginsWith(name, rule.RequiredPrefix)
            ? new Finding(FindingCodes.DerivativeNaming, Severity.Info, clause.Id,
                $"The distributed name \"{name}\" begins with \"{rule.RequiredPrefix}\" as the license requires ({reading}).", facts)
            : new Finding(FindingCodes.DerivativeNaming, Severity.Blocking, clause.Id,
                $"The derivative is distributed as \"{name}\", but {license.Name} requires the name of a distributed derivative to begin with \"{rule.RequiredPrefix}\" ({reading}).", facts);
    }

    private static void HostingTerms(License license, Clause clause, HostingRule rule, UsageFacts usage, List<Finding> findings)
    {
        if (rule.Excluded.Contains(usage.Hosting))
        {
            findings.Add(new Finding(FindingCodes.HostingRestricted, Severity.Blocking, clause.Id,
                $"{license.Name} excludes '{Words(usage.Hosting)}' hosting without the licensor's written permission.",
                Facts(("hosting", Words(usage.Hosting)), ("excluded", string.Join(", ", rule.Excluded.Select(Words))))));
            return;
        }
        if (!rule.ModelApi || usage.Hosting != Policies.Hosting.Saas) return;
        var facts = Facts(("hosting", Words(usage.Hosting)), ("offersModelApi", usage.OffersModelApi is { } o ? Bool(o) : "not declared"));
        findings.Add(usage.OffersModelApi switch
        {
            true => new Finding(FindingCodes.HostingRestricted, Severity.Blocking, clause.Id,
                $"{license.Name} excludes offering the model to third parties as an inference or fine-tuning API or managed service " +
                "without the licensor's permission, and the deployment declares that it does.", facts),
            null => new Finding(FindingCodes.HostingRestricted, Severity.Obligation, clause.Id,
                $"{license.Name} excludes offering the model to third parties as an inference or fine-tuning API or managed service. " +
                "A product that only embeds the model is not that, but the deployment does not declare which it is.", facts),
            false => new Finding(FindingCodes.HostingRestricted, Severity.Info, clause.Id,
                $"{license.Name} excludes offering the model to third parties as an inference or fine-tuning API or managed service; " +
                "the deployment declares that its SaaS product embeds the model without exposing it as such.", facts),
        });
    }

    private static void Geographic(Terms terms, Clause clause, GeographicRule rule, Context context, List<Finding> findings)
    {
        var (license, domicile) = (terms.License, context.Company.Domicile);
        var places = string.Join(", ", rule.ExcludedDomiciles);
        var excluded = domicile is not null && Countries.IsInAny(domicile, rule.ExcludedDomiciles);
        var modality = Words(terms.Modality);
        var modalitySource = terms.ModalityKnown ? "per the model catalog" : "as declared";
        if (!rule.Modalities.Contains(terms.Modality))
        {
            // A declared modality the catalog can't confirm is the fact most often typed wrong (Llama 4 is natively multimodal).
            if (excluded && context.CatalogInUse && !terms.ModalityKnown)
                findings.Add(new Finding(FindingCodes.GeographicRestriction, Severity.Obligation, clause.Id,
                    $"{license.Name} grants no rights for {string.Join(", ", rule.Modalities.Select(Words))} models to licensees domiciled in {places}, " +
                    $"and the company is domiciled in {domicile}. The deployment declares a {modality} model that the model catalog does not hold, " +
                    "so its modality can't be confirmed: register it by repository id or confirm that it is not multimodal.",
                    Facts(("modality", modality), ("modalitySource", "declared, not in the model catalog"), ("domicile", domicile!), ("excludedDomiciles", places))));
            return;
        }
        if (domicile is null)
            findings.Add(new Finding(FindingCodes.GeographicRestriction, Severity.Obligation, clause.Id,
                $"{license.Name} grants no rights for {modality} models to licensees domiciled in {places}. " +
                "The company's domicile is not on record, so this can't be settled.",
                Facts(("modality", modality), ("modalitySource", modalitySource), ("excludedDomiciles", places))));
        else if (excluded)
            findings.Add(new Finding(FindingCodes.GeographicRestriction, Severity.Blocking, clause.Id,
                $"{license.Name} grants no rights for {modality} models ({modalitySource}) to licensees domiciled in, or with their principal " +
                $"place of business in, {places}; the company is domiciled in {domicile}. Where the model runs and who its end users are does not change this.",
                Facts(("modality", modality), ("modalitySource", modalitySource), ("domicile", domicile), ("excludedDomiciles", places))));
    }

    private static void Territory(License license, Clause clause, TerritoryRule rule, Context context, List<Finding> findings)
    {
        var (usage, domicile) = (context.Usage, context.Company.Domicile);
        var places = string.Join(", ", rule.Excluded);
        var inside = new List<string>();
        var unknown = new List<string>();
        foreach (var region in usage.Regions)
        {
            var country = CloudRegions.CountryOf(region);
            if (country is null) unknown.Add($"the country of region {region}");
            else if (Countries.IsInAny(country, rule.Excluded)) inside.Add($"region {region} ({country})");
        }
        if (usage.UserCountries is { } users)
            inside.AddRange(users.Where(c => Countries.IsInAny(c, rule.Excluded)).Select(c => $"users in {c}"));
        else if (usage.ReachesThirdParties())
            unknown.Add("the countries of the product's users");
        if (domicile is null) unknown.Add("the company's domicile");
        else if (Countries.IsInAny(domicile, rule.Excluded))
        {
            // Used in-house, the company's own staff are the users, and they work where the company is.
            if (usage.Hosting == Policies.Hosting.Internal) inside.Add($"in-house use by a company domiciled in {domicile}");
            else unknown.Add($"where the staff of a company domiciled in {domicile} use the model and its outputs");
        }

        var facts = Facts(("excluded", places), ("regions", string.Join(", ", usage.Regions)),
            ("userCountries", usage.UserCountries is null ? "not declared" : string.Join(", ", usage.UserCountries)),
            ("domicile", domicile ?? "not on record"));
        var what = $"{license.Name} does not apply in {places}: the model, its outputs and results may not be used, distributed or displayed there.";
        if (inside.Count > 0)
            findings.Add(new Finding(FindingCodes.GeographicRestriction, Severity.Blocking, clause.Id,
                $"{what} The deployment reaches it through {string.Join("; ", inside)}.", facts));
        else if (unknown.Count > 0)
            findings.Add(new Finding(FindingCodes.GeographicRestriction, Severity.Obligation, clause.Id,
                $"{what} This can't be settled until these are known: {string.Join("; ", unknown)}.", facts));
    }

    private static void EvaluateCompanyRules(Context context, List<Finding> findings)
    {
        var (input, model, usage) = (context.Input, context.Model, context.Usage);
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

        var denied = input.Rules.DeniedOrigins;
        if (denied.Contains(model.Origin, StringComparer.OrdinalIgnoreCase))
            findings.Add(new Finding(FindingCodes.OriginDenied, Severity.Blocking, DeniedOriginsClause,
                $"Company rule: models originating in {model.Origin} are not permitted.",
                Facts(("origin", model.Origin), ("deniedOrigins", string.Join(", ", denied)))));
        else if (denied.Count > 0 && context.Lineage.Carriers.Values.Distinct().FirstOrDefault(c => denied.Contains(c.Origin, StringComparer.OrdinalIgnoreCase)) is { } ancestor)
            findings.Add(new Finding(FindingCodes.OriginDenied, Severity.Blocking, DeniedOriginsClause,
                $"Company rule: models originating in {ancestor.Origin} are not permitted, and this model derives from {ancestor.Repo}, which does.",
                Facts(("origin", model.Origin), ("ancestor", ancestor.Repo), ("ancestorOrigin", ancestor.Origin), ("deniedOrigins", string.Join(", ", denied)))));

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
        if (input.Attestation is { HasValidAttestation: true, Drift: { } drift } && ArtifactJudgement.Drift(drift) is { } drifted)
            findings.Add(drifted);
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
        _ => usage.Hosting == Policies.Hosting.Redistributed,
    };

    private static Dictionary<string, string> Facts(params (string Key, string Value)[] pairs)
    {
        var facts = new Dictionary<string, string>(pairs.Length, StringComparer.Ordinal);
        foreach (var (key, value) in pairs) facts[key] = value;
        return facts;
    }

    private static string Number(decimal value) => value.ToString("#,0.##", CultureInfo.InvariantCulture);

    private static string Date(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Words<T>(T value) where T : struct, Enum => Naming.Snake(value);
}
