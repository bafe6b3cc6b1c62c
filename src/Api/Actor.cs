using System.Security.Claims;

namespace Governance.Api;

/// <summary>Who did something: recorded on every event, taken from the caller's token.</summary>
public sealed record Actor(string Id, string Name, string Role)
{
    /// <summary>Governance itself, for what happens on its own: re-assessments, lapsed waivers.</summary>
    public static readonly Actor System = new("system", "Governance", "system");

    public static Actor From(ClaimsPrincipal user) => new(
        user.FindFirstValue("sub") ?? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown",
        user.FindFirstValue("name") ?? user.Identity?.Name ?? "unknown",
        user.FindFirstValue("role") ?? "unknown");
}

/// <summary>Every event says who caused it and when: the audit trail reads these.</summary>
public interface IRecordedEvent
{
    Actor By { get; }
    DateTimeOffset At { get; }
}
