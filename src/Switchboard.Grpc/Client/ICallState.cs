namespace Switchboard.Grpc.Client;

/// <summary>What the public call objects need from the call they wrap.</summary>
internal interface ICallState : IDisposable
{
    Task<Metadata> ResponseHeadersAsync { get; }

    Status GetStatus();

    Metadata GetTrailers();
}
