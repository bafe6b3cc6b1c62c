using System.Globalization;

namespace Governance.Scanner.Cli;

/// <summary>
/// The few options the commands take: <c>--name value</c> pairs and positional arguments. Anything else is a usage
/// error naming the culprit; no library, because three commands do not need one.
/// </summary>
internal sealed class CliArgs
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);

    public List<string> Positional { get; } = [];

    public static CliArgs Parse(IReadOnlyList<string> args, params string[] valued)
    {
        var parsed = new CliArgs();
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a.StartsWith('-') && a.Length > 1 && !double.TryParse(a, CultureInfo.InvariantCulture, out _))
            {
                if (!valued.Contains(a)) throw new UsageException($"unknown option {a}");
                if (i + 1 >= args.Count) throw new UsageException($"{a} needs a value");
                parsed._options[a] = args[++i];
            }
            else
            {
                parsed.Positional.Add(a);
            }
        }
        return parsed;
    }

    public string? String(string name) => _options.GetValueOrDefault(name);

    public int? Int(string name, int min = int.MinValue)
    {
        if (!_options.TryGetValue(name, out var text)) return null;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min)
            throw new UsageException($"{name} takes a whole number{(min > int.MinValue ? $" of at least {min}" : "")}, not '{text}'");
        return value;
    }
}

internal sealed class UsageException(string message) : Exception(message);
