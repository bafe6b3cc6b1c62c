using Marten;

namespace Governance.Api.Features.Company;

public static class CompanyStream
{
    /// <summary>
    /// Appends to the company stream pinned to the version read, and returns the company as it will stand,
    /// so the re-assessment in the same transaction sees the change.
    /// </summary>
    public static async Task<CompanyView> Append(IDocumentSession session, object e, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<CompanyView>(CompanyView.StreamId, ct);
        stream.AppendOne(e);
        var company = stream.Aggregate is null ? new CompanyView() : Copy(stream.Aggregate);
        switch (e)
        {
            case CompanyProfileSet x: company.Apply(x); break;
            case CompanyUsageReported x: company.Apply(x); break;
            case CompanyRulesAdopted x: company.Apply(x); break;
        }
        company.Version++;
        return company;
    }

    private static CompanyView Copy(CompanyView view) =>
        System.Text.Json.JsonSerializer.Deserialize<CompanyView>(
            System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(view, Infrastructure.Json.Options), Infrastructure.Json.Options)!;
}
