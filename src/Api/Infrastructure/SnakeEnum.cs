using Governance.Policies;

namespace Governance.Api.Infrastructure;

/// <summary>Enum values in query strings are spelt as in JSON bodies: <c>pending_review</c>.</summary>
public static class SnakeEnum
{
    public static bool TryParse<T>(string text, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
            if (Naming.Snake(candidate.ToString()) == text)
            {
                value = candidate;
                return true;
            }
        value = default;
        return false;
    }

    public static string Names<T>() where T : struct, Enum => string.Join(", ", Enum.GetValues<T>().Select(v => Naming.Snake(v.ToString())));
}
