namespace Governance.Policies;

/// <summary>
/// Cloud regions are matched against company residency patterns where <c>*</c> stands for any run of characters:
/// <c>eu-*</c> admits <c>eu-west-1</c> and <c>eu-central-2</c>, not <c>us-east-1</c>.
/// </summary>
public static class Regions
{
    public static bool Matches(string region, string pattern)
    {
        var parts = pattern.Split('*');
        if (parts.Length == 1) return string.Equals(region, pattern, StringComparison.OrdinalIgnoreCase);
        if (!region.StartsWith(parts[0], StringComparison.OrdinalIgnoreCase)) return false;
        var position = parts[0].Length;
        for (var i = 1; i < parts.Length - 1; i++)
        {
            var at = region.IndexOf(parts[i], position, StringComparison.OrdinalIgnoreCase);
            if (at < 0) return false;
            position = at + parts[i].Length;
        }
        var last = parts[^1];
        return region.Length - position >= last.Length && region.EndsWith(last, StringComparison.OrdinalIgnoreCase);
    }

    public static bool IsAllowed(string region, IEnumerable<string> patterns) => patterns.Any(p => Matches(region, p));
}
