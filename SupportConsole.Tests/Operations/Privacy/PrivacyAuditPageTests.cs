using System.Text.RegularExpressions;
using SupportConsole.Operations.Privacy;

namespace SupportConsole.Tests.Operations.Privacy;

/// <summary>A page added to the console without a sample path in the audit would go unobserved: this fails first.</summary>
public class PrivacyAuditPageTests
{
    [Fact]
    public void EveryPageOfTheConsoleIsFetchedByTheAudit()
    {
        var paths = PrivacyAudit.PagePaths(new AuditSamples(Guid.NewGuid(), "C0001", "activating-your-card"));

        Assert.NotEmpty(PrivacyAudit.PageTemplates);
        foreach (var template in PrivacyAudit.PageTemplates)
        {
            var pattern = "^" + Regex.Replace(Regex.Escape(template), @"\\\{[^}]+}", "[^/]+") + "$";
            Assert.Contains(paths, path => Regex.IsMatch(path, pattern));
        }

        Assert.Contains("/admin/jobs", paths);
        Assert.Contains("/queues/escalated", paths);
    }
}
