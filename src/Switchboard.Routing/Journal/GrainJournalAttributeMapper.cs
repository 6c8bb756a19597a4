using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Routing.Journal;

/// <summary>Makes the <see cref="IGrainJournal"/> of each activation whose constructor asks for one with <see cref="GrainJournalAttribute"/>.</summary>
internal sealed class GrainJournalAttributeMapper : IAttributeToFactoryMapper<GrainJournalAttribute>
{
    public Factory<IGrainContext, object> GetFactory(ParameterInfo parameter, GrainJournalAttribute metadata)
    {
        if (parameter.ParameterType != typeof(IGrainJournal))
        {
            throw new ArgumentException(
                $"Parameter '{parameter.Name}' of {parameter.Member.DeclaringType} is marked [GrainJournal] but is a {parameter.ParameterType}; it must be an {nameof(IGrainJournal)}.",
                parameter.Name);
        }

        return static context => new GrainJournal(context, context.ActivationServices.GetRequiredService<IEventJournal>());
    }
}
