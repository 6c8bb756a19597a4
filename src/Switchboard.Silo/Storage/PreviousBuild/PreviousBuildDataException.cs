namespace Switchboard.Silo.Storage.PreviousBuild;

/// <summary>
/// The data folder holds a database of the previous build (its tables <c>grain_state</c>, <c>journal</c> with partition
/// and epoch columns, <c>partition_epochs</c>). Nothing was read into this silo and the file was not changed. The host
/// exits with code 2 and logs <see cref="Exception.Message"/>, which names the folder and how to carry the
/// configuration over (<see cref="PreviousBuildData.ExportCenterAsync"/>).
/// </summary>
public sealed class PreviousBuildDataException : Exception
{
    public PreviousBuildDataException(string dataDirectory, string databaseFile)
        : base($"The data folder {dataDirectory} was written by the previous build of Switchboard ({databaseFile} has its tables grain_state, " +
               "journal and partition_epochs); this build does not read or change it. To carry the center configuration over, export it to a " +
               $"center file (silo command: export-center --data-dir {dataDirectory} --out center.yaml), then start this build with a new, empty " +
               "--data-dir and --center-file center.yaml. Calls in progress and figures of the previous build are not carried over.")
    {
        DataDirectory = dataDirectory;
        DatabaseFile = databaseFile;
    }

    /// <summary>The data folder, full path.</summary>
    public string DataDirectory { get; }

    /// <summary>The previous build's database file in it.</summary>
    public string DatabaseFile { get; }
}
