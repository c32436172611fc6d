namespace DePin.Wireless.TestSupport;

/// <summary>Locates files of this repository from a running test, wherever the test host was started.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);

    /// <summary>The directory that holds DePin.Wireless.sln.</summary>
    public static string Root => RootLazy.Value;

    /// <summary>Node packages installed by the test scripts (tools/node/node_modules).</summary>
    public static string NodeModules => Path.Combine(Root, "tools", "node", "node_modules");

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DePin.Wireless.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"DePin.Wireless.sln not found above {AppContext.BaseDirectory}");
    }
}
