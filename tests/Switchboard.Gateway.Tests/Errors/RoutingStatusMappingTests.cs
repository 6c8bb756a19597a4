using Grpc.Core;
using Switchboard.Gateway.Errors;
using Switchboard.Routing;
using Switchboard.Routing.Agents;

namespace Switchboard.Gateway.Tests.Errors;

public sealed class RoutingStatusMappingTests
{
    [Theory]
    [InlineData("unknown-queue", StatusCode.NotFound)]
    [InlineData("unknown-agent", StatusCode.NotFound)]
    [InlineData("duplicate-call", StatusCode.AlreadyExists)]
    [InlineData("queue-full", StatusCode.ResourceExhausted)]
    [InlineData("queue-closed", StatusCode.FailedPrecondition)]
    [InlineData("etag-mismatch", StatusCode.Aborted)]
    [InlineData("invalid-call", StatusCode.InvalidArgument)]
    [InlineData("reason-required", StatusCode.InvalidArgument)]
    [InlineData("no-pending-offer", StatusCode.FailedPrecondition)]
    [InlineData("not-on-call", StatusCode.FailedPrecondition)]
    public void Routing_error_codes_map_to_the_status_the_api_documents(string code, StatusCode expected)
    {
        var status = RoutingStatusMapping.Map(new RoutingException(code, $"refused: {code}"));

        Assert.NotNull(status);
        Assert.Equal(expected, status.Value.StatusCode);
        Assert.Equal($"refused: {code}", status.Value.Detail);
    }

    [Fact]
    public void A_state_machine_refusal_is_a_failed_precondition_that_names_the_state()
    {
        var refusal = new AgentStateException("already-logged-in", "a-1042", AgentState.Available, "login", "agent a-1042 cannot login: it is AVAILABLE");

        var status = RoutingStatusMapping.Map(refusal);

        Assert.Equal(StatusCode.FailedPrecondition, status!.Value.StatusCode);
        Assert.Contains("a-1042", status.Value.Detail);
    }

    [Fact]
    public void An_unexpected_exception_is_not_mapped_so_it_is_logged_and_answered_internal()
    {
        Assert.Null(RoutingStatusMapping.Map(new NullReferenceException()));
    }
}
