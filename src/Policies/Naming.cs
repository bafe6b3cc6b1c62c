using System.Text;

namespace Governance.Policies;

/// <summary>
/// The one spelling of enum values everywhere (catalog files, API bodies and query strings, findings): snake_case,
/// <c>NonCompliant</c> → <c>non_compliant</c>; and the one way to say them in prose: <c>non-compliant</c>.
/// </summary>
public static class Naming
{
    public static string Snake(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c))
            {
                if (i > 0) sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }

    public static string Snake<T>(T value) where T : struct, Enum => Snake(value.ToString());

    /// <summary>The value as a reader says it: <c>non-compliant</c>, <c>review-required</c>.</summary>
    public static string Words<T>(T value) where T : struct, Enum => Snake(value.ToString()).Replace('_', '-');

    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
            if (Snake(candidate.ToString()) == text)
            {
                value = candidate;
                return true;
            }
        value = default;
        return false;
    }

    /// <summary>Every value's spelling, for messages such as "expected one of pending_review, approved, …".</summary>
    public static IEnumerable<string> Names<T>() where T : struct, Enum => Enum.GetValues<T>().Select(v => Snake(v.ToString()));
}
