namespace Governance.Scanner.Measurement;

/// <summary>
/// The memory-bandwidth bound of token generation. Generating one token streams the weights it uses from device
/// memory once, so tokens/s cannot exceed bandwidth ÷ bytes read per token; the fraction says how close the measured
/// rate comes. For a mixture of experts those bytes are the shared weights plus the routed experts, not the whole file.
/// </summary>
internal static class Roofline
{
    /// <summary>Measured tokens/s ÷ (bandwidth ÷ bytes per token); null when any input is missing or not positive.</summary>
    public static double? Fraction(double? tokensPerSecond, double? bandwidthBytesPerSecond, long bytesReadPerToken) =>
        tokensPerSecond is > 0 && bandwidthBytesPerSecond is > 0 && bytesReadPerToken > 0
            ? tokensPerSecond.Value * bytesReadPerToken / bandwidthBytesPerSecond.Value
            : null;
}
