namespace Versana.Sdk.Ledger.Storage;

/// <summary>
/// A block of credits held for one process, which serves reservations from it locally (lease mode); mutated
/// only by <see cref="WorkspaceAccount.Apply(in LedgerEntryValue)"/>.
/// </summary>
internal sealed class CreditLease
{
    public required string Id { get; init; }

    /// <summary>Gets the billing period the lease's monthly credits belong to.</summary>
    public required DateTimeOffset PeriodStart { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Gets the credits still held, per bucket, in spending order (monthly first, then boost packs).</summary>
    public List<CreditPart> Parts { get; } = [];

    public long Held
    {
        get
        {
            long held = 0;
            foreach (var part in Parts)
            {
                held += part.Credits;
            }

            return held;
        }
    }

    public static CreditLease FromSnapshot(LeaseSnapshot snapshot)
    {
        var lease = new CreditLease { Id = snapshot.Id, PeriodStart = snapshot.PeriodStart, CreatedAt = snapshot.CreatedAt, ExpiresAt = snapshot.ExpiresAt };
        lease.Parts.AddRange(snapshot.Parts);
        return lease;
    }

    public LeaseSnapshot ToSnapshot() => new(Id, PeriodStart, CreatedAt, ExpiresAt, [.. Parts]);

    /// <summary>Adds held credits, keeping one part per bucket in the order the buckets were first taken.</summary>
    public void Add(IEnumerable<CreditPart> parts)
    {
        foreach (var part in parts)
        {
            var index = Parts.FindIndex(p => string.Equals(p.Bucket, part.Bucket, StringComparison.Ordinal));
            if (index < 0)
            {
                Parts.Add(part);
            }
            else
            {
                Parts[index] = Parts[index] with { Credits = Parts[index].Credits + part.Credits };
            }
        }
    }

    /// <summary>Takes charged credits out of the held parts (the charge's parts were split from them).</summary>
    public void Remove(IEnumerable<CreditPart> parts)
    {
        foreach (var part in parts)
        {
            var index = Parts.FindIndex(p => string.Equals(p.Bucket, part.Bucket, StringComparison.Ordinal));
            var left = Parts[index].Credits - part.Credits;
            if (left == 0)
            {
                Parts.RemoveAt(index);
            }
            else
            {
                Parts[index] = Parts[index] with { Credits = left };
            }
        }
    }
}

/// <summary>The stored state of one lease.</summary>
internal sealed record LeaseSnapshot(string Id, DateTimeOffset PeriodStart, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, CreditPart[] Parts);
