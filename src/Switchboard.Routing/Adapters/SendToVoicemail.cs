namespace Switchboard.Routing.Adapters;

/// <summary>VOICEMAIL: send the caller to the queue's voicemail box (empty: the switch's default); the call is TimedOut.</summary>
public sealed record SendToVoicemail(string Mailbox) : InstructionAction;
