using System.Text.Json;

namespace Switchboard.Actors.State;

/// <summary>The JSON settings of stored state and journal payloads: stable, explicit, no reflection surprises.</summary>
internal static class StateJson
{
    internal static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        IncludeFields = false,
        WriteIndented = false,
    };
}
