using System.Text.Json.Serialization;

namespace Switchboard.Routing.Adapters;

/// <summary>What an <see cref="AdapterInstruction"/> asks the adapter to do; one subtype per action of the proto's oneof.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(RingAgent), "ring-agent")]
[JsonDerivedType(typeof(BridgeToAgent), "bridge")]
[JsonDerivedType(typeof(CancelRing), "cancel-ring")]
[JsonDerivedType(typeof(PlayPosition), "play-position")]
[JsonDerivedType(typeof(OverflowCall), "overflow")]
[JsonDerivedType(typeof(SendToVoicemail), "voicemail")]
[JsonDerivedType(typeof(OfferCallback), "offer-callback")]
[JsonDerivedType(typeof(PlaceCallback), "place-callback")]
[JsonDerivedType(typeof(RequeueCall), "requeue")]
[JsonDerivedType(typeof(HoldCaller), "hold")]
[JsonDerivedType(typeof(ResumeCaller), "resume")]
[GenerateSerializer, Immutable, Alias("sb.InstructionAction")]
public abstract record InstructionAction;
