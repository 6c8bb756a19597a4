namespace Switchboard.Routing.Calls;

/// <summary>The caller's value to the business; a queue raises priority by tier.</summary>
public enum CustomerTier
{
    Standard = 0,
    AtRisk = 1,
    HighValue = 2,
    Vip = 3,
}
