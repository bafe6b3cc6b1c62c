using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Governance.Api.Events;
using Governance.Api.Features.Company;
using Governance.Api.Features.Deployments;
using Governance.Api.Features.Scanners;
using Governance.Api.Infrastructure;
using JasperFx.Events.Aggregation;
using Marten;

namespace Governance.Api.Tests.Events;

/// <summary>
/// Stored events are kept forever. Each type is read back from a sample of what an earlier version stored
/// (tests/Api.Tests/Events/Samples/&lt;stored type name&gt;.json) and written again: every stored property must survive
/// with its value. A new optional property is a compatible change; a rename or a removal fails here and needs an upcaster.
/// </summary>
public sealed class StoredEventTests
{
    private static readonly string SampleDir = Path.Combine(Infrastructure.ApiFixture.RepoRoot, "tests", "Api.Tests", "Events", "Samples");

    // The serializer Marten stores events with, configured exactly as the Api configures it.
    private static readonly ISerializer Serializer = MartenSetup.Options("Host=unused", TimeProvider.System).Serializer();

    public static TheoryData<string> Types => new(StoredEvents.Types.Select(Name));

    private static string Name(Type type) => Policies.Naming.Snake(type.Name);

    [Theory]
    [MemberData(nameof(Types))]
    public void every_stored_event_type_reads_back_from_what_was_stored_and_writes_the_same_shape(string name)
    {
        var type = StoredEvents.Types.Single(t => Name(t) == name);
        var path = Path.Combine(SampleDir, name + ".json");
        Assert.True(File.Exists(path), $"No stored sample for {name}: add one (the JSON as mt_events.data holds it) when adding an event type.");
        var stored = JsonNode.Parse(File.ReadAllText(path))!;

        using var reading = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(stored.ToJsonString()));
        var read = Serializer.FromJson(type, reading);
        var written = JsonNode.Parse(Serializer.ToJson(read))!;

        AssertSurvives(stored, written, "$");
        Assert.NotEqual(default, ((IRecordedEvent)read).At);
        Assert.False(string.IsNullOrEmpty(((IRecordedEvent)read).By.Name));
    }

    [Fact]
    public void the_samples_fold_into_states_with_the_domain_shapes_they_map_to()
    {
        var read = StoredEvents.Types.ToDictionary(t => t, t =>
        {
            using var stream = File.OpenRead(Path.Combine(SampleDir, Name(t) + ".json"));
            return Serializer.FromJson(t, stream);
        });

        var deployment = DeploymentEvents.Types.Aggregate(new DeploymentState(), (state, t) => state.Evolve(read[t]));
        var registered = (DeploymentRegistered)read[typeof(DeploymentRegistered)];
        Assert.Equal(registered.Model.ToDomain(), deployment.Model with { });
        Assert.Equal(Policies.Hosting.Saas, deployment.Usage.Hosting);
        Assert.NotEmpty(((DeploymentAssessed)read[typeof(DeploymentAssessed)]).Findings.ToDomain());
        Assert.Equal(Policies.Evaluation.Verdict.NonCompliant, deployment.Assessment!.Verdict);

        var company = CompanyEvents.Types.Aggregate(new CompanyState(), (state, t) => state.Evolve(read[t]));
        Assert.Equal(("Acme GmbH", "DE"), (company.Name, company.Domicile));
        Assert.Equal("eu-*", company.Rules!.Residency.Single().AllowedRegions.Single());
        Assert.Equal(2_500_000.5m, company.Usage.Single().MonthlyRevenueUsd);

        var scanner = ScannerEvents.Types.Aggregate(new ScannerState(), (state, t) => state.Evolve(read[t]));
        Assert.True(scanner.Revoked);
        Assert.StartsWith("sha256:", scanner.Trusted().KeyId);
    }

    public static TheoryData<Type, Type> Streams => new()
    {
        { typeof(DeploymentState), typeof(DeploymentEvents) },
        { typeof(CompanyState), typeof(CompanyEvents) },
        { typeof(ScannerState), typeof(ScannerEvents) },
    };

    /// <summary>
    /// Marten's source generator reads which events a state's Evolve handles from its switch arms; an arm it cannot read
    /// would silently leave the stored snapshot behind the stream. Every event type of the stream must reach it.
    /// </summary>
    [Theory]
    [MemberData(nameof(Streams))]
    public void every_event_type_of_a_stream_reaches_its_stored_snapshot(Type state, Type events)
    {
        var attribute = typeof(DeploymentState).Assembly.GetCustomAttributes<GeneratedEvolverAttribute>().Single(a => a.AggregateType == state);
        var evolver = Activator.CreateInstance(attribute.EvolverType)!;
        var handled = (Type[])attribute.EvolverType.GetProperty("EventTypes")!.GetValue(evolver)!;
        var stream = (IReadOnlyList<Type>)events.GetField("Types")!.GetValue(null)!;

        Assert.Empty(stream.Except(handled));
    }

    private static void AssertSurvives(JsonNode stored, JsonNode written, string path)
    {
        switch (stored)
        {
            case JsonObject o:
                var w = Assert.IsType<JsonObject>(written);
                foreach (var (key, value) in o)
                {
                    Assert.True(w.ContainsKey(key), $"{path}.{key} was stored but is no longer written: a renamed or removed property needs an upcaster.");
                    if (value is null) Assert.True(w[key] is null || IsEmpty(w[key]!), $"{path}.{key} was null, now {w[key]}");
                    else AssertSurvives(value, w[key]!, $"{path}.{key}");
                }
                break;
            case JsonArray a:
                var wa = Assert.IsType<JsonArray>(written);
                Assert.Equal(a.Count, wa.Count);
                for (var i = 0; i < a.Count; i++) AssertSurvives(a[i]!, wa[i]!, $"{path}[{i}]");
                break;
            default:
                Assert.True(JsonNode.DeepEquals(stored, written) || SameInstant(stored, written),
                    $"{path} was stored as {stored.ToJsonString()} and is now written as {written.ToJsonString()}.");
                break;
        }
    }

    private static bool IsEmpty(JsonNode node) => node is JsonArray { Count: 0 } or JsonObject { Count: 0 };

    // PostgreSQL normalises the text of an instant ("…7305559+00:00" may come back "…730556+00:00"): compare the instant.
    private static bool SameInstant(JsonNode a, JsonNode b) =>
        a.GetValueKind() == JsonValueKind.String && DateTimeOffset.TryParse(a.GetValue<string>(), out var x)
        && b.GetValueKind() == JsonValueKind.String && DateTimeOffset.TryParse(b.GetValue<string>(), out var y) && x == y;
}
