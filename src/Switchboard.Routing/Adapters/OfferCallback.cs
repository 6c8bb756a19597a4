namespace Switchboard.Routing.Adapters;

/// <summary>OFFER_CALLBACK: offer the waiting caller a callback that keeps their place; the choice comes back as CallbackChosen.</summary>
[GenerateSerializer, Immutable, Alias("sb.OfferCallback")]
public sealed record OfferCallback(int QueuePosition, TimeSpan? EstimatedWait) : InstructionAction;
