namespace DePin.Wireless.DataCredits.Evm;

/// <summary>Reads logs over a long block range in pages, because nodes cap the range or result size of eth_getLogs.</summary>
public static class LogReader
{
    public static async Task<IReadOnlyList<EvmLog>> GetLogsPagedAsync(
        IEvmClient client, EthAddress address, IReadOnlyList<Hash32?> topics, ulong fromBlock, ulong toBlock, ulong pageSize, CancellationToken ct)
    {
        if (pageSize == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(pageSize), "page size must be at least one block");
        }

        var logs = new List<EvmLog>();
        for (var start = fromBlock; start <= toBlock; start += pageSize)
        {
            var end = Math.Min(toBlock, start + pageSize - 1);
            logs.AddRange(await client.GetLogsAsync(new LogFilter(start, end, address, topics), ct));
            if (end == ulong.MaxValue)
            {
                break;
            }
        }

        return logs;
    }
}
