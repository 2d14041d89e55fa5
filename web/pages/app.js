// regscreen's pages. Every text that comes from a record or the server is
// put in the page with textContent, never as markup.
"use strict";

const $ = (id) => document.getElementById(id);

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function row(cells) {
  const tr = document.createElement("tr");
  for (const c of cells) tr.appendChild(el("td", c));
  return tr;
}

async function api(path, opts) {
  const resp = await fetch(path, Object.assign({ credentials: "same-origin" }, opts || {}));
  if (resp.status === 401) { location.href = "/login"; throw new Error("需要访问令牌"); }
  const data = await resp.json().catch(() => null);
  if (!resp.ok) throw new Error((data && data.message) || ("请求失败（" + resp.status + "）"));
  return data;
}

function showError(id, err) { $(id).textContent = err ? (err.message || String(err)) : ""; }

const verdictLabels = { refer: "送会商", review: "待复核", clear: "无需处理", exempt: "豁免" };
const stateLabel = (h) => h.denied ? "否定" : h.benign ? "常见用语" : h.straddling ? "跨词" : "使用";

// highlight returns a node with the text and each hit in a <mark>; hit
// positions count characters (code points), as the server does.
function highlight(text, hits, field) {
  const chars = Array.from(text || "");
  const span = el("span", null, "text");
  const mine = hits.filter((h) => h.field === field).sort((a, b) => a.start - b.start);
  let at = 0;
  for (const h of mine) {
    if (h.start < at) continue;
    span.appendChild(document.createTextNode(chars.slice(at, h.start).join("")));
    const m = el("mark", chars.slice(h.start, h.end).join(""), h.denied ? "denied" : (h.benign || h.straddling) ? "review" : "");
    m.title = h.term + "：" + stateLabel(h);
    span.appendChild(m);
    at = h.end;
  }
  span.appendChild(document.createTextNode(chars.slice(at).join("")));
  return span;
}

function resultCard(r, input) {
  const card = el("div", null, "card result");
  const head = el("div");
  head.appendChild(el("span", verdictLabels[r.verdict] || r.verdict, "verdict v-" + r.verdict));
  if (r.id) head.appendChild(el("span", r.id));
  card.appendChild(head);
  const name = el("div");
  name.appendChild(el("strong", "名称："));
  name.appendChild(highlight(input.name, r.hits, "name"));
  card.appendChild(name);
  if (input.scope) {
    const scope = el("div");
    scope.appendChild(el("strong", "经营范围："));
    scope.appendChild(highlight(input.scope, r.hits, "scope"));
    card.appendChild(scope);
  }
  if (r.exemption) card.appendChild(el("p", "豁免：" + JSON.stringify(r.exemption)));
  if (r.hits.length) {
    const ul = el("ul", null, "hits");
    for (const h of r.hits) {
      ul.appendChild(el("li", "“" + h.text + "”（" + h.term + "，" + h.group + "）" + stateLabel(h) + "：" + h.reason +
        (h.regulator ? "；牵头监管部门：" + h.regulator : "")));
    }
    card.appendChild(ul);
  } else {
    card.appendChild(el("p", "未发现限制性金融用语。"));
  }
  if (r.explanation) {
    const d = el("details");
    d.appendChild(el("summary", "判定说明（可向申请人宣读）"));
    d.appendChild(el("pre", r.explanation, "explanation"));
    card.appendChild(d);
  }
  return card;
}

function checkInputs() {
  const recs = [];
  const name = $("check-name").value.trim(), scope = $("check-scope").value.trim();
  if (name || scope) recs.push({ id: "", name: name, scope: scope });
  for (const line of $("check-lines").value.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const [n, ...rest] = line.split("\t");
    recs.push({ id: "", name: n.trim(), scope: rest.join(" ").trim() });
  }
  return recs;
}

async function runCheck(ev) {
  ev.preventDefault();
  showError("check-error");
  const out = $("check-results");
  out.replaceChildren();
  const recs = checkInputs();
  if (!recs.length) { showError("check-error", new Error("请输入企业名称或经营范围")); return; }
  try {
    const data = await api("/api/v1/check?explain=1", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ records: recs }) });
    data.results.forEach((r, i) => out.appendChild(resultCard(r, recs[i])));
  } catch (err) { showError("check-error", err); }
}

function runBatch(ev) {
  ev.preventDefault();
  showError("batch-error");
  const file = $("batch-file").files[0];
  if (!file) return;
  const format = $("batch-format").value;
  const bar = $("batch-progress"), status = $("batch-status"), link = $("batch-download"), log = $("batch-log");
  link.hidden = true; log.replaceChildren(); bar.hidden = false; bar.value = 0;
  status.textContent = "正在上传……";
  const xhr = new XMLHttpRequest();
  xhr.open("POST", "/api/v1/scan?format=" + encodeURIComponent(format) + "&name=" + encodeURIComponent(file.name));
  xhr.responseType = "blob";
  xhr.upload.onprogress = (e) => { if (e.lengthComputable) bar.value = Math.round(100 * e.loaded / e.total); };
  xhr.upload.onload = () => { status.textContent = "上传完毕，正在筛查……"; };
  xhr.onerror = () => { bar.hidden = true; showError("batch-error", new Error("连接中断，请重试")); };
  xhr.onload = async () => {
    bar.hidden = true;
    if (xhr.status === 401) { location.href = "/login"; return; }
    if (xhr.status !== 200) {
      const text = await xhr.response.text();
      let msg = "筛查失败（" + xhr.status + "）";
      try { msg = JSON.parse(text).message; } catch (e) { /* keep the status */ }
      status.textContent = ""; showError("batch-error", new Error(msg)); return;
    }
    const h = (k) => xhr.getResponseHeader("X-Regscreen-" + k) || "0";
    status.textContent = "读取 " + h("Read") + " 行：送会商 " + h("Refer") + "，待复核 " + h("Review") + "，无需处理 " +
      h("Clear") + "，豁免 " + h("Exempt") + "，拒收 " + h("Rejected") + "。";
    let lines = [];
    try { lines = JSON.parse(decodeURIComponent((xhr.getResponseHeader("X-Regscreen-Log") || "%5B%5D").replace(/\+/g, " "))); } catch (e) { lines = []; }
    if (lines.length) {
      log.appendChild(el("h3", "拒收和警告（前 20 行）"));
      const ul = el("ul");
      for (const l of lines) ul.appendChild(el("li", l));
      log.appendChild(ul);
    }
    link.href = URL.createObjectURL(xhr.response);
    link.download = "会商名单-" + file.name.replace(/\.[^.]*$/, "") + "." + format;
    link.textContent = "下载结果（" + link.download + "）";
    link.hidden = false;
  };
  xhr.send(file);
}

