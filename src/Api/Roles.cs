namespace Governance.Api;

/// <summary>The roles a token may carry in its <c>role</c> claim.</summary>
public static class Role
{
    public const string Architect = "architect";
    public const string Legal = "legal";
    public const string Auditor = "auditor";
    public const string Scanner = "scanner";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Architect, Legal, Auditor, Scanner, Admin];
}
