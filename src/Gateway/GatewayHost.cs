using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Dashboard;
using OrleansFlow.Gateway.Admin;
using OrleansFlow.Gateway.Api;
using OrleansFlow.Gateway.ApiKeys;
using OrleansFlow.Gateway.Artifacts;
using OrleansFlow.Gateway.Automations;
using OrleansFlow.Gateway.Blocks;
using OrleansFlow.Gateway.ConcurrencyLimits;
using OrleansFlow.Gateway.Deployments;
using OrleansFlow.Gateway.Events;
using OrleansFlow.Gateway.FlowRunNotifications;
using OrleansFlow.Gateway.FlowRuns;
using OrleansFlow.Gateway.Flows;
using OrleansFlow.Gateway.GlobalConcurrencyLimits;
using OrleansFlow.Gateway.Logs;
using OrleansFlow.Gateway.Notifications;
using OrleansFlow.Gateway.RunHistory;
using OrleansFlow.Gateway.SavedSearches;
using OrleansFlow.Gateway.Security;
using OrleansFlow.Gateway.TaskRuns;
using OrleansFlow.Gateway.Telemetry;
using OrleansFlow.Gateway.Variables;
using OrleansFlow.Gateway.WorkPools;
using OrleansFlow.Gateway.WorkQueues;
using OrleansFlow.Grains.Json;
using OrleansFlow.Silo.Automations;
using OrleansFlow.Silo.Background;
using OrleansFlow.Silo.Queries;
using OrleansFlow.Gateway.Hosting;
using OrleansFlow.Silo.Notifications;
using OrleansFlow.Silo.Runtime;
using OrleansFlow.Ui;

namespace OrleansFlow.Gateway;

/// <summary>Builds and runs the OrleansFlow server: the Silo plus the HTTP gateway in one process.</summary>
public static class GatewayHost
{
    /// <summary>Opens the database (migrating it) and builds the web application that co-hosts the Orleans silo with the
    /// grains, the HTTP API, the UI and the Orleans Dashboard. The returned application is not started: call
    /// <c>StartAsync</c> or <c>RunAsync</c> (the silo starts before the HTTP server does).</summary>
    /// <exception cref="InvalidOperationException">A setting is not valid or the database cannot be opened.</exception>
    public static Task<WebApplication> BuildAsync(ServerOptions options, string[]? args = null, TimeProvider? clock = null,
        Action<ILoggingBuilder>? logging = null, CancellationToken cancellationToken = default) =>
        BuildAsync(options, hostsGrains: true, args, clock, logging, cancellationToken);

    /// <summary>Builds the web application of a gateway process (<c>orleansflow gateway start</c>): an Orleans client of
    /// the silo cluster kept in the PostgreSQL database of <paramref name="options"/>, serving the HTTP API and the UI and
    /// hosting no grain. Grain calls go to the cluster's silos (which must open a client gateway:
    /// <see cref="SiloOptions.GatewayPort"/>); queries read the database. No Orleans Dashboard (the silos serve it) and no
    /// housekeeping (the silos run it). The returned application is not started; it connects to the cluster when it
    /// starts.</summary>
    /// <exception cref="InvalidOperationException">A setting is not valid, the database is not PostgreSQL or cannot be
    /// opened.</exception>
    public static Task<WebApplication> BuildGatewayAsync(ServerOptions options, string[]? args = null, TimeProvider? clock = null,
        Action<ILoggingBuilder>? logging = null, CancellationToken cancellationToken = default) =>
        BuildAsync(options, hostsGrains: false, args, clock, logging, cancellationToken);

    private static async Task<WebApplication> BuildAsync(ServerOptions options, bool hostsGrains, string[]? args, TimeProvider? clock,
        Action<ILoggingBuilder>? logging, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!hostsGrains && options.Database.Dialect != Silo.Storage.SqlDialect.Postgres)
        {
            // Before the database is opened: a gateway must not create or migrate a SQLite file it cannot serve.
            throw new InvalidOperationException(Silo.Runtime.ClientBuilderExtensions.PostgresRequired);
        }

        options.Validate();
        // Opening (and migrating) the database and making the web host's builder need nothing of each other: they run
        // side by side.
        var opening = Task.Run(() => OrleansFlowSilo.OpenAsync(options.Database, clock, options.Silo, cancellationToken), cancellationToken);
        WebApplicationBuilder builder;
        try
        {
            builder = CreateBuilder(options, args, logging);
        }
        catch
        {
            await DisposeWhenOpenedAsync(opening).ConfigureAwait(false);
            throw;
        }

        var silo = await opening.ConfigureAwait(false);
        if (options.RequireApiKey && string.IsNullOrEmpty(options.ApiKey)
            && await new Silo.ApiKeys.ApiKeyCatalog(silo).CountActiveAdminsAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            await silo.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException(
                "An API key is required (--require-api-key) but the database holds no active admin key: start once with --api-key KEY (or ORLEANSFLOW_SERVER_API_KEY).");
        }

