namespace Governance.Api.Infrastructure;

/// <summary>Bounds on what a request may carry, so a mistake or an attack never costs memory or a slow query.</summary>
public static class InputLimits
{
    /// <summary>Lists are facts a person declares (regions, data classes, waivers, base models): anything longer is a mistake or an attack.</summary>
    public const int MaxListItems = 50;
}
