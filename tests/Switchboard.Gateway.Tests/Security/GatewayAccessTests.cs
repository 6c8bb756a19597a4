using Grpc.Core;
using Switchboard.Contracts.V1;
using Switchboard.Gateway.Security;
using Switchboard.Gateway.Tests.Infrastructure;

namespace Switchboard.Gateway.Tests.Security;

public sealed class GatewayAccessTests
{
    private const string AdminKey = "admin-key-0123456789";
    private const string AdapterKey = "adapter-key-0123456789";
    private const string BoundAdapterKey = "bound-adapter-key-0123456789";
    private const string AgentKey = "agent-a1-key-0123456789";
    private const string AcmeSupervisorKey = "acme-supervisor-0123456789";
    private const string TeamSupervisorKey = "team-t1-supervisor-0123456789";

    private readonly GatewayAccess _access;

    public GatewayAccessTests()
    {
        var keys = new ApiKeyStore();
        keys.Add(new ApiKeyDefinition { Key = AdminKey, Role = GatewayRole.Admin });
        keys.Add(new ApiKeyDefinition { Key = AdapterKey, Role = GatewayRole.Adapter });
        keys.Add(new ApiKeyDefinition { Key = BoundAdapterKey, Role = GatewayRole.Adapter, AdapterId = "fs-01" });
        keys.Add(new ApiKeyDefinition { Key = AgentKey, Role = GatewayRole.Agent, AgentId = "a1" });
        keys.Add(new ApiKeyDefinition { Key = AcmeSupervisorKey, Role = GatewayRole.Supervisor, VendorId = "acme" });
        keys.Add(new ApiKeyDefinition { Key = TeamSupervisorKey, Role = GatewayRole.Supervisor, TeamId = "t1" });
        _access = new GatewayAccess(keys, new Directory());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Basic dXNlcjpwdw==")]
    [InlineData("Bearer ")]
    [InlineData("Bearer not-a-key-anyone-configured")]
    public void A_missing_malformed_or_unknown_key_is_unauthenticated(string? authorization)
    {
        var headers = new Metadata();
        if (authorization is not null)
        {
            headers.Add("authorization", authorization);
        }

        var error = Assert.Throws<RpcException>(() => _access.Authenticate(new TestCallContext(headers)));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public void A_key_is_found_with_spaces_around_it_and_whatever_its_length()
    {
        var keys = new ApiKeyStore();
        var longKey = "long-" + new string('k', 2000); // longer than the lookup hashes on the stack
        keys.Add(new ApiKeyDefinition { Key = longKey, Role = GatewayRole.Admin });
        keys.Add(new ApiKeyDefinition { Key = "kéy-with-non-ascii-0123456789", Role = GatewayRole.Adapter });
        var access = new GatewayAccess(keys, new Directory());

        Assert.Equal(GatewayRole.Admin, access.Authenticate(TestCallContext.WithKey(longKey)).Role);
        Assert.Equal(GatewayRole.Adapter, access.Authenticate(TestCallContext.WithKey("  kéy-with-non-ascii-0123456789 ")).Role);
        Assert.Throws<RpcException>(() => access.Authenticate(TestCallContext.WithKey(longKey[..^1])));
        Assert.Throws<RpcException>(() => access.Authenticate(TestCallContext.WithKey("key-with-non-ascii-0123456789")));
    }

    [Fact]
    public void Checking_a_calls_key_allocates_nothing()
    {
        var context = TestCallContext.WithKey(AdapterKey);
        for (var i = 0; i < 100; i++)
        {
            _access.Authenticate(context); // the headers are read once per call; the path is compiled
        }

        // It cost ~300 bytes per call (the key's substring, its bytes, the hash, the hash's text); a few bytes on
        // average may be the runtime's own (a one-off allocation lands in one of the measured calls).
        const int Measured = 1000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        Caller? caller = null;
        for (var i = 0; i < Measured; i++)
        {
            caller = _access.Authenticate(context);
        }
        var perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Measured;

        Assert.Equal(GatewayRole.Adapter, caller!.Role);
        Assert.True(perCall < 8, $"checking a key allocated {perCall:F1} bytes on average");
    }

    [Theory]
    [InlineData(AdminKey)]
    [InlineData(AgentKey)]
    [InlineData(AcmeSupervisorKey)]
    public void Only_adapter_keys_may_use_the_telephony_adapter_service(string key)
    {
        var error = Assert.Throws<RpcException>(() => _access.RequireAdapter(TestCallContext.WithKey(key), "fs-01"));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public void An_adapter_key_bound_to_one_adapter_id_is_refused_for_another()
    {
        Assert.Equal(GatewayRole.Adapter, _access.RequireAdapter(TestCallContext.WithKey(BoundAdapterKey), "fs-01").Role);
        Assert.Equal(GatewayRole.Adapter, _access.RequireAdapter(TestCallContext.WithKey(AdapterKey), "fs-99").Role);

        var error = Assert.Throws<RpcException>(() => _access.RequireAdapter(TestCallContext.WithKey(BoundAdapterKey), "fs-02"));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("fs-01", error.Status.Detail);
    }

    [Fact]
    public void An_agent_may_act_for_itself_only()
    {
        Assert.Equal("a1", _access.RequireAgentSelf(TestCallContext.WithKey(AgentKey), "a1").AgentId);

        var error = Assert.Throws<RpcException>(() => _access.RequireAgentSelf(TestCallContext.WithKey(AgentKey), "a2"));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("a2", error.Status.Detail);
    }

    [Theory]
    [InlineData(AdminKey)]
    [InlineData(AcmeSupervisorKey)]
    [InlineData(AdapterKey)]
    public void Nobody_but_the_agent_takes_the_agents_own_actions(string key)
    {
        var error = Assert.Throws<RpcException>(() => _access.RequireAgentSelf(TestCallContext.WithKey(key), "a1"));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task A_supervisor_may_change_the_state_of_agents_in_scope_only()
    {
        await _access.RequireAgentOrSupervisorAsync(TestCallContext.WithKey(AcmeSupervisorKey), "a1");
        await _access.RequireAgentOrSupervisorAsync(TestCallContext.WithKey(TeamSupervisorKey), "a1");
        await _access.RequireAgentOrSupervisorAsync(TestCallContext.WithKey(AdminKey), "b1");

        var otherVendor = await Assert.ThrowsAsync<RpcException>(() => _access.RequireAgentOrSupervisorAsync(TestCallContext.WithKey(AcmeSupervisorKey), "b1").AsTask());
        var otherTeam = await Assert.ThrowsAsync<RpcException>(() => _access.RequireAgentOrSupervisorAsync(TestCallContext.WithKey(TeamSupervisorKey), "a2").AsTask());
        var unknown = await Assert.ThrowsAsync<RpcException>(() => _access.RequireAgentOrSupervisorAsync(TestCallContext.WithKey(AcmeSupervisorKey), "nobody").AsTask());

        Assert.Equal(StatusCode.PermissionDenied, otherVendor.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, otherTeam.StatusCode);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    [InlineData(AcmeSupervisorKey, ScopeKind.Vendor, "acme", true)]
    [InlineData(AcmeSupervisorKey, ScopeKind.Vendor, "bravo", false)]
    [InlineData(AcmeSupervisorKey, ScopeKind.Team, "t1", true)]
    [InlineData(AcmeSupervisorKey, ScopeKind.Team, "t9", false)]
    [InlineData(AcmeSupervisorKey, ScopeKind.Agent, "a2", true)]
    [InlineData(AcmeSupervisorKey, ScopeKind.Agent, "b1", false)]
    [InlineData(AcmeSupervisorKey, ScopeKind.Queue, "billing", false)]
    [InlineData(AcmeSupervisorKey, ScopeKind.Center, "", false)]
    [InlineData(TeamSupervisorKey, ScopeKind.Team, "t1", true)]
    [InlineData(TeamSupervisorKey, ScopeKind.Team, "t2", false)]
    [InlineData(TeamSupervisorKey, ScopeKind.Vendor, "acme", false)]
    [InlineData(TeamSupervisorKey, ScopeKind.Agent, "a1", true)]
    [InlineData(TeamSupervisorKey, ScopeKind.Agent, "a2", false)]
    [InlineData(AgentKey, ScopeKind.Agent, "a1", true)]
    [InlineData(AgentKey, ScopeKind.Agent, "a2", false)]
    [InlineData(AgentKey, ScopeKind.Team, "t1", false)]
    [InlineData(AdminKey, ScopeKind.Queue, "billing", true)]
    [InlineData(AdminKey, ScopeKind.Center, "", true)]
    [InlineData(AdminKey, ScopeKind.Agent, "b1", true)]
    public async Task Wallboard_scopes_follow_the_keys_vendor_team_or_agent(string key, ScopeKind kind, string id, bool allowed)
    {
        var caller = _access.Authenticate(TestCallContext.WithKey(key));
        var check = _access.CheckScopeAsync(caller, new Scope { Kind = kind, Id = id }, "scopes[0]", CancellationToken.None).AsTask();

        if (allowed)
        {
            await check;
        }
        else
        {
            Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => check)).StatusCode);
        }
    }

    [Fact]
    public async Task A_malformed_scope_is_an_invalid_argument_naming_the_field()
    {
        var caller = _access.Authenticate(TestCallContext.WithKey(AdminKey));

        var noKind = await Assert.ThrowsAsync<RpcException>(() => _access.CheckScopeAsync(caller, new Scope { Id = "x" }, "scopes[2]", default).AsTask());
        var centerWithId = await Assert.ThrowsAsync<RpcException>(() => _access.CheckScopeAsync(caller, new Scope { Kind = ScopeKind.Center, Id = "x" }, "scopes[0]", default).AsTask());
        var queueWithoutId = await Assert.ThrowsAsync<RpcException>(() => _access.CheckScopeAsync(caller, new Scope { Kind = ScopeKind.Queue }, "scopes[1]", default).AsTask());

        Assert.Equal(StatusCode.InvalidArgument, noKind.StatusCode);
        Assert.Contains("scopes[2].kind", noKind.Status.Detail);
        Assert.Contains("scopes[0].id", centerWithId.Status.Detail);
        Assert.Contains("scopes[1].id", queueWithoutId.Status.Detail);
    }

    [Fact]
    public void Configuration_and_upserts_need_an_admin_key()
    {
        _access.RequireAdmin(TestCallContext.WithKey(AdminKey));
        foreach (var key in new[] { AcmeSupervisorKey, AgentKey, AdapterKey })
        {
            Assert.Equal(StatusCode.PermissionDenied, Assert.Throws<RpcException>(() => _access.RequireAdmin(TestCallContext.WithKey(key))).StatusCode);
        }
    }

    [Theory]
    [InlineData(GatewayRole.Agent, null, null, null, "AgentId")]
    [InlineData(GatewayRole.Supervisor, null, null, null, "exactly one of VendorId and TeamId")]
    [InlineData(GatewayRole.Supervisor, null, "acme", "t1", "exactly one of VendorId and TeamId")]
    public void A_key_configured_without_its_scope_is_refused_with_the_setting_to_fix(GatewayRole role, string? agent, string? vendor, string? team, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => new ApiKeyStore().Add(new ApiKeyDefinition
        {
            Key = "some-long-enough-key-123",
            Role = role,
            AgentId = agent,
            VendorId = vendor,
            TeamId = team,
        }));

        Assert.Contains(expected, error.Message);
    }

    /// <summary>acme: team t1 (a1), team t2 (a2); bravo: team t9 (b1).</summary>
    private sealed class Directory : IAgentDirectory
    {
        private static readonly Dictionary<string, AgentPlacement> Agents = new()
        {
            ["a1"] = new("a1", "t1", "acme"),
            ["a2"] = new("a2", "t2", "acme"),
            ["b1"] = new("b1", "t9", "bravo"),
        };

        public ValueTask<AgentPlacement?> FindAgentAsync(string agentId, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Agents.GetValueOrDefault(agentId));

        public ValueTask<string?> FindTeamVendorAsync(string teamId, CancellationToken cancellationToken) =>
            ValueTask.FromResult<string?>(teamId switch { "t1" or "t2" => "acme", "t9" => "bravo", _ => null });

        public ValueTask<bool> VendorExistsAsync(string vendorId, CancellationToken cancellationToken) =>
            ValueTask.FromResult(vendorId is "acme" or "bravo");
    }
}
