using System.Text.Json;
using System.Text.Json.Serialization;

namespace DePin.Wireless.DataCredits.Api;

/// <summary>POST /v1/charge body. packetHash is 0x + 64 hex digits (the router's hash of the uplink payload).</summary>
public sealed record ChargeRequestDto(string? PacketHash, ulong? Oui, int? PayloadSize, string? Hotspot);

/// <summary>POST /v1/charge answer.</summary>
public sealed record ChargeResponseDto(DePin.Wireless.DataCredits.Ledger.ChargeOutcome Outcome, bool Bought, long Dc, long BalanceDc, bool OrganisationEnabled, long Epoch);

/// <summary>PUT /v1/organisations/{oui} body.</summary>
public sealed record OrganisationDto(string? Payer, int? MaxCopies, bool? Locked);

public sealed record OrganisationStatusDto(ulong Oui, string Payer, int MaxCopies, bool Locked, long BalanceDc, bool Enabled);

public sealed record BalanceDto(string Payer, long Dc);

/// <summary>POST /v1/payers/{payer}/credit body: an operator grant outside the chain.</summary>
public sealed record CreditDto(long? Dc);

/// <summary>One hotspot's data-transfer share: DC of the packet copies it carried that were bought, and their count.</summary>
public sealed record ShareDto(string Hotspot, long Dc, long Packets);

/// <summary>The answer of <c>GET /v1/shares?epoch=E</c>.</summary>
public sealed record SharesDocumentDto(long Epoch, IReadOnlyList<ShareDto> Shares);

public sealed record ErrorDto(string Error);

public static class ApiJson
{
    /// <summary>camelCase names and enum names as strings, shared by the server and the HTTP client.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
