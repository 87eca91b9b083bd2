namespace SupportConsole.Engine.Drafting;

/// <summary>Where a draft came from.</summary>
public enum DraftKind
{
    None,
    Template,
    CloudModel,
}
