namespace Switchboard.Routing.Adapters;

/// <summary>How an adapter acknowledges an instruction.</summary>
public enum InstructionOutcome
{
    /// <summary>Carried out (for ringing: the leg is ringing).</summary>
    Done = 0,

    /// <summary>Could not be carried out; <see cref="AckFailure"/> says why and the server acts on it.</summary>
    Failed = 1,
}
