namespace Governance.Api.Features.Reassessment;

public enum RunStatus { Queued, Running, Finished, Superseded }

/// <summary>A deployment a run passed over: deciding on it failed with <see cref="Error"/> (the exception's type and message; the log has the rest).</summary>
public sealed record RunFailure(Guid DeploymentId, string Error, DateTimeOffset At);

/// <summary>
/// One re-assessment of the deployments a change affects, done in the background in batches: its progress, so whoever
/// made the change can follow it. The business facts are the deployments' own events; this document is the
/// bookkeeping that lets a run resume where it stopped (<see cref="Cursor"/>) after a restart or on another replica.
/// </summary>
public sealed class ReassessmentRun
{
    /// <summary>Derived from what triggered it (<c>company-12</c>: the company stream at version 12), so a retry never starts it twice.</summary>
    public string Id { get; set; } = "";

    /// <summary>What changed: the trigger each deployment's assessment records (<c>company-rules-adopted</c>, <c>waiver-lapsed</c>, ...).</summary>
    public string Trigger { get; set; } = "";

    public RunStatus Status { get; set; }
    public Actor RequestedBy { get; set; } = Actor.System;
    public DateTimeOffset QueuedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>The company and catalog versions the run assessed against (those in force when it started).</summary>
    public long? CompanyVersion { get; set; }
    public string? CatalogVersion { get; set; }

    /// <summary>Deployments in scope when the run started (those registered while it runs are added as it reaches them).</summary>
    public int Total { get; set; }
    public int Done { get; set; }

    /// <summary>Deployments whose findings changed (a new assessment), of which <see cref="VerdictsChanged"/> changed verdict.</summary>
    public int Changed { get; set; }
    public int VerdictsChanged { get; set; }

    /// <summary>Approved deployments sent back to review.</summary>
    public int SentToReview { get; set; }

    /// <summary>
    /// Deployments the run could not re-assess because deciding on them failed (a defect, or a document damaged outside
    /// Governance): passed over so they hold up no other, each logged as an error. <see cref="Failures"/> names the first few.
    /// </summary>
    public int Failed { get; set; }
    public List<RunFailure> Failures { get; set; } = [];

    /// <summary>The last deployment done: the run resumes after it.</summary>
    public Guid? Cursor { get; set; }

    /// <summary>A later run that covers this one's scope (a second company change before this one started).</summary>
    public string? SupersededBy { get; set; }

    public static ReassessmentRun Queue(string id, string trigger, Actor by, DateTimeOffset at) =>
        new() { Id = id, Trigger = trigger, Status = RunStatus.Queued, RequestedBy = by, QueuedAt = at };

    /// <summary>This run after <paramref name="done"/> more deployments up to <paramref name="cursor"/>: a copy, stored with the events it counts.</summary>
    public ReassessmentRun Advanced(Guid cursor, int done, Reassessor.Tally tally)
    {
        var next = (ReassessmentRun)MemberwiseClone();
        (next.Cursor, next.Done) = (cursor, Done + done);
        (next.Changed, next.VerdictsChanged, next.SentToReview) = (Changed + tally.Changed, VerdictsChanged + tally.VerdictsChanged, SentToReview + tally.SentToReview);
        (next.Failed, next.Failures) = (Failed + tally.Failures.Count, [.. Failures.Concat(tally.Failures).Take(MaxFailuresNamed)]);
        return next;
    }

    /// <summary>The failures a run names; past these it counts them (the log has each one).</summary>
    public const int MaxFailuresNamed = 20;

    public string Href => $"/reassessments/{Id}";
}
