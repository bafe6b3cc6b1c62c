using System.Globalization;
using Governance.Api.Features.Deployments;
using Governance.Policies;
using Governance.Policies.Evaluation;

namespace Governance.Api.Ui;

/// <summary>How the console writes numbers, money, instants and the domain's values for people.</summary>
public static class Format
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Invariant) + " UTC";

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", Invariant);

    /// <summary>12,000,000 → 12M; 4,500,000 → 4.5M; 950 → 950.</summary>
    public static string Short(decimal value) => Math.Abs(value) switch
    {
        >= 1_000_000_000 => Trim(value / 1_000_000_000) + "B",
        >= 1_000_000 => Trim(value / 1_000_000) + "M",
        >= 1_000 => Trim(value / 1_000) + "k",
        _ => Trim(value),
    };

    public static string Money(decimal usd) => "$" + Short(usd);

    public static string Count(long n) => n.ToString("N0", Invariant);

    private static string Trim(decimal v) => Math.Round(v, 1).ToString("0.#", Invariant);

    /// <summary>How long something has waited, in the largest unit that says it: "3 days", "5 hours".</summary>
    public static string Age(TimeSpan span) => span switch
    {
        { TotalDays: >= 2 } => $"{(int)span.TotalDays} days",
        { TotalHours: >= 2 } => $"{(int)span.TotalHours} hours",
        { TotalMinutes: >= 2 } => $"{(int)span.TotalMinutes} minutes",
        _ => "just now",
    };

    public static string Words(DeploymentStatus status) => Naming.Words(status).Replace('-', ' ');
    public static string Words(Verdict verdict) => Naming.Words(verdict);
    public static string Words(Severity severity) => Naming.Words(severity);

    /// <summary>The badge colour of a verdict or status: how worried a reader should be.</summary>
    public static string Tone(Verdict verdict) => verdict switch
    {
        Verdict.NonCompliant => "bad",
        Verdict.Conditional => "warn",
        _ => "good",
    };

    public static string Tone(DeploymentStatus status) => status switch
    {
        DeploymentStatus.Approved => "good",
        DeploymentStatus.Rejected => "bad",
        DeploymentStatus.ReviewRequired or DeploymentStatus.PendingReview => "warn",
        _ => "plain",
    };

    public static string Tone(Severity severity) => severity switch
    {
        Severity.Blocking => "bad",
        Severity.Obligation => "warn",
        _ => "plain",
    };
}
