// Review page: reports, one report's evidence, a cross-report comparison. Plain JS over the JSON API.
"use strict";

const KEY = "apiKey";
const $ = (sel, root = document) => root.querySelector(sel);
const main = $("#main");
let pollTimer = null;

// ---- the one fetch wrapper: sends the API key (if any) on every request; asks for one on 401
async function api(path, options = {}, retried = false) {
  const headers = new Headers(options.headers || {});
  const key = sessionStorage.getItem(KEY);
  if (key) headers.set("Authorization", `Bearer ${key}`);
  const res = await fetch(path, { ...options, headers });
  if (res.status === 401 && !retried) {
    await askForKey();
    return api(path, options, true);
  }
  if (!res.ok && res.status !== 304) {
    let detail = `${res.status}`;
    try { const p = await res.json(); detail = `${p.code || res.status}: ${p.detail || p.title}`; } catch (_) { /* not JSON */ }
    throw new Error(detail);
  }
  return res;
}
const getJSON = async (path) => (await api(path)).json();

// One question at a time: requests refused together (Promise.all) all wait for the same answer.
let keyAsked = null;
function askForKey() {
  if (keyAsked) return keyAsked;
  const form = $("#key-form");
  form.hidden = false;
  $("#key-input").focus();
  keyAsked = new Promise((resolve) => {
    form.onsubmit = (e) => {
      e.preventDefault();
      sessionStorage.setItem(KEY, $("#key-input").value.trim());
      form.hidden = true;
      keyAsked = null;
      resolve();
    };
  });
  return keyAsked;
}
$("#key-button").onclick = () => { $("#key-input").value = sessionStorage.getItem(KEY) || ""; askForKey(); };

// ---- small DOM helpers
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) el.append(c instanceof Node ? c : document.createTextNode(c ?? ""));
  return el;
}
const badge = (text, cls = text) => h("span", { class: `badge ${cls}` }, text);
const status = (text) => { $("#status").textContent = text; };
const fail = (err) => { main.append(h("p", { class: "problem" }, String(err.message || err))); };

async function download(path, filename) {
  const blob = await (await api(path)).blob();
  const a = h("a", { href: URL.createObjectURL(blob), download: filename });
  document.body.append(a); a.click(); a.remove();
}

