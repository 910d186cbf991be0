using System.Reflection;
using LiteDB;
using LiteDB.Engine;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>
/// A LiteDB 5 transaction whose rollback failed (the disk failed under the commit, or the file is damaged) stays
/// open in the engine. LiteDB gives the transaction a finalizer that rolls it back once the thread that held it has
/// ended; that finalizer touches page buffers the engine may already have released, throws on the finalizer thread,
/// and so ends the host process, long after the failure was reported (LiteDB issues 2828 and 2574; fixed only in the
/// 6.x prereleases, which the feed does not serve). The write that failed has already been reported and the
/// registry refuses further writes after a failed commit, so the transaction's rollback has nothing left to do:
/// its finalizer is suppressed. LiteDB's engine is read through its internal members of 5.0.21, which the
/// project pins; if they are not there, nothing is done.
/// </summary>
internal static class AbandonedTransaction
{
    private const BindingFlags Members = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    private static readonly FieldInfo? Engine = typeof(LiteDatabase).GetField("_engine", Members);

    private static readonly FieldInfo? Monitor = typeof(LiteEngine).GetField("_monitor", Members);

    private static readonly MethodInfo? ThreadTransaction = Monitor?.FieldType.GetMethod("GetThreadTransaction", Members);

    private static readonly FieldInfo? OpenTransactions = Monitor?.FieldType.GetField("_transactions", Members);

    /// <summary>Whether LiteDB's members this class reads are present (a test checks it, so a LiteDB upgrade cannot silently undo it).</summary>
    internal static bool CanReachTheEngine => Engine is not null && Monitor is not null && ThreadTransaction is not null && OpenTransactions is not null;

    /// <summary>Suppresses the finalizer of this thread's open transaction on <paramref name="database"/>, if it has one.</summary>
    /// <returns>Whether there was one.</returns>
    public static bool Forget(LiteDatabase database)
    {
        if (TransactionMonitor(database) is not { } monitor || ThreadTransaction?.Invoke(monitor, null) is not { } transaction)
        {
            return false;
        }

        GC.SuppressFinalize(transaction);
        return true;
    }

    /// <summary>Suppresses the finalizers of every transaction still open on <paramref name="database"/>, on any thread (before it is closed).</summary>
    public static void ForgetAll(LiteDatabase database)
    {
        if (TransactionMonitor(database) is not { } monitor || OpenTransactions?.GetValue(monitor) is not System.Collections.IDictionary open)
        {
            return;
        }

        lock (open)
        {
            foreach (var transaction in open.Values)
            {
                GC.SuppressFinalize(transaction);
            }
        }
    }

    private static object? TransactionMonitor(LiteDatabase database) =>
        Engine?.GetValue(database) switch
        {
            GatedEngine { Inner: LiteEngine engine } => Monitor?.GetValue(engine),
            LiteEngine engine => Monitor?.GetValue(engine),
            _ => null,
        };
}
