using Switchboard.Routing.Calls;
using Switchboard.Routing.Configuration;
using Switchboard.Routing.Strategies;

namespace Switchboard.Routing.Tests.Configuration;

public sealed class CenterConfigurationLoaderTests
{
    private const string Minimal = """
        skills: [billing, en]
        reasonCodes: [break]
        vendors: [{ id: inhouse }, { id: acme }]
        teams: [{ id: t1, vendor: inhouse }]
        queues:
          - id: billing
          - id: general
        agents:
          - id: a1
            team: t1
            skills: { billing: 7 }
            queues: { billing: 5 }
        """;

    private static CenterConfigurationException Refused(string yaml, string file = "center.yaml") =>
        Assert.Throws<CenterConfigurationException>(() => CenterConfigurationLoader.Parse(yaml, CenterConfigurationFormat.Yaml, file));

    private static string RepositoryFile(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Cluster.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), relative);
    }

    [Fact]
    public void The_sample_center_file_loads()
    {
        var center = CenterConfigurationLoader.Load(RepositoryFile("docs/center.sample.yaml"));

        Assert.Equal(4, center.Queues.Length);
        var billing = center.QueuesById["billing"];
        Assert.Equal(MaxWaitAction.Overflow, billing.MaxWaitAction);
        Assert.Equal("general", billing.OverflowQueueId);
        Assert.Equal(TimeSpan.FromSeconds(600), billing.MaxWait);
        Assert.Equal(["inhouse", "acme"], billing.VendorPolicy.Preferred.ToArray());
        Assert.Equal(3, billing.Relaxation.Length);
        Assert.Equal([false, false, true], billing.Relaxation.Select(s => s.IgnoreLanguage));
        Assert.Equal(CustomerTier.Vip, Assert.Single(billing.InHouseFirstTiers));
        Assert.All(center.Agents, a => Assert.Equal(a.VendorId == "inhouse", a.InHouse));
        Assert.Equal(5, billing.TierPriorityBoost[(int)CustomerTier.Vip]);
        Assert.Equal(StrategyKind.MostSkilled, center.QueuesById["technical"].Strategy);
        Assert.Equal(TimeSpan.FromSeconds(60), center.QueuesById["technical"].Aging!.Every);
        var agent = center.AgentsById["x-201"];
        Assert.Equal(("t-acme-1", "acme", 3), (agent.TeamId, agent.VendorId, agent.ProficiencyIn("billing")));
    }

    [Fact]
    public void The_same_center_loads_from_json()
    {
        const string json = """
            {
              "skills": ["billing"],
              "vendors": [{ "id": "inhouse" }],
              "teams": [{ "id": "t1", "vendor": "inhouse" }],
              "queues": [{ "id": "billing", "strategy": "round-robin", "serviceLevelSeconds": 30,
                           "maxWait": { "seconds": 120, "action": "voicemail" } }],
              "agents": [{ "id": "a1", "team": "t1", "skills": { "billing": 4 }, "queues": { "billing": 2 } }]
            }
            """;

        var center = CenterConfigurationLoader.Parse(json, CenterConfigurationFormat.Json, "center.json");

        Assert.Equal(StrategyKind.RoundRobin, center.Queues[0].Strategy);
        Assert.Equal(TimeSpan.FromSeconds(30), center.Queues[0].ServiceLevelThreshold);
        Assert.Equal(2, center.Agents[0].PriorityFor("billing"));
    }

    [Fact]
    public void The_format_is_chosen_by_extension_and_an_unknown_one_is_refused()
    {
        Assert.Equal(CenterConfigurationFormat.Yaml, CenterConfigurationLoader.FormatOf("x.YML"));
        Assert.Equal(CenterConfigurationFormat.Json, CenterConfigurationLoader.FormatOf("x.json"));
        var error = Assert.Throws<CenterConfigurationException>(() => CenterConfigurationLoader.FormatOf("center.toml"));
        Assert.Equal("center.toml", error.File);
    }

    [Fact]
    public void An_unknown_overflow_queue_is_refused_naming_file_path_and_problem()
    {
        var error = Refused(Minimal.Replace("  - id: general", "  - id: general\n    overflow: { queue: nowhere }"));

        Assert.Equal("center.yaml", error.File);
        Assert.Equal("queues[1].overflow.queue", error.Path);
        Assert.Equal("unknown queue 'nowhere'", error.Problem);
        Assert.Equal("center.yaml: queues[1].overflow.queue: unknown queue 'nowhere'", error.Message);
    }

    [Fact]
    public void An_unknown_skill_or_queue_of_an_agent_is_refused()
    {
        var error = Refused(Minimal.Replace("skills: { billing: 7 }", "skills: { billing: 7, welsh: 3 }")
            .Replace("queues: { billing: 5 }", "queues: { billing: 5, vip: 1 }"));

        Assert.Equal(["agents[0].skills.welsh", "agents[0].queues.vip"], error.Problems.Select(p => p.Path).ToArray());
        Assert.Contains("unknown skill 'welsh'", error.Problems[0].Problem);
    }

    [Fact]
    public void A_team_with_an_unknown_vendor_and_an_agent_with_an_unknown_team_are_refused()
    {
        var error = Refused(Minimal.Replace("{ id: t1, vendor: inhouse }", "{ id: t1, vendor: nobody }").Replace("team: t1", "team: t9"));

        Assert.Equal(["teams[0].vendor", "agents[0].team"], error.Problems.Select(p => p.Path).ToArray());
    }

    [Fact]
    public void Duplicate_ids_are_refused()
    {
        var error = Refused(Minimal.Replace("  - id: general", "  - id: billing"));

        Assert.Equal("queues[1].id", error.Path);
        Assert.Equal("duplicate queue id 'billing'", error.Problem);
    }

    [Theory]
    [InlineData("skills: { billing: 11 }", "agents[0].skills.billing")]
    [InlineData("skills: { billing: 0 }", "agents[0].skills.billing")]
    public void A_proficiency_outside_1_to_10_is_refused(string skills, string path)
    {
        Assert.Equal(path, Refused(Minimal.Replace("skills: { billing: 7 }", skills)).Path);
    }

    [Fact]
    public void Negative_times_and_unknown_names_in_a_queue_are_refused()
    {
        var error = Refused(Minimal.Replace("  - id: general",
            "  - id: general\n    maxWrapUpSeconds: -5\n    strategy: fastest\n    maxWait: { seconds: 60, action: overflow }"));

        Assert.Equal(
            ["queues[1].strategy", "queues[1].maxWrapUpSeconds", "queues[1].overflow.queue"],
            error.Problems.Select(p => p.Path).ToArray());
    }

    [Fact]
    public void A_queues_admission_priority_and_service_level_settings_load_from_the_file()
    {
        var center = CenterConfigurationLoader.Parse(Minimal.Replace("  - id: general", """
              - id: general
                closed: true
                maxCalls: 40
                requiredSkills: { billing: 4 }
                defaultPriority: 30
                dispositionRequired: true
                serviceLevelTarget: 0.9
                shortAbandonSeconds: 3
                positionAnnouncementSeconds: 45
                aging: { everySeconds: 30, maxBoost: 20, step: 5 }
            """) + """

            dispositions: [resolved]
            productiveReasonCodes: [break]
            skillNames: { billing: Billing questions }
            reasonCodeNames: { resolved: Resolved }
            """, CenterConfigurationFormat.Yaml, "center.yaml");

        var q = center.QueuesById["general"];
        Assert.Equal(
            (true, 40, 30, true, 0.9, TimeSpan.FromSeconds(3), (TimeSpan?)TimeSpan.FromSeconds(45), 5),
            (q.Closed, q.MaxCalls, q.DefaultPriority, q.DispositionRequired, q.ServiceLevelTarget, q.ShortAbandonThreshold, q.PositionAnnouncementInterval, q.Aging!.Step));
        Assert.Equal([new SkillRequirement("billing", 4)], q.RequiredSkills.ToArray());
        Assert.Equal(["resolved"], center.Dispositions.ToArray());
        Assert.Equal(("Billing questions", "Resolved", true), (center.SkillName("billing"), center.DetailsOf("resolved").Name, center.DetailsOf("break").Productive));
    }

    [Fact]
    public void Vendors_teams_and_agents_keep_in_house_leader_name_and_disabled_from_the_file()
    {
        var center = CenterConfigurationLoader.Parse(Minimal
            .Replace("{ id: inhouse }", "{ id: inhouse, inHouse: true }")
            .Replace("{ id: t1, vendor: inhouse }", "{ id: t1, vendor: inhouse, leader: a1 }")
            .Replace("    team: t1", "    team: t1\n    name: Ada\n    disabled: true"), CenterConfigurationFormat.Yaml, "center.yaml");

        Assert.True(center.VendorsById["inhouse"].InHouse);
        Assert.Equal("a1", center.TeamsById["t1"].LeaderAgentId);
        Assert.Equal(("Ada", true), (center.AgentsById["a1"].DisplayName, center.AgentsById["a1"].Disabled));
    }

    [Fact]
    public void Nonsense_queue_limits_unknown_required_skills_and_a_code_of_both_kinds_are_refused_by_path()
    {
        var error = Refused(Minimal.Replace("  - id: general", """
              - id: general
                maxCalls: -1
                defaultPriority: 101
                serviceLevelTarget: 80
                requiredSkills: { juggling: 3, billing: 11 }
                aging: { everySeconds: 30, step: 0 }
            """) + """

            dispositions: [break]
            """);

        Assert.Equal(
            ["dispositions[0]", "queues[1].requiredSkills.juggling", "queues[1].maxCalls", "queues[1].defaultPriority", "queues[1].serviceLevelTarget",
             "queues[1].requiredSkills.billing", "queues[1].aging.step"],
            error.Problems.Select(p => p.Path).ToArray());
    }

    [Fact]
    public void Relaxation_steps_must_refer_to_known_vendors_and_queues_in_increasing_order()
    {
        var error = Refused(Minimal.Replace("  - id: general", """
              - id: general
                relaxation:
                  - { afterSeconds: 60, vendors: [nobody] }
                  - { afterSeconds: 30, queues: [nowhere] }
            """));

        Assert.Equal(
            ["queues[1].relaxation[0].vendors[0]", "queues[1].relaxation[1].afterSeconds", "queues[1].relaxation[1].queues[0]"],
            error.Problems.Select(p => p.Path).ToArray());
    }

    [Fact]
    public void An_overflow_number_must_be_e164_and_not_beside_an_overflow_queue()
    {
        var error = Refused(Minimal.Replace("  - id: general", """
              - id: general
                maxWait: { seconds: 60, action: overflow }
                overflow: { number: "030 123456" }
              - id: both
                maxWait: { seconds: 60, action: overflow }
                overflow: { number: "+4930123456", queue: general }
            """));

        Assert.Equal(["queues[1].overflow.number", "queues[2].overflow"], error.Problems.Select(p => p.Path).ToArray());
    }

    [Fact]
    public void A_syntax_error_or_an_unknown_field_is_refused_with_its_line()
    {
        var error = Refused(Minimal.Replace("reasonCodes: [break]", "reasonCodes: [break]\nshifts: 3"));

        Assert.Contains("line", error.Path);
    }

    [Fact]
    public void A_refused_file_leaves_the_running_configuration_as_it_was()
    {
        var running = CenterConfigurationLoader.Parse(Minimal, CenterConfigurationFormat.Yaml, "center.yaml");

        Refused(Minimal.Replace("team: t1", "team: t9"));

        Assert.Equal("a1", Assert.Single(running.Agents).AgentId);
        Assert.Equal(2, running.Queues.Length);
    }

    [Fact]
    public void Reason_codes_are_the_configured_ones_plus_those_the_router_sets()
    {
        var center = CenterConfigurationLoader.Parse(Minimal, CenterConfigurationFormat.Yaml, "center.yaml");

        Assert.True(center.IsKnownReasonCode("break"));
        Assert.True(center.IsKnownReasonCode("missed-offer"));
        Assert.False(center.IsKnownReasonCode("nap"));
    }
}
