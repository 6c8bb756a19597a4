using System.Collections.Concurrent;
using Grpc.Core;
using Switchboard.Client;
using Switchboard.Contracts.V1;

// A sample telephony adapter on Switchboard.Client. It stands in for the bridge to a switch: it offers calls to a
// queue, "rings" the agent Switchboard names (answers after a short ring), talks for a while and hangs up.
//
//   dotnet run --project load-tests/Switchboard.SampleAdapter -- --address http://127.0.0.1:5000 --key <adapter key> \
//       [--adapter-id sample-1] [--queue support] [--calls 10] [--talk-seconds 5]
//
// With `dotnet run --project src/Switchboard.Silo -- --demo` the silo prints a development admin key and runs demo agents;
// give this adapter a key of its own (README.md, "API keys").
var options = Options.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: --address URL --key KEY [--adapter-id ID] [--queue ID] [--calls N] [--talk-seconds S]");
    return 2;
}

using var client = new SwitchboardClient(new SwitchboardClientOptions { Address = new Uri(options.Address), ApiKey = options.Key });
var finished = new ConcurrentDictionary<string, TaskCompletionSource>();
var conversations = new List<Task>();

await using var session = await client.ConnectAdapterAsync(options.AdapterId, (instruction, cancellationToken) =>
{
    if (instruction.RingAgent is { } ring)
    {
        Console.WriteLine($"ring {ring.AgentId} at {ring.Endpoint} for call {instruction.CallId}");
        lock (conversations)
        {
            conversations.Add(ConverseAsync(instruction.CallId, ring.AgentId));
        }
    }
    else
    {
        Console.WriteLine($"{instruction.ActionCase} for call {instruction.CallId}");
    }
    // The switch did what it was told: acknowledged DONE (FAILED with a reason when it could not).
    return Task.FromResult(new InstructionAck { Outcome = AckOutcome.Done });
}, software: "Switchboard.SampleAdapter");
Console.WriteLine($"connected as adapter {session.AdapterId}");

for (var i = 1; i <= options.Calls; i++)
{
    var externalId = $"{options.AdapterId}-{DateTime.UtcNow:HHmmss}-{i}";
    finished[externalId] = new TaskCompletionSource();
    try
    {
        var offered = await client.TelephonyAdapter.OfferCallAsync(new OfferCallRequest
        {
            AdapterId = options.AdapterId,
            ExternalCallId = externalId,
            CallerNumber = $"+1555{i:0000000}",
            QueueId = options.Queue,
        }, deadline: client.Deadline());
        Console.WriteLine($"offered {externalId} as {offered.CallId}: {offered.State}");
    }
    catch (RpcException error)
    {
        Console.WriteLine($"offer {externalId} refused: {error.StatusCode} {error.Status.Detail}");
    }
    await Task.Delay(TimeSpan.FromSeconds(1));
}

Task[] talking;
lock (conversations)
{
    talking = [.. conversations];
}
await Task.WhenAll(talking);
Console.WriteLine($"done: {talking.Length} calls answered and ended");
return 0;

async Task ConverseAsync(string callId, string agentId)
{
    await Task.Delay(TimeSpan.FromSeconds(1)); // the ring
    await client.TelephonyAdapter.ReportCallEventAsync(new ReportCallEventRequest
    {
        AdapterId = options.AdapterId, CallId = callId, EventId = $"{callId}:answered", Answered = new CallAnswered { AgentId = agentId },
    }, deadline: client.Deadline());
    await Task.Delay(TimeSpan.FromSeconds(options.TalkSeconds));
    await client.TelephonyAdapter.ReportCallEventAsync(new ReportCallEventRequest
    {
        AdapterId = options.AdapterId, CallId = callId, EventId = $"{callId}:ended", Ended = new CallEnded { EndedBy = CallEndedBy.Caller },
    }, deadline: client.Deadline());
    Console.WriteLine($"call {callId} answered by {agentId} and ended");
}

internal sealed record Options(string Address, string Key, string AdapterId, string Queue, int Calls, double TalkSeconds)
{
    public static Options? Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }
        if (!values.TryGetValue("--address", out var address) || !values.TryGetValue("--key", out var key))
        {
            return null;
        }
        return new Options(address, key, values.GetValueOrDefault("--adapter-id", "sample-1"), values.GetValueOrDefault("--queue", "support"),
            int.Parse(values.GetValueOrDefault("--calls", "10")), double.Parse(values.GetValueOrDefault("--talk-seconds", "5"), System.Globalization.CultureInfo.InvariantCulture));
    }
}
