using Switchboard.LoadTests.Benchmarks;

namespace Switchboard.Routing.Tests.Simulation;

/// <summary>The benchmarks' header names the file system their store lies on (tmpfs flushes nothing).</summary>
public sealed class DataFolderTests
{
    private const string Mounts = """
        /dev/vda / ext4 rw,relatime 0 0
        proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
        tmpfs /dev/shm tmpfs rw,nosuid,nodev 0 0
        /dev/vdb /work ext4 rw,relatime 0 0
        /dev/vdc /work/my\040data xfs rw,relatime 0 0
        tmpfs /tmp tmpfs rw 0 0
        overlay /tmp overlay rw 0 0
        """;

    [Theory]
    [InlineData("/dev/shm", "tmpfs")]
    [InlineData("/dev/shm/switchboard-routing-bench-1", "tmpfs")]
    [InlineData("/dev/shmem", "ext4")]
    [InlineData("/work/main", "ext4")]
    [InlineData("/work/my data/bench", "xfs")]
    [InlineData("/var/tmp", "ext4")]
    public void A_path_lies_on_the_longest_mount_point_that_contains_it(string path, string type) =>
        Assert.Equal(type, DataFolder.FileSystemOf(path, Mounts));

    [Fact]
    public void Of_two_mounts_on_one_point_the_later_one_is_what_a_path_reaches() =>
        Assert.Equal("overlay", DataFolder.FileSystemOf("/tmp/x", Mounts));

    [Fact]
    public void Without_a_mount_that_contains_the_path_there_is_no_type() =>
        Assert.Null(DataFolder.FileSystemOf("/srv/data", "tmpfs /dev/shm tmpfs rw 0 0\n"));

    [Fact]
    public async Task Routing_bench_refuses_a_data_folder_that_does_not_exist()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await RoutingBenchmarkCommand.RunAsync(["--data-dir", "/no/such/folder"], output, error);

        Assert.Equal(2, code);
        Assert.Equal("error: --data-dir: '/no/such/folder' is not an existing folder" + Environment.NewLine, error.ToString());
        Assert.Equal("", output.ToString());
    }
}
