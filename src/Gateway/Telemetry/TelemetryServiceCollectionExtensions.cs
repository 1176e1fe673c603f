using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using OrleansFlow.Grains.Telemetry;

namespace OrleansFlow.Gateway.Telemetry;

/// <summary>Turns OpenTelemetry on for a server or gateway process: traces from the HTTP request through the Orleans grain
/// calls to the database commit, and metrics (OrleansFlow's, Orleans's own, ASP.NET Core's request durations), exported
/// over OTLP as the standard <c>OTEL_*</c> variables say.</summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>The activity sources traced: OrleansFlow's and the two Orleans emits grain-call spans on.</summary>
    public static readonly IReadOnlyList<string> Sources = [OrleansFlowTelemetry.Name, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    /// <summary>The meters exported: OrleansFlow's, Orleans's, and ASP.NET Core's and Kestrel's (request durations, active
    /// requests and connections).</summary>
    public static readonly IReadOnlyList<string> Meters = [OrleansFlowTelemetry.Name, "Microsoft.Orleans", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    /// <summary>Adds OpenTelemetry when <paramref name="options"/> asks for it (<see cref="ServerOptions.Telemetry"/>) or
    /// an OTLP endpoint is configured (<see cref="OtlpConfigured"/>); otherwise adds nothing, and no span or measurement is
    /// made.</summary>
    /// <param name="services">The application's services.</param>
    /// <param name="options">The server's settings.</param>
    /// <param name="role">What this process is (<c>server</c> or <c>gateway</c>), recorded as <c>service.instance.role</c>.</param>
    /// <returns>True when telemetry was added.</returns>
    public static bool AddOrleansFlowTelemetry(this IServiceCollection services, ServerOptions options, string role)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        var otlp = OtlpConfigured(Environment.GetEnvironmentVariable);
        if (!otlp && options.Telemetry is null)
        {
            return false;
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, when set, are read by the default detectors and win.
                if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME")))
                {
                    resource.AddService("orleansflow", serviceVersion: typeof(ServerOptions).Assembly.GetName().Version?.ToString(3));
                }

                resource.AddAttributes([new KeyValuePair<string, object>("orleansflow.process.role", role)]);
            })
            .WithTracing(tracing => tracing
                .AddSource([.. Sources])
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsProbe(context.Request.Path)))
            .WithMetrics(metrics => metrics.AddMeter([.. Meters]));
        if (otlp)
        {
            telemetry.UseOtlpExporter();
        }

        options.Telemetry?.Invoke(telemetry);
        return true;
    }

    /// <summary>True when the standard variables configure an OTLP endpoint (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>,
    /// <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c> or <c>OTEL_EXPORTER_OTLP_METRICS_ENDPOINT</c>) and
    /// <c>OTEL_SDK_DISABLED</c> is not <c>true</c>.</summary>
    /// <param name="variable">Reads an environment variable.</param>
    public static bool OtlpConfigured(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        if (string.Equals(variable("OTEL_SDK_DISABLED"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return new[] { "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT" }
            .Any(name => !string.IsNullOrWhiteSpace(variable(name)));
    }

    // Kubernetes probes every few seconds on every pod: their spans would drown the traces that matter.
    private static bool IsProbe(Microsoft.AspNetCore.Http.PathString path) =>
        path.Equals("/api/health", StringComparison.OrdinalIgnoreCase) || path.Equals("/api/ready", StringComparison.OrdinalIgnoreCase);
}
