using Governance.Api.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Governance.Ui.Tests.Infrastructure;

/// <summary>Server errors of the test hosts, appended to TestResults/server-errors.log: a 500 in a browser test says nothing more.</summary>
public sealed class ErrorLog : ILoggerProvider
{
    private static readonly string Path = System.IO.Path.Combine(ApiFixture.RepoRoot, "tests", "Ui.Tests", "TestResults", "server-errors.log");
    private static readonly Lock Gate = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName);

    public void Dispose() { }

    private sealed class Logger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            lock (Gate)
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
                File.AppendAllText(Path, $"{DateTimeOffset.UtcNow:O} {category}: {formatter(state, exception)}\n{exception}\n\n");
            }
        }
    }
}
