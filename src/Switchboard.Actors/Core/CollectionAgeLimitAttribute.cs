namespace Switchboard.Actors;

/// <summary>How long an activation of this grain class may stay idle before it is collected.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class CollectionAgeLimitAttribute : Attribute
{
    public double Minutes { get; init; }
    public double Seconds { get; init; }

    internal TimeSpan Amount => TimeSpan.FromMinutes(Minutes) + TimeSpan.FromSeconds(Seconds);
}
