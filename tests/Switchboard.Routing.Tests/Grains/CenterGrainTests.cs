using Switchboard.Routing.Agents;
using Switchboard.Routing.Calls;
using Switchboard.Routing.Configuration;
using Switchboard.Routing.Queues;

namespace Switchboard.Routing.Tests.Grains;

/// <summary>The center configuration changed at run time: good changes reach the grains at once, bad ones change nothing.</summary>
public sealed class CenterGrainTests
{
    [Fact]
    public async Task A_queue_change_naming_an_unknown_overflow_queue_is_refused_and_the_running_configuration_stays()
    {
        await using var silo = await RoutingSilo.StartAsync();
        var before = await silo.Center.GetAsync();

        var error = await Assert.ThrowsAsync<CenterChangeException>(() => silo.Center.UpsertQueueAsync(
            new QueueDefinition("billing") { MaxWait = TimeSpan.FromSeconds(30), MaxWaitAction = MaxWaitAction.Overflow, OverflowQueueId = "nowhere" }));

        Assert.Equal("invalid-configuration", error.Code);
        Assert.Contains(error.Problems, p => p.Path == "queues[billing].overflow" && p.Problem.Contains("'nowhere'"));
        var after = await silo.Center.GetAsync();
        Assert.Equal(before.Version, after.Version);
        Assert.Same(before.Configuration, after.Configuration);
    }

    [Fact]
    public async Task An_agent_with_an_unknown_skill_or_team_is_refused_by_path()
    {
        await using var silo = await RoutingSilo.StartAsync();

        var error = await Assert.ThrowsAsync<CenterChangeException>(() => silo.Center.UpsertAgentAsync(
            new AgentProfile("n1", "t-none", "", [new("juggling", 5)], [new("billing", 1)])));
        var skill = await Assert.ThrowsAsync<CenterChangeException>(() => silo.Center.UpsertAgentAsync(
            new AgentProfile("n1", "t1", "inhouse", [new("juggling", 5)], [new("billing", 1)])));

        Assert.Contains(error.Problems, p => p.Path == "agents[n1].team");
        Assert.Contains(skill.Problems, p => p.Path == "agents[n1].skills.juggling" && p.Problem.Contains("unknown skill"));
        await Assert.ThrowsAsync<RoutingNotFoundException>(() => silo.Agent("n1").GetStatusAsync());
    }

    [Fact]
    public async Task A_new_agent_added_at_run_time_takes_waiting_calls()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.OfferAsync("c1", queue: "support");

        var change = await silo.Center.UpsertAgentAsync(new AgentProfile("n1", "t2", "acme", [new("technical", 4)], [new("support", 2)]));
        await silo.SettleAsync();
        await silo.ReadyAsync("n1");

