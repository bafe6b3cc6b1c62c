namespace Governance.Scanner.Host;

/// <summary>
/// Reports on the reporting thread, in order and before the caller moves on. Progress&lt;T&gt; posts to the
/// synchronization context or the thread pool, which reorders reports and lets them land after the work is done.
/// </summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
