// The Versana usage dashboard: reads the workspace summary from the dashboard's JSON endpoint, draws it with
// Chart.js, and buys boost packs. No framework: the page is small and must work offline.
(() => {
  'use strict';
  const root = document.getElementById('dashboard');
  const base = location.pathname.endsWith('/') ? location.pathname.slice(0, -1) : location.pathname;
  const workspace = new URLSearchParams(location.search).get('workspace') || root.dataset.workspace;
  const number = new Intl.NumberFormat();
  const colors = { ReplySuggestion: '#3b5bdb', ConversationSummary: '#12b886', Classification: '#f59f00', AutomatedResponse: '#e64980' };
  const colorOf = (feature, i) => colors[feature] || ['#7048e8', '#1098ad', '#74b816', '#f76707'][i % 4];
  let trend, pool;

  const api = (path, init) => fetch(`${base}/api/workspaces/${encodeURIComponent(workspace)}${path}`, init);
  const text = (id, value) => { document.getElementById(id).textContent = value; };

  function days(from, to) {
    const out = [];
    for (let d = new Date(from + 'T00:00:00Z'); d <= new Date(to + 'T00:00:00Z'); d.setUTCDate(d.getUTCDate() + 1)) {
      out.push(d.toISOString().slice(0, 10));
    }
    return out;
  }

  function render(s) {
    const b = s.balance;
    text('workspace-name', `— ${b.workspaceId} (${b.plan})`);
    text('period', `Period ${s.usage.from} to the refresh on ${new Date(b.periodEnd).toLocaleString()} (${b.timeZoneId}); read ${new Date(b.asOf).toLocaleTimeString()}`);
    text('available', number.format(b.available));
    text('monthly-remaining', number.format(b.monthlyRemaining));
    text('allocation', ` of ${number.format(b.allocation)}`);
    text('boost-remaining', number.format(b.boostRemaining));
    text('held', number.format(b.held));

    const banner = document.getElementById('paused-banner');
    banner.hidden = !b.paused;
    if (b.paused) {
      banner.textContent = b.pauseReason === 'PlanExcludesAi'
        ? 'AI is off: the plan has no AI credits.'
        : `AI is paused: the pool is used up. It resumes ${b.resumesAt ? 'on ' + new Date(b.resumesAt).toLocaleString() : 'at the refresh'}, or now with a boost pack.`;
    }

    const labels = days(s.usage.from, s.today);
    const features = [...new Set(s.usage.byFeature.map(f => f.feature).concat(s.usage.byDay.map(d => d.feature)))];
    const datasets = features.map((feature, i) => ({
      label: feature,
      backgroundColor: colorOf(feature, i),
      data: labels.map(day => s.usage.byDay.filter(d => d.date === day && d.feature === feature).reduce((a, d) => a + d.credits, 0)),
    }));
    if (!trend) {
      trend = new Chart(document.getElementById('trend-chart'), {
        type: 'bar', data: { labels, datasets },
        options: { animation: false, scales: { x: { stacked: true }, y: { stacked: true, title: { display: true, text: 'credits' } } } },
      });
    } else {
      trend.data.labels = labels; trend.data.datasets = datasets; trend.update();
    }

    const poolData = [b.used, b.held, b.monthlyRemaining, b.boostRemaining];
    if (!pool) {
      pool = new Chart(document.getElementById('pool-chart'), {
        type: 'doughnut',
        data: { labels: ['Used', 'Held', 'Monthly remaining', 'Boost remaining'], datasets: [{ data: poolData, backgroundColor: ['#adb5bd', '#ffd43b', '#12b886', '#3b5bdb'] }] },
        options: { animation: false },
      });
    } else {
      pool.data.datasets[0].data = poolData; pool.update();
    }

    const total = s.usage.totalCredits || 1;
    document.querySelector('#features tbody').replaceChildren(...s.usage.byFeature.map(f => {
      const row = document.createElement('tr');
      for (const value of [f.feature, number.format(f.calls), number.format(f.credits), `${Math.round(100 * f.credits / total)}%`, number.format(f.tokens)]) {
        const cell = document.createElement('td'); cell.textContent = value; row.append(cell);
      }
      return row;
    }));

    document.getElementById('thresholds').replaceChildren(...s.thresholds.map(t => {
      const item = document.createElement('li');
      item.className = t.reached ? 'reached' : '';
      item.textContent = `${t.percent}% of the allocation ${t.reached ? 'reached' : 'not reached'}`;
      return item;
    }));
    const f = s.forecast;
    text('forecast', f.lastsThePeriod
      ? `At ${number.format(Math.round(f.burnPerDay))} credits a day, the pool lasts until the refresh.`
      : `At ${number.format(Math.round(f.burnPerDay))} credits a day, the pool runs out on ${f.runsOutOn}.`);

    const buttons = document.getElementById('boost-buttons');
    if (!buttons.childElementCount) {
      buttons.replaceChildren(...s.boostPackSizes.map(size => {
        const button = document.createElement('button');
        button.dataset.credits = size;
        button.textContent = `Buy ${number.format(size)}`;
        button.addEventListener('click', () => buy(size, button));
        return button;
      }));
    }
  }

  async function load() {
    if (!workspace) { text('status', 'Add ?workspace=<id> to the address to choose a workspace.'); return; }
    const response = await api('/summary');
    if (!response.ok) { text('status', (await response.json()).title || `Error ${response.status}`); return; }
    render(await response.json());
  }

  async function buy(credits, button) {
    button.disabled = true;
    try {
      const response = await api('/boost-packs', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
        body: JSON.stringify({ credits }),
      });
      const body = await response.json();
      text('status', response.ok ? `Bought ${number.format(body.credits)} credits.` : (body.detail || body.title));
      await load();
    } finally {
      button.disabled = false;
    }
  }

  load();
  setInterval(load, 10000);
})();
