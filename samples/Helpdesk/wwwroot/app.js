// The Helpdesk page: AI buttons call endpoints guarded by the credit middleware; free actions never spend credits.
(() => {
  'use strict';
  const inbox = document.getElementById('inbox');
  const template = document.getElementById('ticket');
  const number = new Intl.NumberFormat();

  const post = (url, body) => fetch(url, {
    method: 'POST',
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });

  async function refreshBalance() {
    const balance = await (await fetch('/api/workspace')).json();
    document.getElementById('balance').textContent = number.format(balance.available);
    document.getElementById('automation').checked = balance.automationEnabled;
  }

  function showBalanceHeader(response) {
    const available = response.headers.get('Versana-Credits-Available');
    if (available !== null) document.getElementById('balance').textContent = number.format(Number(available));
  }

  function showPaused(problem) {
    document.getElementById('paused').hidden = false;
    const when = problem.resumesAt ? ` It resumes on ${new Date(problem.resumesAt).toLocaleString()} when the pool refreshes.` : '';
    const packs = (problem.boostPackSizes || []).map(s => number.format(s)).join(', ');
    document.getElementById('paused-text').textContent = `${problem.detail}${when}${packs ? ` Boost packs: ${packs} credits.` : ''}`;
  }

  function describe(action, body) {
    switch (action) {
      case 'summary': return `Summary: ${body.text}`;
      case 'reply-suggestion': return `Suggested reply (review before sending):\n${body.text}`;
      case 'classification': return `Intent: ${body.intent}, sentiment: ${body.sentiment}, priority: ${body.priority}`;
      case 'automated-response': return body.handOffToAgent ? `Handed to an agent: ${body.text}` : `Sent automatically: ${body.text}`;
      default: return '';
    }
  }

  async function run(ticket, action, article) {
    const result = article.querySelector('.ai-result');
    const free = action === 'assign' || action === 'replies';
    const body = action === 'assign' ? { agent: 'you' } : action === 'replies' ? { text: article.querySelector('.reply-text').value } : undefined;
    const response = await post(`/api/conversations/${ticket.id}/${action}`, body);
    showBalanceHeader(response);
    const payload = await response.json().catch(() => ({}));
    if (free) {
      if (response.ok) renderTicket(payload, article);
      return;
    }

    result.hidden = false;
    if (response.ok) {
      result.classList.remove('error');
      result.textContent = describe(action, payload);
      document.getElementById('paused').hidden = true;
      if (action === 'automated-response') load();
    } else {
      result.classList.add('error');
      result.textContent = payload.detail || payload.title || `Error ${response.status}`;
      if (response.status === 402) showPaused(payload);
    }
  }

  function renderTicket(ticket, article) {
    article.dataset.ticket = ticket.id;
    article.querySelector('h2').textContent = ticket.subject;
    article.querySelector('.meta').textContent = `${ticket.customer} · ${ticket.assignee ? 'assigned to ' + ticket.assignee : 'unassigned'}`;
    article.querySelector('.messages').replaceChildren(...ticket.messages.map(m => {
      const item = document.createElement('li');
      item.className = m.fromCustomer ? 'customer' : 'agent';
      item.textContent = `${m.author}: ${m.text}`;
      return item;
    }));
  }

  async function load() {
    const tickets = await (await fetch('/api/conversations')).json();
    inbox.replaceChildren(...tickets.map(ticket => {
      const article = template.content.firstElementChild.cloneNode(true);
      renderTicket(ticket, article);
      for (const button of article.querySelectorAll('button[data-action]')) {
        button.addEventListener('click', () => run(ticket, button.dataset.action, article));
      }
      return article;
    }));
  }

  document.getElementById('automation').addEventListener('change', async e => {
    await post('/api/workspace/automation', { enabled: e.target.checked });
    await refreshBalance();
  });

  load();
  refreshBalance();
})();
