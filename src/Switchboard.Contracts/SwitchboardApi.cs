using Google.Protobuf.Reflection;

namespace Switchboard.Contracts.V1;

/// <summary>
/// The descriptors of package <c>switchboard.v1</c> in one place (the services the gateway reports health for, the
/// files a test hands to a dynamic client) and the metadata names the API documents.
/// </summary>
public static class SwitchboardApi
{
    /// <summary>The package name, the prefix of every service's full name.</summary>
    public const string Package = "switchboard.v1";

    /// <summary>The file descriptors of the package, dependencies before dependants (common first).</summary>
    public static IReadOnlyList<FileDescriptor> Files { get; } =
    [
        CommonReflection.Descriptor,
        TelephonyAdapterReflection.Descriptor,
        AgentDeskReflection.Descriptor,
        WallboardReflection.Descriptor,
        AdminReflection.Descriptor,
    ];

    /// <summary>The services: TelephonyAdapter, AgentDesk, Wallboard, Admin.</summary>
    public static IReadOnlyList<ServiceDescriptor> Services { get; } =
        Files.SelectMany(file => file.Services).ToArray();

    /// <summary>Metadata (request header) names the API reads.</summary>
    public static class Metadata
    {
        /// <summary>The API key, as <c>Bearer &lt;key&gt;</c>.</summary>
        public const string Authorization = "authorization";

        /// <summary>Names the adapter of a <c>TelephonyAdapter.Connect</c> stream, instead of a first hello message.</summary>
        public const string AdapterId = "x-switchboard-adapter-id";

        /// <summary>W3C trace context: the server continues the caller's trace.</summary>
        public const string TraceParent = "traceparent";

        /// <summary>W3C trace state, passed along with <see cref="TraceParent"/>.</summary>
        public const string TraceState = "tracestate";
    }
}
