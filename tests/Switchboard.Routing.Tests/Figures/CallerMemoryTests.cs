using Switchboard.Routing.Figures;

namespace Switchboard.Routing.Tests.Figures;

/// <summary>The repeat-call figure's memory of callers: exact for every caller number, whatever its form.</summary>
public sealed class CallerMemoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Numbers_that_differ_only_by_a_plus_or_leading_zeros_are_different_callers()
    {
        string[] callers = ["+4930123456", "4930123456", "04930123456", "004930123456", "+04930123456", "0", "00", "+0", "+999999999999999", "999999999999999"];

        var keys = callers.Select(c => CallerMemory.TryPack(c, out var key) ? key : throw new InvalidOperationException(c)).ToList();

        Assert.Equal(callers.Length, keys.Distinct().Count());
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("sip:alice@example.com")]
    [InlineData("+49 30 123456")]
    [InlineData("+")]
    [InlineData("")]
    [InlineData("1234567890123456")]
    [InlineData("++491")]
    [InlineData("+٤٩٣")]
    public void Anything_but_a_plain_number_of_at_most_15_digits_is_kept_as_text(string caller) =>
        Assert.False(CallerMemory.TryPack(caller, out _));

    [Fact]
    public void A_caller_is_recognised_by_the_exact_number_or_text_it_called_from()
    {
        var memory = new CallerMemory();

        Assert.Null(memory.Record("+4930123456", T0));
        Assert.Null(memory.Record("anonymous", T0));
        Assert.Null(memory.Record("4930123456", T0.AddMinutes(1)));
        Assert.Equal(T0, memory.Record("+4930123456", T0.AddMinutes(2)));
        Assert.Equal(T0, memory.Record("anonymous", T0.AddMinutes(3)));
        Assert.Equal(T0.AddMinutes(2), memory.Record("+4930123456", T0.AddMinutes(4)));
        Assert.Equal(3, memory.Count);
    }

    [Fact]
    public void Forgetting_drops_only_the_callers_whose_last_call_is_older_than_the_limit()
    {
        var memory = new CallerMemory();
        memory.Record("+111", T0);
        memory.Record("+222", T0.AddHours(1));
        memory.Record("sip:old@x", T0);
        memory.Record("sip:new@x", T0.AddHours(2));

        memory.ForgetBefore(T0.AddHours(1));

        Assert.Equal(2, memory.Count);
        Assert.Null(memory.Record("+111", T0.AddHours(3)));
        Assert.Equal(T0.AddHours(1), memory.Record("+222", T0.AddHours(3)));
        Assert.Null(memory.Record("sip:old@x", T0.AddHours(3)));
        Assert.Equal(T0.AddHours(2), memory.Record("sip:new@x", T0.AddHours(3)));
    }
}