async function allPages(path) {
  const out = [];
  let cursor = null;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const page = await getJSON(`${path}${sep}limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    out.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor);
  return out;
}

// ---- the page viewer beside the content
const ROLES = { checked: "核对 checked", compared: "比较 compared", selected: "选中 selected" };
async function pageImage(reportId, page, highlight) {
  const params = new URLSearchParams({ dpi: "110" });
  for (const id of highlight) params.append("highlight", id);
  const blob = await (await api(`/reports/${reportId}/pages/${page}.png?${params}`)).blob();
  return URL.createObjectURL(blob);
}

async function showPage({ reportId, page, highlight, title, figures = [] }) {
  // The page of the checked figure first, then every other page a compared figure is printed on.
  const viewer = $("#viewer");
  viewer.hidden = false;
  document.body.classList.add("viewing");
  $("#viewer-title").textContent = `${title} · 第${page}页`;
  $("#viewer-figures").replaceChildren(...figures.map((f) => h("div", {}, h("span", { class: `swatch ${f.role}` }),
    `${ROLES[f.role] || f.role}: ${f.code || ""} ${f.name || ""} (p.${f.page})`)));
  for (const extra of viewer.querySelectorAll(".page-extra")) extra.remove();
  const img = $("#page-image");
  img.removeAttribute("src");
  img.dataset.page = String(page);
  img.src = await pageImage(reportId, page, highlight);
  img.dataset.highlight = highlight.join(",");
  const others = [...new Set(figures.map((f) => f.page).filter((p) => p && p !== page))];
  for (const other of others) {
    viewer.append(h("div", { class: "page-extra" }, h("p", {}, `第${other}页`),
      h("img", { src: await pageImage(reportId, other, highlight), alt: `page ${other}`, "data-page": other })));
  }
}
const closeViewer = () => { $("#viewer").hidden = true; document.body.classList.remove("viewing"); };
$("#viewer-close").onclick = closeViewer;

// ---- reports list, filters, upload with live progress
async function reportsView() {
  main.replaceChildren(h("h2", {}, "报告 Reports"));
  const filters = h("form", { class: "filters", id: "filters" },
    h("label", {}, "部门 department", h("input", { name: "department" })),
    h("label", {}, "年度 year", h("input", { name: "fiscal_year", type: "number", min: "1990", max: "2100" })),
    h("label", {}, "类型 kind", select("kind", ["", "final", "budget", "unknown"])),
    h("label", {}, "状态 status", select("status", ["", "queued", "parsing", "parsed", "failed"])),
    h("label", {}, "有错误 has errors", select("has_errors", ["", "true", "false"])),
    h("button", { type: "submit" }, "筛选 Filter"));
  const upload = h("form", { class: "upload", id: "upload" },
    h("label", {}, "上传 PDF upload", h("input", { type: "file", name: "file", id: "upload-file", accept: "application/pdf" })),
    h("button", { type: "submit" }, "上传 Upload"), h("span", { id: "upload-state" }));
  const list = h("div", { id: "report-list" });
  main.append(upload, filters, list);
  filters.onsubmit = (e) => { e.preventDefault(); loadReports(); };
  upload.onsubmit = async (e) => {
    e.preventDefault();
    const file = $("#upload-file").files[0];
    if (!file) return;
    const body = new FormData();
    body.append("file", file);
    $("#upload-state").textContent = "上传中…";
    try {
      const r = await (await api("/reports", { method: "POST", body })).json();
      $("#upload-state").dataset.id = r.id;
      $("#upload-state").textContent = `${r.file.name}: ${r.status}`;
    } catch (err) { $("#upload-state").textContent = String(err.message); }
    loadReports();
  };
  await loadReports();
}

function select(name, options) {
  return h("select", { name }, options.map((o) => h("option", { value: o }, o || "—")));
}

async function loadReports() {
  clearTimeout(pollTimer);
  const params = new URLSearchParams();
  for (const [k, v] of new FormData($("#filters"))) if (v) params.set(k, v);
  let reports;
  try { reports = await allPages(`/reports?${params}`); } catch (err) { fail(err); return; }
  const rows = reports.map((r) => h("tr", { class: "clickable report-row", "data-id": r.id, "data-status": r.status,
    onclick: () => { location.hash = `#/reports/${r.id}`; } },
    h("td", {}, r.department || r.file.name), h("td", {}, r.fiscal_year ?? ""), h("td", {}, r.kind),
    h("td", {}, badge(r.status)), h("td", { class: "num" }, r.file.pages ?? ""),
    h("td", { class: "num" }, r.counts.findings.error), h("td", { class: "num" }, r.counts.line_items),
    h("td", {}, r.file.name)));
  $("#report-list").replaceChildren(h("table", {},
    h("thead", {}, h("tr", {}, ["部门", "年度", "类型", "状态", "页数", "错误", "明细行", "文件"].map((t) => h("th", {}, t)))),
    h("tbody", {}, rows)));
  const state = $("#upload-state");
  const mine = state && reports.find((r) => r.id === state.dataset.id);
  if (mine) state.textContent = `${mine.file.name}: ${mine.status}`;
  const busy = reports.filter((r) => r.status === "queued" || r.status === "parsing");
  status(busy.length ? `解析中 ${busy.length} 份…` : `${reports.length} 份报告`);
  if (busy.length && location.hash.replace(/^#\/?$/, "") === "") pollTimer = setTimeout(loadReports, 1500);
}

// ---- one report
async function reportView(id) {
  main.replaceChildren(h("p", {}, "…"));
  let r;
  try { r = await getJSON(`/reports/${id}`); } catch (err) { main.replaceChildren(); fail(err); return; }
  if (r.status === "queued" || r.status === "parsing") {
    main.replaceChildren(h("h2", {}, r.department || r.file.name), badge(r.status));
    pollTimer = setTimeout(() => { if (location.hash === `#/reports/${id}`) reportView(id); }, 1500);
    return;
  }
  const [tables, items, validation, programmes, indicators] = await Promise.all([
    getJSON(`/reports/${id}/tables`), allPages(`/reports/${id}/line-items`), getJSON(`/reports/${id}/validation`),
    getJSON(`/reports/${id}/programmes`), allPages(`/reports/${id}/indicators`)]);
  main.replaceChildren(
    h("h2", {}, `${r.department || r.file.name} ${r.fiscal_year ?? ""} ${r.kind === "final" ? "部门决算" : r.kind === "budget" ? "部门预算" : ""}`),
    metadata(r), headline(tables.data, items),
    h("h3", {}, `审核结果 Findings (${validation.findings.length})`), findingsBlock(id, validation.findings),
    h("h3", {}, `表格 Tables (${tables.data.length})`), tablesBlock(id, tables.data, items),
    h("h3", {}, `项目与绩效指标 Programmes & indicators (${programmes.data.length} / ${indicators.length})`),
    performanceBlock(programmes.data, indicators));
}

function metadata(r) {
  const rows = [["部门", r.department], ["年度", r.fiscal_year], ["类型", r.kind], ["单位", r.amount_unit],
    ["状态", r.status], ["文件", `${r.file.name} (${r.file.pages ?? "?"}页)`], ["解析器", r.parser_version],
    ["错误/警告/提示", `${r.counts.findings.error} / ${r.counts.findings.warning} / ${r.counts.findings.info}`]];
  if (r.error) rows.push(["失败", `${r.error.code}: ${r.error.detail}`]);
  return h("dl", { class: "meta" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v ?? "—")]));
}

