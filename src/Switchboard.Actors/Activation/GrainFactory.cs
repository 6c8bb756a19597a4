using System.Globalization;

namespace Switchboard.Actors.Activation;

/// <summary>Hands out grain references for this silo's runtime.</summary>
internal sealed class GrainFactory(GrainRuntime runtime) : IGrainFactory
{
    public TGrainInterface GetGrain<TGrainInterface>(string primaryKey) where TGrainInterface : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(primaryKey);
        return Create<TGrainInterface>(primaryKey);
    }

    public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey) where TGrainInterface : IGrainWithGuidKey =>
        Create<TGrainInterface>(primaryKey.ToString("N"));

    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey) where TGrainInterface : IGrainWithIntegerKey =>
        Create<TGrainInterface>(primaryKey.ToString(CultureInfo.InvariantCulture));

    private TGrainInterface Create<TGrainInterface>(string key)
    {
        var grainInterface = runtime.Types.GetInterface(typeof(TGrainInterface));
        var grainId = new GrainId(grainInterface.GrainClass.TypeName, key);
        return (TGrainInterface)(object)grainInterface.CreateReference(runtime, grainId);
    }
}
