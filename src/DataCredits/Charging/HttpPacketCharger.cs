using System.Net.Http.Json;
using DePin.Wireless.DataCredits.Api;

namespace DePin.Wireless.DataCredits.Charging;

/// <summary>IPacketCharger over the DataCredits HTTP API (POST /v1/charge), for the network server.</summary>
public sealed class HttpPacketCharger : IPacketCharger
{
    private readonly HttpClient _http;

    /// <param name="http">A client whose BaseAddress is the DataCredits service, e.g. http://127.0.0.1:8090/.</param>
    public HttpPacketCharger(HttpClient http)
    {
        _http = http;
    }

    public async Task<ChargeResponse> ChargeAsync(ChargeRequest request, CancellationToken ct)
    {
        request.Validate();
        using var response = await _http.PostAsJsonAsync(
            "v1/charge",
            new ChargeRequestDto(request.PacketHash.ToString(), request.Oui, request.PayloadSize, request.Hotspot),
            ApiJson.Options,
            ct);
        if (!response.IsSuccessStatusCode)
        {
            var error = await response.Content.ReadAsStringAsync(ct);
            throw new HttpRequestException($"POST /v1/charge answered {(int)response.StatusCode}: {error}");
        }

        var dto = await response.Content.ReadFromJsonAsync<ChargeResponseDto>(ApiJson.Options, ct)
            ?? throw new HttpRequestException("POST /v1/charge answered an empty body");
        return new ChargeResponse(dto.Outcome, dto.Dc, dto.BalanceDc, dto.OrganisationEnabled, dto.Epoch);
    }
}
