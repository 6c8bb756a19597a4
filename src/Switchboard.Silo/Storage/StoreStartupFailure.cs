using Switchboard.Routing.Configuration;
using Switchboard.Silo.Storage.PreviousBuild;

namespace Switchboard.Silo.Storage;

/// <summary>
/// For the host: the store failure, or the center file's, behind a failed start, which it turns into exit code 2 and
/// one log line.
/// </summary>
public static class StoreStartupFailure
{
    /// <summary>
    /// The <see cref="StoreUnavailableException"/>, <see cref="PreviousBuildDataException"/> or
    /// <see cref="CenterConfigurationException"/> (a center file missing or wrong) in <paramref name="error"/>'s
    /// chain (the silo lifecycle and the host wrap what a participant throws), or null when the failure is not the store's.
    /// </summary>
    public static Exception? Find(Exception? error)
    {
        for (var current = error; current is not null; current = current.InnerException)
        {
            if (current is StoreUnavailableException or PreviousBuildDataException or CenterConfigurationException)
            {
                return current;
            }
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    if (Find(inner) is { } found)
                    {
                        return found;
                    }
                }
            }
        }
        return null;
    }
}
