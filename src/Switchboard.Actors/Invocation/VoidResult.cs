namespace Switchboard.Actors.Invocation;

/// <summary>The result type of grain methods that return a plain Task or ValueTask.</summary>
internal readonly struct VoidResult
{
}
