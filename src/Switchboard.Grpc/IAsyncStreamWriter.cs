namespace Switchboard.Grpc;

/// <summary>Writes a stream of messages. One write at a time: await each before the next.</summary>
/// <typeparam name="T">The message type.</typeparam>
public interface IAsyncStreamWriter<in T>
{
    /// <summary>Writes and flushes one message.</summary>
    Task WriteAsync(T message, CancellationToken cancellationToken = default);
}
