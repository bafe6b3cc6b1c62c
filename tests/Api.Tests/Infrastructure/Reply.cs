using System.Text.Json.Nodes;

namespace Governance.Api.Tests.Infrastructure;

/// <summary>A response as the tests read it: status, parsed JSON body, text, ETag and content type.</summary>
public sealed record Reply(int Status, JsonNode? Body, string Text, string ETag, string ContentType)
{
    public JsonNode Json => Body ?? throw new InvalidOperationException($"No JSON body (status {Status}): {Text}");

    public override string ToString() => $"{Status} {Text}";
}
