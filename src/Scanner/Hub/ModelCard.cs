using System.Text;
using System.Text.RegularExpressions;

namespace Governance.Scanner.Hub;

/// <summary>Why a model card's front matter is not read. Callers key on it; the message is for people.</summary>
internal enum ModelCardError
{
    TooLong,
    Unterminated,
    InvalidUtf8,
    DuplicateKey,
    InvalidValue,
}

internal sealed class ModelCardFormatException(ModelCardError error, int line, string message)
    : Exception($"{message} (model card {error} at line {line})")
{
    public ModelCardError Error { get; } = error;
    public int Line { get; } = line;
}

/// <summary>
/// What a Hugging Face model card's YAML front matter says about license and lineage (the keys the Hub itself reads:
/// <c>license</c>, <c>license_name</c>, <c>license_link</c>, <c>base_model</c>, <c>base_model_relation</c>). Every field
/// is what the card claims; absent keys stay null.
/// </summary>
internal sealed partial record ModelCard(
    string? License,
    string? LicenseName,
    string? LicenseLink,
    IReadOnlyList<string> BaseModels,
    string? BaseModelRelation)
{
    /// <summary>Front matter longer than this is refused: real cards keep theirs to a few KB (the prose follows it).</summary>
    public const int MaxFrontMatterBytes = 64 * 1024;
    private const int MaxListItems = 256;
    private const int MaxValueLength = 4096;

    private static readonly HashSet<string> Keys = new(StringComparer.Ordinal) { "license", "license_name", "license_link", "base_model", "base_model_relation" };

    [GeneratedRegex(@"^(?<key>[A-Za-z_][\w.\-]*)[ \t]*:(?:[ \t]+(?<value>.*?))?[ \t]*$", RegexOptions.CultureInvariant)]
    private static partial Regex TopLevelKey();

    [GeneratedRegex(@"^[ \t]*-[ \t]+(?<item>.*?)[ \t]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ListItem();

    /// <summary>
    /// The front matter of <paramref name="bytes"/> (a README.md), or null when the card has none. Only the subset of
    /// YAML the Hub writes for these keys is read (plain, single- or double-quoted scalars, block and flow lists of
    /// them); other keys, nested maps and block scalars are skipped, never interpreted, so no alias or tag can expand.
    /// </summary>
    public static ModelCard? Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("\uFEFF"u8)) bytes = bytes[3..];
        var firstBreak = bytes.IndexOf((byte)'\n');
        if (firstBreak < 0 || !IsFence(bytes[..firstBreak], "---"u8)) return null;

        // The closing fence, looked for in bytes so that nothing past the limit is ever decoded.
        var limit = Math.Min(bytes.Length, MaxFrontMatterBytes);
        var close = -1;
        for (var at = firstBreak + 1; at < limit;)
        {
            var next = bytes[at..limit].IndexOf((byte)'\n');
            var lineEnd = next < 0 ? limit : at + next;
            if (IsFence(bytes[at..lineEnd], "---"u8) || IsFence(bytes[at..lineEnd], "..."u8)) { close = at; break; }
            if (next < 0) break;
            at = lineEnd + 1;
        }
        if (close < 0)
        {
            throw bytes.Length > MaxFrontMatterBytes
                ? new ModelCardFormatException(ModelCardError.TooLong, 1, $"the front matter runs past {MaxFrontMatterBytes} bytes")
                : new ModelCardFormatException(ModelCardError.Unterminated, 1, "the front matter has no closing '---'");
        }
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes[..close]);
        }
        catch (DecoderFallbackException)
        {
            throw new ModelCardFormatException(ModelCardError.InvalidUtf8, 1, "the front matter is not valid UTF-8");
        }
        var lines = text.Split('\n');
        var end = lines.Length;

        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 1; i < end; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var match = TopLevelKey().Match(line);
            if (!match.Success) continue; // indented lines, comments, blank lines: not a key of ours
            var key = match.Groups["key"].Value;
            if (!Keys.Contains(key)) continue;
            if (values.ContainsKey(key)) throw new ModelCardFormatException(ModelCardError.DuplicateKey, i + 1, $"'{key}' appears twice");
            var raw = match.Groups["value"].Success ? StripComment(match.Groups["value"].Value) : "";
            var items = new List<string>();
            if (raw.Length == 0)
            {
                // A block list on the following lines ("- a", "  - b"), if any.
                while (i + 1 < end && ListItem().Match(lines[i + 1].TrimEnd('\r')) is { Success: true } item)
                {
                    i++;
                    Add(items, Scalar(StripComment(item.Groups["item"].Value), i + 1), i + 1);
                }
            }
            else if (raw.StartsWith('['))
            {
                if (!raw.EndsWith(']')) throw new ModelCardFormatException(ModelCardError.InvalidValue, i + 1, $"the list of '{key}' is not closed on its line");
                foreach (var part in SplitFlow(raw[1..^1], i + 1)) Add(items, Scalar(part, i + 1), i + 1);
            }
            else if (raw[0] is '|' or '>' or '&' or '*' or '!' or '{')
            {
                throw new ModelCardFormatException(ModelCardError.InvalidValue, i + 1, $"'{key}' must be a plain value or a list, not '{raw[0]}…'");
            }
            else Add(items, Scalar(raw, i + 1), i + 1);
            values[key] = items;
        }

        string? One(string key) => values.TryGetValue(key, out var v) && v.Count > 0 ? v[0] : null;
        return new ModelCard(One("license"), One("license_name"), One("license_link"),
            values.TryGetValue("base_model", out var bases) ? bases : [], One("base_model_relation"));
    }

    private static bool IsFence(ReadOnlySpan<byte> line, ReadOnlySpan<byte> fence) => line.TrimEnd(" \t\r"u8).SequenceEqual(fence);

    private static void Add(List<string> items, string item, int line)
    {
        if (items.Count >= MaxListItems) throw new ModelCardFormatException(ModelCardError.InvalidValue, line, $"more than {MaxListItems} items");
        if (item.Length > 0) items.Add(item);
    }

    // "a # comment" → "a"; a '#' inside quotes is text.
    private static string StripComment(string value)
    {
        char? quote = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (quote is null && c is '"' or '\'') quote = c;
            else if (quote == c) quote = null;
            else if (quote is null && c == '#' && (i == 0 || value[i - 1] is ' ' or '\t')) return value[..i].TrimEnd();
        }
        return value.Trim();
    }

    private static IEnumerable<string> SplitFlow(string inner, int line)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        char? quote = null;
        foreach (var c in inner)
        {
            if (quote is null && c is '"' or '\'') quote = c;
            else if (quote == c) quote = null;
            if (quote is null && c == ',')
            {
                parts.Add(current.ToString().Trim());
                current.Clear();
            }
            else current.Append(c);
        }
        if (quote is not null) throw new ModelCardFormatException(ModelCardError.InvalidValue, line, "a quoted value is not closed");
        if (current.ToString().Trim() is { Length: > 0 } last) parts.Add(last);
        return parts;
    }

    private static string Scalar(string raw, int line)
    {
        var value = raw.Trim();
        if (value.Length > MaxValueLength) throw new ModelCardFormatException(ModelCardError.InvalidValue, line, $"a value longer than {MaxValueLength} characters");
        if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'') return value[1..^1].Replace("''", "'");
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"') return value[1..^1].Replace("\\\"", "\"").Replace("\\\\", "\\");
        if (value.Length > 0 && value[0] is '"' or '\'') throw new ModelCardFormatException(ModelCardError.InvalidValue, line, "a quoted value is not closed");
        return value is "~" or "null" ? "" : value;
    }
}
