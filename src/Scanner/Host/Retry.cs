namespace Governance.Scanner.Host;

/// <summary>
/// Exponential backoff with full jitter (delay drawn from [0, min(cap, base · 2^attempt)]): scanners that lost the Api
/// at the same moment do not all come back at the same moment. Waits on the given <see cref="TimeProvider"/>, so tests
/// need not sleep.
/// </summary>
internal sealed class Retry(TimeProvider clock, int attempts = 5, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null, Random? random = null)
{
    private readonly TimeSpan _base = baseDelay ?? TimeSpan.FromSeconds(1);
    private readonly TimeSpan _max = maxDelay ?? TimeSpan.FromSeconds(60);
    private readonly Random _random = random ?? Random.Shared;

    public TimeSpan Delay(int attempt)
    {
        var ceiling = Math.Min(_max.TotalMilliseconds, _base.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30)));
        return TimeSpan.FromMilliseconds(_random.NextDouble() * ceiling);
    }

    /// <summary>Runs <paramref name="action"/> until it succeeds, throws something not <paramref name="transient"/>, or the attempts run out.</summary>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> action, Func<Exception, bool> transient, Action<Exception, TimeSpan>? onRetry, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await action(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (attempt + 1 < attempts && !cancellationToken.IsCancellationRequested && transient(e))
            {
                var delay = Delay(attempt);
                onRetry?.Invoke(e, delay);
                await Task.Delay(delay, clock, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
