namespace Switchboard.Routing.Adapters;

/// <summary>VOICEMAIL: send the caller to the queue's voicemail box (empty: the switch's default); the call is TimedOut.</summary>
[GenerateSerializer, Immutable, Alias("sb.SendToVoicemail")]
public sealed record SendToVoicemail(string Mailbox) : InstructionAction;
