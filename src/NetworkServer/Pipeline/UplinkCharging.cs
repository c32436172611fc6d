using System.Net.Http.Json;
using System.Text.Json.Serialization;
using DePin.Wireless.Core.Identity;

namespace DePin.Wireless.NetworkServer.Pipeline;

/// <summary>Why a copy was not bought.</summary>
public enum NotBoughtReason
{
    MaxCopies,
    NoBalance,
    OrgDisabled,
}

/// <summary>The charger's answer for one copy.</summary>
public readonly record struct ChargeResult(bool Bought, NotBoughtReason? Reason, long Dc)
{
    public static ChargeResult BoughtFor(long dc) => new(true, null, dc);

    public static ChargeResult NotBought(NotBoughtReason reason) => new(false, reason, 0);

    public string ReasonText => Reason switch
    {
        NotBoughtReason.MaxCopies => "max_copies",
        NotBoughtReason.NoBalance => "no_balance",
        NotBoughtReason.OrgDisabled => "org_disabled",
        _ => "bought",
    };

    public static NotBoughtReason ParseReason(string? text) => text switch
    {
        "max_copies" => NotBoughtReason.MaxCopies,
        "no_balance" => NotBoughtReason.NoBalance,
        "org_disabled" => NotBoughtReason.OrgDisabled,
        _ => throw new FormatException($"reason: '{text}' is not max_copies, no_balance or org_disabled"),
    };
}

/// <summary>A request to buy one copy of a packet for an organisation.</summary>
public sealed record ChargeRequest(PacketHash PacketHash, uint Oui, int PayloadSize, PublicKey Hotspot);

/// <summary>The port through which the pipeline pays for copies (DataCredits).</summary>
public interface IUplinkCharger
{
    Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken);
}

/// <summary>In-process charger for the devnet: the DataCredits ledger is called directly through a delegate.</summary>
public sealed class InProcessUplinkCharger(Func<ChargeRequest, CancellationToken, Task<ChargeResult>> charge) : IUplinkCharger
{
    public Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken) => charge(request, cancellationToken);
}

/// <summary>
/// Calls DataCredits' <c>POST /v1/charge</c> with <c>{"packetHash":hex,"oui":n,"payloadSize":n,"hotspot":address}</c>
/// and reads <c>{"bought":bool,"reason":"max_copies"|"no_balance"|"org_disabled"|null,"dc":n}</c>.
/// </summary>
public sealed class HttpUplinkCharger(HttpClient http) : IUplinkCharger
{
    public async Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken)
    {
        var body = new ChargeRequestJson(request.PacketHash.ToString(), request.Oui, request.PayloadSize, request.Hotspot.ToAddress());
        using var response = await http.PostAsJsonAsync("v1/charge", body, ChargeJsonContext.Default.ChargeRequestJson, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"DataCredits /v1/charge answered {(int)response.StatusCode}: {text}");
        }

        var answer = await response.Content.ReadFromJsonAsync(ChargeJsonContext.Default.ChargeResponseJson, cancellationToken)
            ?? throw new FormatException("DataCredits /v1/charge: empty body");
        return answer.Bought ? ChargeResult.BoughtFor(answer.Dc) : ChargeResult.NotBought(ChargeResult.ParseReason(answer.Reason));
    }
}

public sealed record ChargeRequestJson(string PacketHash, uint Oui, int PayloadSize, string Hotspot);

public sealed record ChargeResponseJson(bool Bought, string? Reason, long Dc);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ChargeRequestJson))]
[JsonSerializable(typeof(ChargeResponseJson))]
internal sealed partial class ChargeJsonContext : JsonSerializerContext;
