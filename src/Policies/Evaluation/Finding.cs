namespace Governance.Policies.Evaluation;

public enum Severity { Blocking, Obligation, Info }

public enum Verdict { Compliant, Conditional, NonCompliant }

/// <summary>
/// One conclusion of the evaluator: what was found, how serious it is, which clause or company rule says so,
/// in words a lawyer would accept, and the facts it rests on (so an auditor can redo the reasoning).
/// </summary>
public sealed record Finding(
    string Code,
    Severity Severity,
    string ClauseId,
    string Message,
    IReadOnlyDictionary<string, string> Facts)
{
    public WaiverApplied? Waiver { get; init; }

    public bool IsOpenBlocking() => Severity == Severity.Blocking && Waiver is null;
}

/// <summary>A waiver in force on the assessment date, recorded on the finding it covers.</summary>
public sealed record WaiverApplied(DateOnly ExpiresOn, string Reason, string ApprovedBy);

public sealed record Assessment(Verdict Verdict, IReadOnlyList<Finding> Findings)
{
    /// <summary>
    /// <c>non_compliant</c> if any blocking finding stands unwaived, else <c>conditional</c> if any obligation applies
    /// (waived or not: a waived obligation is still owed once the waiver ends), else <c>compliant</c>.
    /// </summary>
    public static Verdict VerdictOf(IEnumerable<Finding> findings)
    {
        var list = findings as IReadOnlyCollection<Finding> ?? findings.ToList();
        if (list.Any(f => f.IsOpenBlocking())) return Verdict.NonCompliant;
        if (list.Any(f => f.Severity == Severity.Obligation || (f.Severity == Severity.Blocking && f.Waiver is not null)))
            return Verdict.Conditional;
        return Verdict.Compliant;
    }
}
