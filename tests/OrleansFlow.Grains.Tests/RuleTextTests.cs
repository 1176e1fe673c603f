using OrleansFlow.Grains.States;

namespace OrleansFlow.Grains.Tests;

public sealed class RuleTextTests
{
    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.4, 0)]
    [InlineData(0.5, 0)]
    [InlineData(0.500001, 1)]
    [InlineData(0.98, 1)]
    [InlineData(1.5, 1)]
    [InlineData(2.5, 2)]
    [InlineData(90.2, 90)]
    [InlineData(-0.7, -1)]
    [InlineData(-3.2, -3)]
    public void SecondsUntil_Fractions_RoundLikePrefect(double secondsAhead, int expected)
    {
        var scheduled = At.Now.AddTicks((long)Math.Round(secondsAhead * TimeSpan.TicksPerSecond));

        Assert.Equal(expected, RuleText.SecondsUntil(scheduled, At.Now));
    }

    [Theory]
    [InlineData("""{"type": "reference", "storage_key": "k"}""", true)]
    [InlineData("""{"type": "unpersisted"}""", false)]
    [InlineData("""{"value": 1}""", true)]
    [InlineData("42", true)]
    [InlineData("null", false)]
    public void HasPersistedResult_Data_DecidesByResultType(string data, bool expected)
    {
        Assert.Equal(expected, Make.State(StateType.Completed, data: Make.Json(data)).HasPersistedResult());
    }

    [Fact]
    public void HasPersistedResult_NoData_IsFalse()
    {
        Assert.False(Make.State(StateType.Completed).HasPersistedResult());
    }

    [Fact]
    public void WireName_StateType_IsUpperCase()
    {
        Assert.Equal("CANCELLING", StateType.Cancelling.WireName());
    }
}
