namespace SupportConsole.Engine.Encoders;

/// <summary>Turns texts into L2-normalised vectors for dense retrieval.</summary>
public interface ITextEmbedder
{
    int Dimensions { get; }

    /// <summary>Identifies the model: indexes built with another version must be rebuilt.</summary>
    string VersionId { get; }

    /// <summary>Rows x <see cref="Dimensions"/>, row-major; a text without a known word is a zero row.</summary>
    float[] Embed(IReadOnlyList<string> texts);
}
