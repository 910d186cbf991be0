using DonorRegistry.Storage;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Storage;

/// <summary>Group commit in <see cref="CommitFlusher"/>, with a log whose flush the test holds open.</summary>
public sealed class CommitFlusherTests
{
    [Test]
    public void ALoneWriter_FlushesEachCommitAtOnce_WithoutWaitingForOthers()
    {
        using var log = new HeldLog();
        var flusher = new CommitFlusher(log, "registry.db");
        log.Release();

        for (var i = 0; i < 5; i++)
        {
            var commit = flusher.Committed();
            var waited = System.Diagnostics.Stopwatch.StartNew();
            flusher.WaitUntilDurable(commit);
            waited.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1), "no other writer was covered by the last flush");
        }

        flusher.Flushes.Should().Be(5);
    }

    [Test]
    public void TheFirstWaiter_WaitsForAWriterTheLastFlushCovered_SoOneFlushCoversBoth()
    {
        using var log = new HeldLog();
        var flusher = new CommitFlusher(log, "registry.db");
        using var secondCommitted = new ManualResetEventSlim();
        using var secondMayCommitAgain = new ManualResetEventSlim();

        using var firstCommitted = new ManualResetEventSlim();

        // Flush 1 covers both writers: the first commits, then the second (in that order, whatever the scheduler does),
        // and whichever leads the flush, both commits are in it.
        var first = new Thread(() =>
        {
            var commit = flusher.Committed();
            firstCommitted.Set();
            secondCommitted.Wait();
            flusher.WaitUntilDurable(commit);

            // Flush 2: this writer commits again and leads; the second has not committed again yet.
            commit = flusher.Committed();
            secondMayCommitAgain.Set();
            flusher.WaitUntilDurable(commit);
        });
        var second = new Thread(() =>
        {
            firstCommitted.Wait();
            var commit = flusher.Committed();
            secondCommitted.Set();
            flusher.WaitUntilDurable(commit);
            secondMayCommitAgain.Wait();
            Thread.Sleep(20); // well within the second the last flush took
            commit = flusher.Committed();
            flusher.WaitUntilDurable(commit);
        });

        log.HoldEachFlush(TimeSpan.FromSeconds(1)); // a long flush, so a loaded machine's scheduling stays within its window
        first.Start();
        second.Start();
        first.Join(TimeSpan.FromSeconds(20)).Should().BeTrue();
        second.Join(TimeSpan.FromSeconds(20)).Should().BeTrue();

        flusher.Flushes.Should().Be(2, "the second flush waited for the writer the first one covered");
    }

    /// <summary>A log whose flush takes as long as the test says.</summary>
    private sealed class HeldLog : MemoryStream
    {
        private TimeSpan _hold;

        public void Release() => _hold = TimeSpan.Zero;

        public void HoldEachFlush(TimeSpan hold) => _hold = hold;

        public override void Flush()
        {
            if (_hold > TimeSpan.Zero)
            {
                Thread.Sleep(_hold);
            }
        }
    }
}