async function loadRuns() {
  showError("runs-error");
  const body = $("runs-table").tBodies[0];
  body.replaceChildren();
  try {
    const data = await api("/api/v1/runs");
    for (const r of data.runs) {
      body.appendChild(row([r.id, r.status_label, r.started, r.read, r.refer, r.review, r.clear, r.exempt, r.rejected, r.dictionary, r.error]));
    }
  } catch (err) { showError("runs-error", err); }
}

async function loadChanges(ev) {
  ev.preventDefault();
  showError("changes-error");
  const body = $("changes-table").tBodies[0];
  body.replaceChildren();
  $("changes-summary").textContent = "";
  const q = new URLSearchParams();
  if ($("changes-from").value) q.set("from", $("changes-from").value);
  if ($("changes-to").value) q.set("to", $("changes-to").value);
  try {
    const data = await api("/api/v1/changes?" + q);
    $("changes-summary").textContent = "运行 " + data.from + " → " + data.to + "：" + data.summary;
    const side = (s) => s ? (verdictLabels[s.verdict] || s.verdict) + (s.terms ? "（" + s.terms + "）" : "") : "";
    for (const c of data.changes) {
      const name = (c.after || c.before || {}).name || "";
      body.appendChild(row([c.kind, c.key, name, side(c.before), side(c.after), c.status || ""]));
    }
  } catch (err) { showError("changes-error", err); }
}

async function loadHistory(ev) {
  ev.preventDefault();
  showError("history-error");
  const body = $("history-table").tBodies[0], dec = $("history-decisions").tBodies[0];
  body.replaceChildren(); dec.replaceChildren(); $("history-key").textContent = "";
  try {
    const data = await api("/api/v1/history?q=" + encodeURIComponent($("history-q").value.trim()));
    // A part of a name can match several companies: the first is shown,
    // the others named so that the clerk can look one up by its key.
    const others = data.keys.slice(1);
    $("history-key").textContent = "企业：" + data.key + (others.length ? "（找到 " + data.keys.length + " 家，显示第一家；其余：" +
      others.join("、") + "，可输入其信用代码查询）" : "");
    for (const e of data.entries) {
      const r = e.record || e.text || {};
      body.appendChild(row([e.run, e.started, e.present ? "是" : "否", e.name || r.name || "", verdictLabels[r.verdict] || r.verdict || "", r.terms || ""]));
    }
    for (const d of data.decisions) dec.appendChild(row([d.date, d.status, d.opinion, d.handler, d.source]));
  } catch (err) { showError("history-error", err); }
}

async function runImport(ev) {
  ev.preventDefault();
  showError("import-error");
  $("import-status").textContent = ""; $("import-problems").replaceChildren();
  const file = $("import-file").files[0];
  if (!file) return;
  try {
    const data = await api("/api/v1/decisions?name=" + encodeURIComponent(file.name), { method: "POST", body: file });
    $("import-status").textContent = "导入会商结论 " + data.stored + " 条（其中 " + data.in_force + " 条为该企业最新的结论）；与已有结论相同 " +
      data.duplicates + " 条；存储中找不到 " + data.unknown.length + " 条；跳过 " + data.problems.length + " 条。";
    for (const p of data.problems) $("import-problems").appendChild(el("li", p.where + "：" + p.reason));
    for (const k of data.unknown) $("import-problems").appendChild(el("li", "存储中没有 " + k));
  } catch (err) { showError("import-error", err); }
}

function showTab(name) {
  for (const b of document.querySelectorAll("#tabs button")) b.classList.toggle("on", b.dataset.tab === name);
  for (const s of document.querySelectorAll("main > section")) s.hidden = s.id !== "tab-" + name;
  if (name === "runs") loadRuns();
}

async function init() {
  for (const b of document.querySelectorAll("#tabs button")) b.addEventListener("click", () => showTab(b.dataset.tab));
  $("check-form").addEventListener("submit", runCheck);
  $("batch-form").addEventListener("submit", runBatch);
  $("runs-go").addEventListener("click", loadRuns);
  $("changes-form").addEventListener("submit", loadChanges);
  $("history-form").addEventListener("submit", loadHistory);
  $("import-form").addEventListener("submit", runImport);
  try {
    const d = await api("/healthz");
    $("dict-version").textContent = d.dictionary;
  } catch (err) { $("dict-version").textContent = "（服务未响应）"; }
  const resp = await fetch("/api/v1/runs", { credentials: "same-origin" });
  if (resp.status !== 404) for (const b of document.querySelectorAll("#tabs .store")) b.hidden = false;
}

document.addEventListener("DOMContentLoaded", init);
