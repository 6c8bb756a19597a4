using Switchboard.Routing.Configuration;
using Switchboard.Routing.Figures;

namespace Switchboard.Routing.Hosting;

/// <summary>Options of the routing grains, bound from <c>Switchboard:Routing</c>. Defaults are written here.</summary>
public sealed class RoutingOptions
{
    /// <summary>Configuration section these options are bound from.</summary>
    public const string SectionName = "Switchboard:Routing";

    /// <summary>
    /// The center file (YAML or JSON) loaded at start-up when the store holds no configuration yet, or always
    /// when <see cref="ReloadCenterFileOnStart"/>. Null: start from <see cref="Center"/> or an empty center.
    /// </summary>
    public string? CenterFile { get; set; }

    /// <summary>A configuration given in code (tests, simulator); used like <see cref="CenterFile"/>.</summary>
    public CenterConfiguration? Center { get; set; }

    /// <summary>Replace the stored configuration by the file's at every start. Default false: run-time changes survive restarts.</summary>
    public bool ReloadCenterFileOnStart { get; set; }

    /// <summary>Activate every configured queue and agent at start-up so timers re-arm and waiting calls are served. Default true.</summary>
    public bool ActivateAllOnStart { get; set; } = true;

    /// <summary>How long an agent's desk may stay disconnected before the agent goes NotReady(disconnected). Default 30 s.</summary>
    public TimeSpan DeskDisconnectGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long RING_AGENT, BRIDGE and PLACE_CALLBACK may stay unacknowledged before the offer is withdrawn. Default 5 s.</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Withdraw an offer whose RING_AGENT, BRIDGE or PLACE_CALLBACK is not acknowledged within <see cref="AckTimeout"/>.
    /// Default true. A simulator that drives calls without an adapter loop turns it off.
    /// </summary>
    public bool ExpireUnacknowledgedOffers { get; set; } = true;

    /// <summary>
    /// How many instruction numbers an adapter outbox reserves with one journal record (ADR 006). An instruction is
    /// published once its number is reserved durably, without waiting for its own record; the outbox reserves the next
    /// block when half of this one is used, so under steady load no instruction waits for a reservation. After a
    /// restart numbering resumes past the last reserved block: a number published and lost with a crash is never
    /// given to another instruction. Default 1,024.
    /// </summary>
    public int InstructionNumberBlock { get; set; } = 1024;

    /// <summary>How long a caller's last agent is remembered for repeat-call routing. Default 24 h.</summary>
    public TimeSpan RepeatCallerMemory { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often a queue re-checks time-driven eligibility (relaxation, repeat-caller window, aging). Default 1 s.</summary>
    public TimeSpan QueueTick { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often a waiting caller is told their position and estimated wait again (PLAY_POSITION). Every caller
    /// who has to wait is told once on arrival; null (the default) announces nothing after that.
    /// </summary>
    public TimeSpan? PositionAnnouncementInterval { get; set; }

    /// <summary>
    /// How often live figures are brought up to date from the journal and each changed scope's topic told so
    /// (<see cref="Topics.FiguresUpdate"/>). Default 1 s.
    /// </summary>
    public TimeSpan FiguresRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Figure variants (interval length, short abandons...). Default: the classic definitions.</summary>
    public FiguresOptions Figures { get; set; } = new();
}