function headline(tables, items) {
  // The printed totals (合计/总计 rows) of each table, first column: the figures a reader looks for first.
  const title = Object.fromEntries(tables.map((t) => [t.id, t.title]));
  const totals = items.filter((li) => li.row_kind === "total" && li.values.length);
  if (!totals.length) return h("p", {}, "");
  return h("table", { class: "headline" }, h("thead", {}, h("tr", {}, ["表", "行", "栏", "金额"].map((t) => h("th", {}, t)))),
    h("tbody", {}, totals.slice(0, 12).map((li) => h("tr", {}, h("td", {}, title[li.table_id] || ""), h("td", {}, li.name),
      h("td", {}, li.values[0].column), h("td", { class: "num" }, li.values[0].amount)))));
}

function findingsBlock(reportId, findings) {
  const out = h("div", { id: "findings" });
  for (const sev of ["error", "warning", "info"]) {
    const ofSev = findings.filter((f) => f.severity === sev);
    if (!ofSev.length) continue;
    const byRule = new Map();
    for (const f of ofSev) byRule.set(f.rule_id, [...(byRule.get(f.rule_id) || []), f]);
    out.append(h("details", { open: sev !== "info" }, h("summary", {}, badge(sev), ` ${ofSev.length}`),
      [...byRule].map(([rule, fs]) => h("details", { open: true, class: "rule" }, h("summary", {}, `${rule} (${fs.length})`),
        fs.map((f) => h("div", { class: `finding ${sev}`, "data-id": f.id, "data-rule": f.rule_id, onclick: () => openFinding(reportId, f.id) },
          `${f.location.page ? `p.${f.location.page} ` : ""}${f.message}`))))));
  }
  if (!findings.length) out.append(h("p", {}, "没有发现问题 No findings"));
  return out;
}

async function openFinding(reportId, findingId) {
  const f = await getJSON(`/reports/${reportId}/findings/${findingId}`);
  const page = f.location.page ?? f.figures[0]?.page;
  if (!page) { status("这条结果没有页码 this finding has no page"); return; }
  await showPage({ reportId, page, highlight: [f.id], title: `${f.rule_id}: ${f.message}`, figures: f.figures });
}

function tablesBlock(reportId, tables, items) {
  const holder = h("div", { id: "table-grid" });
  const tabs = h("div", { class: "tabs" }, tables.map((t, n) => h("button", { type: "button", "data-id": t.id,
    onclick: async (e) => {
      for (const b of tabs.children) b.classList.toggle("active", b === e.currentTarget);
      const full = await getJSON(`/reports/${reportId}/tables/${t.id}`);
      holder.replaceChildren(gridTable(reportId, full, items.filter((li) => li.table_id === t.id)),
        h("div", {}, h("a", { href: "#", onclick: (ev) => { ev.preventDefault(); download(`/reports/${reportId}/tables/${t.id}.csv`, `${t.title}.csv`); } }, "CSV"),
          " ", h("a", { href: "#", onclick: (ev) => { ev.preventDefault(); download(`/reports/${reportId}/tables/${t.id}?format=xlsx`, `${t.title}.xlsx`); } }, "XLSX")));
    } }, `${n + 1}. ${t.title}`)));
  return h("div", {}, tabs, holder);
}

