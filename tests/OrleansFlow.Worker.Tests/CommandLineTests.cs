namespace OrleansFlow.Worker.Tests;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData("dotnet MyFlows.dll", new[] { "dotnet", "MyFlows.dll" })]
    [InlineData("  sh   -c 'exit 3' ", new[] { "sh", "-c", "exit 3" })]
    [InlineData("echo \"a \\\"b\\\" c\" d\\ e", new[] { "echo", "a \"b\" c", "d e" })]
    [InlineData("x''y \"\"", new[] { "xy", "" })]
    public void Split_QuotesAndEscapes_AsAPosixShell(string command, string[] expected) =>
        Assert.Equal(expected, CommandLine.Split(command));

    [Fact]
    public void Split_UnclosedQuote_Throws() => Assert.Throws<FormatException>(() => CommandLine.Split("sh -c 'exit"));
}
