namespace DePin.Wireless.FirmwareBridge.Tests.Fakes;

public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until true or the timeout passes.</summary>
    public static async Task<bool> TrueAsync(Func<bool> condition, int timeoutMilliseconds = 3000)
    {
        var deadline = Environment.TickCount64 + timeoutMilliseconds;
        while (Environment.TickCount64 < deadline)
        {
            if (condition())
                return true;
            await Task.Delay(2);
        }
        return condition();
    }
}
