namespace Switchboard.Routing.Adapters;

/// <summary>PLAY_POSITION: tell the waiting caller their place (1 = next) and estimated wait (null: unknown).</summary>
[GenerateSerializer, Immutable, Alias("sb.PlayPosition")]
public sealed record PlayPosition(int QueuePosition, TimeSpan? EstimatedWait) : InstructionAction;
