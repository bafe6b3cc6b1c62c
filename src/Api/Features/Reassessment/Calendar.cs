namespace Governance.Api.Features.Reassessment;

/// <summary>
/// Time passed (<see cref="Slot"/>, an hour) or the catalog in force changed (<see cref="CatalogVersion"/>): waivers may have
/// reached their expiry date and assessments may rest on another catalog. One such event per slot and catalog, whatever
/// the number of replicas: each appends at the version it read, and only the first wins.
/// </summary>
public sealed record SweepDue(DateTimeOffset Slot, string CatalogVersion, Actor By, DateTimeOffset At) : IRecordedEvent;

/// <summary>The calendar stream: one per installation, holding the sweeps that were due.</summary>
public sealed record CalendarState
{
    public static readonly Guid StreamId = new("00000000-0000-0000-0000-0000000ca1e0");

    public Guid Id { get; init; } = StreamId;
    public long Version { get; init; }
    public DateTimeOffset? LastSlot { get; init; }
    public string? LastCatalogVersion { get; init; }

    public CalendarState Evolve(object @event) => @event switch
    {
        SweepDue e => this with { LastSlot = e.Slot, LastCatalogVersion = e.CatalogVersion },
        _ => this,
    };

    /// <summary>Whether a sweep is due for this slot and catalog: not already recorded by this or another replica.</summary>
    public bool IsDue(DateTimeOffset slot, string catalogVersion) => LastSlot is not { } last || slot > last || catalogVersion != LastCatalogVersion;

    public static DateTimeOffset SlotOf(DateTimeOffset now) => new(now.UtcDateTime.Date.AddHours(now.UtcDateTime.Hour), TimeSpan.Zero);

    public static string RunId(SweepDue e) => $"sweep-{e.Slot.UtcDateTime:yyyyMMddHH}-{e.CatalogVersion["sha256:".Length..]}";
}

public static class CalendarEvents
{
    public static readonly IReadOnlyList<Type> Types = [typeof(SweepDue)];
}
