namespace SupportConsole.Tests.TestSupport;

/// <summary>Finds files of the repository from the test binaries' folder.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Banking77Train => Path.Combine(Root, "data", "banking77", "train.csv");

    public static string Banking77Test => Path.Combine(Root, "data", "banking77", "test.csv");

    public static string ShippedRouter => Path.Combine(Root, "models", "router");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SupportConsole.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"SupportConsole.sln not found above {AppContext.BaseDirectory}");
    }
}

/// <summary>A folder under the system temp folder, deleted with the object.</summary>
public sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"supportconsole-tests-{Guid.NewGuid():N}");

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
