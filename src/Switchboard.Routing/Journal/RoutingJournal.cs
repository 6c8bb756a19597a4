using System.Collections.Frozen;
using System.Text.Json;
using Switchboard.Routing.Agents;
using Switchboard.Routing.Calls;

namespace Switchboard.Routing.Journal;

/// <summary>
/// How routing events are written to and read from grain journals: one record per event, its type a stable
/// name (<c>call.answered</c>, <c>agent.state</c>), its payload the event as JSON. Records whose type is not an
/// event (<c>call.meta</c>, <c>agent.offer</c>...) carry what a grain needs beside its state machine.
/// </summary>
internal static class RoutingJournal
{
    public const string CallMeta = "call.meta";
    public const string CallReport = "call.report";
    public const string CallOffer = "call.offer";
    public const string CallDisposition = "call.disposition";
    public const string AgentOfferRecord = "agent.offer";
    public const string AgentSession = "agent.session";
    public const string AgentPending = "agent.pending";
    public const string AdapterIssued = "adapter.instruction";
    public const string AdapterAcked = "adapter.ack";
    public const string AdapterNumbered = "adapter.numbered";
    public const string QueueLine = "queue.line";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    private static readonly FrozenDictionary<Type, string> NameOf = new Dictionary<Type, string>
    {
        [typeof(CallOffered)] = "call.offered",
        [typeof(CallQueued)] = "call.queued",
        [typeof(CallReserved)] = "call.reserved",
        [typeof(CallRinging)] = "call.ringing",
        [typeof(CallAnswered)] = "call.answered",
        [typeof(CallRejected)] = "call.rejected",
        [typeof(CallNoAnswer)] = "call.no-answer",
        [typeof(CallAbandoned)] = "call.abandoned",
        [typeof(CallHoldChanged)] = "call.hold",
        [typeof(CallCompleted)] = "call.completed",
        [typeof(CallTransferred)] = "call.transferred",
        [typeof(CallOverflowed)] = "call.overflowed",
        [typeof(CallTimedOut)] = "call.timed-out",
        [typeof(CallbackScheduled)] = "call.callback",
        [typeof(CallSurveyed)] = "call.surveyed",
        [typeof(AgentStateChanged)] = "agent.state",
        [typeof(AgentHoldChanged)] = "agent.hold",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, Type> TypeOf = NameOf.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>The record types that hold call and agent events: what figures read (not offers, instructions, lines).</summary>
    public static IReadOnlyList<string> EventTypes { get; } = [.. NameOf.Values];

    // The event itself rides along as the entry's value: a follower of the store's feed (live figures) takes it as
    // is instead of decoding the payload. Events are immutable records.
    public static JournalEntry Entry(CallEvent e) => new(NameOf[e.GetType()], e.At, JsonSerializer.SerializeToUtf8Bytes(e, e.GetType(), Json)) { Value = e };

    public static JournalEntry Entry(AgentEvent e) => new(NameOf[e.GetType()], e.At, JsonSerializer.SerializeToUtf8Bytes(e, e.GetType(), Json)) { Value = e };

    public static JournalEntry Entry<T>(string type, DateTimeOffset at, T payload) => new(type, at, JsonSerializer.SerializeToUtf8Bytes(payload, Json));

    /// <summary>The event a record holds, or null when the record is not a routing event.</summary>
    public static object? ReadEvent(JournalRecord record) =>
        !TypeOf.TryGetValue(record.Type, out var type) ? null
        : record.Value is { } value && value.GetType() == type ? value
        : JsonSerializer.Deserialize(record.Payload.Span, type, Json);

    public static T Read<T>(JournalRecord record) =>
        JsonSerializer.Deserialize<T>(record.Payload.Span, Json) ?? throw new InvalidOperationException($"journal record {record.Stream}#{record.Sequence} ({record.Type}) is empty");
}
