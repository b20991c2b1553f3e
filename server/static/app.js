// The assistant's one page: chat (streamed), drafting, upload with job progress, document list.
// Plain browser JavaScript, no libraries, so the page works on an office network without internet.
"use strict";

(() => {
  const $ = (sel) => document.querySelector(sel);
  const TOKEN_KEY = "kb-api-token";
  const DOC_TYPE_NAMES = {
    news: "新闻", report: "报告", summary: "总结", plan: "方案",
    policy: "政策", notice: "通知", other: "其他",
  };
  const PAGE_SIZE = 20;

  const state = {
    history: [], docOffset: 0, docTotal: 0, busy: false,
    kbs: [], chosen: new Set(), uploadKb: "",
  };

  // ---- HTTP -------------------------------------------------------------

  function authHeaders(extra) {
    const headers = Object.assign({}, extra || {});
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers["Authorization"] = "Bearer " + token;
    return headers;
  }

  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  async function errorOf(response) {
    let message = "请求失败（HTTP " + response.status + "）";
    try {
      const body = await response.json();
      if (body && body.error && body.error.message) message = body.error.message;
    } catch (_) { /* not JSON: keep the status line */ }
    if (response.status === 401) askForToken("令牌无效或缺失，请重新输入。");
    return new ApiError(response.status, message);
  }

  // Reads cover the knowledge bases ticked in the bar (none named: all the token may use);
  // an upload goes to the one chosen in the upload panel.
  const KB_SCOPED = /^\/(search|chat|drafts(?!\/types)|documents)/;
  function scoped(path, method) {
    if (!KB_SCOPED.test(path)) return path;
    const url = new URL(path, location.origin);
    if (method === "POST" && url.pathname === "/documents") {
      if (state.uploadKb) url.searchParams.set("kb", state.uploadKb);
    } else if (state.chosen.size && state.chosen.size < state.kbs.length) {
      for (const name of state.chosen) url.searchParams.append("kb", name);
    }
    return url.pathname + url.search;
  }

  async function api(path, options) {
    const opts = Object.assign({}, options || {});
    opts.headers = authHeaders(opts.headers);
    const response = await fetch(scoped(path, (opts.method || "GET").toUpperCase()), opts);
    if (!response.ok) throw await errorOf(response);
    return response;
  }

  async function apiJson(path, options) {
    return (await api(path, options)).json();
  }

  function postJson(path, body) {
    return api(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  }

  // ---- token ------------------------------------------------------------

  function askForToken(message) {
    $("#token-bar").hidden = false;
    $("#token-message").textContent = message || "";
    $("#token-input").focus();
  }

  $("#token-save").addEventListener("click", () => {
    const value = $("#token-input").value.trim();
    if (!value) return;
    sessionStorage.setItem(TOKEN_KEY, value);
    $("#token-bar").hidden = true;
    $("#token-input").value = "";
    refreshAll();
  });
  $("#token-input").addEventListener("keydown", (e) => {
    if (e.key === "Enter") $("#token-save").click();
  });

  // ---- small DOM helpers -------------------------------------------------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function setStatus(node, text, isError) {
    node.textContent = text;
    node.classList.toggle("error", Boolean(isError));
  }

  // ---- health -----------------------------------------------------------

  async function refreshHealth() {
    try {
      const response = await fetch("/health");
      const h = await response.json();
      if (h.status !== "ok") {
        $("#health").textContent = "服务不可用：" + (h.detail || "");
        return;
      }
      const store = h.store_mode === "http" ? "Chroma 服务器" : "本地索引";
      const llm = h.llm_configured ? "大模型：" + h.llm_model : "抽取式生成（未配置大模型）";
      $("#health").textContent =
        `已收录 ${h.documents} 篇文档、${h.chunks} 个片段 · ${store} · ${llm}`;
      if (h.auth_required && !sessionStorage.getItem(TOKEN_KEY)) askForToken("");
    } catch (_) {
      $("#health").textContent = "无法连接服务";
    }
  }

  // ---- sources ----------------------------------------------------------

  // Passages recognised from a scan or photo may hold OCR errors: say so where they are shown.
  function ocrBadge(item) {
    return item && item.ocr
      ? el("span", { class: "ocr-badge", title: "此段文字由OCR从扫描件或图片识别，请对照原件核实" }, "OCR")
      : null;
  }

  function showSource(citation) {
    const body = $("#source-body");
    body.replaceChildren(
      el("h3", {}, `［${citation.number}］${citation.title || "（无标题）"}`, ocrBadge(citation)),
      el("div", { class: "meta" },
        [citation.date, (citation.heading_path || []).join(" › "), citation.source_key]
          .filter(Boolean).join(" · ")),
      el("blockquote", { class: "passage" }, citation.excerpt),
    );
    openSourcePanel();
    if (citation.article && citation.doc_id) showArticle(body, citation);
  }

  // A statute's passage is part of an article (a long article is split between 款):
  // under the cited passage, show the whole article with the cited part marked.
  async function showArticle(body, citation) {
    const holder = el("div", { class: "article", "aria-live": "polite" }, "正在载入条文全文……");
    body.append(holder);
    try {
      const a = await apiJson(`/documents/${encodeURIComponent(citation.doc_id)}` +
        `/articles/${encodeURIComponent(citation.article)}`);
      const pieces = a.chunks.map((c) => c.chunk_id === citation.chunk_id
        ? el("mark", { class: "cited" }, c.text) : c.text);
      const text = el("div", { class: "article-text" });
      pieces.forEach((p, i) => { if (i) text.append("\n"); text.append(p); });
      const path = a.heading_path.length
        ? [el("div", { class: "meta" }, a.heading_path.join(" › "))] : [];
      holder.replaceChildren(el("h4", {}, `条文全文：《${a.title}》${a.article}`), ...path, text);
    } catch (err) {
      holder.replaceChildren(el("div", { class: "meta error" }, "条文全文载入失败：" + err.message));
    }
  }

  function openSourcePanel() {
    $("#source-panel").hidden = false;
    document.querySelector(".layout").classList.add("with-source");
  }

  $("#source-close").addEventListener("click", () => {
    $("#source-panel").hidden = true;
    document.querySelector(".layout").classList.remove("with-source");
  });

  // ---- chat -------------------------------------------------------------

  function addMessage(role, text) {
    const bubble = el("div", { class: "bubble" }, text);
    const node = el("div", { class: "msg " + (role === "user" ? "user" : "answer") },
      el("div", { class: "who" }, role === "user" ? "我" : "助手"), bubble);
    const log = $("#chat-log");
    const hint = log.querySelector(".hint");
    if (hint) hint.remove();
    log.append(node);
    log.scrollTop = log.scrollHeight;
    return node;
  }

  // Turn ［1］ / [1] markers into links to the passage they cite.
  function linkMarkers(bubble, byNumber) {
    const text = bubble.textContent;
    const parts = text.split(/(\[\d+\]|［\d+］)/);
    if (parts.length === 1) return;
    bubble.replaceChildren();
    for (const part of parts) {
      const m = part.match(/^[\[［](\d+)[\]］]$/);
      const citation = m && byNumber.get(Number(m[1]));
      if (citation) {
        bubble.append(el("span", {
          class: "cite-marker", role: "button", tabindex: "0",
          title: citation.title, onclick: () => showSource(citation),
        }, `[${m[1]}]`));
      } else if (part) {
        bubble.append(part);
      }
    }
  }

  function renderCitations(node, citations) {
    if (!citations || !citations.length) return;
    const byNumber = new Map(citations.map((c) => [c.number, c]));
    linkMarkers(node.querySelector(".bubble"), byNumber);
    const list = el("div", { class: "citations" });
    for (const c of citations) {
      list.append(el("button", {
        type: "button", class: "citation", title: c.excerpt,
        onclick: () => showSource(c),
      }, `［${c.number}］${c.title || "来源"}`, ocrBadge(c)));
    }
    node.append(list);
  }

  // Read a text/event-stream body; call onEvent(type, data) per event.
  async function readEvents(response, onEvent) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder("utf-8");
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        let type = "message";
        const data = [];
        for (const line of block.split("\n")) {
          if (line.startsWith("event:")) type = line.slice(6).trim();
          else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
        }
        if (data.length) onEvent(type, JSON.parse(data.join("\n")));
      }
    }
  }

  async function ask(question) {
    addMessage("user", question);
    const node = addMessage("assistant", "");
    node.classList.add("pending");
    const bubble = node.querySelector(".bubble");
    bubble.textContent = "正在检索…";
    let text = "";
    let citations = [];
    let refused = false;
    let answered = "";
    try {
      const response = await postJson("/chat", {
        message: question, history: state.history.slice(-5), stream: true,
      });
      await readEvents(response, (type, data) => {
        if (type === "delta") {
          text += data.text || "";
          bubble.textContent = text;
          $("#chat-log").scrollTop = $("#chat-log").scrollHeight;
        } else if (type === "citations") {
          citations = data.citations || [];
          refused = Boolean(data.refused);
          // the checked answer is authoritative: it replaces the streamed text
          if (data.cited_answer) {
            answered = data.cited_answer;
            text = (data.notice ? `（${data.notice}）\n` : "") + data.cited_answer;
          }
        } else if (type === "done") {
          if (data.refused !== undefined) refused = Boolean(data.refused);
        } else if (type === "error") {
          throw new Error(data.message || "生成回答失败");
        }
      });
      if (!text) text = "知识库中没有找到相关内容。";
      bubble.textContent = text;
      node.classList.toggle("refused", refused);
      renderCitations(node, citations);
      state.history.push([question, answered || text]);
    } catch (err) {
      bubble.textContent = "出错了：" + err.message;
      node.classList.add("error");
    } finally {
      node.classList.remove("pending");
      node.classList.add("complete");
    }
  }

  $("#chat-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const input = $("#chat-input");
    const question = input.value.trim();
    if (!question || state.busy) return;
    state.busy = true;
    $("#chat-send").disabled = true;
    input.value = "";
    try { await ask(question); } finally {
      state.busy = false;
      $("#chat-send").disabled = false;
      input.focus();
    }
  });
  $("#chat-input").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      $("#chat-form").requestSubmit();
    }
  });
  $("#chat-clear").addEventListener("click", () => {
    state.history = [];
    $("#chat-log").replaceChildren(el("p", { class: "hint" }, "对话已清空。"));
  });

  // ---- drafting ---------------------------------------------------------

  const docTypes = new Map();

  async function loadDocTypes() {
    try {
      const { items } = await apiJson("/drafts/types");
      const select = $("#draft-type");
      select.replaceChildren(...items.map((t) => el("option", { value: t.key }, t.name)));
      for (const t of items) docTypes.set(t.key, t);
      renderDraftFields();
    } catch (_) { /* keep the built-in option */ }
  }

  function renderDraftFields() {
    const spec = docTypes.get($("#draft-type").value);
    const box = $("#draft-fields");
    box.replaceChildren();
    for (const name of (spec && spec.fields) || []) {
      const id = "draft-field-" + encodeURIComponent(name).replace(/%/g, "");
      box.append(el("label", { for: id }, name),
        el("input", { id, type: "text", "data-field": name, maxlength: "500", placeholder: "可选" }));
    }
    // GB/T 9704 版头/版记: folded away, filled only when the document is to be issued.
    const official = (spec && spec.official_fields) || [];
    if (official.length) {
      const details = el("details", { class: "official-fields" }, el("summary", {}, "版头与版记（可选）"));
      for (const name of official) {
        const id = "draft-field-" + encodeURIComponent(name).replace(/%/g, "");
        details.append(el("label", { for: id }, name),
          el("input", { id, type: "text", "data-field": name, maxlength: "500", placeholder: "可选" }));
      }
      box.append(details);
    }
  }
  $("#draft-type").addEventListener("change", renderDraftFields);

  function draftRequest() {
    const fields = {};
    for (const input of document.querySelectorAll("#draft-fields input")) {
      if (input.value.trim()) fields[input.dataset.field] = input.value.trim();
    }
    return {
      doc_type: $("#draft-type").value,
      unit: $("#draft-unit").value.trim(),
      period: $("#draft-period").value.trim() || null,
      topic: $("#draft-topic").value.trim() || null,
      notes: $("#draft-notes").value.trim() || null,
      fields,
      citation_style: $("#draft-style").value,
      remove_unsupported: $("#draft-remove").checked,
    };
  }

  function draftForm() {
    const form = new FormData();
    form.append("request", JSON.stringify(draftRequest()));
    const file = $("#draft-template").files[0];
    if (file) form.append("template", file, file.name);
    return form;
  }

  function filenameOf(response) {
    const header = response.headers.get("Content-Disposition") || "";
    const star = header.match(/filename\*=UTF-8''([^;]+)/i);
    if (star) return decodeURIComponent(star[1]);
    const plain = header.match(/filename="?([^";]+)"?/i);
    return plain ? plain[1] : "公文草稿.docx";
  }

  $("#draft-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const status = $("#draft-status");
    const button = $("#draft-submit");
    if (!$("#draft-unit").value.trim()) { setStatus(status, "请填写单位。", true); return; }
    button.disabled = true;
    setStatus(status, "正在起草，请稍候…");
    try {
      const response = await api("/drafts/with-template", { method: "POST", body: draftForm() });
      const name = filenameOf(response);
      const blob = await response.blob();
      const url = URL.createObjectURL(blob);
      const link = el("a", { href: url, download: name });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      setStatus(status, "已生成：" + name);
    } catch (err) {
      setStatus(status, "起草失败：" + err.message, true);
    } finally {
      button.disabled = false;
    }
  });

  $("#draft-preview").addEventListener("click", async () => {
    const status = $("#draft-status");
    const box = $("#draft-result");
    if (!$("#draft-unit").value.trim()) { setStatus(status, "请填写单位。", true); return; }
    setStatus(status, "正在生成预览…");
    try {
      const response = await api("/drafts/with-template?format=json", { method: "POST", body: draftForm() });
      const d = await response.json();
      const byNumber = new Map(d.citations.map((c) => [c.number, c]));
      box.replaceChildren(el("h3", {}, d.title));
      if (d.recipient) box.append(el("p", {}, d.recipient + "："));
      for (const s of d.sections) {
        if (s.heading) box.append(el("p", {}, el("strong", {}, s.heading)));
        for (const p of s.paragraphs) {
          const para = el("p", {}, p.text);
          for (const n of p.citations) {
            const c = byNumber.get(n);
            if (c) para.append(el("span", { class: "cite-marker", onclick: () => showSource(c) }, `[${n}]`));
          }
          box.append(para);
        }
      }
      for (const issue of d.issues) {
        box.append(el("p", { class: "issue" }, `⚠ 未在来源中找到：${issue.text}`));
      }
      setStatus(status, `预览完成：引用 ${d.citations.length} 处来源` +
        (d.issues.length ? `，${d.issues.length} 处内容待核实` : ""));
    } catch (err) {
      setStatus(status, "预览失败：" + err.message, true);
    }
  });

  // ---- upload and jobs --------------------------------------------------

  const dropZone = $("#drop-zone");
  let droppedFiles = null;
  dropZone.addEventListener("dragover", (e) => { e.preventDefault(); dropZone.classList.add("over"); });
  dropZone.addEventListener("dragleave", () => dropZone.classList.remove("over"));
  dropZone.addEventListener("drop", (e) => {
    e.preventDefault();
    dropZone.classList.remove("over");
    droppedFiles = e.dataTransfer.files;
    showChosen(droppedFiles);
  });
  function showChosen(files) {
    const names = Array.from(files || []).map((f) => f.name);
    $("#upload-chosen").textContent = names.length ? `已选择 ${names.length} 个文件：${names.join("、")}` : "";
  }
  $("#upload-input").addEventListener("change", () => {
    droppedFiles = null;
    showChosen($("#upload-input").files);
    setStatus($("#job-status"), "");
  });

  $("#draft-template").addEventListener("change", () => {
    const file = $("#draft-template").files[0];
    $("#template-chosen").textContent = file ? file.name : "未选择（使用标准公文格式）";
    $("#template-clear").hidden = !file;
  });
  $("#template-clear").addEventListener("click", () => {
    $("#draft-template").value = "";
    $("#draft-template").dispatchEvent(new Event("change"));
  });

  function renderJob(job) {
    const box = $("#job-status");
    const percent = job.files_total ? Math.round((100 * job.files_done) / job.files_total) : 0;
    const labels = { queued: "排队中", running: "导入中", done: "导入完成", failed: "导入失败" };
    const bar = el("div", { class: "progress" }, el("div", { style: `width:${percent}%` }));
    const line = `${labels[job.status] || job.status}：已处理 ${job.files_done}/${job.files_total} 个文件，` +
      `新增 ${job.added}、更新 ${job.updated}、未变 ${job.unchanged}` +
      (job.duplicates ? `、重复 ${job.duplicates}` : "") +
      `，共 ${job.chunks} 个片段` +
      (job.pages_total ? `；${job.current} 文字识别 ${job.pages_done}/${job.pages_total} 页` : "");
    box.replaceChildren(el("div", { class: "job-line", "data-status": job.status }, line), bar);
    box.classList.toggle("error", job.status === "failed");
    if (job.error) box.append(el("div", { class: "error" }, job.error));
    if (job.failures.length) {
      box.append(el("ul", { class: "failures" },
        ...job.failures.map((f) => el("li", {}, `${f.source}：${f.reason}`))));
    }
  }

  async function pollJob(jobId) {
    for (;;) {
      const job = await apiJson("/jobs/" + encodeURIComponent(jobId));
      renderJob(job);
      if (job.status === "done" || job.status === "failed") return job;
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  $("#upload-button").addEventListener("click", async () => {
    const files = droppedFiles || $("#upload-input").files;
    const status = $("#job-status");
    if (!files || !files.length) { setStatus(status, "请先选择文件。", true); return; }
    const form = new FormData();
    for (const f of files) form.append("files", f, f.name);
    const button = $("#upload-button");
    button.disabled = true;
    setStatus(status, "正在上传…");
    try {
      const accepted = await apiJson("/documents", { method: "POST", body: form });
      await pollJob(accepted.job_id);
      $("#upload-input").value = "";
      droppedFiles = null;
      showChosen([]);
      state.docOffset = 0;
      await Promise.all([loadDocuments(), refreshHealth()]);
    } catch (err) {
      setStatus(status, "上传失败：" + err.message, true);
    } finally {
      button.disabled = false;
    }
  });

  // ---- documents --------------------------------------------------------

  async function showDocument(docId) {
    try {
      const d = await apiJson("/documents/" + encodeURIComponent(docId));
      const body = $("#source-body");
      body.replaceChildren(
        el("h3", {}, d.title || "（无标题）"),
        el("div", { class: "meta" },
          [d.date, (d.regions || []).slice(0, 3).join("、"), d.source_key, `${d.chunk_count} 个片段`]
            .filter(Boolean).join(" · ")),
        ...d.chunks.map((c) => el("blockquote", { class: "passage" },
          (c.heading_path.length ? "【" + c.heading_path.join(" › ") + "】\n" : "") + c.text)),
      );
      openSourcePanel();
    } catch (err) {
      alert("无法打开文档：" + err.message);
    }
  }

  async function deleteDocument(doc) {
    if (!confirm(`确定删除“${doc.title}”吗？`)) return;
    try {
      await api("/documents/" + encodeURIComponent(doc.doc_id), { method: "DELETE" });
      await Promise.all([loadDocuments(), refreshHealth()]);
    } catch (err) {
      alert("删除失败：" + err.message);
    }
  }

  async function loadDocuments() {
    const tbody = $("#doc-table tbody");
    try {
      const page = await apiJson(`/documents?offset=${state.docOffset}&limit=${PAGE_SIZE}`);
      state.docTotal = page.total;
      tbody.replaceChildren(...page.items.map((d) => el("tr", { "data-doc-id": d.doc_id },
        el("td", { class: "title", title: d.source_key, onclick: () => showDocument(d.doc_id) }, d.title || d.source_key),
        el("td", {}, d.date || "—"),
        el("td", { title: d.knowledge_base ? "知识库：" + kbTitle(d.knowledge_base) : "" },
          DOC_TYPE_NAMES[d.doc_type] || d.doc_type),
        el("td", { class: "num" }, d.chunk_count),
        el("td", {}, el("button", { type: "button", class: "danger", onclick: () => deleteDocument(d) }, "删除")),
      )));
      if (!page.items.length) {
        tbody.append(el("tr", {}, el("td", { colspan: "5", class: "muted" }, "知识库中还没有文档。")));
      }
      const pages = Math.max(1, Math.ceil(page.total / PAGE_SIZE));
      $("#doc-page").textContent = `第 ${Math.floor(state.docOffset / PAGE_SIZE) + 1} / ${pages} 页`;
      $("#doc-count").textContent = `共 ${page.total} 篇`;
      $("#doc-prev").disabled = state.docOffset === 0;
      $("#doc-next").disabled = state.docOffset + PAGE_SIZE >= page.total;
    } catch (err) {
      tbody.replaceChildren(el("tr", {}, el("td", { colspan: "5", class: "error" }, "无法加载文档列表：" + err.message)));
    }
  }

  $("#doc-refresh").addEventListener("click", loadDocuments);
  $("#doc-prev").addEventListener("click", () => {
    state.docOffset = Math.max(0, state.docOffset - PAGE_SIZE);
    loadDocuments();
  });
  $("#doc-next").addEventListener("click", () => {
    if (state.docOffset + PAGE_SIZE < state.docTotal) state.docOffset += PAGE_SIZE;
    loadDocuments();
  });

  // ---- proofreading -----------------------------------------------------

  const KIND_NAMES = {
    layout: "格式", structure: "结构", punctuation: "标点", wording: "用词", figures: "数字",
  };
  $("#proofread-file").addEventListener("change", () => {
    const file = $("#proofread-file").files[0];
    $("#proofread-chosen").textContent = file ? file.name : "未选择";
    $("#proofread-download").disabled = !file;
  });

  function proofreadQuery(format) {
    const figures = $("#proofread-figures").checked ? "true" : "false";
    return `/proofread?format=${format}&check_figures=${figures}`;
  }

  function showFindings(report) {
    const list = $("#proofread-findings");
    list.replaceChildren();
    for (const f of report.findings) {
      const where = f.paragraph ? `第${f.paragraph}段` : "全文";
      const item = el("li", { class: "finding " + (f.severity === "错误" ? "error" : "advice") },
        el("span", { class: "finding-tag" }, `${f.severity}·${KIND_NAMES[f.kind] || f.kind}`),
        el("span", { class: "finding-where" }, where),
        el("span", { class: "finding-message" }, f.message));
      if (f.quote) item.append(el("q", { class: "finding-quote" }, f.quote));
      if (f.suggestion) item.append(el("span", { class: "finding-fix" }, "→ " + f.suggestion));
      list.append(item);
    }
  }

  $("#proofread-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const status = $("#proofread-status");
    const file = $("#proofread-file").files[0];
    const text = $("#proofread-text").value.trim();
    if (!file && !text) { setStatus(status, "请选择 .docx 文件或粘贴文字。", true); return; }
    const button = $("#proofread-submit");
    button.disabled = true;
    setStatus(status, "正在审校，请稍候…");
    try {
      let response;
      if (file) {
        const form = new FormData();
        form.append("file", file);
        response = await api(proofreadQuery("json"), { method: "POST", body: form });
      } else {
        response = await postJson("/proofread", { text, check_figures: $("#proofread-figures").checked });
      }
      const report = await response.json();
      showFindings(report);
      const notes = report.notes.length ? "；" + report.notes.join("；") : "";
      setStatus(status, `审校完成：错误 ${report.errors} 处，建议 ${report.suggestions} 处` +
        `（${report.paragraphs} 段，约 ${report.pages} 页，核对数字 ${report.figures_checked} 处）${notes}`);
    } catch (err) {
      setStatus(status, "审校失败：" + err.message, true);
    } finally {
      button.disabled = false;
    }
  });

  $("#proofread-download").addEventListener("click", async () => {
    const status = $("#proofread-status");
    const file = $("#proofread-file").files[0];
    if (!file) return;
    setStatus(status, "正在生成带批注的文档…");
    try {
      const form = new FormData();
      form.append("file", file);
      const response = await api(proofreadQuery("docx"), { method: "POST", body: form });
      const name = filenameOf(response);
      const url = URL.createObjectURL(await response.blob());
      const link = el("a", { href: url, download: name });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      setStatus(status, "已下载：" + name);
    } catch (err) {
      setStatus(status, "生成失败：" + err.message, true);
    }
  });

  // ---- knowledge bases ----------------------------------------------------

  async function loadKnowledgeBases() {
    try {
      state.kbs = await apiJson("/knowledge-bases");
    } catch (_) {
      state.kbs = [];
    }
    const known = new Set(state.kbs.map((kb) => kb.name));
    state.chosen = new Set([...state.chosen].filter((name) => known.has(name)));
    if (!state.chosen.size) state.kbs.forEach((kb) => state.chosen.add(kb.name));
    $("#kb-bar").hidden = state.kbs.length < 2;
    $("#kb-choices").replaceChildren(...state.kbs.map((kb) => {
      const box = el("input", { type: "checkbox", value: kb.name, "data-kb": kb.name });
      box.checked = state.chosen.has(kb.name);
      box.addEventListener("change", () => {
        if (box.checked) state.chosen.add(kb.name); else state.chosen.delete(kb.name);
        if (!state.chosen.size) { state.chosen.add(kb.name); box.checked = true; }
        state.docOffset = 0;
        loadDocuments();
      });
      return el("label", { class: "check kb-choice", title: `${kb.documents} 篇文档` }, box, " " + kb.title);
    }));
    const select = $("#upload-kb");
    select.replaceChildren(...state.kbs.map((kb) => el("option", { value: kb.name }, kb.title)));
    if (!known.has(state.uploadKb)) state.uploadKb = state.kbs.length ? state.kbs[0].name : "";
    select.value = state.uploadKb;
    select.closest(".upload-target").hidden = state.kbs.length < 2;
  }
  $("#upload-kb").addEventListener("change", () => { state.uploadKb = $("#upload-kb").value; });

  function kbTitle(name) {
    const kb = state.kbs.find((k) => k.name === name);
    return kb ? kb.title : name;
  }

  async function refreshAll() {
    refreshHealth();
    loadDocTypes();
    await loadKnowledgeBases();
    loadDocuments();
  }

  refreshAll();
})();
