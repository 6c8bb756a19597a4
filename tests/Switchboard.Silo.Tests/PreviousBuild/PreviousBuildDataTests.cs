using System.Text.Json;
using Switchboard.Routing.Configuration;
using Switchboard.Silo.Storage.PreviousBuild;
using Switchboard.Silo.Tests.Infrastructure;

namespace Switchboard.Silo.Tests.PreviousBuild;

public sealed class PreviousBuildDataTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_folder_of_the_previous_build_is_recognised_and_an_empty_or_new_one_is_not()
    {
        Assert.False(PreviousBuildData.IsPreviousBuild(_folder.Path));
        PreviousBuildFolder.Create(_folder.Path);
        Assert.True(PreviousBuildData.IsPreviousBuild(_folder.Path));
        var error = Assert.Throws<PreviousBuildDataException>(() => PreviousBuildData.ThrowIfPreviousBuild(_folder.Path));
        Assert.Equal(Path.GetFullPath(_folder.Path), error.DataDirectory);
    }

    [Fact]
    public async Task The_exported_center_file_loads_as_the_configuration_the_previous_build_held()
    {
        var file = PreviousBuildFolder.Create(_folder.Path);
        var before = await File.ReadAllBytesAsync(file);
        var outFile = _folder.File("exported/center.yaml");

        var export = await PreviousBuildData.ExportCenterAsync(_folder.Path, outFile);

        Assert.Equal((1L, 4, 6), (export.Version, export.Queues, export.Agents));
        Assert.Empty(export.Notes);
        var exported = CenterConfigurationLoader.Load(outFile);
        var original = CenterConfigurationLoader.Load(Path.Combine(AppContext.BaseDirectory, "PreviousBuild", "center.sample.yaml"));
        Assert.Equal(Canonical(original), Canonical(exported));
        Assert.Equal(before, await File.ReadAllBytesAsync(file));
        Assert.False(File.Exists(file + "-wal"));
    }

    [Fact]
    public async Task A_center_only_in_the_wal_of_a_killed_previous_build_is_exported_too()
    {
        using var scratch = new TempFolder();
        var file = PreviousBuildFolder.CreateKilled(_folder.Path, scratch.Path);
        Assert.True(new FileInfo(file + "-wal").Length > 0);
        Assert.True(PreviousBuildData.IsPreviousBuild(_folder.Path));

        var export = await PreviousBuildData.ExportCenterAsync(_folder.Path, _folder.File("center.yaml"));
        Assert.Equal(6, export.Agents);
        Assert.Equal(6, CenterConfigurationLoader.Load(export.File).Agents.Length);
    }

    [Fact]
    public async Task The_export_never_overwrites_a_file_that_exists()
    {
        PreviousBuildFolder.Create(_folder.Path);
        var outFile = _folder.File("center.yaml");
        await File.WriteAllTextAsync(outFile, "# mine");

        var error = await Assert.ThrowsAsync<IOException>(() => PreviousBuildData.ExportCenterAsync(_folder.Path, outFile));
        Assert.Contains("does not overwrite", error.Message);
        Assert.Equal("# mine", await File.ReadAllTextAsync(outFile));
    }

    [Fact]
    public async Task A_folder_without_the_previous_build_has_nothing_to_export()
    {
        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => PreviousBuildData.ExportCenterAsync(_folder.Path, _folder.File("center.yaml")));
        Assert.Contains(Path.GetFullPath(_folder.Path), error.Message);
    }

    // The configuration as JSON with every collection in a fixed order, so two loads of the same center compare equal.
    private static string Canonical(CenterConfiguration configuration) =>
        Sort(JsonSerializer.SerializeToNode(configuration)!).ToJsonString();

    private static System.Text.Json.Nodes.JsonNode Sort(System.Text.Json.Nodes.JsonNode node) => node switch
    {
        System.Text.Json.Nodes.JsonObject o => new System.Text.Json.Nodes.JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : Sort(p.Value.DeepClone())))),
        _ => node.DeepClone(),
    };
}
