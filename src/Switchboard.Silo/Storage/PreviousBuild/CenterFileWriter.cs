using System.Globalization;
using System.Text;
using System.Text.Json;
using YamlDotNet.Serialization;

namespace Switchboard.Silo.Storage.PreviousBuild;

/// <summary>
/// Turns the previous build's center state (the center grain's <c>CenterGrainState</c>, System.Text.Json with its
/// defaults: PascalCase members, enums as numbers, TimeSpans as <c>hh:mm:ss</c>) into a center file in the shape
/// docs/center.sample.yaml documents. Read through <see cref="JsonDocument"/>, not the routing types, so the export
/// keeps working while those types change.
/// </summary>
internal static class CenterFileWriter
{
    /// <summary>The ring timeout of a queue that set none in the previous build.</summary>
    private const double PreviousBuildOfferTimeoutSeconds = 15;

    private static readonly string[] Strategies = ["longestIdle", "mostSkilled", "leastOccupied", "roundRobin", "random"];
    private static readonly string[] MaxWaitActions = ["none", "overflow", "voicemail", "callback"];
    private static readonly string[] Tiers = ["standard", "atRisk", "highValue", "vip"];

    public static (string Yaml, CenterExport Export) Write(byte[] stateJson, string sourceFile, string outFile)
    {
        using var json = JsonDocument.Parse(stateJson);
        var root = json.RootElement;
        var version = root.TryGetProperty("Version", out var v) ? v.GetInt64() : 0;
        if (!root.TryGetProperty("Document", out var document) || document.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException($"{sourceFile}: the center state (version {version}) holds no configuration document; there is nothing to carry over.");
        }
        var notes = new List<string>();
        var file = new Dictionary<string, object>();
        AddList(file, "skills", Strings(document, "Skills"));
        AddMap(file, "skillNames", StringMap(document, "SkillNames"));
        AddList(file, "reasonCodes", Strings(document, "ReasonCodes"));
        var details = Object(document, "ReasonCodeDetails");
        AddList(file, "productiveReasonCodes", [.. details.Where(d => Bool(d.Value, "Productive")).Select(d => d.Key)]);
        AddList(file, "dispositions", Strings(document, "Dispositions"));
        AddMap(file, "reasonCodeNames", details.Where(d => Text(d.Value, "Name") is { } name && name != d.Key)
            .ToDictionary(d => d.Key, d => (object)Text(d.Value, "Name")!));
        AddList(file, "vendors", [.. Array(document, "Vendors").Select(Vendor)]);
        AddList(file, "teams", [.. Array(document, "Teams").Select(Team)]);
        var queues = Array(document, "Queues").Select(q => Queue(q, notes)).ToList<object>();
        AddList(file, "queues", queues);
        var agents = Array(document, "Agents").Select(Agent).ToList<object>();
        AddList(file, "agents", agents);

        var header = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"# Center configuration exported from the previous build's data folder: {sourceFile}")
            .AppendLine(CultureInfo.InvariantCulture, $"# (center configuration version {version}, {queues.Count} queues, {agents.Count} agents).")
            .AppendLine("# Load it with the silo's center-file option and a new, empty data folder; docs/routing.md explains every field.");
        foreach (var note in notes)
        {
            header.AppendLine(CultureInfo.InvariantCulture, $"# Not carried over: {note}");
        }
        var yaml = header.AppendLine().Append(new SerializerBuilder().Build().Serialize(file)).ToString();
        return (yaml, new CenterExport(outFile, version, queues.Count, agents.Count, notes));
    }

    private static Dictionary<string, object> Vendor(JsonElement vendor)
    {
        var entry = new Dictionary<string, object> { ["id"] = Text(vendor, "VendorId")!, ["name"] = Text(vendor, "Name")! };
        if (Bool(vendor, "InHouse"))
        {
            entry["inHouse"] = true;
        }
        return entry;
    }

    private static Dictionary<string, object> Team(JsonElement team)
    {
        var entry = new Dictionary<string, object> { ["id"] = Text(team, "TeamId")!, ["name"] = Text(team, "Name")!, ["vendor"] = Text(team, "VendorId")! };
        if (Text(team, "LeaderAgentId") is { } leader)
        {
            entry["leader"] = leader;
        }
        return entry;
    }

    private static Dictionary<string, object> Agent(JsonElement agent)
    {
        var entry = new Dictionary<string, object> { ["id"] = Text(agent, "AgentId")! };
        if (Text(agent, "DisplayName") is { } name)
        {
            entry["name"] = name;
        }
        entry["team"] = Text(agent, "TeamId")!;
        if (Bool(agent, "Disabled"))
        {
            entry["disabled"] = true;
        }
        AddMap(entry, "skills", IntMap(agent, "Skills"));
        AddMap(entry, "queues", IntMap(agent, "Queues"));
        return entry;
    }

    private static Dictionary<string, object> Queue(JsonElement queue, List<string> notes)
    {
        var id = Text(queue, "QueueId")!;
        var entry = new Dictionary<string, object> { ["id"] = id };
        if (Text(queue, "Name") is { } name && name != id)
        {
            entry["name"] = name;
        }
        entry["strategy"] = Named(Strategies, Int(queue, "Strategy"), "strategy", id);
        if (Bool(queue, "Closed"))
        {
            entry["closed"] = true;
        }
        if (Int(queue, "MaxCalls") is > 0 and var maxCalls)
        {
            entry["maxCalls"] = maxCalls;
        }
        AddMap(entry, "requiredSkills", Array(queue, "RequiredSkills").ToDictionary(r => Text(r, "Skill")!, r => (object)Int(r, "MinProficiency")));
        entry["defaultPriority"] = Int(queue, "DefaultPriority");
        if (Bool(queue, "DispositionRequired"))
        {
            entry["dispositionRequired"] = true;
        }
        AddSeconds(entry, "serviceLevelSeconds", queue, "ServiceLevelThreshold");
        entry["serviceLevelTarget"] = queue.GetProperty("ServiceLevelTarget").GetDouble();
        AddSeconds(entry, "shortAbandonSeconds", queue, "ShortAbandonThreshold");
        AddSeconds(entry, "positionAnnouncementSeconds", queue, "PositionAnnouncementInterval");
        if (Seconds(queue, "MaxWait") is { } maxWait)
        {
            entry["maxWait"] = new Dictionary<string, object> { ["seconds"] = maxWait, ["action"] = Named(MaxWaitActions, Int(queue, "MaxWaitAction"), "max-wait action", id) };
        }
        if (Text(queue, "OverflowQueueId") is { } overflowQueue)
        {
            entry["overflow"] = new Dictionary<string, object> { ["queue"] = overflowQueue };
        }
        else if (Text(queue, "OverflowNumber") is { } overflowNumber)
        {
            entry["overflow"] = new Dictionary<string, object> { ["number"] = overflowNumber };
        }
        AddSeconds(entry, "maxWrapUpSeconds", queue, "MaxWrapUp");
        // Written even where the previous build stored none: its default was 15 s, this build's is 20 s (the protos').
        entry["offerTimeoutSeconds"] = Seconds(queue, "OfferTimeout") ?? PreviousBuildOfferTimeoutSeconds;
        AddSeconds(entry, "repeatCallerWaitSeconds", queue, "RepeatCallerWait");
        AddSeconds(entry, "defaultHandleTimeSeconds", queue, "DefaultHandleTime");
        if (queue.TryGetProperty("Aging", out var aging) && aging.ValueKind == JsonValueKind.Object)
        {
            var agingEntry = new Dictionary<string, object> { ["everySeconds"] = Seconds(aging, "Every")! };
            // The file's default (no maxBoost) is no limit, which the state keeps as int.MaxValue.
            if (Int(aging, "MaxBoost") is var maxBoost and not int.MaxValue)
            {
                agingEntry["maxBoost"] = maxBoost;
            }
            agingEntry["step"] = Int(aging, "Step");
            entry["aging"] = agingEntry;
        }
        if (queue.TryGetProperty("VendorPolicy", out var policy) && policy.ValueKind == JsonValueKind.Object)
        {
            var vendors = new Dictionary<string, object>();
            AddList(vendors, "allow", Strings(policy, "Allowed"));
            AddList(vendors, "prefer", Strings(policy, "Preferred"));
            AddList(vendors, "forbid", Strings(policy, "Forbidden"));
            if (vendors.Count > 0)
            {
                entry["vendors"] = vendors;
            }
        }
        AddList(entry, "relaxation", [.. Array(queue, "Relaxation").Select(step =>
        {
            var stepEntry = new Dictionary<string, object> { ["afterSeconds"] = Seconds(step, "After")! };
            if (Int(step, "ProficiencyReduction") is > 0 and var reduction)
            {
                stepEntry["proficiencyReduction"] = reduction;
            }
            if (Bool(step, "IgnoreLanguage"))
            {
                stepEntry["ignoreLanguage"] = true;
            }
            AddList(stepEntry, "vendors", Strings(step, "AdditionalVendors"));
            AddList(stepEntry, "queues", Strings(step, "OverflowQueues"));
            return (object)stepEntry;
        })]);
        var boosts = Array(queue, "TierPriorityBoost").Select(b => b.GetInt32()).ToList();
        AddMap(entry, "tierBoost", boosts.Select((boost, tier) => (boost, tier)).Where(b => b.tier < Tiers.Length)
            .ToDictionary(b => Tiers[b.tier], b => (object)b.boost));
        AddList(entry, "inHouseFirst", [.. Array(queue, "InHouseFirstTiers").Select(t => Named(Tiers, t.GetInt32(), "tier", id))]);
        if (queue.TryGetProperty("LanguageMinProficiency", out var language) && language.GetInt32() != 1)
        {
            notes.Add($"queue '{id}' asks a caller's language skill at proficiency {language.GetInt32()}; a center file cannot set it (this build uses 1).");
        }
        return entry;
    }

    private static string Named(string[] names, int value, string what, string queueId) =>
        value >= 0 && value < names.Length ? names[value]
            : throw new InvalidOperationException($"Queue '{queueId}' has {what} {value}, which this build does not know; the export stops rather than guess.");

    private static void AddList(Dictionary<string, object> entry, string key, List<object> items)
    {
        if (items.Count > 0)
        {
            entry[key] = items;
        }
    }

    private static void AddMap(Dictionary<string, object> entry, string key, Dictionary<string, object> map)
    {
        if (map.Count > 0)
        {
            entry[key] = map;
        }
    }

    private static void AddSeconds(Dictionary<string, object> entry, string key, JsonElement element, string property)
    {
        if (Seconds(element, property) is { } seconds)
        {
            entry[key] = seconds;
        }
    }

    private static double? Seconds(JsonElement element, string property) =>
        Text(element, property) is { } text ? TimeSpan.Parse(text, CultureInfo.InvariantCulture).TotalSeconds : null;

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool Bool(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.True;

    private static int Int(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : 0;

    private static IEnumerable<JsonElement> Array(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : [];

    private static List<object> Strings(JsonElement element, string property) => [.. Array(element, property).Select(s => (object)s.GetString()!)];

    private static Dictionary<string, JsonElement> Object(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Object
            ? value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal)
            : [];

    private static Dictionary<string, object> StringMap(JsonElement element, string property) =>
        Object(element, property).ToDictionary(p => p.Key, p => (object)p.Value.GetString()!);

    private static Dictionary<string, object> IntMap(JsonElement element, string property) =>
        Object(element, property).ToDictionary(p => p.Key, p => (object)p.Value.GetInt32());
}
