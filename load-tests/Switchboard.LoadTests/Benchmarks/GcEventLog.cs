using System.Diagnostics.Tracing;
using System.Globalization;

namespace Switchboard.LoadTests.Benchmarks;

/// <summary>
/// <c>--gc-log</c>: one line per garbage collection from the runtime's own GC events (generation, time to suspend,
/// time collecting, whole pause, and the bytes promoted by root kind: what the pause spent its time on), and with
/// <c>--gc-log alloc</c> the sampled allocations by type instead (an AllocationTick every ~100 KB), printed at the end.
/// </summary>
internal sealed class GcEventLog : EventListener
{
    private const int SuspendEnd = 8, SuspendBegin = 9, GcStart = 1, GcEnd = 2, RestartEnd = 3, AllocationTick = 10, MarkWithType = 202, GlobalHeapHistory = 205;

    // GCMarkWithType's root kinds: "older" is the card table (old objects pointing at young ones).
    private static readonly string[] RootKinds = ["stack", "finalizer", "handles", "older", "sizedref", "overflow", "dependent", "newfq", "steal", "bgc"];

    private readonly TextWriter _output;
    private readonly bool _allocations;
    private readonly Dictionary<string, long> _allocated = new(StringComparer.Ordinal);
    private readonly Dictionary<int, long> _marked = [];
    private readonly List<(int Kind, DateTime At)> _markEnds = [];
    private DateTime _suspendBegin, _suspendEnd, _gcStart, _gcEnd;
    private int _generation;
    private int _heaps;

    private GcEventLog(TextWriter output, bool allocations)
    {
        _output = output;
        _allocations = allocations;
    }

    /// <summary>Starts listening when <paramref name="mode"/> is "collections" or "alloc"; null: does nothing.</summary>
    public static GcEventLog? Start(string? mode, TextWriter output) =>
        mode is null ? null : new GcEventLog(output, mode == "alloc");

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            // The GC keyword; verbose for AllocationTick and GCMarkWithType.
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        lock (_allocated)
        {
            switch (e.EventId)
            {
                case AllocationTick when _allocations:
                    var type = e.Payload![5] as string ?? "?";
                    _allocated[type] = _allocated.GetValueOrDefault(type) + Convert.ToInt64(e.Payload[3], CultureInfo.InvariantCulture);
                    break;
                case SuspendBegin:
                    _suspendBegin = e.TimeStamp;
                    _marked.Clear();
                    _markEnds.Clear();
                    break;
                case SuspendEnd:
                    _suspendEnd = e.TimeStamp;
                    break;
                case GcStart:
                    _gcStart = e.TimeStamp;
                    _generation = Convert.ToInt32(e.Payload![1], CultureInfo.InvariantCulture);
                    break;
                case GcEnd:
                    _gcEnd = e.TimeStamp;
                    break;
                case GlobalHeapHistory when e.PayloadNames?.IndexOf("NumHeaps") is >= 0 and var heaps:
                    _heaps = Convert.ToInt32(e.Payload![heaps], CultureInfo.InvariantCulture);
                    break;
                case MarkWithType:
                    var kind = Convert.ToInt32(e.Payload![2], CultureInfo.InvariantCulture);
                    _marked[kind] = _marked.GetValueOrDefault(kind) + Convert.ToInt64(e.Payload[3], CultureInfo.InvariantCulture);
                    _markEnds.Add((kind, e.TimeStamp));
                    break;
                case RestartEnd when !_allocations && _gcEnd >= _gcStart && _gcStart >= _suspendBegin:
                    var marked = string.Join(" ", _marked.Where(p => p.Value > 0).OrderBy(p => p.Key)
                        .Select(p => $"{(p.Key < RootKinds.Length ? RootKinds[p.Key] : p.Key.ToString(CultureInfo.InvariantCulture))} {p.Value / 1024} KB"));
                    // Each root kind's mark event comes when that kind is done: the time since the one before is
                    // what marking from it took; what follows the last one is planning, relocating and compacting.
                    var stages = string.Join(" ", _markEnds.Select((m, i) => string.Create(CultureInfo.InvariantCulture,
                        $"{(m.Kind < RootKinds.Length ? RootKinds[m.Kind] : m.Kind.ToString(CultureInfo.InvariantCulture))} {(m.At - (i == 0 ? _gcStart : _markEnds[i - 1].At)).TotalMilliseconds:0.00}")));
                    var rest = _markEnds.Count > 0 ? (_gcEnd - _markEnds[^1].At).TotalMilliseconds : 0;
                    _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  gc gen{_generation} heaps {_heaps} at {_suspendBegin.ToUniversalTime():HH:mm:ss.ffffff}: suspend {(_suspendEnd - _suspendBegin).TotalMilliseconds:0.00} ms, collect {(_gcEnd - _gcStart).TotalMilliseconds:0.00} ms, paused {(e.TimeStamp - _suspendBegin).TotalMilliseconds:0.00} ms; promoted from {marked}; ms marking from {stages}, then {rest:0.00} planning and compacting"));
                    break;
            }
        }
    }

    /// <summary>With <c>alloc</c>: the sampled allocation by type, largest first.</summary>
    public void PrintAllocations(int top = 40)
    {
        if (!_allocations)
        {
            return;
        }

        lock (_allocated)
        {
            var total = Math.Max(1, _allocated.Values.Sum());
            _output.WriteLine($"sampled allocations ({total / 1048576} MB sampled), by type:");
            foreach (var (type, bytes) in _allocated.OrderByDescending(p => p.Value).Take(top))
            {
                _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {bytes * 100.0 / total,5:0.0} %  {type}"));
            }
        }
    }
}
