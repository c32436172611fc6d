using System.Text.Json;
using System.Text.Json.Serialization;
using DePin.Wireless.HotspotHost.Runtime;

namespace DePin.Wireless.HotspotHost.Status;

/// <summary>
/// What the status port answers: <c>/healthz</c> (200 "ok" while the radio receives, 503 otherwise), <c>/status</c>
/// (JSON <see cref="HotspotStatus"/>) and <c>/metrics</c> (Prometheus text format 0.0.4), for GET and HEAD.
/// </summary>
public sealed class StatusEndpoints
{
    public const string PrometheusText = "text/plain; version=0.0.4; charset=utf-8";
    public const string Json = "application/json; charset=utf-8";

    private readonly HotspotRuntime _runtime;

    public StatusEndpoints(HotspotRuntime runtime) => _runtime = runtime ?? throw new ArgumentNullException(nameof(runtime));

    public StatusResponse Respond(HttpRequestHead request)
    {
        if (request.Method is not ("GET" or "HEAD"))
        {
            return StatusResponse.Text(405, $"method {request.Method} not allowed: the status port is read-only\n") with { Allow = "GET, HEAD" };
        }

        return request.Path switch
        {
            "/healthz" => Health(),
            "/status" => new StatusResponse(200, Json, JsonSerializer.Serialize(_runtime.Status(), StatusJsonContext.Default.HotspotStatus)),
            "/metrics" => new StatusResponse(200, PrometheusText, _runtime.RenderMetrics()),
            _ => StatusResponse.Text(404, $"no such document {request.Path}; try /status, /healthz or /metrics\n"),
        };
    }

    private StatusResponse Health()
    {
        var radio = _runtime.State.RadioState;
        return radio == "receiving" ? StatusResponse.Text(200, "ok\n") : StatusResponse.Text(503, $"radio {radio}\n");
    }
}

/// <summary>
/// Compile-time JSON metadata for the /status document (camelCase, indented, enums as names): no reflection-emitted
/// serializers at run time, which keeps the daemon's JIT work and resident memory down.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(HotspotStatus))]
public sealed partial class StatusJsonContext : JsonSerializerContext;
