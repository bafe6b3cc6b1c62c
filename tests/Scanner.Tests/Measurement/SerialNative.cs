namespace Governance.Scanner.Tests.Measurement;

/// <summary>
/// Tests that time llama.cpp or read its process-wide log run alone: nothing else competes for the two cores while a
/// throughput is measured, and no other test swaps <c>LlamaLog.Sink</c> in the middle of a load.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialNative
{
    public const string Name = "llama.cpp, serially";
}
