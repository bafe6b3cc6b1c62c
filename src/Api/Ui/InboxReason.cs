using Governance.Api.Features.Deployments;

namespace Governance.Api.Ui;

/// <summary>
/// Why a deployment waits for legal, in words: "new" for one never decided, else what sent it back to review
/// (<see cref="DeploymentView.ReviewTrigger"/>). The one place that turns triggers into reasons.
/// </summary>
public static class InboxReason
{
    public const string New = "new";

    /// <summary>Each reason a filter offers, in the inbox's order, with the words shown for it.</summary>
    public static readonly IReadOnlyList<(string Key, string Words)> All =
    [
        (New, "new"),
        ("usage-changed", "usage changed"),
        ("rules-changed", "rules changed"),
        ("catalog-changed", "catalog changed"),
        ("waiver-lapsed", "waiver lapsed"),
        ("scan-failed", "scan failed"),
        ("attestation-withdrawn", "attestation withdrawn"),
        ("attested", "attestation recorded"),
        ("other", "other"),
    ];

    /// <summary>The triggers (what prompted an assessment) behind each reason.</summary>
    private static readonly IReadOnlyDictionary<string, string> ByTrigger = new Dictionary<string, string>
    {
        ["usage-reported"] = "usage-changed",
        ["company-rules-adopted"] = "rules-changed",
        ["company-usage-reported"] = "rules-changed",
        ["company-profile-set"] = "rules-changed",
        ["catalog-changed"] = "catalog-changed",
        ["waiver-lapsed"] = "waiver-lapsed",
        ["scan-failed"] = "scan-failed",
        ["attestation-withdrawn"] = "attestation-withdrawn",
        ["attested"] = "attested",
    };

    public static string Of(DeploymentView d) =>
        d.Status == DeploymentStatus.PendingReview ? New : OfTrigger(d.ReviewTrigger);

    public static string OfTrigger(string? trigger) => trigger is not null && ByTrigger.TryGetValue(trigger, out var key) ? key : "other";

    /// <summary>The triggers a reason stands for: what a query filters on.</summary>
    public static IReadOnlyList<string> Triggers(string reason) => ByTrigger.Where(p => p.Value == reason).Select(p => p.Key).ToList();

    public static string Words(string key) => All.FirstOrDefault(r => r.Key == key).Words ?? key;
}