function gridTable(reportId, table, items) {
  // The grid as printed, from the API's rows: a spanning cell once with its colspan/rowspan (the
  // cells it covers are not in the rows), header rows above the first body row in the head.
  const grid = table.grid || [];
  const head = [];
  const body = [];
  const spans = (cell) => ({ colspan: cell.colspan > 1 ? cell.colspan : null, rowspan: cell.rowspan > 1 ? cell.rowspan : null });
  (table.rows || []).forEach((row, r) => {
    if (row.header) {
      (body.length ? body : head).push(h("tr", {}, row.cells.map((cell) => h("th", spans(cell), cell.text || ""))));
      return;
    }
    const li = rowItem(grid[r] || [], items);
    body.push(h("tr", {}, row.cells.map((cell) => h("td", { ...spans(cell), class: `cell${cell.amount !== null ? " num" : ""}`,
      "data-line-item": li ? li.id : null,
      onclick: () => li ? showPage({ reportId, page: li.page, highlight: [li.id], title: `${table.title} ${li.code || ""} ${li.name}`,
        figures: [{ role: "selected", code: li.code, name: li.name, page: li.page }] })
        : showPage({ reportId, page: row.page, highlight: [table.id], title: table.title }) }, cell.text || ""))));
  });
  return h("table", { class: "grid" }, h("thead", {}, head), h("tbody", {}, body));
}

function rowItem(row, items) {
  // The line item printed on this grid row: its code (the class/款/项 cells joined) or its name.
  const cells = row.filter(Boolean).map((c) => c.trim());
  const joined = row.slice(0, 3).every((c) => !c || /^\d+$/.test(c.trim())) ? row.slice(0, 3).filter(Boolean).join("") : "";
  return items.find((li) => li.code && (li.code === joined || cells.includes(li.code)))
    || items.find((li) => !li.code && cells.includes(li.name.trim()))
    || items.find((li) => li.code && cells.some((c) => c.startsWith(li.code) && c.includes(li.name.trim())));
}

function performanceBlock(programmes, indicators) {
  if (!programmes.length && !indicators.length) return h("p", {}, "（无）");
  const met = (m) => m === true ? h("span", { class: "met-yes" }, "✓ 达成") : m === false ? h("span", { class: "met-no" }, "✗ 未达成") : "—";
  return h("div", {},
    h("table", {}, h("thead", {}, h("tr", {}, ["项目", "范围", "金额/预算", "执行率", "得分", "等级"].map((t) => h("th", {}, t)))),
      h("tbody", {}, programmes.map((p) => h("tr", {}, h("td", {}, p.name), h("td", {}, p.scope),
        h("td", { class: "num" }, p.amount ?? Object.values(p.funds)[0] ?? ""), h("td", { class: "num" }, p.execution_rate ?? ""),
        h("td", { class: "num" }, p.total_score ?? ""), h("td", {}, p.grade ?? ""))))),
    h("table", {}, h("thead", {}, h("tr", {}, ["项目", "一级", "二级", "指标", "目标", "实际", "达成"].map((t) => h("th", {}, t)))),
      h("tbody", {}, indicators.map((i) => h("tr", {}, h("td", {}, i.programme?.name ?? ""), h("td", {}, i.level1 ?? ""),
        h("td", {}, i.level2 ?? ""), h("td", {}, i.name), h("td", {}, `${i.operator ?? ""}${i.target ?? ""}${i.unit ?? ""}`),
        h("td", {}, i.actual ?? ""), h("td", {}, met(i.met)))))));
}

