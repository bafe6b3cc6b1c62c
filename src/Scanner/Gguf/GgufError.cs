namespace Governance.Scanner.Gguf;

/// <summary>Why a file is not a GGUF file this reader accepts. Callers key on it; the message is for people.</summary>
internal enum GgufError
{
    BadMagic,
    UnsupportedVersion,
    Truncated,
    CountTooLarge,
    StringTooLong,
    InvalidUtf8,
    InvalidBool,
    UnknownValueType,
    NestingTooDeep,
    EmptyKey,
    DuplicateKey,
    BadAlignment,
    DuplicateTensorName,
    TooManyDimensions,
    UnknownTensorType,
    InvalidShape,
    MisalignedTensor,
    TensorOutOfBounds,
    Overflow,
    HeaderTooLarge,
}

/// <summary>The file is malformed or hostile; <see cref="Offset"/> is where the offending field starts.</summary>
internal sealed class GgufFormatException(GgufError error, long offset, string message)
    : Exception($"{message} (GGUF {error} at byte {offset})")
{
    public GgufError Error { get; } = error;
    public long Offset { get; } = offset;
}