        var dashboard = hostsGrains && options.Dashboard;
        if (hostsGrains)
        {
            builder.UseOrleans(orleans =>
            {
                orleans.AddOrleansFlowGrains(silo);
                if (options.Silo.Kubernetes)
                {
                    orleans.UseOrleansFlowKubernetesHosting();
                }
                if (dashboard)
                {
                    orleans.AddDeferredDashboard();
                }
            });
        }
        else
        {
            builder.UseOrleansClient(client => client.AddOrleansFlowClient(silo));
        }

        builder.Services.AddOrleansFlowTelemetry(options, hostsGrains ? "server" : "gateway");
        builder.Services.Configure<JsonOptions>(json => OrleansFlowJson.Configure(json.SerializerOptions));

        // Route and query values that do not bind (a malformed uuid) throw, so the error handler answers 422 naming them.
        builder.Services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        builder.Services.AddSingleton(silo);
        builder.Services.AddOrleansFlowNotifications();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new RunQueries(silo));
        builder.Services.AddSingleton(new Silo.Events.EventStore(silo.Database, silo.Clock));
        builder.Services.AddSingleton(new Silo.Events.EventFeedOptions());
        builder.Services.AddSingleton(services => new Silo.Events.EventFeed(services.GetRequiredService<Silo.Events.EventStore>(), silo.Database, silo.Clock,
            services.GetRequiredService<Silo.Events.EventFeedOptions>(), services.GetRequiredService<ILogger<Silo.Events.EventFeed>>()));
        builder.Services.AddHostedService<EventFeedService>();
        if (hostsGrains && options.BackgroundProcesses)
        {
            // Registered after UseOrleans. The housekeeper starts once the server answers: its first grain call
            // (activating it, registering its reminder) does not delay the first request. The automation dispatcher
            // still starts before the server listens: events posted from the first request on must reach it.
            builder.Services.AddHostedService(services => StartAfterServer.Wrap(services, new HousekeepingService(silo), "Housekeeping"));
            builder.Services.AddHostedService(services => new AutomationDispatchService(silo, services.GetRequiredService<ILogger<AutomationDispatchService>>()));
        }

        foreach (var name in builder.Configuration.GetSection("OrleansFlow:Server:AllowedHosts").GetChildren().Select(c => c.Value)
            .Concat((builder.Configuration["OrleansFlow:Server:AllowedHosts"] ?? "").Split(',', StringSplitOptions.TrimEntries)))
        {
            if (!string.IsNullOrEmpty(name) && !options.AllowedHosts.Contains(name))
            {
                options.AllowedHosts.Add(name);
            }
        }

        builder.Services.AddOrleansFlowAccess(options);
        builder.Services.AddSingleton(new ServerInfo(silo.Database.Description, silo.Database.Dialect.ToString()));
        builder.Services.AddOrleansFlowUi();

        var app = builder.Build();
        silo.Attach(app.Services);
        app.Lifetime.ApplicationStopped.Register(() => silo.DisposeAsync().AsTask().GetAwaiter().GetResult());
        app.UseOrleansFlowAccess();
        app.UseWebSockets();
        app.UseApiErrors();
        app.MapOrleansFlowApi();
        app.MapLogin();
        app.MapOrleansFlowUi();
        if (dashboard)
        {
            app.MapOrleansDashboard(routePrefix: "/dashboard");
        }

        return app;
    }

    private static WebApplicationBuilder CreateBuilder(ServerOptions options, string[]? args, Action<ILoggingBuilder>? logging)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args ?? [],
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Settings come from ORLEANSFLOW_* variables and flags (ServerOptions), not appsettings files: no file watchers.
        foreach (var source in builder.Configuration.Sources.OfType<Microsoft.Extensions.Configuration.Json.JsonConfigurationSource>().ToList())
        {
            builder.Configuration.Sources.Remove(source);
        }

        // The slim builder's Kestrel plus its HTTPS configuration, without UseKestrel's UseQuic: the server listens on
        // http only, and UseQuic's check for HTTP/3 support loads and initialises the native QUIC library at start-up.
        builder.WebHost.UseKestrelHttpsConfiguration().ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.AddServerHeader = false;
        });
        builder.WebHost.UseUrls($"http://{options.Host}:{options.Port}");
        if (logging is not null)
        {
            logging(builder.Logging);
        }

        return builder;
    }

    private static async Task DisposeWhenOpenedAsync(Task<OrleansFlowSilo> opening)
    {
        try
        {
            await (await opening.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Opening failed too: the builder's exception is the one reported.
        }
    }

    /// <summary>Maps every API route under <c>/api</c>.</summary>
    public static IEndpointRouteBuilder MapOrleansFlowApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api");
        api.MapAdmin();
        api.MapFlows();
        api.MapRunHistory();
        api.MapFlowRuns();
        api.MapFlowRunInputs();
        api.MapFlowRunHeartbeats();
        api.MapTaskRuns();
        api.MapConcurrencyLimits();
        api.MapGlobalConcurrencyLimits();
        api.MapBlocks();
        api.MapNotifications();
        api.MapFlowRunNotificationPolicies();
        api.MapVariables();
        api.MapAutomations();
        api.MapArtifacts();
        api.MapLogs();
        api.MapEvents();
        api.MapSavedSearches();
        api.MapWorkPools();
        api.MapWorkQueues();
        api.MapDeployments();
        api.MapDeploymentSchedules();
        api.MapApiKeys();
        return endpoints;
    }
}
