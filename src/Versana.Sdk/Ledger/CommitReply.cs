namespace Versana.Sdk;

/// <summary>
/// A <see cref="CommitResult"/> as the credit guard takes it from the ledger: what was charged and given back, and the
/// balance; no reply object, and no reservation record (the guard already has the reservation).
/// </summary>
/// <param name="Charged">The credits charged.</param>
/// <param name="Returned">The held credits given back because the action cost less than reserved.</param>
/// <param name="Balance">The balance right after the commit.</param>
internal readonly record struct CommitReply(long Charged, long Returned, BalanceSnapshot Balance)
{
    public static CommitReply From(CommitResult result) => new(result.Charged, result.Returned, BalanceSnapshot.Of(result.Balance));
}
