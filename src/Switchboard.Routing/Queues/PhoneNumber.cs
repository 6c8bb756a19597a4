using System.Text.RegularExpressions;

namespace Switchboard.Routing.Queues;

/// <summary>External numbers a queue may send calls to: E.164, a plus and 7 to 15 digits, the first not 0.</summary>
public static partial class PhoneNumber
{
    public static bool IsE164(string? number) => number is not null && E164().IsMatch(number);

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$", RegexOptions.CultureInvariant)]
    private static partial Regex E164();
}
