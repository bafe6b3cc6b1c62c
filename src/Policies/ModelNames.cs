using System.Text;

namespace Governance.Policies;

/// <summary>
/// Model names as people write them. Repository names cannot contain spaces, so "Llama 3" is written "Llama-3",
/// "Llama_3", "llama3" or "Llama-3.1": a name is read as its words, split at separators (space, hyphen, underscore,
/// dot, slash), at a lower-to-upper case change and between letters and digits, in lower case.
/// "Llama-3-Acme-8B" reads "llama 3 acme 8 b" and begins with "Llama 3"; "Llama-30B" reads "llama 30 b" and does not;
/// "LlamaGuard" reads "llama guard" and begins with "Llama"; "Llamafied" is one word and does not.
/// </summary>
public static class ModelNames
{
    public static IReadOnlyList<string> Words(string name)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        char previous = '\0';
        foreach (var c in name)
        {
            if (!char.IsLetterOrDigit(c))
            {
                Flush();
                previous = '\0';
                continue;
            }
            var boundary = word.Length > 0 &&
                ((char.IsLower(previous) && char.IsUpper(c)) || (char.IsDigit(previous) != char.IsDigit(c)));
            if (boundary) Flush();
            word.Append(char.ToLowerInvariant(c));
            previous = c;
        }
        Flush();
        return words;

        void Flush()
        {
            if (word.Length > 0) words.Add(word.ToString());
            word.Clear();
        }
    }

    /// <summary>How a name was read, for findings: "llama 3 acme 8 b".</summary>
    public static string Reading(string name) => string.Join(' ', Words(name));

    /// <summary>Whether a name begins with a required prefix, word for word.</summary>
    public static bool BeginsWith(string name, string prefix)
    {
        var (words, required) = (Words(name), Words(prefix));
        return required.Count > 0 && words.Count >= required.Count && required.Select((w, i) => words[i] == w).All(x => x);
    }

    /// <summary>
    /// A model's name without organisation or URL path, case and separators, for matching names written differently:
    /// "meta-llama/Llama-3.1-8B", "Llama-3.1-8B" and "Llama 3.1 8B" agree.
    /// </summary>
    public static string Key(string? model)
    {
        if (string.IsNullOrWhiteSpace(model)) return "";
        var s = model.Trim().TrimEnd('/');
        s = s[(s.LastIndexOf('/') + 1)..].ToLowerInvariant();
        return string.Concat(s.Where(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '+'));
    }
}
