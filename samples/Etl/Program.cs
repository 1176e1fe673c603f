// The ETL flow of the quick start: plain C# methods; the source generator makes each call of a [Flow] or [FlowTask]
// method an orchestrated run. With no ORLEANSFLOW_API_URL the run goes to an in-process server on
// ~/.orleansflow/orleansflow.db; `orleansflow server start` shows it afterwards.
using OrleansFlow;

var result = Etl.EtlFlow();          // an orchestrated flow run, returning its value
Console.WriteLine($"Result: {result}");

public record Data(int Users, int Events, int Total = 0);

public static class Etl
{
    [FlowTask(Retries = 3, RetryDelaySeconds = 1)]
    public static Data ExtractData() => new(Users: 100, Events: 1000);

    [FlowTask]
    public static Data TransformData(Data d) => d with { Total = d.Users + d.Events };

    [FlowTask]
    public static void LoadData(Data d) => Console.WriteLine($"Loading data: {d}");

    [Flow(Name = "ETL Pipeline")]
    public static Data EtlFlow()
    {
        var raw = ExtractData();
        var transformed = TransformData(raw);
        LoadData(transformed);
        return transformed;
    }
}
