namespace Switchboard.Routing.Topics;

/// <summary>Topic publish/subscribe inside the silo (<c>queue/billing</c>, <c>team/t7</c>, <c>center</c>).</summary>
public interface ITopicHub
{
    /// <summary>The topic named <paramref name="name"/>, carrying values of <typeparamref name="T"/>; created on first use.</summary>
    ITopic<T> GetTopic<T>(string name);
}
