namespace Switchboard.Gateway.Streams;

/// <summary>
/// The open long-lived streams of one kind (adapter Connect, agent Subscribe), one per id: a newer stream for
/// the same id replaces the older, which is cancelled and ends with ABORTED (docs/api.md: a reconnect after a
/// half-open TCP connection works at once).
/// </summary>
internal sealed class StreamSessions
{
    private readonly object _gate = new();
    private readonly Dictionary<string, StreamSession> _open = new(StringComparer.Ordinal);

    /// <summary>Opens the stream for <paramref name="id"/>, replacing (cancelling) an open one.</summary>
    public StreamSession Open(string id)
    {
        var session = new StreamSession(id);
        StreamSession? replaced;
        lock (_gate)
        {
            _open.Remove(id, out replaced);
            _open[id] = session;
        }
        replaced?.Replace();
        return session;
    }

    /// <summary>Closes <paramref name="session"/>; true when it was still the current stream of its id (not replaced).</summary>
    public bool Close(StreamSession session)
    {
        lock (_gate)
        {
            if (_open.TryGetValue(session.Id, out var current) && ReferenceEquals(current, session))
            {
                _open.Remove(session.Id);
                return true;
            }
            return false;
        }
    }

    /// <summary>Whether a stream is open for <paramref name="id"/> on this silo.</summary>
    public bool IsOpen(string id)
    {
        lock (_gate)
        {
            return _open.ContainsKey(id);
        }
    }
}

/// <summary>One open stream: cancelled when a newer stream for the same id replaces it.</summary>
internal sealed class StreamSession(string id) : IDisposable
{
    private readonly CancellationTokenSource _replaced = new();

    public string Id { get; } = id;

    /// <summary>An id for logs on both sides.</summary>
    public string SessionId { get; } = Guid.NewGuid().ToString("N")[..12];

    public CancellationToken Replaced => _replaced.Token;

    public bool IsReplaced => _replaced.IsCancellationRequested;

    internal void Replace()
    {
        try
        {
            _replaced.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose() => _replaced.Dispose();
}
