using DonorRegistry.Workflows.Persistence;
using FluentAssertions;
using LiteDB;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace DonorRegistry.Workflows.Tests.Persistence;

/// <summary>WorkflowCore's event, delay, saga and retry scenarios, end to end on a real host with the LiteDB store in a file.</summary>
public sealed class ScenarioTests
{
    private string _folder = null!;
    private LiteDatabase _db = null!;
    private ServiceProvider _services = null!;
    private IWorkflowHost _host = null!;
    private LiteDbPersistenceProvider _store = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = Directory.CreateTempSubdirectory("wf-scenarios-").FullName;
        _db = new LiteDatabase(new ConnectionString { Filename = Path.Combine(_folder, "wf.db") }) { UtcDate = true };
        _store = new LiteDbPersistenceProvider(_db);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(new ExecutionLog(_db, TimeProvider.System));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ExecutionLogMiddleware>();
        services.AddWorkflow(o =>
        {
            o.UsePersistence(_ => _store);
            o.UsePollInterval(TimeSpan.FromMilliseconds(100));
            o.UseErrorRetryInterval(TimeSpan.FromMilliseconds(50));
        });
        services.AddWorkflowStepMiddleware(sp => sp.GetRequiredService<ExecutionLogMiddleware>());
        _services = services.BuildServiceProvider();
        _host = _services.GetRequiredService<IWorkflowHost>();
        _host.RegisterWorkflow<EventWorkflow, ScenarioData>();
        _host.RegisterWorkflow<DelayWorkflow, ScenarioData>();
        _host.RegisterWorkflow<SagaWorkflow, ScenarioData>();
        _host.RegisterWorkflow<RetryWorkflow, ScenarioData>();
        _host.Start();
    }

    [TearDown]
    public void TearDown()
    {
        _host.Stop();
        _services.Dispose();
        _store.Dispose();
        _db.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    public sealed class ScenarioData
    {
        public string Key { get; set; } = string.Empty;

        public string? Received { get; set; }

        public List<string> Trail { get; set; } = [];

        public int Attempts { get; set; }
    }

    private sealed class EventWorkflow : IWorkflow<ScenarioData>
    {
        public string Id => "event";

        public int Version => 1;

        public void Build(IWorkflowBuilder<ScenarioData> builder) => builder
            .StartWith(_ => ExecutionResult.Next())
            .WaitFor("Ping", d => d.Key).Output(d => d.Received, s => s.EventData)
            .Then(_ => ExecutionResult.Next());
    }

    private sealed class DelayWorkflow : IWorkflow<ScenarioData>
    {
        public string Id => "delay";

        public int Version => 1;

        public void Build(IWorkflowBuilder<ScenarioData> builder) => builder
            .StartWith(c => { ((ScenarioData)c.Workflow.Data).Trail.Add("before"); return ExecutionResult.Next(); })
            .Delay(_ => TimeSpan.FromMilliseconds(300))
            .Then(c => { ((ScenarioData)c.Workflow.Data).Trail.Add("after"); return ExecutionResult.Next(); });
    }

    private sealed class SagaWorkflow : IWorkflow<ScenarioData>
    {
        public string Id => "saga";

        public int Version => 1;

        public void Build(IWorkflowBuilder<ScenarioData> builder) => builder
            .StartWith(_ => ExecutionResult.Next())
            .Saga(saga => saga
                .StartWith(c => { ((ScenarioData)c.Workflow.Data).Trail.Add("reserve"); return ExecutionResult.Next(); })
                    .CompensateWith(c => { ((ScenarioData)c.Workflow.Data).Trail.Add("release"); return ExecutionResult.Next(); })
                .Then(_ => throw new InvalidOperationException("courier lost the box")))
            .Then(c => { ((ScenarioData)c.Workflow.Data).Trail.Add("after saga"); return ExecutionResult.Next(); });
    }

    private sealed class RetryWorkflow : IWorkflow<ScenarioData>
    {
        public string Id => "retry";

        public int Version => 1;

        public void Build(IWorkflowBuilder<ScenarioData> builder) => builder
            .StartWith(c =>
            {
                var data = (ScenarioData)c.Workflow.Data;
                data.Attempts++;
                return data.Attempts < 3 ? throw new InvalidOperationException($"lab system down (attempt {data.Attempts})") : ExecutionResult.Next();
            }).Name("Call lab");
    }

    private async Task<WorkflowInstance> Completed(string id)
    {
        // WorkflowCompleted is raised before the instance is saved: poll the store.
        for (var i = 0; i < 500; i++)
        {
            var instance = await _store.GetWorkflowInstance(id);
            if (instance.Status == WorkflowStatus.Complete)
            {
                return instance;
            }

            await Task.Delay(20);
        }

        Assert.Fail($"Workflow {id} did not complete in 10 s.");
        return null!;
    }

    [Test]
    public async Task Event_PublishedWhileWaiting_CompletesTheWorkflowWithItsData()
    {
        var id = await _host.StartWorkflow("event", new ScenarioData { Key = "PKU" });
        await Task.Delay(200);

        await _host.PublishEvent("Ping", "PKU", "pong");

        var done = await Completed(id);
        ((ScenarioData)done.Data).Received.Should().Be("pong");
        (await _store.GetEvents("Ping", "PKU", DateTime.MinValue)).Should().ContainSingle();
    }

    [Test]
    public async Task Event_PublishedBeforeTheWorkflowWaits_IsStillDelivered()
    {
        await _host.PublishEvent("Ping", "THU", "early");
        var id = await _host.StartWorkflow("event", new ScenarioData { Key = "THU" });

        var done = await Completed(id);
        ((ScenarioData)done.Data).Received.Should().Be("early");
    }

    [Test]
    public async Task Delay_SleepsThenGoesOn()
    {
        var id = await _host.StartWorkflow("delay", new ScenarioData());

        var done = await Completed(id);

        ((ScenarioData)done.Data).Trail.Should().Equal("before", "after");
        done.ExecutionPointers.Should().Contain(p => p.SleepUntil != null);
    }

    [Test]
    public async Task Saga_AFailingStep_RunsTheCompensation()
    {
        var id = await _host.StartWorkflow("saga", new ScenarioData());

        var done = await Completed(id);

        ((ScenarioData)done.Data).Trail.Should().StartWith(["reserve", "release"], "the failed saga is compensated, and its state survives the store's round trips");
        _store.FindErrors(id).Should().ContainSingle().Which.Message.Should().Contain("courier lost the box");
    }

    [Test]
    public async Task FailingStep_IsRetried_AndEachFailureIsStoredAndInTheExecutionLog()
    {
        var id = await _host.StartWorkflow("retry", new ScenarioData(), "DRIVE-X");

        var done = await Completed(id);

        ((ScenarioData)done.Data).Attempts.Should().Be(3);
        _store.FindErrors(id).Select(e => e.Message).Should().HaveCount(2).And.Contain(m => m.Contains("attempt 1"));
        var log = _services.GetRequiredService<ExecutionLog>().For("DRIVE-X");
        log.Where(r => r.Step == "Call lab").Select(r => r.Outcome).Should().Equal(StepOutcome.Failed, StepOutcome.Failed, StepOutcome.Completed);
        log.First().Detail.Should().Contain("lab system down (attempt 1)");
    }
}
