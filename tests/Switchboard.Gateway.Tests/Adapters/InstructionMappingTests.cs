using Switchboard.Gateway.Adapters;
using Switchboard.Routing.Adapters;
using V1 = Switchboard.Contracts.V1;

namespace Switchboard.Gateway.Tests.Adapters;

public sealed class InstructionMappingTests
{
    private static V1.Instruction Map(InstructionAction action) =>
        InstructionMapping.ToContract(new AdapterInstruction("fs-1#7", 7, "fs-1", "fs-1:c1", "c1", DateTimeOffset.UnixEpoch, null, action));

    [Fact]
    public void An_overflow_to_another_queue_names_the_queue_and_one_to_an_external_number_names_only_the_number()
    {
        var toQueue = Map(new OverflowCall("support", ByRelaxation: false)).Overflow;
        var toNumber = Map(new OverflowCall("billing", ByRelaxation: false, ToNumber: "+4930123456")).Overflow;

        Assert.Equal((V1.Overflow.TargetOneofCase.QueueId, "support", V1.OverflowCause.MaxWait), (toQueue.TargetCase, toQueue.QueueId, toQueue.Cause));
        Assert.Equal((V1.Overflow.TargetOneofCase.Number, "+4930123456", V1.OverflowCause.MaxWait), (toNumber.TargetCase, toNumber.Number, toNumber.Cause));
    }
}
