using System.Text;

namespace Governance.Policies;

/// <summary>One spelling for enum values everywhere (catalog files, API, reports): snake_case.</summary>
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
}
