namespace SupportConsole.Data;

/// <summary>Where the app's bundled files (models, demo tenant) are: relative paths resolve against the app's folder.</summary>
public static class AppPaths
{
    public static string Bundled(string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, path));
}
