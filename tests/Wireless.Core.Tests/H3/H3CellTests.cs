using DePin.Wireless.Core.H3;

namespace DePin.Wireless.Core.Tests.H3;

public sealed class H3CellTests
{
    [Fact]
    public void Parse_and_format_round_trip_every_fixture_cell()
    {
        Span<char> buffer = stackalloc char[16];
        foreach (var c in H3Fixtures.Cases)
        {
            var cell = H3Cell.Parse(c.Cell);
            Assert.True(cell.TryFormat(buffer, out var written, default, null));
            Assert.Equal(c.Cell, buffer[..written].ToString());
            Assert.Equal(c.Cell, cell.ToString());
        }
    }

    [Fact]
    public void Parse_accepts_uppercase_and_formats_lowercase()
    {
        var cell = H3Cell.Parse("8F2830828052D25");
        Assert.Equal(0x8f2830828052d25UL, cell.Value);
        Assert.Equal("8f2830828052d25", cell.ToString());
        Assert.Equal(15, cell.Resolution);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("8f2830828052d25aa", "at most 16")]
    [InlineData("8f28308280g2d25", "non-hexadecimal character 'g'")]
    [InlineData("0", "cell mode")]
    [InlineData("8f2830828052d2", "cell mode")] // one digit short: shifts the mode bits
    [InlineData("85283473ffffff7", "beyond resolution")] // a used digit after the resolution
    [InlineData("res2-digit1-7", "is 7 (unused) within resolution")]
    [InlineData("80f5fffffffffff", "base cell 122")]
    [InlineData("pentagon-k", "deleted k-axis")]
    public void Parse_errors_name_the_problem(string text, string expected)
    {
        text = text switch
        {
            // Base cell 4 is a pentagon; a first non-zero digit 1 is its deleted sub-sequence.
            "pentagon-k" => Create(res: 2, baseCell: 4, digits: [0, 1]).ToString(),
            "res2-digit1-7" => Create(res: 2, baseCell: 20, digits: [7, 0]).ToString(),
            _ => text,
        };

        Assert.False(H3Cell.TryParse(text, out _, out var error));
        Assert.Contains(expected, error);
        var ex = Assert.Throws<FormatException>(() => H3Cell.Parse(text));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void IsValid_agrees_with_reference_cells_and_rejects_default()
    {
        Assert.False(default(H3Cell).IsValid);
        Assert.All(H3Fixtures.Cases.Take(500), c => Assert.True(H3Cell.Parse(c.Cell).IsValid));
    }

    [Fact]
    public void Operations_reject_invalid_cells_naming_the_reason()
    {
        var ex = Assert.Throws<ArgumentException>(() => H3Grid.CellToLatLng(default));
        Assert.Contains("cell mode", ex.Message);
    }

    [Theory]
    [InlineData(double.NaN, 0, 5, "latDegrees")]
    [InlineData(0, double.PositiveInfinity, 5, "lngDegrees")]
    [InlineData(0, 0, 16, "res")]
    [InlineData(0, 0, -1, "res")]
    public void LatLngToCell_rejects_bad_arguments(double lat, double lng, int res, string parameter)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => H3Grid.LatLngToCell(lat, lng, res));
        Assert.Equal(parameter, ex.ParamName);
    }

    [Fact]
    public void LatLngToCell_does_not_allocate()
    {
        var sink = 0UL;
        for (var i = 0; i < 100; i++)
        {
            sink ^= H3Grid.LatLngToCell(i * 1.7 - 85, i * 3.6 - 180, i % 16).Value;
        }

        var inputs = H3Fixtures.Cases.Take(2000).ToArray();
        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var c in inputs)
        {
            sink ^= H3Grid.LatLngToCell(c.Lat, c.Lng, c.Res).Value;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.NotEqual(0UL, sink);
    }

    [Fact]
    public void Boundary_and_disk_span_overloads_do_not_allocate()
    {
        Span<LatLng> boundary = stackalloc LatLng[10];
        Span<H3Cell> disk = stackalloc H3Cell[7];
        var cells = H3Fixtures.Cases.Take(1000).Select(c => H3Cell.Parse(c.Cell)).ToArray();
        var total = 0;
        foreach (var cell in cells.Take(20))
        {
            total += H3Grid.CellToBoundary(cell, boundary) + H3Grid.GridDisk(cell, 1, disk);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var cell in cells)
        {
            total += H3Grid.CellToBoundary(cell, boundary) + H3Grid.GridDisk(cell, 1, disk);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(total > 10_000);
    }

    private static H3Cell Create(int res, int baseCell, int[] digits)
    {
        // Layout per H3 v4: mode 1 at bit 59, resolution at bit 52, base cell at bit 45, digits 3 bits each.
        var value = (1UL << 59) | ((ulong)res << 52) | ((ulong)baseCell << 45) | ((1UL << 45) - 1);
        for (var r = 1; r <= digits.Length; r++)
        {
            var shift = (15 - r) * 3;
            value = (value & ~(7UL << shift)) | ((ulong)digits[r - 1] << shift);
        }

        return new H3Cell(value);
    }
}
