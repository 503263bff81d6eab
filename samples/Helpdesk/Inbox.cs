using System.Collections.Concurrent;
using Versana.Sdk;

namespace Helpdesk;

/// <summary>A ticket in the demo inbox; the AI features read it as a <see cref="Conversation"/>.</summary>
internal sealed record Ticket(string Id, string Subject, string Customer, IReadOnlyList<ConversationMessage> Messages, string? Assignee)
{
    public Conversation AsConversation() => new(Id, Messages);
}

/// <summary>The demo inbox, in memory: assigning and replying by hand are the free actions.</summary>
internal sealed class Inbox
{
    private readonly ConcurrentDictionary<string, Ticket> _tickets = new(StringComparer.Ordinal);

    public Inbox()
    {
        Add("t-1001", "Charged twice for November", "Dana Whitfield",
            ("I was charged twice for my November invoice. Please refund the duplicate payment today, this is urgent.", true));
        Add("t-1002", "Cannot log in after password reset", "Luis Ortega",
            ("Hi, I reset my password but the login page keeps saying my password is wrong.", true),
            ("Sorry about that! Could you try clearing your browser cache and logging in again?", false),
            ("Still broken after clearing the cache. I can't access any of my reports.", true));
        Add("t-1003", "Love the new reports", "Priya Natarajan",
            ("Just wanted to say the new reporting page is great, thank you! Is there a way to export to CSV?", true));
        Add("t-1004", "Cancel my subscription", "Tom Becker",
            ("Please cancel my subscription at the end of this month. The app is too slow for our team.", true));
        Add("t-1005", "Where is my order?", "Mei Chen",
            ("My order #4471 was supposed to arrive on Monday and tracking has not updated in five days.", true));
    }

    public IEnumerable<Ticket> All => _tickets.Values.OrderBy(t => t.Id, StringComparer.Ordinal);

    public Ticket? Find(string id) => _tickets.GetValueOrDefault(id);

    public Ticket? Assign(string id, string agent) => Update(id, t => t with { Assignee = agent });

    public Ticket? Reply(string id, string text) => Update(id, t => t with { Messages = [.. t.Messages, new ConversationMessage("agent", text, FromCustomer: false)] });

    private Ticket? Update(string id, Func<Ticket, Ticket> change)
    {
        while (_tickets.TryGetValue(id, out var current))
        {
            if (_tickets.TryUpdate(id, change(current), current))
            {
                return _tickets[id];
            }
        }

        return null;
    }

    private void Add(string id, string subject, string customer, params (string Text, bool FromCustomer)[] messages)
        => _tickets[id] = new Ticket(id, subject, customer, [.. messages.Select(m => new ConversationMessage(m.FromCustomer ? customer : "agent", m.Text, m.FromCustomer))], null);
}
