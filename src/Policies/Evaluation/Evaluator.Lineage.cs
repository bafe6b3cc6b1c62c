using System.Runtime.CompilerServices;
using Governance.Policies.Catalog;

namespace Governance.Policies.Evaluation;

/// <summary>What the model catalog adds: declared facts it contradicts, base models it can't resolve, and inherited terms a declared license tries to drop.</summary>
public static partial class Evaluator
{
    private static void EvaluateLineage(Context context, List<Finding> findings)
    {
        var (lineage, declared) = (context.Lineage, context.Declared);
        if (lineage.Model is { } entry)
        {
            if (!entry.LicenseIds.Contains(declared.LicenseId, StringComparer.Ordinal))
                findings.Add(Mismatch(entry, "licenseId", declared.LicenseId, entry.LicenseId,
                    "The assessment applied both licenses' terms"));
            if (declared.ReleaseDate != entry.ReleaseDate)
                findings.Add(Mismatch(entry, "releaseDate", Date(declared.ReleaseDate), Date(entry.ReleaseDate),
                    "The assessment used the catalog's date"));
            if (!string.Equals(declared.Origin, entry.Origin, StringComparison.Ordinal))
                findings.Add(Mismatch(entry, "origin", declared.Origin, entry.Origin, "The assessment used the catalog's origin"));
            if (declared.Modality != entry.Modality)
                findings.Add(Mismatch(entry, "modality", Words(declared.Modality), Words(entry.Modality),
                    "The assessment used the catalog's modality, since it is a property of the model, not of what the deployment sends it"));
        }

        foreach (var name in lineage.Unresolved)
            findings.Add(new Finding(FindingCodes.LineageUnresolved, Severity.Obligation, LineageUnresolvedClausePrefix + name,
                $"The model catalog does not hold {name}, so the license terms it carries into this deployment were not assessed. " +
                "Catalog the model, or have legal establish its license.",
                Facts(("model", name))));

        if (context.Input.License is not { } own) return;
        var ownTerms = TermKinds(own);
        foreach (var inherited in lineage.Inherited.Where(i => !i.Acknowledged && i.License is not null))
        {
            var relaxed = TermKinds(inherited.License!).Where(kind => !ownTerms.Contains(kind)).ToList();
            if (relaxed.Count == 0) continue;
            var redistributed = context.Usage.Hosting == Policies.Hosting.Redistributed;
            findings.Add(new Finding(FindingCodes.LicenseConflict, redistributed ? Severity.Blocking : Severity.Obligation,
                LicenseConflictClausePrefix + inherited.LicenseId,
                $"The model is declared under {own.Name}, but it derives from {inherited.Carrier.Repo} ({inherited.Via}), whose " +
                $"{inherited.License!.Name} a derivative keeps. The declared license drops {string.Join(", ", relaxed)}, which it can't relax; " +
                "those inherited terms were assessed here" +
                (redistributed ? $", and passing the model on under {own.Name} alone would give recipients rights nobody granted." : "."),
                Facts(("declaredLicense", own.Id), ("inheritedLicense", inherited.LicenseId), ("inheritedFrom", inherited.Carrier.Repo),
                    ("inheritedVia", inherited.Via), ("relaxedTerms", string.Join("; ", relaxed)), ("hosting", Words(context.Usage.Hosting)))));
        }
    }

    private static Finding Mismatch(CatalogModel entry, string field, string declared, string catalogued, string consequence) =>
        new(FindingCodes.ModelFactsMismatch, Severity.Obligation, ModelFactsClausePrefix + field,
            $"The deployment declares {field} '{declared}' for {entry.Repo}, but the model catalog records '{catalogued}' " +
            $"(source: {entry.Source}). {consequence}; correct the declaration, or the catalog if it is the one that is wrong.",
            Facts(("repo", entry.Repo), ("field", field), ("declared", declared), ("catalog", catalogued), ("source", entry.Source.ToString())));

    /// <summary>
    /// The kinds of term a license imposes beyond notices: what a license that lacks them would relax. A license never
    /// changes once parsed, so its kinds are worked out once.
    /// </summary>
    private static IReadOnlySet<string> TermKinds(License license) =>
        Kinds.GetValue(license, l => l.Clauses.Select(c => TermKind(c.Rule)).OfType<string>().ToHashSet(StringComparer.Ordinal));

    private static readonly ConditionalWeakTable<License, IReadOnlySet<string>> Kinds = new();

    private static string? TermKind(Rule rule) => rule switch
    {
        ThresholdRule { Consequence: ThresholdConsequence.BrandingRequired } => "branding above a threshold",
        ThresholdRule => "a user or revenue threshold",
        BusinessGateRule => "a business gate",
        UseLimitRule => "a limit on the purpose of use",
        AttributionRule => "attribution",
        DerivativeNamingRule => "derivative naming",
        OutputTrainingRule => "terms on training with outputs",
        HostingRule => "a hosting exclusion",
        GeographicRule => "a geographic exclusion",
        TerritoryRule => "a territory limit",
        UseRestrictionRule => "use restrictions",
        PassdownRule => "use restrictions passed on",
        _ => null,
    };
}
