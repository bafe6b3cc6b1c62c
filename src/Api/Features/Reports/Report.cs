namespace Governance.Api.Features.Reports;

/// <summary>
/// A report left Governance: its SHA-256 is recorded so anyone holding the PDF can check it is the one issued.
/// One stream per report, so issuing a report never competes with writes to the deployment it describes.
/// </summary>
public sealed record ReportIssued(
    Guid ReportId, string Kind, Guid? DeploymentId, string Sha256, DateTimeOffset AsOf, int Pages, long Bytes, Actor By, DateTimeOffset At)
    : IRecordedEvent;

public sealed class ReportView
{
    public Guid Id { get; set; }
    public long Version { get; set; }
    /// <summary><c>deployment</c> or <c>portfolio</c>.</summary>
    public string Kind { get; set; } = "";
    public Guid? DeploymentId { get; set; }
    public string Sha256 { get; set; } = "";
    public DateTimeOffset AsOf { get; set; }
    public int Pages { get; set; }
    public long Bytes { get; set; }
    public Actor IssuedBy { get; set; } = null!;
    public DateTimeOffset IssuedAt { get; set; }

    public static ReportView Create(ReportIssued e) => new()
    {
        Id = e.ReportId, Kind = e.Kind, DeploymentId = e.DeploymentId, Sha256 = e.Sha256, AsOf = e.AsOf, Pages = e.Pages, Bytes = e.Bytes,
        IssuedBy = e.By, IssuedAt = e.At,
    };
}
