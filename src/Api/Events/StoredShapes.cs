using Governance.Policies;
using Governance.Policies.Evaluation;

namespace Governance.Api.Events;

// The shapes of domain facts inside stored events. Events are kept forever, so their JSON must not follow a rename in
// src/Policies: each shape below is spelt out here, mapped to and from the domain in this one file, and pinned by
// tests/Api.Tests/Events (every event type read back from a sample stored by an earlier version). A new optional
// property is a compatible change; a rename or removal needs an upcaster. Enum values are stored by member name.

/// <summary>The model as registered. <see cref="Repo"/>: the model catalog id it was registered by (null before 2026-12, or when typed by hand).</summary>
public sealed record StoredModel(
    string Name, string LicenseId, DateOnly ReleaseDate, string Origin, Modality Modality, string ArtifactSha256,
    bool IsDerivative, IReadOnlyList<string> BaseModels, string? DistributedName, int? ContextLength, string? Repo = null)
{
    public static StoredModel From(ModelFacts m) =>
        new(m.Name, m.LicenseId, m.ReleaseDate, m.Origin, m.Modality, m.ArtifactSha256, m.IsDerivative, m.BaseModels, m.DistributedName, m.ContextLength, m.Repo);

    public ModelFacts ToDomain() =>
        new(Name, LicenseId, ReleaseDate, Origin, Modality, ArtifactSha256, IsDerivative, BaseModels ?? [], DistributedName, ContextLength, Repo);
}

/// <summary>
/// How the product uses the model, as declared. <see cref="MonthlyActiveUsers"/> is null when not declared; events
/// stored before 2026-12 hold 0 for an undeclared figure, and read as a declared 0 (the stored fact cannot tell which).
/// </summary>
public sealed record StoredUsage(
    bool Commercial, Hosting Hosting, IReadOnlyList<string> Regions, IReadOnlyList<string> DataClasses, bool DisplaysAttribution,
    bool TrainsOtherModels, IReadOnlyList<string> FieldsOfUse, long? MonthlyActiveUsers, Purpose Purpose,
    decimal? MonthlyRevenueUsd = null, bool? OffersModelApi = null, IReadOnlyList<string>? UserCountries = null)
{
    public static StoredUsage From(UsageFacts u) =>
        new(u.Commercial, u.Hosting, u.Regions, u.DataClasses, u.DisplaysAttribution, u.TrainsOtherModels, u.FieldsOfUse, u.MonthlyActiveUsers, u.Purpose,
            u.MonthlyRevenueUsd, u.OffersModelApi, u.UserCountries);

    public UsageFacts ToDomain() =>
        new(Commercial, Hosting, Regions ?? [], DataClasses ?? [], DisplaysAttribution, TrainsOtherModels, FieldsOfUse ?? [], MonthlyActiveUsers, Purpose,
            MonthlyRevenueUsd, OffersModelApi, UserCountries);
}

/// <summary>A waiver legal granted: the finding it covers until a date, why, and who approved it.</summary>
public sealed record StoredWaiver(string FindingCode, DateOnly ExpiresOn, string Reason, string ApprovedBy)
{
    public static StoredWaiver From(Waiver w) => new(w.FindingCode, w.ExpiresOn, w.Reason, w.ApprovedBy);

    public Waiver ToDomain() => new(FindingCode, ExpiresOn, Reason, ApprovedBy);
}

/// <summary>A waiver as it applied to a finding on the assessment date.</summary>
public sealed record StoredWaiverApplied(DateOnly ExpiresOn, string Reason, string ApprovedBy);

/// <summary>One finding of an assessment.</summary>
public sealed record StoredFinding(
    string Code, Severity Severity, string ClauseId, string Message, IReadOnlyDictionary<string, string> Facts, StoredWaiverApplied? Waiver)
{
    public static StoredFinding From(Finding f) =>
        new(f.Code, f.Severity, f.ClauseId, f.Message, f.Facts,
            f.Waiver is { } w ? new StoredWaiverApplied(w.ExpiresOn, w.Reason, w.ApprovedBy) : null);

    public Finding ToDomain() => new(Code, Severity, ClauseId, Message, Facts ?? new Dictionary<string, string>())
    {
        Waiver = Waiver is { } w ? new WaiverApplied(w.ExpiresOn, w.Reason, w.ApprovedBy) : null,
    };
}

/// <summary>Where one class of data may be processed.</summary>
public sealed record StoredResidencyRule(string DataClass, IReadOnlyList<string> AllowedRegions)
{
    public static StoredResidencyRule From(ResidencyRule r) => new(r.DataClass, r.AllowedRegions);

    public ResidencyRule ToDomain() => new(DataClass, AllowedRegions ?? []);
}

public static class StoredShapes
{
    public static IReadOnlyList<StoredFinding> From(IEnumerable<Finding> findings) => findings.Select(StoredFinding.From).ToList();

    public static IReadOnlyList<Finding> ToDomain(this IEnumerable<StoredFinding> findings) => findings.Select(f => f.ToDomain()).ToList();

    public static IReadOnlyList<StoredWaiver> From(IEnumerable<Waiver> waivers) => waivers.Select(StoredWaiver.From).ToList();

    public static IReadOnlyList<Waiver> ToDomain(this IEnumerable<StoredWaiver> waivers) => waivers.Select(w => w.ToDomain()).ToList();
}
