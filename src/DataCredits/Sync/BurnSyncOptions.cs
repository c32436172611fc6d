namespace DePin.Wireless.DataCredits.Sync;

public sealed class BurnSyncOptions
{
    /// <summary>A burn in block b is credited once head ≥ b + Confirmations − 1 (1 = as soon as it is mined).</summary>
    public int Confirmations { get; set; } = 12;

    /// <summary>First block to scan when there is no checkpoint (e.g. the token's deployment block).</summary>
    public ulong StartBlock { get; set; }

    /// <summary>At most this many blocks are processed (headers fetched, logs read, credited) per step.</summary>
    public int MaxBlocksPerStep { get; set; } = 500;

    /// <summary>Block range of one eth_getLogs request.</summary>
    public ulong LogPageSize { get; set; } = 100;

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    public void Validate()
    {
        if (Confirmations < 1)
        {
            throw new ArgumentException($"confirmations must be at least 1, got {Confirmations}", nameof(Confirmations));
        }

        if (MaxBlocksPerStep < 1 || LogPageSize < 1)
        {
            throw new ArgumentException("MaxBlocksPerStep and LogPageSize must be at least 1");
        }
    }
}
