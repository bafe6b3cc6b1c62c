using System.Text;

namespace Governance.Attestations;

/// <summary>
/// Text Governance may store. PostgreSQL's <c>jsonb</c> (where every event and document lives) cannot hold U+0000, UTF-8
/// cannot hold a lone surrogate, and other C0 control characters are never part of a name, reason or message a person
/// meant to send (tab, line feed and carriage return are). One rule for every string: the Api refuses a request that
/// breaks it (its JSON bodies, paths, query strings, forms and attestation statements), and a scanner mends what an
/// inspected file says before it signs (<see cref="StatementBounds"/>). It lives with the contract for that reason.
/// </summary>
public static class StoredText
{
    /// <summary>Why <paramref name="text"/> cannot be stored, or null when it can.</summary>
    public static string? Refusal(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            switch (Kind(text, i))
            {
                case Character.Pair:
                    i++;
                    break;
                case Character.Control:
                    return $"Contains the control character U+{(int)text[i]:X4}, which cannot be stored: remove it.";
                case Character.LoneSurrogate:
                    return $"Contains a lone surrogate (U+{(int)text[i]:X4}), which is not Unicode text and cannot be stored.";
            }
        }
        return null;
    }

    /// <summary><paramref name="text"/> with each character <see cref="Refusal"/> objects to replaced by U+FFFD; the same instance when there is none.</summary>
    public static string Mend(string text)
    {
        StringBuilder? mended = null;
        for (var i = 0; i < text.Length; i++)
        {
            var kind = Kind(text, i);
            if (kind is Character.Control or Character.LoneSurrogate)
            {
                mended ??= new StringBuilder(text.Length).Append(text, 0, i);
                mended.Append('\uFFFD');
                continue;
            }
            var width = kind == Character.Pair ? 2 : 1;
            mended?.Append(text, i, width);
            i += width - 1;
        }
        return mended?.ToString() ?? text;
    }

    private enum Character { Storable, Pair, Control, LoneSurrogate }

    private static Character Kind(ReadOnlySpan<char> text, int i)
    {
        var c = text[i];
        if (c < 0x20 && c is not ('\t' or '\n' or '\r') || c == 0x7F) return Character.Control;
        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) return Character.Pair;
        return char.IsSurrogate(c) ? Character.LoneSurrogate : Character.Storable;
    }
}
