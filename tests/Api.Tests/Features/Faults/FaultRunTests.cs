using Governance.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Governance.Api.Tests.Features.Faults;

/// <summary>
/// The short version of the <c>faults</c> benchmark (docs/reliability.md): keyed writers while PostgreSQL is killed and
/// restarted and then the Api is killed and restarted. Every acknowledged write is stored, every unacknowledged one is
/// resolved by a retry with its key (replayed if stored, recorded once if not), and the outage answered 503, never 500.
/// </summary>
public sealed class FaultRunTests(ITestOutputHelper output)
{
    [Fact]
    public async Task keyed_writers_through_a_database_kill_and_an_api_kill_lose_nothing_duplicate_nothing_and_get_no_500()
    {
        var timing = new FaultRun.Timing(Before: TimeSpan.FromSeconds(3), Outage: TimeSpan.FromSeconds(3), Between: TimeSpan.FromSeconds(3),
            After: TimeSpan.FromSeconds(2), Writers: 4);
        var log = new StringWriter();
        var report = await FaultRun.RunAsync(timing, log);
        output.WriteLine(log.ToString());
        output.WriteLine(report.ToString());

        Assert.Empty(report.Problems);
        Assert.True(report.Acknowledged > 0, report.ToString());
        Assert.Equal(report.Acknowledged, report.AcknowledgedPresent);
        Assert.Equal(report.Unacknowledged, report.RecoveredByReplay + report.RecordedOnRetry);
        Assert.Equal(0, report.KeysUnresolved);
        Assert.Equal(0, report.Duplicates);
        Assert.Equal(0, report.Count(500));
        // The outage was seen, and answered as one.
        Assert.True(report.Count(503) > 0, report.ToString());
    }
}
