namespace Switchboard.Routing.Calls;

/// <summary>How call ids are formed, so a retried OfferCall reaches the same call grain.</summary>
public static class CallIds
{
    /// <summary>The call id of the adapter's call <paramref name="externalCallId"/>: <c>{adapterId}:{externalCallId}</c>.</summary>
    public static string For(string adapterId, string externalCallId) => $"{adapterId}:{externalCallId}";
}
