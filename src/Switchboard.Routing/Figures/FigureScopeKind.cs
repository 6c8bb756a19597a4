namespace Switchboard.Routing.Figures;

/// <summary>What a set of figures is about.</summary>
public enum FigureScopeKind
{
    Center,
    Queue,
    Team,
    Vendor,
    Agent,
}
