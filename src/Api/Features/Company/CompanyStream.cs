using Governance.Api.Features.Deployments;
using Marten;

namespace Governance.Api.Features.Company;

public static class CompanyStream
{
    /// <summary>
    /// Records a change to the company and re-assesses every open deployment against it, in one transaction:
    /// either the change and all its consequences are stored, or none of them.
    /// </summary>
    public static async Task<CompanyView> Change(IDocumentSession session, Assessor assessor, IRecordedEvent change, string trigger, CancellationToken ct)
    {
        var company = await Append(session, change, ct);
        await Reassessment.ReassessOpenDeployments(session, assessor, company, trigger, change.By, change.At, ct);
        await session.SaveChangesAsync(ct);
        return company;
    }

    /// <summary>
    /// Appends to the company stream pinned to the version read, and returns the company as it will stand,
    /// so the re-assessment in the same transaction sees the change.
    /// </summary>
    public static async Task<CompanyView> Append(IDocumentSession session, object e, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<CompanyView>(CompanyView.StreamId, ct);
        stream.AppendOne(e);
        // A copy: the instance Marten hands out may be the one its inline projection applies the event to.
        var company = stream.Aggregate is null ? new CompanyView() : Infrastructure.Json.Clone(stream.Aggregate);
        switch (e)
        {
            case CompanyProfileSet x: company.Apply(x); break;
            case CompanyUsageReported x: company.Apply(x); break;
            case CompanyRulesAdopted x: company.Apply(x); break;
        }
        company.Version++;
        return company;
    }
}
