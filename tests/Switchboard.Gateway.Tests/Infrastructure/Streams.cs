using Grpc.Core;

namespace Switchboard.Gateway.Tests.Infrastructure;

internal static class Streams
{
    /// <summary>Reads messages until one matches, within a deadline (no sleeps: the read awaits the next message).</summary>
    public static async Task<T> ReadUntilAsync<T>(this IAsyncStreamReader<T> reader, Func<T, bool> match, TimeSpan? timeout = null, string? what = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        var seen = new List<string>();
        try
        {
            while (await reader.MoveNext(deadline.Token))
            {
                seen.Add(reader.Current!.ToString()!);
                if (match(reader.Current))
                {
                    return reader.Current;
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException || (exception is RpcException { StatusCode: StatusCode.Cancelled } && deadline.IsCancellationRequested))
        {
            throw new TimeoutException($"No {what ?? typeof(T).Name} matched within the deadline. Seen:\n{string.Join("\n", seen)}");
        }
        throw new InvalidOperationException($"The stream ended before a {what ?? typeof(T).Name} matched. Seen:\n{string.Join("\n", seen)}");
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, within a deadline.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what ?? "The condition"} did not hold within the deadline.");
            }
            await Task.Delay(20);
        }
    }
}
