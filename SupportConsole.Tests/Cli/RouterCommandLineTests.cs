using System.Diagnostics;
using System.Text.Json;
using SupportConsole.Cli;
using SupportConsole.Engine.Routing;
using SupportConsole.Tests.TestSupport;

namespace SupportConsole.Tests.Cli;

/// <summary>The <c>router</c> verbs as a user runs them: exit codes, one-line errors, files and JSON.</summary>
public sealed class RouterCommandLineTests : IClassFixture<RouterCommandLineTests.TinyModel>
{
    private readonly TinyModel _model;

    public RouterCommandLineTests(TinyModel model) => _model = model;

    [Fact]
    public async Task TrainWritesTheModelAndItsCard()
    {
        Assert.True(File.Exists(Path.Combine(_model.Directory.Path, "model", "router.onnx")));
        var card = RouterModelCard.Load(Path.Combine(_model.Directory.Path, "model", "router.json"));
        Assert.Equal(6, card.Labels.Count);
        Assert.Contains("held-out: accuracy", _model.TrainOutput);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task EvalPrintsOneJsonObjectWithTheMetrics()
    {
        var (code, output, _) = await CommandLine.Run("router", "eval", "--model", _model.ModelPath, "--test", _model.TestCsv);

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        foreach (var key in new[] { "n", "accuracy", "macroF1", "certifiedCoverage", "certifiedPrecision", "expectedCalibrationError" })
        {
            Assert.True(json.RootElement.TryGetProperty(key, out _), $"missing {key}");
        }

        Assert.Equal(_model.TestRows, json.RootElement.GetProperty("n").GetInt32());
        Assert.True(json.RootElement.GetProperty("accuracy").GetDouble() > 0.5);
    }

    [Fact]
    public async Task PredictWritesOneLinePerRowInInputOrder()
    {
        var output = _model.Directory.File("predictions.jsonl");
        var (code, _, _) = await CommandLine.Run("router", "predict", "--model", _model.ModelPath, "--input", _model.TestCsv, "--out", output);

        Assert.Equal(0, code);
        var lines = File.ReadAllLines(output);
        var inputs = LabelledTicketCsv.Read(_model.TestCsv, requireCategory: false);
        Assert.Equal(inputs.Count, lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            using var line = JsonDocument.Parse(lines[i]);
            var root = line.RootElement;
            Assert.Equal(inputs[i].Text, root.GetProperty("text").GetString());
            Assert.Equal(3, root.GetProperty("top").GetArrayLength());
            Assert.Equal(root.GetProperty("intent").GetString(), root.GetProperty("top")[0].GetProperty("intent").GetString());
            Assert.True(root.GetProperty("certified").ValueKind is JsonValueKind.True or JsonValueKind.False);
            Assert.InRange(root.GetProperty("confidence").GetDouble(), 0, 1);
        }
    }

    [Fact]
    public async Task PredictAcceptsACsvWithoutCategory()
    {
        var input = _model.Directory.File("unlabelled.csv");
        File.WriteAllText(input, "text\n\"Is there an age limit, \"\"really\"\"?\"\nmy card expires soon\n");
        var output = _model.Directory.File("unlabelled.jsonl");

        var (code, _, _) = await CommandLine.Run("router", "predict", "--model", _model.ModelPath, "--input", input, "--out", output);

        Assert.Equal(0, code);
        Assert.Contains("Is there an age limit, \\u0022really\\u0022?", File.ReadAllLines(output)[0]);
    }

    [Fact]
    public async Task BenchPrintsLatencyPercentilesAndThroughput()
    {
        var (code, output, _) = await CommandLine.Run("router", "bench", "--model", _model.ModelPath, "--input", _model.TestCsv,
            "--no-synthetic", "--tickets", "200", "--max-seconds", "2");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var model = json.RootElement.GetProperty("model");
        Assert.True(model.GetProperty("p50Microseconds").GetDouble() > 0);
        Assert.True(model.GetProperty("p99Microseconds").GetDouble() >= model.GetProperty("p50Microseconds").GetDouble());
        Assert.True(model.GetProperty("ticketsPerSecond").GetDouble() > 0);
    }

    [Fact]
    public async Task MissingRequiredOptionIsAUsageError()
    {
        var (code, output, error) = await CommandLine.Run("router", "eval", "--model", _model.ModelPath);

        Assert.Equal(SupportConsoleCommandLine.UsageError, code);
        AssertOneErrorLine(error, "--test");
        Assert.Equal(string.Empty, output);
    }

    [Fact]
    public async Task OutOfRangeTargetPrecisionIsAUsageError()
    {
        var (code, _, error) = await CommandLine.Run("router", "train", "--train", _model.TrainCsv, "--out", _model.Directory.File("x"),
            "--target-precision", "1.5");

        Assert.Equal(SupportConsoleCommandLine.UsageError, code);
        AssertOneErrorLine(error, "--target-precision");
        Assert.False(Directory.Exists(_model.Directory.File("x")));
    }

    [Fact]
    public async Task MalformedCsvNamesTheFileAndLine()
    {
        var bad = _model.Directory.File("bad.csv");
        File.WriteAllText(bad, "text,category\nfine,age_limit\n\"unterminated quote,age_limit\nnext,age_limit\n");

        var (code, _, error) = await CommandLine.Run("router", "train", "--train", bad, "--out", _model.Directory.File("never"));

        Assert.Equal(SupportConsoleCommandLine.Failure, code);
        AssertOneErrorLine(error, "bad.csv");
        Assert.False(Directory.Exists(_model.Directory.File("never")));
    }

    [Fact]
    public async Task CsvWithoutCategoryColumnCannotTrain()
    {
        var bad = _model.Directory.File("nocategory.csv");
        File.WriteAllText(bad, "text\nhello\n");

        var (code, _, error) = await CommandLine.Run("router", "train", "--train", bad, "--out", _model.Directory.File("never2"));

        Assert.Equal(SupportConsoleCommandLine.Failure, code);
        AssertOneErrorLine(error, "category");
    }

    [Fact]
    public async Task UnknownLabelInTheTestSetIsAnError()
    {
        var test = _model.Directory.File("unknown-label.csv");
        File.WriteAllText(test, "text,category\nwhere is my card,card_arrival_on_mars\n");

        var (code, output, error) = await CommandLine.Run("router", "eval", "--model", _model.ModelPath, "--test", test);

        Assert.Equal(SupportConsoleCommandLine.Failure, code);
        AssertOneErrorLine(error, "card_arrival_on_mars");
        Assert.Equal(string.Empty, output);
    }

    [Fact]
    public async Task MissingModelIsAnError()
    {
        var (code, _, error) = await CommandLine.Run("router", "eval", "--model", _model.Directory.File("no-model-here"), "--test", _model.TestCsv);

        Assert.Equal(SupportConsoleCommandLine.Failure, code);
        AssertOneErrorLine(error, "not found");
    }

    [Fact]
    public async Task MissingInputFileIsAnError()
    {
        var (code, _, error) = await CommandLine.Run("router", "predict", "--model", _model.ModelPath, "--input", "/nonexistent.csv", "--out",
            _model.Directory.File("p.jsonl"));

        Assert.Equal(SupportConsoleCommandLine.Failure, code);
        AssertOneErrorLine(error, "/nonexistent.csv");
    }

    [Fact]
    public void ArgumentsForTheWebHostAreNotVerbs()
    {
        Assert.False(SupportConsoleCommandLine.IsCommand(["--urls", "http://127.0.0.1:5080"]));
        Assert.False(SupportConsoleCommandLine.IsCommand([]));
        Assert.True(SupportConsoleCommandLine.IsCommand(["router", "eval"]));
    }

    /// <summary>
    /// The second process runs with AVX2 (and with it AVX-512) switched off: 4-lane vectors instead of 8 or 16, as on
    /// another CPU. The same data and seed must still give the same bytes.
    /// </summary>
    [Fact]
    public async Task TrainingInTwoProcessesWithDifferentVectorWidthsWritesTheSameModel()
    {
        var first = _model.Directory.File("process-a");
        var second = _model.Directory.File("process-b");

        await RunProcess([], "router", "train", "--train", _model.TrainCsv, "--out", first, "--seed", "5", "--stage-one-only");
        await RunProcess([("DOTNET_EnableAVX2", "0")], "router", "train", "--train", _model.TrainCsv, "--out", second, "--seed", "5", "--stage-one-only");

        Assert.Equal(File.ReadAllBytes(Path.Combine(first, "router.onnx")), File.ReadAllBytes(Path.Combine(second, "router.onnx")));
    }

    private static void AssertOneErrorLine(string error, string mentions)
    {
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error:", lines[0]);
        Assert.Contains(mentions, lines[0]);
    }


    /// <summary>Runs the built app as a separate process, as a user would.</summary>
    private static async Task RunProcess((string Name, string Value)[] environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(typeof(SupportConsoleCommandLine).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await stderr}");
        await stdout;
    }

    /// <summary>Six BANKING77 intents trained once through the command line.</summary>
    public sealed class TinyModel : IAsyncLifetime
    {
        public TemporaryDirectory Directory { get; } = new();

        public string TrainCsv => Directory.File("train.csv");

        public string TestCsv => Directory.File("test.csv");

        public string ModelPath => Path.Combine(Directory.Path, "model");

        public int TestRows { get; private set; }

        public string TrainOutput { get; private set; } = string.Empty;

        public async Task InitializeAsync()
        {
            var intents = new[] { "age_limit", "apple_pay_or_google_pay", "atm_support", "card_arrival", "exchange_rate", "lost_or_stolen_card" };
            WriteSlice(RepositoryPaths.Banking77Train, TrainCsv, intents, 50);
            TestRows = WriteSlice(RepositoryPaths.Banking77Test, TestCsv, intents, 15);
            var (code, output, error) = await CommandLine.Run("router", "train", "--train", TrainCsv, "--out", ModelPath);
            Assert.True(code == 0, error);
            TrainOutput = output;
        }

        public Task DisposeAsync()
        {
            Directory.Dispose();
            return Task.CompletedTask;
        }

        private static int WriteSlice(string source, string target, string[] intents, int perIntent)
        {
            var rows = LabelledTicketCsv.Read(source, requireCategory: true)
                .Where(r => intents.Contains(r.Category)).GroupBy(r => r.Category).SelectMany(g => g.Take(perIntent)).ToList();
            File.WriteAllLines(target, ["text,category", .. rows.Select(r => $"\"{r.Text.Replace("\"", "\"\"")}\",{r.Category}")]);
            return rows.Count;
        }
    }
}
