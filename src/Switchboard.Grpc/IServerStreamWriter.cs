namespace Switchboard.Grpc;

/// <summary>The response stream of a server-streaming or bidirectional method.</summary>
/// <typeparam name="T">The response message type.</typeparam>
public interface IServerStreamWriter<in T> : IAsyncStreamWriter<T>
{
}
