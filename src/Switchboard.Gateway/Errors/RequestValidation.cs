using Grpc.Core;

namespace Switchboard.Gateway.Errors;

/// <summary>Checks of request fields, each failing with INVALID_ARGUMENT that names the field and the value.</summary>
internal static class RequestValidation
{
    /// <summary>An administrator-chosen id: 1-64 of <c>A-Z a-z 0-9 . _ -</c>.</summary>
    public static string Id(string? value, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw Invalid($"{field} is required");
        }
        if (value.Length > 64)
        {
            throw Invalid($"{field} '{value[..16]}...' is longer than 64 characters");
        }
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                throw Invalid($"{field} '{value}' has a character outside A-Z a-z 0-9 . _ -");
            }
        }
        return value;
    }

    /// <summary>A required free-form string of at most <paramref name="maxLength"/> characters.</summary>
    public static string Required(string? value, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw Invalid($"{field} is required");
        }
        return MaxLength(value, field, maxLength);
    }

    /// <summary>A string of at most <paramref name="maxLength"/> characters.</summary>
    public static string MaxLength(string value, string field, int maxLength)
    {
        if (value.Length > maxLength)
        {
            throw Invalid($"{field} is {value.Length} characters long; at most {maxLength} are allowed");
        }
        return value;
    }

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static int Range(int value, string field, int min, int max)
    {
        if (value < min || value > max)
        {
            throw Invalid($"{field} is {value}; it must be between {min} and {max}");
        }
        return value;
    }

    /// <summary>An opaque server id (call, offer, instruction): required, at most 256 characters.</summary>
    public static string ServerId(string? value, string field) => Required(value, field, 256);

    public static RpcException Invalid(string detail) => new(new Status(StatusCode.InvalidArgument, detail));

    public static RpcException FailedPrecondition(string detail) => new(new Status(StatusCode.FailedPrecondition, detail));

    public static RpcException NotFound(string detail) => new(new Status(StatusCode.NotFound, detail));
}