// ---- cross-report view: one code, departments × years, a bar chart, CSV/XLSX
async function compareView(code = "") {
  main.replaceChildren(h("h2", {}, "跨报告对比 Compare"));
  const form = h("form", { class: "filters", id: "compare-form" },
    h("label", {}, "科目编码 code", h("input", { name: "code", value: code, placeholder: "208" })),
    h("label", {}, "类型 kind", select("kind", ["", "final", "budget"])),
    h("button", { type: "submit" }, "对比 Compare"));
  const out = h("div", { id: "compare-out" });
  main.append(form, out);
  form.onsubmit = (e) => {
    e.preventDefault();
    const data = new FormData(form);
    const c = String(data.get("code") || "").trim();
    if (c) location.hash = `#/compare/${encodeURIComponent(c)}${data.get("kind") ? `?kind=${data.get("kind")}` : ""}`;
  };
  if (!code) return;
  const kind = new URLSearchParams(location.hash.split("?")[1] || "").get("kind") || "";
  form.elements.kind.value = kind;
  const query = new URLSearchParams({ code, row_kind: "subject" });
  if (kind) query.set("kind", kind);
  const [items, reports] = await Promise.all([allPages(`/line-items?${query}`), allPages("/reports")]);
  const byId = Object.fromEntries(reports.map((r) => [r.id, r]));
  const cells = new Map();  // department → year → {amount, unit}
  let name = "";
  for (const li of items.filter((x) => x.code === code)) {
    const r = byId[li.report_id];
    if (!r) continue;
    const v = li.values.find((x) => x.measure === "total" || x.measure === "actual") || li.values[0];
    if (!v) continue;
    name ||= li.name;
    const dept = r.department || r.file.name;
    const years = cells.get(dept) || new Map();
    if (!years.has(r.fiscal_year)) years.set(r.fiscal_year, { yuan: Number(v.amount_yuan), amount: v.amount, unit: r.amount_unit });
    cells.set(dept, years);
  }
  const years = [...new Set([...cells.values()].flatMap((m) => [...m.keys()]))].sort();
  out.replaceChildren(h("p", {}, `${code} ${name} — ${cells.size} 个部门`),
    h("table", { id: "compare-table" }, h("thead", {}, h("tr", {}, h("th", {}, "部门"), years.map((y) => h("th", {}, y ?? "?")))),
      h("tbody", {}, [...cells].map(([dept, m]) => h("tr", {}, h("td", {}, dept),
        years.map((y) => h("td", { class: "num" }, m.has(y) ? `${m.get(y).amount} ${m.get(y).unit || ""}` : "")))))),
    barChart(cells, years),
    h("p", {}, h("a", { href: "#", onclick: (e) => { e.preventDefault(); download(`/line-items.csv?${query}&limit=1000`, `line-items-${code}.csv`); } }, "CSV"), " ",
      h("a", { href: "#", onclick: (e) => { e.preventDefault(); download(`/line-items?${query}&limit=1000&format=xlsx`, `line-items-${code}.xlsx`); } }, "XLSX")));
}

function barChart(cells, years) {
  // Grouped bars in yuan (amounts as printed are in each report's unit), one group per department.
  const NS = "http://www.w3.org/2000/svg";
  const bars = [...cells].flatMap(([dept, m]) => years.filter((y) => m.has(y)).map((y) => ({ dept, y, v: m.get(y).yuan })));
  const max = Math.max(1, ...bars.map((b) => b.v));
  const bw = 22, gap = 6, left = 10, top = 10, height = 200;
  const width = left + bars.length * (bw + gap) + 20;
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("class", "chart"); svg.setAttribute("width", String(width)); svg.setAttribute("height", String(height + 80));
  const palette = ["#2563eb", "#16a34a", "#d97706", "#9333ea", "#dc2626", "#0891b2"];
  bars.forEach((b, n) => {
    const x = left + n * (bw + gap), bh = (b.v / max) * height;
    const rect = document.createElementNS(NS, "rect");
    Object.entries({ x, y: top + height - bh, width: bw, height: bh, fill: palette[years.indexOf(b.y) % palette.length] })
      .forEach(([k, v]) => rect.setAttribute(k, String(v)));
    const tip = document.createElementNS(NS, "title"); tip.textContent = `${b.dept} ${b.y}: ${b.v.toLocaleString("zh-CN")} 元`;
    rect.append(tip);
    const label = document.createElementNS(NS, "text");
    label.setAttribute("transform", `translate(${x + bw / 2},${top + height + 6}) rotate(60)`);
    label.textContent = `${b.dept.slice(0, 8)} ${b.y}`;
    svg.append(rect, label);
  });
  return svg;
}

// ---- routing
async function route() {
  clearTimeout(pollTimer);
  closeViewer();
  const hash = location.hash.split("?")[0];
  let m;
  try {
    if ((m = hash.match(/^#\/reports\/([^/]+)$/))) await reportView(m[1]);
    else if ((m = hash.match(/^#\/compare(?:\/([^/]+))?$/))) await compareView(m[1] ? decodeURIComponent(m[1]) : "");
    else await reportsView();
  } catch (err) { fail(err); }
}
window.addEventListener("hashchange", route);
route();