        Assert.True(change.Version > 1);
        Assert.Equal("n1", (await silo.Call("c1").GetAsync()).AgentId);
    }

    [Fact]
    public async Task An_agent_given_a_new_queue_at_run_time_is_offered_its_waiting_calls()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a3");
        await silo.OfferAsync("c1", queue: "support");
        Assert.Equal(CallState.Queued, (await silo.Call("c1").GetAsync()).State);

        await silo.Center.UpsertAgentAsync(new AgentProfile("a3", "t2", "acme", [new("billing", 3), new("en", 8)], [new("billing", 1), new("support", 1)]));
        await silo.SettleAsync();

        Assert.Equal("a3", (await silo.Call("c1").GetAsync()).AgentId);
    }

    [Fact]
    public async Task A_queue_forbidding_a_vendor_at_run_time_stops_offering_its_calls_to_that_vendor()
    {
        await using var silo = await RoutingSilo.StartAsync();
        var billing = (await silo.Center.GetAsync()).Configuration.QueuesById["billing"];
        await silo.Center.UpsertQueueAsync(billing with { VendorPolicy = new VendorPolicy([], [], ["acme"]) });
        await silo.SettleAsync();
        await silo.ReadyAsync("a3");

        var result = await silo.OfferAsync("c1");

        Assert.Equal(CallState.Queued, result.State);
    }

    [Fact]
    public async Task Removing_a_queue_that_agents_serve_or_calls_wait_in_is_refused_naming_them()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.OfferAsync("c1", queue: "voicemail");

        var waiting = await Assert.ThrowsAsync<CenterChangeException>(() => silo.Center.RemoveQueueAsync("voicemail"));
        var referenced = await Assert.ThrowsAsync<CenterChangeException>(() => silo.Center.RemoveQueueAsync("support"));
        var absent = await silo.Center.RemoveQueueAsync("never-was");

        Assert.Equal("in-use", waiting.Code);
        Assert.Contains("1 calls wait", waiting.Message);
        Assert.Equal("in-use", referenced.Code);
        Assert.Contains("agent a1", referenced.Message);
        Assert.Contains("queue overflowing", referenced.Message);
        Assert.False(absent.Removed);
        Assert.True((await silo.Center.GetAsync()).Configuration.QueuesById.ContainsKey("voicemail"));
    }

    [Fact]
    public async Task A_change_against_a_stale_version_of_that_entity_is_refused()
    {
        await using var silo = await RoutingSilo.StartAsync();
        var read = await silo.Center.GetAsync();
        var billing = read.VersionOf(CenterEntity.Queue("billing"));
        await silo.Center.UpsertQueueAsync(TestCenter.Configuration.QueuesById["billing"] with { MaxCalls = 10 }, billing);

        var error = await Assert.ThrowsAsync<CenterChangeException>(() =>
            silo.Center.UpsertQueueAsync(TestCenter.Configuration.QueuesById["billing"] with { MaxCalls = 20 }, billing));

        Assert.Equal("version-mismatch", error.Code);
        Assert.Contains("queue/billing", error.Message);
        Assert.Equal(10, (await silo.Center.GetAsync()).Configuration.QueuesById["billing"].MaxCalls);
    }

    [Fact]
    public async Task An_entitys_version_survives_a_silo_restart()
    {
        var directory = Directory.CreateTempSubdirectory("switchboard-center-").FullName;
        var database = Path.Combine(directory, "routing.db");
        try
        {
            long billing;
            await using (var silo = await RoutingSilo.StartAsync(sqlitePath: database))
            {
                await silo.Center.UpsertQueueAsync(TestCenter.Configuration.QueuesById["billing"] with { MaxCalls = 10 });
                await silo.Center.UpsertReasonCodeAsync("training");
                billing = (await silo.Center.GetAsync()).VersionOf(CenterEntity.Queue("billing"));
            }

            await using (var silo = await RoutingSilo.StartAsync(sqlitePath: database))
            {
                Assert.Equal(billing, (await silo.Center.GetAsync()).VersionOf(CenterEntity.Queue("billing")));
                await silo.Center.UpsertQueueAsync(TestCenter.Configuration.QueuesById["billing"] with { MaxCalls = 20 }, billing);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_change_to_another_entity_does_not_make_an_entitys_version_stale()
    {
        await using var silo = await RoutingSilo.StartAsync();
        var read = await silo.Center.GetAsync();
        await silo.Center.UpsertReasonCodeAsync("training", read.VersionOf(CenterEntity.ReasonCode("training")));
        await silo.Center.UpsertQueueAsync(TestCenter.Configuration.QueuesById["support"] with { MaxCalls = 5 });

        var change = await silo.Center.UpsertQueueAsync(
            TestCenter.Configuration.QueuesById["billing"] with { Closed = true }, read.VersionOf(CenterEntity.Queue("billing")));

        var after = await silo.Center.GetAsync();
        Assert.True(after.Configuration.QueuesById["billing"].Closed);
        Assert.Equal(change.Version, after.VersionOf(CenterEntity.Queue("billing")));
        Assert.Equal(read.VersionOf(CenterEntity.Agent("a1")), after.VersionOf(CenterEntity.Agent("a1")));
    }

    [Fact]
    public async Task A_change_against_the_version_of_an_entity_removed_since_is_refused()
    {
        await using var silo = await RoutingSilo.StartAsync();
        var read = await silo.Center.GetAsync();
        await silo.Center.RemoveReasonCodeAsync("lunch");

        var error = await Assert.ThrowsAsync<CenterChangeException>(() =>
            silo.Center.UpsertReasonCodeAsync("lunch", read.VersionOf(CenterEntity.ReasonCode("lunch"))));

        Assert.Equal("version-mismatch", error.Code);
        Assert.Contains("no longer exists", error.Message);
    }

    [Fact]
    public async Task Replacing_the_whole_configuration_checks_the_configurations_version()
    {
        await using var silo = await RoutingSilo.StartAsync();
        var version = (await silo.Center.GetAsync()).Version;
        await silo.Center.UpsertReasonCodeAsync("training");

        var error = await Assert.ThrowsAsync<CenterChangeException>(() => silo.Center.ReplaceAsync(TestCenter.Configuration, version));

        Assert.Equal("version-mismatch", error.Code);
        Assert.Contains("training", (await silo.Center.GetAsync()).Configuration.ReasonCodes);
    }

    [Fact]
    public async Task Names_of_skills_and_agents_and_the_in_house_flag_of_a_vendor_are_kept()
    {
        await using var silo = await RoutingSilo.StartAsync();

        await silo.Center.UpsertSkillAsync("billing", displayName: "Billing questions");
        await silo.Center.UpsertVendorAsync(new VendorDefinition("inhouse", "Our staff") { InHouse = true });
        await silo.Center.UpsertTeamAsync(new TeamDefinition("t1", "Team one", "inhouse") { LeaderAgentId = "a2" });
        await silo.Center.UpsertAgentAsync(TestCenter.Configuration.AgentsById["a1"] with { DisplayName = "Ada Lovelace" });
        await silo.Center.UpsertReasonCodeAsync("training", details: new ReasonCodeDetails("Training", Productive: true));

        var center = (await silo.Center.GetAsync()).Configuration;
        Assert.Equal("Billing questions", center.SkillName("billing"));
        Assert.True(center.VendorsById["inhouse"].InHouse);
        Assert.Equal("a2", center.TeamsById["t1"].LeaderAgentId);
        Assert.Equal("Ada Lovelace", center.AgentsById["a1"].DisplayName);
        Assert.Equal(new ReasonCodeDetails("Training", true), center.DetailsOf("training"));
    }

    [Fact]
    public async Task Vendors_teams_skills_and_reason_codes_are_created_and_removed_in_order()
    {
        await using var silo = await RoutingSilo.StartAsync();

        await silo.Center.UpsertVendorAsync(new VendorDefinition("globex", "Globex"));
        await silo.Center.UpsertTeamAsync(new TeamDefinition("t9", "Globex A", "globex"));
        await silo.Center.UpsertSkillAsync("es");
        await silo.Center.UpsertAgentAsync(new AgentProfile("g1", "t9", "globex", [new("es", 4)], [new("billing", 1)]));
        var inUse = await Assert.ThrowsAsync<CenterChangeException>(() => silo.Center.RemoveTeamAsync("t9"));
        var agent = await silo.Center.RemoveAgentAsync("g1");
        var team = await silo.Center.RemoveTeamAsync("t9");
        var vendor = await silo.Center.RemoveVendorAsync("globex");

        Assert.Contains("agent g1", inUse.Message);
        Assert.True(agent.Removed && team.Removed && vendor.Removed);
        var configuration = (await silo.Center.GetAsync()).Configuration;
        Assert.False(configuration.VendorsById.ContainsKey("globex"));
        Assert.Contains("es", configuration.Skills);
    }

    [Fact]
    public async Task Removing_a_reason_code_an_agent_is_not_ready_with_is_refused_naming_the_agent_until_it_changes_state()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");
        await silo.Agent("a1").SetNotReadyAsync("lunch");

        var inUse = await Assert.ThrowsAsync<CenterChangeException>(() => silo.Center.RemoveReasonCodeAsync("lunch"));
        var stillThere = (await silo.Center.GetAsync()).Configuration.ReasonCodes;
        await silo.Agent("a1").SetReadyAsync();
        var removed = await silo.Center.RemoveReasonCodeAsync("lunch");

        Assert.Equal("in-use", inUse.Code);
        Assert.Contains("a1", inUse.Message);
        Assert.Contains("lunch", stillThere);
        Assert.True(removed.Removed);
        Assert.DoesNotContain("lunch", (await silo.Center.GetAsync()).Configuration.ReasonCodes);
    }

    [Fact]
    public async Task A_reloaded_center_file_replaces_the_configuration_and_its_reason_codes_are_usable_at_once()
    {
        await using var silo = await RoutingSilo.StartAsync();
        await silo.ReadyAsync("a1");
        var reloaded = CenterConfigurationLoader.Parse(TestCenter.Yaml.Replace("reasonCodes: [break, lunch]", "reasonCodes: [break, lunch, coaching]"),
            CenterConfigurationFormat.Yaml, "reloaded.yaml");

        var before = (await silo.Center.GetAsync()).Version;
        var change = await silo.Center.ReplaceAsync(reloaded, before);
        var agent = await silo.Agent("a1").SetNotReadyAsync("coaching");

        Assert.Equal(before + 1, change.Version);
        Assert.Equal((AgentState.NotReady, "coaching"), (agent.State, agent.ReasonCode));
    }

    [Fact]
    public async Task A_silo_that_wakes_no_queue_or_agent_at_start_still_routes_with_the_configured_center()
    {
        await using var silo = await RoutingSilo.StartAsync(wakeAll: false);

        await silo.ReadyAsync("a1");
        var result = await silo.OfferAsync("c1");

        Assert.Equal("a1", result.AgentId);
        Assert.Contains("billing", (await silo.Center.GetAsync()).Configuration.QueuesById.Keys);
    }
}
