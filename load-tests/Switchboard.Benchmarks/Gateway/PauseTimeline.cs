using System.Diagnostics.Tracing;
using System.Globalization;

namespace Switchboard.Benchmarks.Gateway;

/// <summary>
/// When this process was paused for garbage collection: each pause from the runtime suspending threads to their
/// restart (the runtime's own GC events, wall-clock times, so another process's pauses line up with ours).
/// </summary>
internal sealed class PauseTimeline : EventListener
{
    private const int RestartEnd = 3, SuspendBegin = 9;

    private readonly List<Pause> _pauses = [];
    private DateTime _suspended;

    /// <summary>The pauses that ended since the last call.</summary>
    public IReadOnlyList<Pause> Take()
    {
        lock (_pauses)
        {
            var taken = _pauses.ToArray();
            _pauses.Clear();
            return taken;
        }
    }

    public static string Format(IEnumerable<Pause> pauses) =>
        string.Join(' ', pauses.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Begin.Ticks}:{p.End.Ticks}")));

    public static IReadOnlyList<Pause> Parse(string text) =>
        [.. text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(pair => pair.Split(':') switch
        {
            [var begin, var end] => new Pause(
                new DateTime(long.Parse(begin, CultureInfo.InvariantCulture), DateTimeKind.Utc),
                new DateTime(long.Parse(end, CultureInfo.InvariantCulture), DateTimeKind.Utc)),
            _ => throw new FormatException($"pauses: '{pair}' is not begin:end"),
        })];

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Informational, (EventKeywords)0x1); // the GC keyword
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        lock (_pauses)
        {
            switch (e.EventId)
            {
                case SuspendBegin:
                    _suspended = e.TimeStamp.ToUniversalTime();
                    break;
                case RestartEnd when _suspended != default:
                    _pauses.Add(new Pause(_suspended, e.TimeStamp.ToUniversalTime()));
                    _suspended = default;
                    break;
            }
        }
    }
}

/// <summary>One pause, from the runtime suspending threads to their restart (UTC).</summary>
internal readonly record struct Pause(DateTime Begin, DateTime End)
{
    public bool Overlaps(DateTime from, DateTime to) => Begin < to && End > from;
}
