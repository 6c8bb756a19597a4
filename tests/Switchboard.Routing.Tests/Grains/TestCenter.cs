using Switchboard.Routing.Configuration;

namespace Switchboard.Routing.Tests.Grains;

/// <summary>The small center the grain tests run: two queues, in-house and outsourced agents.</summary>
internal static class TestCenter
{
    public static readonly DateTimeOffset Start = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    public const string Yaml = """
        skills: [billing, technical, en, fr]
        reasonCodes: [break, lunch]
        vendors:
          - id: inhouse
          - id: acme
        teams:
          - id: t1
            vendor: inhouse
          - id: t2
            vendor: acme
        queues:
          - id: billing
            strategy: longestIdle
            offerTimeoutSeconds: 15
            maxWrapUpSeconds: 30
            repeatCallerWaitSeconds: 10
          - id: support
            strategy: mostSkilled
            offerTimeoutSeconds: 15
            maxWrapUpSeconds: 30
          - id: overflowing
            maxWait: { seconds: 60, action: overflow }
            overflow: { queue: support }
          - id: outside
            maxWait: { seconds: 60, action: overflow }
            overflow: { number: "+4930123456" }
          - id: voicemail
            maxWait: { seconds: 60, action: voicemail }
          - id: callback
            maxWait: { seconds: 60, action: callback }
          - id: relaxed
            relaxation:
              - afterSeconds: 30
                proficiencyReduction: 3
        agents:
          - id: a1
            team: t1
            skills: { billing: 5, technical: 3, en: 9 }
            queues: { billing: 5, support: 1 }
          - id: a2
            team: t1
            skills: { billing: 7, technical: 8, en: 9 }
            queues: { billing: 5, support: 5 }
          - id: a3
            team: t2
            skills: { billing: 3, en: 8 }
            queues: { billing: 1, relaxed: 1 }
          - id: s1
            team: t1
            skills: { technical: 9 }
            queues: { support: 5, voicemail: 1, callback: 1, overflowing: 1, outside: 1 }
        """;

    public static CenterConfiguration Configuration { get; } = CenterConfigurationLoader.Parse(Yaml, CenterConfigurationFormat.Yaml, "test-center.yaml");
}
