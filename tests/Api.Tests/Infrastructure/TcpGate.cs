using System.Net;
using System.Net.Sockets;

namespace Governance.Api.Tests.Infrastructure;

/// <summary>
/// A TCP forwarder between the Api and PostgreSQL that a test can shut: <see cref="Cut"/> resets every open connection and
/// refuses new ones, as a database that went away does; <see cref="Restore"/> lets connections through again on the same
/// port. It works the same whether the server is a local cluster or a container, and leaves the shared server running.
/// </summary>
public sealed class TcpGate : IAsyncDisposable
{
    private readonly IPEndPoint _upstream;
    private readonly List<Socket> _open = [];
    private readonly Lock _lock = new();
    private TcpListener? _listener;
    private CancellationTokenSource _cut = new();

    private TcpGate(IPEndPoint upstream, int port)
    {
        _upstream = upstream;
        Port = port;
    }

    public int Port { get; }

    /// <summary>A gate in front of the server of <paramref name="connectionString"/>, and the same string pointed through it.</summary>
    public static (TcpGate Gate, string ConnectionString) InFrontOf(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var host = builder.Host is null or "localhost" ? "127.0.0.1" : builder.Host;
        var address = IPAddress.TryParse(host, out var ip) ? ip : Dns.GetHostAddresses(host).First(a => a.AddressFamily == AddressFamily.InterNetwork);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var gate = new TcpGate(new IPEndPoint(address, builder.Port), ((IPEndPoint)listener.LocalEndpoint).Port) { _listener = listener };
        _ = gate.AcceptAsync(listener, gate._cut.Token);
        // No pooled connection may outlive a cut unnoticed for long, and the Api gives up on a dead server quickly.
        builder.Host = "127.0.0.1";
        builder.Port = gate.Port;
        builder.Timeout = 3;
        builder.KeepAlive = 1;
        return (gate, builder.ConnectionString);
    }

    public void Cut()
    {
        lock (_lock)
        {
            _cut.Cancel();
            _listener?.Stop();
            _listener = null;
            foreach (var socket in _open)
            {
                try { socket.LingerState = new LingerOption(true, 0); socket.Close(); } catch (ObjectDisposedException) { }
            }
            _open.Clear();
        }
    }

    public void Restore()
    {
        lock (_lock)
        {
            if (_listener is not null) return;
            _cut = new CancellationTokenSource();
            var listener = new TcpListener(IPAddress.Loopback, Port);
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start();
            _listener = listener;
            _ = AcceptAsync(listener, _cut.Token);
        }
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try { client = await listener.AcceptSocketAsync(ct); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            _ = ForwardAsync(client, ct);
        }
    }

    private async Task ForwardAsync(Socket client, CancellationToken ct)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        lock (_lock)
        {
            if (ct.IsCancellationRequested) { client.Close(); server.Dispose(); return; }
            _open.Add(client);
            _open.Add(server);
        }
        try
        {
            await server.ConnectAsync(_upstream, ct);
            await Task.WhenAny(PumpAsync(client, server, ct), PumpAsync(server, client, ct));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { }
        finally
        {
            lock (_lock)
            {
                _open.Remove(client);
                _open.Remove(server);
            }
            client.Close();
            server.Close();
        }
    }

    private static async Task PumpAsync(Socket from, Socket to, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, ct);
                if (read == 0) return;
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, ct);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }
}
