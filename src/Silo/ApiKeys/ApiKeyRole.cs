namespace OrleansFlow.Silo.ApiKeys;

/// <summary>What a caller may do; each role may do everything the roles before it may.</summary>
public enum ApiKeyRole
{
    /// <summary>Reads: every <c>GET</c> and the read-only <c>POST</c>s (<c>/filter</c>, <c>/count</c>, ...), never secrets.</summary>
    ReadOnly = 0,

    /// <summary>What flow programs and workers do: write flows, flow and task runs, states, logs, artifacts, variables and
    /// blocks; claim scheduled runs and heartbeat a work pool; start a deployment's run.</summary>
    Runner = 1,

    /// <summary>Everything: API keys, deleting, deployments, work pools and queues, concurrency limits, and secrets
    /// (<c>include_secrets=true</c>).</summary>
    Admin = 2,
}
