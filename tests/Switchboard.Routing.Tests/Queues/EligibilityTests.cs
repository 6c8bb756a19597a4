using Switchboard.Routing.Agents;
using Switchboard.Routing.Calls;
using System.Collections.Immutable;
using Switchboard.Routing.Queues;
using static Switchboard.Routing.Tests.Sample;

namespace Switchboard.Routing.Tests.Queues;

public sealed class EligibilityTests
{
    private static bool Eligible(QueueDefinition queue, string callSkills, AgentProfile agent, double waitedSeconds, string? language = null)
    {
        var entry = new WaitingCall(Call("c1", 0, skills: callSkills, language: language), 1, 0, false, null, []);
        return Eligibility.IsEligible(queue, entry, agent, At(waitedSeconds), out _);
    }

    private static readonly QueueDefinition Billing = new("billing");

    [Fact]
    public void An_agent_needs_every_required_skill_at_the_minimum_proficiency()
    {
        Assert.True(Eligible(Billing, "billing:5,refunds:3", Agent("a1", skills: "billing:5,refunds:4"), 0));
        Assert.False(Eligible(Billing, "billing:5,refunds:3", Agent("a1", skills: "billing:4,refunds:4"), 0));
        Assert.False(Eligible(Billing, "billing:5,refunds:3", Agent("a1", skills: "billing:9"), 0));
    }

    [Fact]
    public void A_language_is_matched_as_a_skill()
    {
        Assert.True(Eligible(Billing, "", Agent("a1", skills: "fr:2"), 0, language: "fr"));
        Assert.False(Eligible(Billing, "", Agent("a1", skills: "de:9"), 0, language: "fr"));
    }

    [Fact]
    public void A_relaxation_step_that_ignores_language_admits_agents_without_it_once_reached_but_keeps_the_other_skills()
    {
        var queue = Billing with { Relaxation = [new RelaxationStep(TimeSpan.FromSeconds(45), 0, [], [], IgnoreLanguage: true)] };

        Assert.False(Eligible(queue, "billing:3", Agent("a1", skills: "billing:5,de:9"), 44, language: "fr"));
        Assert.True(Eligible(queue, "billing:3", Agent("a1", skills: "billing:5,de:9"), 45, language: "fr"));
        Assert.False(Eligible(queue, "billing:3", Agent("a1", skills: "billing:2,de:9"), 45, language: "fr"));
    }

    [Fact]
    public void Calls_of_an_in_house_first_tier_rank_in_house_agents_before_every_preferred_vendor_and_other_calls_do_not()
    {
        var queue = Billing with { VendorPolicy = new VendorPolicy([], ["acme", "inhouse"], []), InHouseFirstTiers = [CustomerTier.Vip] };
        var outsourced = Agent("a1", vendor: "acme");
        var own = Agent("a2", vendor: "inhouse") with { InHouse = true };

        int Rank(CustomerTier tier, AgentProfile agent)
        {
            var entry = new WaitingCall(Call("c1", 0, tier: tier), 1, 0, false, null, []);
            Assert.True(Eligibility.IsEligible(queue, entry, agent, At(0), out var rank));
            return rank;
        }

        Assert.True(Rank(CustomerTier.Vip, own) < Rank(CustomerTier.Vip, outsourced));
        Assert.True(Rank(CustomerTier.Standard, outsourced) < Rank(CustomerTier.Standard, own));
    }

    [Fact]
    public void An_agent_that_does_not_serve_the_queue_is_not_eligible()
    {
        Assert.False(Eligible(Billing, "", Agent("a1", queues: "sales"), 0));
    }

    [Fact]
    public void A_forbidden_vendor_is_not_eligible_and_an_allow_list_admits_only_its_vendors()
    {
        var forbid = Billing with { VendorPolicy = new VendorPolicy([], [], ["acme"]) };
        Assert.False(Eligible(forbid, "", Agent("a1", vendor: "acme"), 0));
        Assert.True(Eligible(forbid, "", Agent("a1", vendor: "inhouse"), 0));

        var allow = Billing with { VendorPolicy = new VendorPolicy(["inhouse"], [], []) };
        Assert.False(Eligible(allow, "", Agent("a1", vendor: "acme"), 0));
    }

    [Fact]
    public void Relaxation_lowers_proficiency_then_adds_vendors_then_overflow_queues_as_the_call_waits()
    {
        var queue = Billing with
        {
            VendorPolicy = new VendorPolicy(["inhouse"], [], []),
            Relaxation =
            [
                new RelaxationStep(TimeSpan.FromSeconds(30), 2, [], []),
                new RelaxationStep(TimeSpan.FromSeconds(60), 0, ["acme"], []),
                new RelaxationStep(TimeSpan.FromSeconds(90), 0, [], ["sales"]),
            ],
        };
        var junior = Agent("junior", skills: "billing:3");
        var outsourced = Agent("outsourced", vendor: "acme", skills: "billing:5");
        var salesAgent = Agent("seller", queues: "sales", skills: "billing:5");

        Assert.False(Eligible(queue, "billing:5", junior, 29));
        Assert.True(Eligible(queue, "billing:5", junior, 30));
        Assert.False(Eligible(queue, "billing:5", outsourced, 59));
        Assert.True(Eligible(queue, "billing:5", outsourced, 60));
        Assert.False(Eligible(queue, "billing:5", salesAgent, 89));
        Assert.True(Eligible(queue, "billing:5", salesAgent, 90));
    }
}
