using Governance.Policies;
using Governance.Policies.Evaluation;

namespace Governance.Api.Features.Deployments;

/// <summary>Why a command was refused, as the HTTP status and words the caller gets back.</summary>
public sealed record Refusal(int Status, string Title, string Detail);

/// <summary>
/// The deployment's rules of state: given the current state and a fresh assessment, which events follow.
/// Pure: the endpoints load, call these, and append what comes back.
/// </summary>
public static class Decider
{
    /// <summary>
    /// A new assessment is recorded only when it differs from the last, and an approved deployment that now
    /// has an unwaived blocking finding, or an obligation legal did not accept, moves to review.
    /// </summary>
    public static IReadOnlyList<object> Reassess(DeploymentView state, DeploymentAssessed next)
    {
        if (state.Status == DeploymentStatus.Retired) return [];
        if (state.Assessment is { } last && last.CatalogVersion == next.CatalogVersion && SameFindings(last.Findings, next.Findings))
            return [];
        var events = new List<object> { next };
        if (state.Status == DeploymentStatus.Approved && ReviewReason(state, next) is { } review)
            events.Add(new DeploymentReviewRequired(state.Id, review.Reason, review.Codes, next.By, next.At));
        return events;
    }

    private static (string Reason, IReadOnlyList<string> Codes)? ReviewReason(DeploymentView state, DeploymentAssessed next)
    {
        var blocking = next.Findings.Where(f => f.IsOpenBlocking()).Select(f => f.Code).Distinct().ToList();
        if (blocking.Count > 0)
            return ($"The deployment is no longer compliant: unwaived blocking finding(s) {string.Join(", ", blocking)}.", blocking);
        var unaccepted = DeploymentView.Basis(next.Findings).Except(state.ApprovedBasis).ToList();
        if (unaccepted.Count > 0)
            return ($"New obligation(s) since approval: {string.Join(", ", unaccepted)}.", unaccepted.Select(k => k.Split('@')[0]).Distinct().ToList());
        return null;
    }

    public static Refusal? CheckOpen(DeploymentView state, string action) => state.Status switch
    {
        DeploymentStatus.Retired => new Refusal(409, "Deployment retired", $"The deployment was retired; it can't be {action}."),
        _ => null,
    };

    /// <summary>Approve or reject. <paramref name="withWaivers"/> is the assessment re-run with the waivers offered.</summary>
    public static (IReadOnlyList<object> Events, Refusal? Refusal) Decide(
        DeploymentView state, bool approve, string justification, IReadOnlyList<Waiver> waivers, DeploymentAssessed withWaivers)
    {
        if (state.Status is not (DeploymentStatus.PendingReview or DeploymentStatus.ReviewRequired))
            return ([], new Refusal(409, "Already decided",
                $"The deployment is {Naming.Snake(state.Status)}; only pending_review or review_required deployments can be decided."));
        if (!approve)
            return ([new DeploymentRejected(state.Id, justification, withWaivers.By, withWaivers.At)], null);

        var waivable = withWaivers.Findings.Where(f => f.Severity != Severity.Info).Select(f => f.Code).ToHashSet();
        var stray = waivers.Select(w => w.FindingCode).Where(c => !waivable.Contains(c)).Distinct().ToList();
        if (stray.Count > 0)
            return ([], new Refusal(422, "Waiver for a finding that does not exist",
                $"No open finding has code {string.Join(", ", stray)}; waivers can only cover findings of the current assessment."));
        var open = withWaivers.Findings.Where(f => f.IsOpenBlocking()).Select(f => f.Code).Distinct().ToList();
        if (open.Count > 0)
            return ([], new Refusal(422, "Unwaived blocking findings",
                $"The deployment can't be approved while blocking finding(s) {string.Join(", ", open)} stand without a waiver."));

        var events = new List<object>();
        if (state.Assessment is null || !SameFindings(state.Assessment.Findings, withWaivers.Findings)
            || state.Assessment.CatalogVersion != withWaivers.CatalogVersion)
            events.Add(withWaivers);
        events.Add(new DeploymentApproved(state.Id, justification, waivers, withWaivers.By, withWaivers.At));
        return (events, null);
    }

    public static bool SameFindings(IReadOnlyList<Finding> a, IReadOnlyList<Finding> b) =>
        a.Count == b.Count && a.Zip(b).All(p => Key(p.First) == Key(p.Second));

    private static string Key(Finding f) => $"{f.Code}|{f.Severity}|{f.ClauseId}|{f.Message}|{f.Waiver?.ExpiresOn}";
}
