// The coordinator's dashboard: reads /api/* (JSON) and listens to /api/events (server-sent events), so the round
// counter, the chart and the tables follow a running job without reloading. Read-only. Plain DOM and SVG, no library:
// every caller-given string (regions, messages, audit details) goes in as text, never as HTML.
"use strict";

const state = { jobs: [], selected: null, detail: null, metric: "accuracy", split: "test", auditAfter: 0, audit: [] };
const colours = ["#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#0a7c86", "#57606a"];

function el(tag, attrs, ...children) {
  const node = tag === "svg" || attrs?.svg ? document.createElementNS("http://www.w3.org/2000/svg", tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) if (k !== "svg" && v !== undefined && v !== null) node.setAttribute(k, v);
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(c ?? ""));
  return node;
}
const svg = (tag, attrs, ...children) => el(tag, { ...attrs, svg: true }, ...children);

async function get(url) {
  const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

const num = v => (v === null || v === undefined) ? NaN : Number(v);
const fmt = (v, digits = 4) => Number.isFinite(num(v)) ? num(v).toFixed(digits) : (num(v) === Infinity ? "∞" : "–");
const when = ms => ms ? new Date(num(ms)).toLocaleTimeString() : "–";
function ago(ms) {
  const s = Math.max(0, (Date.now() - num(ms)) / 1000);
  return s < 90 ? `${s.toFixed(0)} s ago` : s < 5400 ? `${(s / 60).toFixed(0)} min ago` : `${(s / 3600).toFixed(1)} h ago`;
}
function fill(tbody, rows) { tbody.replaceChildren(...rows); }

function metricValue(m, name) {
  if (name === "accuracy") return num(m.accuracy);
  if (name === "loss") return num(m.loss);
  return m.extra && name in m.extra ? num(m.extra[name]) : NaN;
}

function renderJobs() {
  const tbody = document.querySelector("#jobs tbody");
  fill(tbody, state.jobs.map(j => {
    const pct = j.rounds > 0 ? Math.min(100, 100 * j.currentRound / j.rounds) : (j.state === "succeeded" ? 100 : 0);
    const row = el("tr", { class: "job" + (j.id === state.selected ? " selected" : "") },
      el("td", {}, j.id), el("td", {}, j.name),
      el("td", {}, el("span", { class: "state " + j.state }, j.state)),
      el("td", {}, el("span", { class: "progress" }, el("span", { style: `width:${pct}%` })), ` ${j.currentRound}/${j.rounds}`),
      el("td", { class: "detail" }, j.message));
    row.addEventListener("click", () => select(j.id));
    return row;
  }));
  if (state.jobs.length === 0) fill(tbody, [el("tr", {}, el("td", { colspan: 5, class: "empty" }, "no jobs yet: fedcare submit SPEC"))]);
}

function renderHeader(job) {
  document.getElementById("job-id").textContent = job ? `${job.id} (${job.name})` : "–";
  document.getElementById("round-counter").textContent = job ? String(job.currentRound) : "0";
  document.getElementById("round-total").textContent = job ? String(job.rounds) : "0";
  const badge = document.getElementById("job-state");
  badge.textContent = job ? job.state : "";
  badge.className = "state " + (job ? job.state : "");
}

function renderControls(metrics) {
  const names = new Set(["accuracy", "loss"]);
  const splits = new Set();
  for (const m of metrics) { for (const k of Object.keys(m.extra || {})) names.add(k); splits.add(m.split); }
  if (splits.size === 0) splits.add("test");
  if (!splits.has(state.split)) state.split = [...splits][0];
  for (const [id, values, current] of [["metric", names, state.metric], ["split", splits, state.split]]) {
    const select = document.getElementById(id);
    const options = [...values].sort();
    if ([...select.options].map(o => o.value).join() !== options.join())
      select.replaceChildren(...options.map(v => el("option", { value: v }, v)));
    select.value = current;
  }
}

function renderChart(metrics) {
  const box = document.getElementById("chart");
  const rows = metrics.filter(m => m.split === state.split && Number.isFinite(metricValue(m, state.metric)));
  const byRegion = new Map();
  for (const m of rows) {
    if (!byRegion.has(m.region)) byRegion.set(m.region, []);
    byRegion.get(m.region).push([m.round, metricValue(m, state.metric), num(m.numExamples)]);
  }
  // The mean over regions, weighted by each region's num_examples, as federated evaluation reports it.
  const byRound = new Map();
  for (const [round, value, n] of rows.map(m => [m.round, metricValue(m, state.metric), num(m.numExamples) || 1])) {
    const acc = byRound.get(round) || [0, 0];
    byRound.set(round, [acc[0] + value * n, acc[1] + n]);
  }
  const mean = [...byRound.entries()].sort((a, b) => a[0] - b[0]).map(([r, [s, n]]) => [r, s / n]);
  const W = 1000, H = 320, L = 56, R = 150, T = 12, B = 34;
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", id: "chart-svg" });
  if (rows.length === 0) {
    chart.append(svg("text", { x: W / 2, y: H / 2, "text-anchor": "middle" }, `no ${state.metric} on ${state.split} yet`));
    box.replaceChildren(chart);
    return;
  }
  const rounds = rows.map(m => m.round), values = rows.map(m => metricValue(m, state.metric));
  let x0 = Math.min(...rounds), x1 = Math.max(...rounds);
  if (x1 === x0) x1 = x0 + 1;
  let y0 = Math.min(...values), y1 = Math.max(...values);
  if (y1 - y0 < 1e-9) { y0 -= 0.5; y1 += 0.5; }
  const pad = (y1 - y0) * 0.05; y0 -= pad; y1 += pad;
  const X = r => L + (W - L - R) * (r - x0) / (x1 - x0);
  const Y = v => T + (H - T - B) * (1 - (v - y0) / (y1 - y0));
  for (let i = 0; i <= 4; i++) {
    const v = y0 + (y1 - y0) * i / 4;
    chart.append(svg("line", { x1: L, x2: W - R, y1: Y(v), y2: Y(v), class: "grid" }),
      svg("text", { x: L - 6, y: Y(v) + 4, "text-anchor": "end" }, v.toFixed(3)));
  }
  const ticks = Math.min(10, x1 - x0);
  for (let i = 0; i <= ticks; i++) {
    const r = Math.round(x0 + (x1 - x0) * i / ticks);
    chart.append(svg("text", { x: X(r), y: H - B + 16, "text-anchor": "middle" }, String(r)));
  }
  chart.append(svg("line", { x1: L, x2: L, y1: T, y2: H - B, class: "axis" }), svg("line", { x1: L, x2: W - R, y1: H - B, y2: H - B, class: "axis" }),
    svg("text", { x: (L + W - R) / 2, y: H - 4, "text-anchor": "middle" }, "round"));
  const series = [...byRegion.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  series.forEach(([region, points], i) => {
    points.sort((a, b) => a[0] - b[0]);
    const colour = colours[i % colours.length];
    chart.append(svg("polyline", { points: points.map(([r, v]) => `${X(r)},${Y(v)}`).join(" "), fill: "none", stroke: colour, "stroke-width": 1.6, class: "region" }));
    // A style, not the fill attribute: the style sheet's text colour would win over an attribute.
    chart.append(svg("text", { x: W - R + 12, y: T + 14 + 16 * i, style: `fill:${colour}` }, region));
  });
  chart.append(svg("polyline", { points: mean.map(([r, v]) => `${X(r)},${Y(v)}`).join(" "), fill: "none", stroke: "#1d2733", class: "mean" }));
  chart.append(svg("text", { x: W - R + 12, y: T + 14 + 16 * series.length, style: "fill:#1d2733" }, "mean (weighted by num_examples)"));
  box.replaceChildren(chart);
}

function renderRounds(rounds) {
  const rows = [...rounds].filter(r => r.completedAt).sort((a, b) => b.round - a.round).slice(0, 100).map(r => el("tr", {},
    el("td", {}, String(r.round)), el("td", {}, (r.participants || []).join(", ")), el("td", {}, String(r.numExamples)),
    el("td", {}, `${fmt(r.durationSeconds, 2)} s`), el("td", {}, r.privacy ? fmt(r.privacy.epsilon, 3) : "–"),
    el("td", {}, r.completedAt ? new Date(r.completedAt).toLocaleTimeString() : "–")));
  fill(document.querySelector("#rounds tbody"), rows);
}

function renderCrossSite(entries) {
  const box = document.getElementById("crosssite");
  const cells = entries.filter(e => e.metrics && e.metrics.split === state.split);
  if (cells.length === 0) { box.replaceChildren(el("p", { class: "empty" }, "no cross-site validation for this job (yet)")); return; }
  const labels = [...new Set(cells.map(e => e.modelLabel))].sort(), regions = [...new Set(cells.map(e => e.metrics.region))].sort();
  const value = (label, region) => cells.find(e => e.modelLabel === label && e.metrics.region === region);
  box.replaceChildren(el("table", {},
    el("thead", {}, el("tr", {}, el("th", {}, `model \\ data (${state.metric})`), ...regions.map(r => el("th", {}, r)))),
    el("tbody", {}, ...labels.map(label => el("tr", {}, el("th", {}, label),
      ...regions.map(r => { const c = value(label, r); return el("td", {}, c ? fmt(metricValue(c.metrics, state.metric)) : "–"); }))))));
}

function renderRefusals(records) {
  const rows = [...records].reverse().map(a => el("tr", {}, el("td", {}, when(a.timeUnixMs)), el("td", {}, a.actor),
    el("td", {}, a.action), el("td", {}, a.round ?? "–"), el("td", { class: "detail" }, a.detail)));
  fill(document.querySelector("#refusals tbody"), rows.length ? rows : [el("tr", {}, el("td", { colspan: 5, class: "empty" }, "none"))]);
}

async function refreshNodes() {
  const nodes = await get("api/nodes");
  fill(document.querySelector("#nodes tbody"), nodes.map(n => el("tr", {}, el("td", {}, n.region),
    el("td", { class: n.connected ? "connected" : "disconnected" }, n.connected ? "connected" : "disconnected"),
    el("td", {}, ago(n.lastSeenUnixMs)), el("td", {}, n.device), el("td", {}, `${n.clockSkewMs} ms`))));
  if (nodes.length === 0) fill(document.querySelector("#nodes tbody"), [el("tr", {}, el("td", { colspan: 5, class: "empty" }, "no node registered"))]);
}

async function refreshAudit() {
  // Pages forward from the last entry seen; only the newest 100 stay on the page.
  for (;;) {
    const page = await get(`api/audit?after=${state.auditAfter}&limit=1000`);
    state.audit.push(...page.records);
    if (page.records.length) state.auditAfter = page.records[page.records.length - 1].seq;
    if (!num(page.nextAfter)) break;
  }
  state.audit = state.audit.slice(-100);
  fill(document.querySelector("#audit tbody"), [...state.audit].reverse().map(a => el("tr", {}, el("td", {}, String(a.seq)),
    el("td", {}, when(a.timeUnixMs)), el("td", {}, a.actor), el("td", {}, a.action), el("td", {}, a.jobId),
    el("td", {}, a.round ?? "–"), el("td", { class: "detail" }, a.detail))));
}

async function refreshJob() {
  if (!state.selected) { renderHeader(null); return; }
  const detail = await get(`api/jobs/${encodeURIComponent(state.selected)}`);
  state.detail = detail;
  renderHeader(detail.job);
  renderControls(detail.metrics);
  renderChart(detail.metrics);
  renderRounds(detail.rounds);
  renderCrossSite(detail.crossSite);
  renderRefusals(detail.refusals);
}

function rerender() {
  if (!state.detail) return;
  renderChart(state.detail.metrics);
  renderCrossSite(state.detail.crossSite);
}

async function select(id) {
  state.selected = id;
  history.replaceState(null, "", `#${encodeURIComponent(id)}`);
  renderJobs();
  await refreshJob();
}

async function refreshJobs() {
  state.jobs = await get("api/jobs");
  const wanted = decodeURIComponent(location.hash.slice(1));
  if (!state.selected)
    state.selected = (state.jobs.find(j => j.id === wanted) || state.jobs.find(j => j.state === "running") || state.jobs[0] || {}).id || null;
  renderJobs();
}

// A burst of events (a round completes: status, then summary; fast rounds) reads the job at most four times a second.
let pending = null;
function soon(action) {
  if (pending) return;
  pending = setTimeout(() => { pending = null; action(); }, 250);
}

function listen() {
  const live = document.getElementById("live");
  const events = new EventSource("api/events");
  // The coordinator ends each stream after a few seconds and the browser reconnects: read the state again on every
  // (re)connection, so that nothing of the gap is missed.
  events.onopen = () => {
    live.textContent = "live"; live.className = "live on";
    refreshJobs().then(() => state.selected && refreshJob()).catch(console.error);
  };
  events.onerror = () => { live.textContent = "reconnecting"; live.className = "live off"; };
  events.addEventListener("job", message => {
    const { job, round } = JSON.parse(message.data);
    const known = state.jobs.findIndex(j => j.id === job.id);
    if (known >= 0) state.jobs[known] = job; else state.jobs.unshift(job);
    if (!state.selected) state.selected = job.id;
    renderJobs();
    if (job.id === state.selected) {
      renderHeader(job);
      if (round || job.state !== "running") soon(() => Promise.all([refreshJob(), refreshAudit()]).catch(console.error));
    }
  });
}

document.getElementById("metric").addEventListener("change", e => { state.metric = e.target.value; rerender(); });
document.getElementById("split").addEventListener("change", e => { state.split = e.target.value; rerender(); });

(async () => {
  listen();
  try {
    await refreshJobs();
    await Promise.all([refreshJob(), refreshNodes(), refreshAudit()]);
  } catch (e) { console.error(e); }
  setInterval(() => refreshNodes().catch(console.error), 5000);
})();
