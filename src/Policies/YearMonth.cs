using System.Globalization;

namespace Governance.Policies;

/// <summary>A calendar month, the unit in which licenses count users and revenue.</summary>
public readonly record struct YearMonth(int Year, int Month) : IComparable<YearMonth>
{
    public static YearMonth Of(DateOnly date) => new(date.Year, date.Month);

    public YearMonth Next(int months = 1)
    {
        var index = Year * 12 + (Month - 1) + months;
        return new(index / 12, index % 12 + 1);
    }

    public YearMonth Previous() => Month == 1 ? new(Year - 1, 12) : new(Year, Month - 1);

    public int CompareTo(YearMonth other) => (Year, Month).CompareTo((other.Year, other.Month));

    public static bool operator <(YearMonth a, YearMonth b) => a.CompareTo(b) < 0;
    public static bool operator >(YearMonth a, YearMonth b) => a.CompareTo(b) > 0;
    public static bool operator <=(YearMonth a, YearMonth b) => a.CompareTo(b) <= 0;
    public static bool operator >=(YearMonth a, YearMonth b) => a.CompareTo(b) >= 0;

    public static bool TryParse(string? text, out YearMonth value)
    {
        value = default;
        if (text is null || !DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            return false;
        value = Of(d);
        return true;
    }

    public static YearMonth Parse(string text) =>
        TryParse(text, out var v) ? v : throw new FormatException($"'{text}' is not a month in the form YYYY-MM.");

    public override string ToString() => $"{Year:D4}-{Month:D2}";
}
