using Microsoft.Diagnostics.Runtime;

// Reads a process dump and counts the references from older objects to younger ones (gen2 -> gen1/gen0,
// gen1 -> gen0), by the type that holds them and by edge. Those are what a gen0 collection finds through the card
// table and has to scan; docs/benchmarks.md ("Where the routing budget goes") shows how they set the pause.
//
//   createdump -f run.dmp <pid>        (in the runtime's folder, e.g. /usr/share/dotnet/shared/Microsoft.NETCore.App/10.*/)
//   dotnet run -c Release --project load-tests/Switchboard.HeapRefs -- run.dmp [top]
var live = args.Length > 0 && args[0] == "--live";
if (live)
{
    args = args[1..];
}

if (args.Length is < 1 or > 2 || (args.Length == 2 && !int.TryParse(args[1], out _)))
{
    Console.Error.WriteLine("usage: Switchboard.HeapRefs [--live] <dump file> [how many rows, default 25]");
    return 2;
}

if (!File.Exists(args[0]))
{
    Console.Error.WriteLine($"no such dump file: {args[0]}");
    return 2;
}

var top = args.Length == 2 ? int.Parse(args[1]) : 25;
using var target = DataTarget.LoadDump(args[0]);
var runtime = target.ClrVersions[0].CreateRuntime();
var heap = runtime.Heap;
if (live)
{
    CountLiveYoungObjects();
    return 0;
}

var bySource = new Dictionary<string, long>();
var byEdge = new Dictionary<string, long>();
var dirtyCards = new HashSet<ulong>();
var cardsBySource = new Dictionary<string, long>();
long total = 0;

foreach (var holder in heap.EnumerateObjects())
{
    if (!holder.IsValid || holder.Type is null)
    {
        continue;
    }

    var holderGeneration = Generation(holder.Address);
    if (holderGeneration is not (1 or 2))
    {
        continue;
    }

    foreach (var reference in holder.EnumerateReferencesWithFields(carefully: false, considerDependantHandles: false))
    {
        var referenced = reference.Object;
        var targetGeneration = Generation(referenced.Address);
        if (targetGeneration < 0 || targetGeneration >= holderGeneration)
        {
            continue;
        }

        var source = $"{holder.Type.Name} (gen{holderGeneration})";
        Count(bySource, source);
        Count(byEdge, $"{source}{(reference.Field is { } field ? "." + field.Name : "")} -> {referenced.Type?.Name} (gen{targetGeneration})");
        total++;
        // The write barrier marks card bytes of 2 KB; a gen0 collection scans every object on a marked one.
        if (dirtyCards.Add((holder.Address + (ulong)Math.Max(0, reference.Offset)) >> 11))
        {
            Count(cardsBySource, source);
        }
    }
}

Console.WriteLine($"references from older objects to younger ones: {total}, on {dirtyCards.Count} distinct 2 KB cards");
Print("by holder type", bySource);
Print("by edge", byEdge);
Print("2 KB cards, by the first holder type found on each", cardsBySource);
return 0;

int Generation(ulong address) => heap.GetSegmentByAddress(address) is { } segment ? (int)segment.GetGeneration(address) : -1;

// --live: the objects in gen0 and gen1 that are reachable from the roots, by type: what the next collections copy.
void CountLiveYoungObjects()
{
    var seen = new HashSet<ulong>();
    var pending = new Stack<ulong>();
    var parents = new Dictionary<ulong, string>();
    var byParent = new Dictionary<string, long>();
    foreach (var root in heap.EnumerateRoots())
    {
        if (seen.Add(root.Object.Address))
        {
            pending.Push(root.Object.Address);
        }
    }

    var byType = new Dictionary<string, long>();
    var bytesByGeneration = new long[3];
    var countByGeneration = new long[3];
    while (pending.Count > 0)
    {
        var item = heap.GetObject(pending.Pop());
        if (!item.IsValid || item.Type is null)
        {
            continue;
        }

        var generation = Generation(item.Address);
        if (generation is >= 0 and < 3)
        {
            bytesByGeneration[generation] += (long)item.Size;
            countByGeneration[generation]++;
        }

        if (generation is 0 or 1)
        {
            Count(byType, $"{item.Type.Name} (gen{generation})");
            Count(byParent, $"{parents.GetValueOrDefault(item.Address, "root")} -> {item.Type.Name}");
        }

        foreach (var referenced in item.EnumerateReferences(carefully: false, considerDependantHandles: true))
        {
            if (seen.Add(referenced.Address))
            {
                parents[referenced.Address] = item.Type.Name ?? "?";
                pending.Push(referenced.Address);
            }
        }
    }

    for (var generation = 0; generation < 3; generation++)
    {
        Console.WriteLine($"live in gen{generation}: {countByGeneration[generation]} objects, {bytesByGeneration[generation] / 1024} KB");
    }

    Print("live young objects by type", byType);
    Print("live young objects by the type that first reached them", byParent);
}

static void Count(Dictionary<string, long> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;

void Print(string title, Dictionary<string, long> counts)
{
    Console.WriteLine($"-- {title}");
    foreach (var (key, count) in counts.OrderByDescending(pair => pair.Value).Take(top))
    {
        Console.WriteLine($"{count,8} {key}");
    }
}
