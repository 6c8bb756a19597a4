namespace Switchboard.Silo.Storage.PreviousBuild;

/// <summary>What <see cref="PreviousBuildData.ExportCenterAsync"/> wrote.</summary>
/// <param name="File">The center file written, full path.</param>
/// <param name="Version">The previous build's center configuration version that was exported.</param>
/// <param name="Queues">Queues in it.</param>
/// <param name="Agents">Agents in it.</param>
/// <param name="Notes">Settings the center file cannot carry (also written as comments at the top of the file).</param>
public sealed record CenterExport(string File, long Version, int Queues, int Agents, IReadOnlyList<string> Notes);
