namespace Switchboard.Silo.Tests.Infrastructure;

/// <summary>A grain state as the routing grains write theirs: a [GenerateSerializer] class for Orleans' binary serializer.</summary>
[GenerateSerializer]
public sealed class CounterState
{
    [Id(0)]
    public int Count { get; set; }

    [Id(1)]
    public string? Note { get; set; }
}
