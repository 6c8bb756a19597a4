namespace Switchboard.Routing.Journal;

/// <summary>
/// Marks a grain constructor parameter of type <see cref="IGrainJournal"/>: Orleans hands the grain its own journal
/// stream (an attribute facet, as <c>[PersistentState]</c> hands it its state).
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class GrainJournalAttribute : Attribute, IFacetMetadata
{
}
