namespace Switchboard.Grpc;

/// <summary>The request stream of a client-streaming or bidirectional call.</summary>
/// <typeparam name="T">The request message type.</typeparam>
public interface IClientStreamWriter<in T> : IAsyncStreamWriter<T>
{
    /// <summary>Half-closes the call: tells the server no more requests will come.</summary>
    Task CompleteAsync();
}
