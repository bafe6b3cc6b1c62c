namespace Governance.Scanner.Native;

/// <summary>
/// C99 <c>bool</c> as it sits in llama.h structs: one byte, 0 or 1. A .NET <c>bool</c> field would make
/// the struct non-blittable (the marshaller widens it to a 4-byte Win32 BOOL), so the mirrored structs
/// use this instead and stay <c>unmanaged</c>.
/// </summary>
internal readonly struct CBool(byte value) : IEquatable<CBool>
{
    private readonly byte _value = value;

    public static implicit operator bool(CBool b) => b._value != 0;
    public static implicit operator CBool(bool b) => new(b ? (byte)1 : (byte)0);

    public bool Equals(CBool other) => (bool)this == (bool)other;
    public override bool Equals(object? obj) => obj is CBool other && Equals(other);
    public override int GetHashCode() => ((bool)this).GetHashCode();
    public override string ToString() => ((bool)this).ToString();
}
