namespace Switchboard.Routing.Figures;

/// <summary>A queue, team, vendor, agent, or the whole center, that figures are kept for.</summary>
[GenerateSerializer, Immutable, Alias("sb.FigureScope")]
public readonly record struct FigureScope(FigureScopeKind Kind, string Id)
{
    public static FigureScope Center { get; } = new(FigureScopeKind.Center, "");

    public static FigureScope Queue(string id) => new(FigureScopeKind.Queue, id);

    public static FigureScope Team(string id) => new(FigureScopeKind.Team, id);

    public static FigureScope Vendor(string id) => new(FigureScopeKind.Vendor, id);

    public static FigureScope Agent(string id) => new(FigureScopeKind.Agent, id);

    public override string ToString() => Kind == FigureScopeKind.Center ? "center" : $"{Kind.ToString().ToLowerInvariant()}/{Id}";
}
