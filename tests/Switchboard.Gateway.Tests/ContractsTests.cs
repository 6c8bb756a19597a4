using System.Text.RegularExpressions;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Switchboard.Contracts.V1;

namespace Switchboard.Gateway.Tests;

/// <summary>The public API, package switchboard.v1: messages survive the wire, the services have the documented methods.</summary>
public sealed class ContractsTests
{
    [Fact]
    public void An_offered_call_survives_the_wire_with_its_routing_attributes_and_call_data()
    {
        var request = new OfferCallRequest
        {
            AdapterId = "fs-03",
            ExternalCallId = "7f0c2d1e-9a41-4c55-8f3e-2b6f1f0a9c11",
            CallerNumber = "+4930123456",
            DialedNumber = "+498001234",
            QueueId = "billing",
            ArrivedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 22, 9, 30, 0, TimeSpan.Zero)),
            Routing = new RoutingAttributes
            {
                Language = "de",
                CustomerTier = CustomerTier.Vip,
                Priority = 70,
                Skills = { new SkillRequirement { SkillId = "billing", MinProficiency = 5 } },
            },
            CallData = { ["account"] = "K-88120", ["ivr_choice"] = "2" },
        };

        var parsed = OfferCallRequest.Parser.ParseFrom(request.ToByteArray());

        Assert.Equal(request, parsed);
        Assert.Equal(5, parsed.Routing.Skills.Single().MinProficiency);
        Assert.Equal("K-88120", parsed.CallData["account"]);
    }

    [Fact]
    public void A_ring_instruction_survives_the_wire_with_its_action()
    {
        var instruction = new Instruction
        {
            InstructionId = "i-1",
            Sequence = 42,
            CallId = "c-9",
            ExternalCallId = "7f0c2d1e",
            IssuedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddDays(20_000)),
            RingAgent = new RingAgent
            {
                AgentId = "a-1042",
                Endpoint = "user/1042",
                RingTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(20)),
                OfferId = "o-7",
            },
        };
        var message = new ConnectResponse { Instruction = instruction };

        var parsed = ConnectResponse.Parser.ParseFrom(message.ToByteArray());

        Assert.Equal(ConnectResponse.MessageOneofCase.Instruction, parsed.MessageCase);
        Assert.Equal(Instruction.ActionOneofCase.RingAgent, parsed.Instruction.ActionCase);
        Assert.Equal(TimeSpan.FromSeconds(20), parsed.Instruction.RingAgent.RingTimeout.ToTimeSpan());
        Assert.Equal(message, parsed);
    }

    [Fact]
    public void An_instruction_kind_newer_than_the_adapter_reads_as_no_action_so_the_adapter_can_ack_it_unsupported()
    {
        // A later server adds action number 49; an adapter built against this version must still parse the instruction.
        var known = new Instruction { InstructionId = "i-2", Sequence = 7 }.ToByteArray();
        using var buffer = new MemoryStream();
        buffer.Write(known);
        var output = new CodedOutputStream(buffer);
        output.WriteTag(49, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(new RingAgent { AgentId = "a-1" }.ToByteArray()));
        output.Flush();

        var parsed = Instruction.Parser.ParseFrom(buffer.ToArray());

        Assert.Equal("i-2", parsed.InstructionId);
        Assert.Equal(Instruction.ActionOneofCase.None, parsed.ActionCase);
    }

    [Fact]
    public void A_ratio_without_a_denominator_is_absent_rather_than_zero()
    {
        var empty = new Figures { Scope = new Scope { Kind = ScopeKind.Queue, Id = "billing" } };
        var measured = new Figures { Offered = 10, Answered = 8, AnsweredWithinThreshold = 6, ServiceLevel = 0.75, AbandonRate = 0.0 };

        var emptyParsed = Figures.Parser.ParseFrom(empty.ToByteArray());
        var measuredParsed = Figures.Parser.ParseFrom(measured.ToByteArray());

        Assert.False(emptyParsed.HasServiceLevel);
        Assert.False(emptyParsed.HasAsaSeconds);
        Assert.True(measuredParsed.HasServiceLevel);
        Assert.Equal(0.75, measuredParsed.ServiceLevel);
        Assert.True(measuredParsed.HasAbandonRate); // a real 0 % stays distinguishable from "no calls"
        Assert.Equal(0.0, measuredParsed.AbandonRate);
    }

    [Fact]
    public void A_queue_configuration_survives_the_wire()
    {
        var queue = new Queue
        {
            Id = "billing",
            DisplayName = "Billing",
            Strategy = RoutingStrategy.MostSkilled,
            RequiredSkills = { new SkillRequirement { SkillId = "billing", MinProficiency = 4 } },
            ServiceLevelThreshold = Duration.FromTimeSpan(TimeSpan.FromSeconds(20)),
            ServiceLevelTarget = 0.8,
            MaxWait = new MaxWait { After = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)), Action = MaxWaitAction.Overflow, OverflowQueueId = "billing-2" },
            Relaxation = { new RelaxationStep { After = Duration.FromTimeSpan(TimeSpan.FromSeconds(60)), LowerProficiencyBy = 2, AllowVendorIds = { "acme" } } },
            VendorPolicy = new VendorPolicy { PreferredVendorIds = { "inhouse", "acme" }, ForbiddenVendorIds = { "newco" }, Unlisted = UnlistedVendors.Forbid },
            TierRules = { new TierRule { Tier = CustomerTier.Vip, PriorityBoost = 30, InHouseFirst = true } },
            MaxWrapUp = Duration.FromTimeSpan(TimeSpan.FromSeconds(90)),
        };

        var parsed = UpsertQueueRequest.Parser.ParseFrom(new UpsertQueueRequest { Queue = queue }.ToByteArray()).Queue;

        Assert.Equal(queue, parsed);
        Assert.Equal(new[] { "inhouse", "acme" }, parsed.VendorPolicy.PreferredVendorIds);
    }

    [Fact]
    public void The_package_has_the_four_services()
    {
        var names = SwitchboardApi.Services.Select(service => service.FullName).OrderBy(name => name, StringComparer.Ordinal);

        Assert.Equal(
            new[] { "switchboard.v1.Admin", "switchboard.v1.AgentDesk", "switchboard.v1.TelephonyAdapter", "switchboard.v1.Wallboard" },
            names);
    }

    [Theory]
    [InlineData("TelephonyAdapter", "OfferCall", false, false)]
    [InlineData("TelephonyAdapter", "ReportCallEvent", false, false)]
    [InlineData("TelephonyAdapter", "GetCall", false, false)]
    [InlineData("TelephonyAdapter", "Connect", true, true)]
    [InlineData("AgentDesk", "Login", false, false)]
    [InlineData("AgentDesk", "Logout", false, false)]
    [InlineData("AgentDesk", "SetState", false, false)]
    [InlineData("AgentDesk", "Subscribe", false, true)]
    [InlineData("AgentDesk", "AcceptOffer", false, false)]
    [InlineData("AgentDesk", "RejectOffer", false, false)]
    [InlineData("AgentDesk", "Hold", false, false)]
    [InlineData("AgentDesk", "Resume", false, false)]
    [InlineData("AgentDesk", "FinishWrapUp", false, false)]
    [InlineData("AgentDesk", "Transfer", false, false)]
    [InlineData("Wallboard", "Subscribe", false, true)]
    [InlineData("Wallboard", "GetFigures", false, false)]
    [InlineData("Wallboard", "GetStaffing", false, false)]
    [InlineData("Admin", "ListQueues", false, false)]
    [InlineData("Admin", "UpsertQueue", false, false)]
    [InlineData("Admin", "RemoveAgent", false, false)]
    public void A_documented_method_exists_with_its_streaming_shape(string service, string method, bool clientStreaming, bool serverStreaming)
    {
        var descriptor = SwitchboardApi.Services.Single(s => s.Name == service).FindMethodByName(method);

        Assert.NotNull(descriptor);
        Assert.Equal(clientStreaming, descriptor.IsClientStreaming);
        Assert.Equal(serverStreaming, descriptor.IsServerStreaming);
    }

    [Fact]
    public void Admin_has_list_upsert_and_remove_for_every_entity()
    {
        var admin = SwitchboardApi.Services.Single(s => s.Name == "Admin");
        string[] entities = ["Vendor", "Team", "Skill", "ReasonCode", "Agent", "Queue"];

        var expected = entities.SelectMany(e => new[] { $"List{e}s", $"Upsert{e}", $"Remove{e}" }).Order(StringComparer.Ordinal);

        Assert.Equal(expected, admin.Methods.Select(m => m.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_enum_starts_with_an_unspecified_zero_value()
    {
        var enums = SwitchboardApi.Files.SelectMany(f => f.EnumTypes.Concat(f.MessageTypes.SelectMany(NestedEnums))).ToList();

        Assert.NotEmpty(enums);
        Assert.All(enums, e =>
        {
            var first = e.Values[0];
            Assert.Equal(0, first.Number);
            Assert.EndsWith("_UNSPECIFIED", first.Name, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Every_service_method_message_field_and_enum_value_carries_a_comment()
    {
        // The .proto comments are the API reference integrators read; an undocumented declaration is a gap in it.
        var declaration = new Regex(
            @"^\s*(rpc \w+|message \w+|enum \w+|service \w+|oneof \w+|(repeated |optional )?(map<[\w., ]+>|[\w.]+) \w+ = \d+;|[A-Z][A-Z0-9_]* = \d+;)");
        var undocumented = new List<string>();
        var files = Directory.GetFiles(ProtoFolder(), "*.proto");

        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (!declaration.IsMatch(lines[i])) continue;
                var previous = i > 0 ? lines[i - 1].Trim() : "";
                if (!previous.StartsWith("//", StringComparison.Ordinal))
                    undocumented.Add($"{Path.GetFileName(file)}:{i + 1}: {lines[i].Trim()}");
            }
        }

        Assert.Equal(5, files.Length);
        Assert.Empty(undocumented);
    }

    private static IEnumerable<EnumDescriptor> NestedEnums(MessageDescriptor message) =>
        message.EnumTypes.Concat(message.NestedTypes.SelectMany(NestedEnums));

    private static string ProtoFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "Switchboard.Contracts", "Protos", "switchboard", "v1");
            if (Directory.Exists(candidate)) return candidate;
        }

        throw new DirectoryNotFoundException("src/Switchboard.Contracts/Protos/switchboard/v1 not found above " + AppContext.BaseDirectory);
    }
}
