using Governance.Api.Features.Company;
using Governance.Policies;
using Marten;

namespace Governance.Api.Features.Deployments;

/// <summary>
/// Re-assesses every open deployment after something they all depend on changed (company usage, rules, profile,
/// the catalog, or the calendar for waivers). Appends are pinned to the versions read, in the caller's transaction:
/// a deployment changed meanwhile makes the whole change fail with 409 rather than be assessed on stale facts.
/// </summary>
public static class Reassessment
{
    public static async Task<int> ReassessOpenDeployments(
        IDocumentSession session, Assessor assessor, CompanyView? company, string trigger, Actor by, DateTimeOffset now, CancellationToken ct)
    {
        var open = await session.Query<DeploymentView>().Where(d => d.Status != DeploymentStatus.Retired).ToListAsync(ct);
        var changed = 0;
        foreach (var state in open)
            if (Reassess(session, assessor, state, company, trigger, by, now, [])) changed++;
        return changed;
    }

    /// <summary>Appends what a fresh assessment of <paramref name="state"/> implies, preceded by <paramref name="first"/>.</summary>
    public static bool Reassess(IDocumentSession session, Assessor assessor, DeploymentView state, CompanyView? company,
        string trigger, Actor by, DateTimeOffset now, IReadOnlyList<object> first)
    {
        var copy = state.Copy();
        foreach (var e in first) copy.When(e);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var assessed = assessor.Assessed(copy.Id, assessor.Assess(copy, company, copy.Waivers, today), trigger, today, by, now);
        var events = first.Concat(Decider.Reassess(copy, assessed)).ToList();
        if (events.Count == 0) return false;
        session.Events.Append(state.Id, state.Version + events.Count, events);
        return true;
    }
}
