using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Switchboard.LoadTests.Simulation;

/// <summary>Writes a <see cref="SimulationResult"/> as the text a load tester reads and as JSON for scripts.</summary>
internal static class SimulationReport
{
    public static string ToText(SimulationResult r)
    {
        var o = r.Options;
        var text = new StringBuilder();
        var i = CultureInfo.InvariantCulture;
        var warmup = o.WarmupMinutes > 0 ? $" ({Num(o.WarmupMinutes)} min warm-up not counted)" : "";
        text.AppendLine(i, $"router {r.Router}, seed {o.Seed}, {Num(o.Hours)} h of arrivals{warmup}, {r.RouterOperations:N0} router operations in {r.WallTime.TotalSeconds:0.0} s");
        var c = r.Center;
        var e = r.ErlangC;
        var sl = $"service level ({Num(o.ServiceLevelSeconds)} s)";
        text.AppendLine(i, $"{"figure",-26}{"simulated",14}{(e is null ? "" : $"{"Erlang C",14}")}");
        Row(text, "offered", c.Offered.ToString("N0", i), null);
        Row(text, "answered", c.Answered.ToString("N0", i), null);
        Row(text, "abandoned", c.Abandoned.ToString("N0", i), null);
        if (c.TimedOut > 0)
        {
            Row(text, "to voicemail (max wait)", c.TimedOut.ToString("N0", i), null);
        }

        Row(text, sl, Pct(c.ServiceLevel) + (r.ServiceLevelHalfWidth is { } slw ? $" ±{slw * 100:0.0}" : ""), e is null ? null : Pct(e.ServiceLevel));
        Row(text, "ASA", Sec(c.AsaSeconds) + (r.AsaHalfWidthSeconds is { } aw ? $" ±{aw:0.0}" : ""), e is null ? null : (e.Staffable ? Sec(e.AsaSeconds) : "unbounded"));
        Row(text, "calls that waited", Pct(c.WaitedRate), e is null ? null : Pct(e.ProbabilityOfWaiting));
        Row(text, "answer rate", Pct(c.AnswerRate), null);
        Row(text, "abandon rate", Pct(c.AbandonRate), null);
        Row(text, "AHT", Sec(c.AhtSeconds), null);
        Row(text, "occupancy", Pct(r.Occupancy), e is null ? null : Pct(Math.Min(1, e.OfferedLoadErlangs / e.Agents)));
        Row(text, "longest wait", Sec(c.LongestWaitSeconds), null);
        if (e is not null)
        {
            var note = o.PatienceSeconds is null ? "" : "; Erlang C assumes no abandonment, so it overstates waiting here";
            text.AppendLine(i, $"Erlang C: A = {e.OfferedLoadErlangs:0.##} erlangs, c = {e.Agents}{(e.Staffable ? "" : " (c <= A: the queue grows without bound)")}{note}");
            text.AppendLine("± is the 95 % half-width by batch means (20 batches): the sampling error of this run.");
        }

        if (r.Queues.Count > 1)
        {
            text.AppendLine();
            text.AppendLine(i, $"{"queue",-16}{"offered",10}{"answered",10}{"abandoned",10}{"SL",9}{"ASA",10}{"AHT",10}");
            foreach (var (queue, f) in r.Queues.OrderBy(q => q.Key, StringComparer.Ordinal))
            {
                text.AppendLine(i, $"{queue,-16}{f.Offered,10:N0}{f.Answered,10:N0}{f.Abandoned,10:N0}{Pct(f.ServiceLevel),9}{Sec(f.AsaSeconds),10}{Sec(f.AhtSeconds),10}");
            }
        }

        return text.ToString();
    }

    public static void WriteJson(SimulationResult r, Stream stream)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        var o = r.Options;
        json.WriteStartObject();
        json.WriteString("router", r.Router);
        json.WriteNumber("seed", o.Seed);
        json.WriteNumber("hours", o.Hours);
        json.WriteNumber("warmup_minutes", o.WarmupMinutes);
        json.WriteNumber("sl_seconds", o.ServiceLevelSeconds);
        if (o.ScenarioFile is null)
        {
            json.WriteNumber("calls_per_hour", o.CallsPerHour);
            json.WriteNumber("aht_seconds", o.AhtSeconds);
            json.WriteNumber("agents", o.Agents);
            Nullable(json, "patience_seconds", o.PatienceSeconds);
            json.WriteNumber("wrap_up_seconds", o.WrapUpSeconds);
        }
        else
        {
            json.WriteString("scenario", o.ScenarioFile);
        }

        Figures(json, r.Center);
        Nullable(json, "occupancy", r.Occupancy);
        Nullable(json, "service_level_half_width", r.ServiceLevelHalfWidth);
        Nullable(json, "asa_half_width_seconds", r.AsaHalfWidthSeconds);
        if (r.ErlangC is { } e)
        {
            json.WriteStartObject("erlang_c");
            json.WriteNumber("offered_load_erlangs", e.OfferedLoadErlangs);
            json.WriteNumber("agents", e.Agents);
            json.WriteNumber("p_wait", e.ProbabilityOfWaiting);
            json.WriteNumber("service_level", e.ServiceLevel);
            Nullable(json, "asa_seconds", e.AsaSeconds);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("erlang_c");
        }

        json.WriteStartObject("queues");
        foreach (var (queue, f) in r.Queues.OrderBy(q => q.Key, StringComparer.Ordinal))
        {
            json.WriteStartObject(queue);
            Figures(json, f);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteNumber("router_operations", r.RouterOperations);
        json.WriteNumber("wall_seconds", Math.Round(r.WallTime.TotalSeconds, 3));
        json.WriteEndObject();
    }

    private static void Figures(Utf8JsonWriter json, CallFigures f)
    {
        json.WriteNumber("offered", f.Offered);
        json.WriteNumber("answered", f.Answered);
        json.WriteNumber("abandoned", f.Abandoned);
        json.WriteNumber("timed_out", f.TimedOut);
        Nullable(json, "service_level", f.ServiceLevel);
        Nullable(json, "asa_seconds", f.AsaSeconds);
        Nullable(json, "answer_rate", f.AnswerRate);
        Nullable(json, "abandon_rate", f.AbandonRate);
        Nullable(json, "aht_seconds", f.AhtSeconds);
        Nullable(json, "waited_rate", f.WaitedRate);
        json.WriteNumber("longest_wait_seconds", f.LongestWaitSeconds);
    }

    private static void Nullable(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void Row(StringBuilder text, string name, string simulated, string? erlang) =>
        text.AppendLine(CultureInfo.InvariantCulture, $"{name,-26}{simulated,14}{(erlang is null ? "" : $"{erlang,14}")}");

    private static string Pct(double? value) => value is { } v ? (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "-";

    private static string Sec(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) + " s" : "-";

    private static string Num(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
