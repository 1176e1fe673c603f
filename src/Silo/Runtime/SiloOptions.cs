using OrleansFlow.Grains.Hosting;

namespace OrleansFlow.Silo.Runtime;

/// <summary>Settings of the grain runtime.</summary>
public sealed class SiloOptions : IGrainSettings
{
    /// <summary>Seconds a task run waits before trying again for a full tag concurrency limit; default 30 (as Prefect).</summary>
    public int TagConcurrencySlotWaitSeconds { get; set; } = 30;

    /// <summary>How long a task run holds a tag concurrency slot before its limit's grain may check on it; default 5
    /// minutes. When the limit is full, a holder whose lease has ended keeps its slot (under a new lease) if it is still
    /// RUNNING, and loses it otherwise (a run that crashed or was deleted without giving it back).</summary>
    public TimeSpan ConcurrencySlotLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a grain activation may stay idle before Orleans collects it (its state then costs one read on
    /// its next call); default 2 minutes. A run that reaches a terminal state is collected as soon as it is idle. From
    /// <c>ORLEANSFLOW_SILO_ACTIVATION_COLLECTION_AGE_SECONDS</c> (at least 2: Orleans collects in rounds of
    /// a quarter of the age, at least 1 s, and the age must be longer than a round).</summary>
    public TimeSpan ActivationCollectionAge { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a RUNNING (or CANCELLING) flow run that sends heartbeats (<c>POST
    /// /api/flow_runs/{id}/heartbeat</c>) may go without one (counted from its state's time when later) before the
    /// run's grain marks it CRASHED and releases its task runs' concurrency slots; default 90 s.</summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>When true, the reaper also marks CRASHED a RUNNING run that never sent a heartbeat, once it has been
    /// RUNNING for <see cref="HeartbeatTimeout"/>. Default false: clients that send no heartbeats (Prefect 2 clients,
    /// SDKs and workers without heartbeats) would otherwise see every run longer than the timeout crashed; a run is
    /// watched from its first heartbeat on.</summary>
    public bool HeartbeatsRequired { get; set; }

    /// <summary>Seed for the retry-jitter random source; null (the default) seeds from the system.</summary>
    public int? JitterSeed { get; set; }

    /// <summary>The Orleans cluster id: silos on one PostgreSQL database with the same cluster id form one cluster;
    /// default <c>orleansflow</c>. From <c>ORLEANSFLOW_CLUSTER_ID</c>. On SQLite every silo is a cluster of its own
    /// (localhost clustering) and this is not used.</summary>
    public string ClusterId { get; set; } = "orleansflow";

    /// <summary>The Orleans service id (what reminders and grain state are kept under; it must stay the same across
    /// deployments of one installation); default <c>orleansflow</c>. From <c>ORLEANSFLOW_SERVICE_ID</c>.</summary>
    public string ServiceId { get; set; } = "orleansflow";

    /// <summary>The TCP port the silo listens on for the other silos of its cluster; default 0, a port that is free on
    /// the loopback interface when the silo starts. Set a fixed port when silos run on different hosts. From
    /// <c>ORLEANSFLOW_SILO_PORT</c>.</summary>
    public int SiloPort { get; set; }

    /// <summary>The address the other silos reach this one at, as written into the membership table; default null, the
    /// loopback address 127.0.0.1 (every silo on one host). Set it to this host's address when silos run on different
    /// hosts; the silo then listens on every interface. From <c>ORLEANSFLOW_SILO_ADDRESS</c>.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>The TCP port Orleans clients (the gateway tier: <c>orleansflow gateway start</c>) connect to this silo
    /// on; default 0, no client gateway: a silo serving its own HTTP API needs none. It is written into the membership
    /// table, where clients find the silos to connect to. Only on PostgreSQL (a cluster that other processes can join).
    /// From <c>ORLEANSFLOW_SILO_GATEWAY_PORT</c>.</summary>
    public int GatewayPort { get; set; }

    /// <summary>How long a silo waits for a peer to answer a liveness probe before counting it as missed; default 1 s
    /// (Orleans' default is 5 s). With <see cref="MissedProbesLimit"/> it sets how fast a dead silo is detected (about
    /// <c>ProbeTimeout × MissedProbesLimit</c>) and its grains move to the survivors.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many probes in a row a peer may miss before a silo votes it dead; default 2 (Orleans' default is 3).
    /// </summary>
    public int MissedProbesLimit { get; set; } = 2;

    /// <summary>How often each scheduled deployment's reminder fires to create its upcoming runs (the period of the
    /// Orleans reminder <c>schedule</c>, and Orleans' <c>ReminderOptions.MinimumReminderPeriod</c>); default 1 minute.
    /// Tests use a second. From <c>ORLEANSFLOW_SILO_SCHEDULE_PERIOD_SECONDS</c>.</summary>
    public TimeSpan SchedulePeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long events are kept: the housekeeper deletes older ones (by occurred time) in batches. Default 7
    /// days. From <c>ORLEANSFLOW_EVENTS_RETENTION_DAYS</c> (a number of days, fractions allowed).</summary>
    public TimeSpan EventRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>True when the silo runs in a Kubernetes pod and should use Orleans' Kubernetes hosting
    /// (Microsoft.Orleans.Hosting.Kubernetes): the silo is named after its pod (<c>POD_NAME</c>), advertises the pod's
    /// address (<c>POD_IP</c>) unless <see cref="AdvertisedAddress"/> is set, labels its pod with the cluster's ids, and a
    /// silo whose pod is deleted is declared dead at once instead of after missed probes. It needs PostgreSQL clustering,
    /// <c>POD_NAMESPACE</c>, and a role allowing get, list, watch and patch on pods (deploy/k8s/silo.yaml). The Kubernetes
    /// API is the pod's own (its service account), or the one a <c>KUBECONFIG</c> file names. From
    /// <c>ORLEANSFLOW_SILO_KUBERNETES</c> (<c>true</c>/<c>false</c>); default false.</summary>
    public bool Kubernetes { get; set; }

    /// <summary>The address of the web UI as its users reach it, for links in messages: a flow run notification's
    /// <c>{flow_run_url}</c> is this followed by <c>/runs/{id}</c> (Prefect's <c>PREFECT_UI_URL</c>). Default
    /// <c>http://127.0.0.1:4200</c>, the server's default address. From <c>ORLEANSFLOW_UI_URL</c> (an absolute http or https
    /// URL).</summary>
    public string UiUrl { get; set; } = "http://127.0.0.1:4200";

    /// <summary>Reads <c>ORLEANSFLOW_CLUSTER_ID</c>, <c>ORLEANSFLOW_SERVICE_ID</c>, <c>ORLEANSFLOW_SILO_PORT</c>,
    /// <c>ORLEANSFLOW_SILO_ADDRESS</c>, <c>ORLEANSFLOW_SILO_GATEWAY_PORT</c>, <c>ORLEANSFLOW_SILO_SCHEDULE_PERIOD_SECONDS</c> and
    /// <c>ORLEANSFLOW_SILO_ACTIVATION_COLLECTION_AGE_SECONDS</c>, <c>ORLEANSFLOW_UI_URL</c> and <c>ORLEANSFLOW_SILO_KUBERNETES</c> over the
    /// defaults.</summary>
    /// <exception cref="InvalidOperationException">A variable holds a value that is not valid; the message names it.</exception>
    public static SiloOptions FromEnvironment()
    {
        var options = new SiloOptions();
        if (Environment.GetEnvironmentVariable("ORLEANSFLOW_CLUSTER_ID") is { Length: > 0 } clusterId)
        {
            options.ClusterId = clusterId;
        }

        if (Environment.GetEnvironmentVariable("ORLEANSFLOW_SERVICE_ID") is { Length: > 0 } serviceId)
        {
            options.ServiceId = serviceId;
        }

        if (Environment.GetEnvironmentVariable("ORLEANSFLOW_SILO_PORT") is { Length: > 0 } port)
        {
            options.SiloPort = int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p) && p <= 65535
                ? p
                : throw new InvalidOperationException($"ORLEANSFLOW_SILO_PORT must be a port number (0-65535), not '{port}'.");
        }

        if (Environment.GetEnvironmentVariable("ORLEANSFLOW_SILO_GATEWAY_PORT") is { Length: > 0 } gatewayPort)
        {
            options.GatewayPort = int.TryParse(gatewayPort, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p) && p <= 65535
                ? p
                : throw new InvalidOperationException($"ORLEANSFLOW_SILO_GATEWAY_PORT must be a port number (0-65535), not '{gatewayPort}'.");
        }

        if (Environment.GetEnvironmentVariable("ORLEANSFLOW_SILO_ADDRESS") is { Length: > 0 } address)
        {
            options.AdvertisedAddress = address;
        }

        if (Environment.GetEnvironmentVariable("ORLEANSFLOW_SILO_SCHEDULE_PERIOD_SECONDS") is { Length: > 0 } period)
        {
            options.SchedulePeriod = double.TryParse(period, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
                && seconds > 0 && seconds <= TimeSpan.FromDays(1).TotalSeconds
                ? TimeSpan.FromSeconds(seconds)
                : throw new InvalidOperationException($"ORLEANSFLOW_SILO_SCHEDULE_PERIOD_SECONDS must be a number of seconds above 0 and at most 86400, not '{period}'.");
        }

        if (Environment.GetEnvironmentVariable("ORLEANSFLOW_SILO_ACTIVATION_COLLECTION_AGE_SECONDS") is { Length: > 0 } age)
        {
            options.ActivationCollectionAge = int.TryParse(age, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds >= 2
                ? TimeSpan.FromSeconds(seconds)
                : throw new InvalidOperationException($"ORLEANSFLOW_SILO_ACTIVATION_COLLECTION_AGE_SECONDS must be a whole number of seconds (at least 2), not '{age}'.");
        }

        if (Environment.GetEnvironmentVariable("ORLEANSFLOW_EVENTS_RETENTION_DAYS") is { Length: > 0 } retention)
        {
            options.EventRetention = double.TryParse(retention, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var days)
                && days > 0 && days <= 3650
                ? TimeSpan.FromDays(days)
                : throw new InvalidOperationException($"ORLEANSFLOW_EVENTS_RETENTION_DAYS must be a number of days above 0 and at most 3650, not '{retention}'.");
        }

        if (Environment.GetEnvironmentVariable("ORLEANSFLOW_UI_URL") is { Length: > 0 } uiUrl)
        {
            options.UiUrl = Uri.TryCreate(uiUrl, UriKind.Absolute, out var ui) && ui.Scheme is "http" or "https"
                ? uiUrl.TrimEnd('/')
                : throw new InvalidOperationException($"ORLEANSFLOW_UI_URL must be an absolute http or https URL, not '{uiUrl}'.");
        }

        if (Environment.GetEnvironmentVariable("ORLEANSFLOW_SILO_KUBERNETES") is { Length: > 0 } kubernetes)
        {
            options.Kubernetes = kubernetes.Trim().ToLowerInvariant() switch
            {
                "true" or "1" or "yes" => true,
                "false" or "0" or "no" => false,
                _ => throw new InvalidOperationException($"ORLEANSFLOW_SILO_KUBERNETES must be true or false, not '{kubernetes}'."),
            };
        }

        options.Validate();
        return options;
    }

    /// <summary>Checks the cluster and activation-collection settings.</summary>
    /// <exception cref="InvalidOperationException">A setting is not valid; the message names it.</exception>
    public void Validate()
    {
        if (EventRetention <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("SiloOptions.EventRetention must be positive.");
        }

        if (string.IsNullOrWhiteSpace(ClusterId) || ClusterId.Length > 150)
        {
            throw new InvalidOperationException("SiloOptions.ClusterId must be 1 to 150 characters.");
        }

        if (string.IsNullOrWhiteSpace(ServiceId) || ServiceId.Length > 150)
        {
            throw new InvalidOperationException("SiloOptions.ServiceId must be 1 to 150 characters.");
        }

        if (SiloPort is < 0 or > 65535)
        {
            throw new InvalidOperationException($"SiloOptions.SiloPort must be between 0 and 65535, not {SiloPort}.");
        }

        if (GatewayPort is < 0 or > 65535)
        {
            throw new InvalidOperationException($"SiloOptions.GatewayPort must be between 0 and 65535, not {GatewayPort}.");
        }

        if (GatewayPort != 0 && GatewayPort == SiloPort)
        {
            throw new InvalidOperationException($"SiloOptions.GatewayPort and SiloPort must differ (both are {GatewayPort}).");
        }

        if (AdvertisedAddress is { } address && !System.Net.IPAddress.TryParse(address, out _))
        {
            throw new InvalidOperationException($"SiloOptions.AdvertisedAddress must be an IP address, not '{address}'.");
        }

        if (ProbeTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"SiloOptions.ProbeTimeout must be positive, not {ProbeTimeout}.");
        }

        if (SchedulePeriod <= TimeSpan.Zero || SchedulePeriod > TimeSpan.FromDays(1))
        {
            throw new InvalidOperationException($"SiloOptions.SchedulePeriod must be above 0 and at most 1 day, not {SchedulePeriod}.");
        }

        if (ActivationCollectionAge < TimeSpan.FromSeconds(2))
        {
            throw new InvalidOperationException($"SiloOptions.ActivationCollectionAge must be at least 2 s, not {ActivationCollectionAge}.");
        }

        if (MissedProbesLimit < 1)
        {
            throw new InvalidOperationException($"SiloOptions.MissedProbesLimit must be at least 1, not {MissedProbesLimit}.");
        }
    }
}
