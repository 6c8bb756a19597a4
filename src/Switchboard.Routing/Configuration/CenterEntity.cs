namespace Switchboard.Routing.Configuration;

/// <summary>The keys entity versions are kept under: <c>queue/billing</c>, <c>agent/a-1042</c>.</summary>
public static class CenterEntity
{
    public static string Vendor(string id) => "vendor/" + id;

    public static string Team(string id) => "team/" + id;

    public static string Skill(string id) => "skill/" + id;

    /// <summary>A not-ready reason or a disposition: one id space for both.</summary>
    public static string ReasonCode(string id) => "reason/" + id;

    public static string Agent(string id) => "agent/" + id;

    public static string Queue(string id) => "queue/" + id;
}
