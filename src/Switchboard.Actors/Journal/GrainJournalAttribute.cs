namespace Switchboard.Actors;

/// <summary>Names the store of an <see cref="IGrainJournal"/> constructor parameter (the default store when absent).</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class GrainJournalAttribute(string storageName) : Attribute
{
    public string StorageName { get; } = storageName;
}
