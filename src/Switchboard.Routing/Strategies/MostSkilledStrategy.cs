using Switchboard.Routing.Queues;

namespace Switchboard.Routing.Strategies;

/// <summary>
/// The highest total proficiency over the skills (and language) the call asks for; ties go to the
/// longest idle. A call asking for nothing is routed longest-idle.
/// </summary>
public sealed class MostSkilledStrategy : RoutingStrategy
{
    public static MostSkilledStrategy Instance { get; } = new();

    public override StrategyKind Kind => StrategyKind.MostSkilled;

    public override int Choose(ReadOnlySpan<AgentCandidate> eligible, WaitingCall call)
    {
        var best = 0;
        var bestScore = Score(eligible[0], call);
        for (var i = 1; i < eligible.Length; i++)
        {
            var score = Score(eligible[i], call);
            if (score > bestScore || (score == bestScore && IdlesLonger(eligible[i], eligible[best])))
            {
                best = i;
                bestScore = score;
            }
        }

        return best;
    }

    internal static int Score(in AgentCandidate agent, WaitingCall call)
    {
        var score = 0;
        var required = call.Call.RequiredSkills;
        if (!required.IsDefaultOrEmpty)
        {
            for (var i = 0; i < required.Length; i++)
            {
                score += agent.Profile.ProficiencyIn(required[i].Skill);
            }
        }

        if (call.Call.Language is { } language)
        {
            score += agent.Profile.ProficiencyIn(language);
        }

        return score;
    }
}
