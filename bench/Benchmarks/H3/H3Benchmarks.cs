using BenchmarkDotNet.Attributes;
using DePin.Wireless.Core.H3;

namespace DePin.Wireless.Benchmarks.H3;

/// <summary>
/// H3 hot paths over the same 1000 inputs as bench/h3js-bench.mjs (fixed-seed uniform points on the
/// sphere, resolution i % 16): one benchmark invocation processes all 1000, so ns/op = mean / 1000.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class H3Benchmarks
{
    private const int Count = 1000;
    private readonly double[] _lat = new double[Count];
    private readonly double[] _lng = new double[Count];
    private readonly int[] _res = new int[Count];
    private readonly H3Cell[] _cells = new H3Cell[Count];

    [GlobalSetup]
    public void Setup()
    {
        // Same mulberry32 sequence as bench/h3js-bench.mjs so both sides index identical points.
        var state = 42u;
        double Next()
        {
            state += 0x6d2b79f5;
            var t = state;
            t = (t ^ (t >> 15)) * (t | 1);
            t ^= t + (t ^ (t >> 7)) * (t | 61);
            return (t ^ (t >> 14)) / 4294967296.0;
        }

        for (var i = 0; i < Count; i++)
        {
            _lat[i] = Math.Asin(2 * Next() - 1) * 180 / Math.PI;
            _lng[i] = Next() * 360 - 180;
            _res[i] = i % 16;
            _cells[i] = H3Grid.LatLngToCell(_lat[i], _lng[i], _res[i]);
        }
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public ulong LatLngToCell()
    {
        ulong acc = 0;
        for (var i = 0; i < Count; i++)
        {
            acc ^= H3Grid.LatLngToCell(_lat[i], _lng[i], _res[i]).Value;
        }

        return acc;
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public double CellToBoundary()
    {
        Span<LatLng> boundary = stackalloc LatLng[10];
        double acc = 0;
        foreach (var cell in _cells)
        {
            var n = H3Grid.CellToBoundary(cell, boundary);
            acc += boundary[n - 1].Lat;
        }

        return acc;
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public int GridDisk1()
    {
        Span<H3Cell> disk = stackalloc H3Cell[7];
        var acc = 0;
        foreach (var cell in _cells)
        {
            acc += H3Grid.GridDisk(cell, 1, disk);
        }

        return acc;
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public int GridDisk1Array()
    {
        var acc = 0;
        foreach (var cell in _cells)
        {
            acc += H3Grid.GridDisk(cell, 1).Length;
        }

        return acc;
    }
}
