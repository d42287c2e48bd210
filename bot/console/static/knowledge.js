// "Basis Pengetahuan" view of the console (issue 16), for unit PICs (own unit) and supervisors
// (all units): the monthly review summary, open question groups, entries due or flagged, and the
// form that edits an entry through /api/knowledge (bot/console/knowledge.py). Every text from
// users or the knowledge base is put in the page as text nodes, never parsed as markup.
// It hooks into console.js only through the "console:session" and "console:logout" events.
"use strict";

(function () {
  const ROLES = ["unit_pic", "supervisor"];
  const ACTIONS = { add_questions: "tambah pertanyaan", update: "ubah entri", create: "entri baru",
    review: "tandai ditinjau", revert: "pembatalan" };
  const kb = { csrf: "", user: null, overview: null, unit: "", show: "all", versions: {},
    entries: [], entry: null, version: "", group: null, creating: null };
  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (name === "className") node.className = value;
      else if (name === "dataset") Object.assign(node.dataset, value);
      else node.setAttribute(name, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  class ApiError extends Error {
    constructor(status, data) { super(data.error || String(status)); this.status = status; this.data = data; }
  }

  async function api(path, body) {
    const init = { credentials: "same-origin", headers: { Accept: "application/json" } };
    if (body !== undefined) {
      init.method = "POST";
      init.headers["Content-Type"] = "application/json";
      init.headers["X-CSRF-Token"] = kb.csrf;
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    let data = {};
    try { data = await response.json(); } catch (_) { data = {}; }
    if (!response.ok) throw new ApiError(response.status, data);
    return data;
  }

  function query(params) {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) if (value) search.set(name, value);
    const text = search.toString();
    return text ? "?" + text : "";
  }

  function lines(text) {
    return text.split("\n").map((line) => line.trim()).filter(Boolean);
  }

  // ---- the view's skeleton -----------------------------------------------------------------
  function field(label, input, hint) {
    return el("label", { className: "kb-field" }, label, input, hint ? el("span", { className: "muted small" }, hint) : null);
  }

  function build() {
    const view = $("kb-view");
    clear(view);
    view.appendChild(el("section", { className: "kb-top" },
      el("div", { className: "kb-head" },
        el("h2", {}, "Basis Pengetahuan"),
        el("label", { className: "kb-unit" }, "Unit ",
          el("select", { id: "kb-unit", "data-testid": "kb-unit" })),
        el("button", { type: "button", id: "kb-reload", "data-testid": "kb-reload" }, "Muat ulang")),
      el("div", { id: "kb-summary", className: "kb-summary", "data-testid": "kb-summary", "aria-live": "polite" })));
    const form = el("form", { id: "kb-form", className: "kb-form", "data-testid": "kb-form", novalidate: "" },
      el("h3", { id: "kb-form-title", "data-testid": "kb-form-title" }, ""),
      el("p", { id: "kb-dates", className: "muted small", "data-testid": "kb-dates" }),
      field("ID entri (huruf kecil dan tanda -)", el("input", { id: "kb-id", maxlength: "80", "data-testid": "kb-id" })),
      field("Topik", el("input", { id: "kb-topic", maxlength: "300", "data-testid": "kb-topic" })),
      field("Pertanyaan (satu per baris, minimal 3)", el("textarea", { id: "kb-questions", rows: "6", "data-testid": "kb-questions" })),
      field("Jawaban (paling banyak 1.000 karakter)", el("textarea", { id: "kb-answer", rows: "6", "data-testid": "kb-answer" })),
      field("Dasar hukum / rujukan (satu per baris)", el("textarea", { id: "kb-references", rows: "2", "data-testid": "kb-references" })),
      field("Kata kunci (pisahkan dengan koma)", el("input", { id: "kb-keywords", "data-testid": "kb-keywords" })),
      el("div", { className: "kb-row" },
        field("Tinjau setiap (hari)", el("input", { id: "kb-every", type: "number", min: "1", "data-testid": "kb-every" })),
        field("Berlaku sampai", el("input", { id: "kb-valid", type: "date", "data-testid": "kb-valid" }))),
      field("Perlu konfirmasi unit", el("input", { id: "kb-confirm", maxlength: "500", "data-testid": "kb-confirm" }),
        "Kosongkan bila fakta sudah dikonfirmasi."),
      el("div", { className: "kb-actions" },
        el("button", { type: "submit", id: "kb-save", "data-testid": "kb-save" }, "Simpan"),
        el("button", { type: "button", id: "kb-reviewed", "data-testid": "kb-reviewed" }, "Tandai sudah ditinjau"),
        el("button", { type: "button", id: "kb-cancel", className: "link-button" }, "Tutup")),
      el("div", { id: "kb-conflict", className: "kb-conflict", "data-testid": "kb-conflict", role: "alert", hidden: "" }),
      el("ul", { id: "kb-problems", className: "kb-problems", "data-testid": "kb-problems", role: "alert" }));
    view.appendChild(el("div", { className: "kb-layout" },
      el("section", { className: "kb-lists" },
        el("h3", {}, "Pertanyaan yang belum terjawab"),
        el("p", { className: "muted small" }, "Pertanyaan serupa dikelompokkan. Tambahkan ke entri yang ada atau buat entri baru."),
        el("ul", { id: "kb-groups", className: "kb-groups", "data-testid": "kb-groups" }),
        el("div", { className: "kb-head" },
          el("h3", {}, "Entri"),
          el("select", { id: "kb-show", "data-testid": "kb-show", "aria-label": "Tampilkan" },
            el("option", { value: "all" }, "semua"),
            el("option", { value: "due" }, "perlu ditinjau"),
            el("option", { value: "flagged" }, "perlu konfirmasi"))),
        el("ul", { id: "kb-entries", className: "kb-entries", "data-testid": "kb-entries" })),
      el("section", { className: "kb-detail" },
        el("p", { id: "kb-status", className: "status", "data-testid": "kb-status", role: "status" }),
        el("p", { id: "kb-empty", className: "muted" }, "Pilih entri atau kelompok pertanyaan."),
        form,
        el("section", { id: "kb-history-box", className: "kb-history-box" },
          el("h3", {}, "Riwayat perubahan"),
          el("ol", { id: "kb-history", className: "kb-history", "data-testid": "kb-history" })))));
    $("kb-unit").addEventListener("change", () => { kb.unit = $("kb-unit").value; closeForm(); loadAll(); });
    $("kb-show").addEventListener("change", () => { kb.show = $("kb-show").value; loadEntries(); });
    $("kb-reload").addEventListener("click", () => { loadAll(); if (kb.entry) openEntry(kb.entry.id); });
    $("kb-form").addEventListener("submit", (event) => { event.preventDefault(); save(); });
    $("kb-reviewed").addEventListener("click", markReviewed);
    $("kb-cancel").addEventListener("click", closeForm);
    closeForm();
  }

  // ---- showing and hiding the view ----------------------------------------------------------
  function showView(on) {
    $("kb-view").hidden = !on;
    $("main-view").hidden = on;
    $("kb-toggle").textContent = on ? "Antrean" : "Basis Pengetahuan";
    if (on) loadAll();
  }

  document.addEventListener("console:session", async (event) => {
    kb.csrf = event.detail.csrf_token;
    kb.user = event.detail.user;
    const toggle = $("kb-toggle");
    toggle.hidden = !ROLES.includes(kb.user.role);
    $("kb-view").hidden = true;
    if (toggle.hidden) return;
    build();
    try {
      kb.overview = await api("api/knowledge");
    } catch (error) {
      toggle.hidden = true;
      return;
    }
    const select = $("kb-unit");
    if (kb.user.role === "supervisor") select.appendChild(el("option", { value: "" }, "Semua unit"));
    for (const unit of kb.overview.units) select.appendChild(el("option", { value: unit.slug }, unit.name));
    select.disabled = kb.user.role !== "supervisor";
    kb.unit = select.value;
  });

  document.addEventListener("console:logout", () => {
    kb.user = null;
    $("kb-toggle").hidden = true;
    $("kb-view").hidden = true;
    clear($("kb-view"));
  });

  $("kb-toggle").addEventListener("click", () => showView($("kb-view").hidden));

  // ---- loading ------------------------------------------------------------------------------
  async function loadAll() {
    try {
      await loadEntries();  // first: a group offers the unit's entries as targets
      await Promise.all([loadSummary(), loadGroups()]);
    } catch (error) {  // e.g. a file broken by a hand edit: its file:line problems are shown
      const where = error.data && error.data.problems ? " " + error.data.problems.join("; ") : "";
      sayStatus("Basis pengetahuan tidak dapat dimuat: " + error.message + where);
    }
  }

  function monthName(month) {
    const [year, number] = month.split("-").map(Number);
    return new Date(Date.UTC(year, number - 1, 15)).toLocaleDateString("id-ID", { month: "long", year: "numeric", timeZone: "UTC" });
  }

  async function loadSummary() {
    const box = $("kb-summary");
    let data;
    try {
      data = await api("api/knowledge/summary" + query({ unit: kb.unit }));
    } catch (error) {
      clear(box);
      box.appendChild(el("p", { className: "error" }, "Ringkasan tidak dapat dimuat: " + error.message));
      return;
    }
    clear(box);
    box.appendChild(el("h3", {}, "Ringkasan tinjauan bulanan · " + monthName(data.month)));
    const table = el("table", { className: "kb-summary-table" },
      el("thead", {}, el("tr", {}, ...["Unit", "Entri perlu ditinjau", "Perlu konfirmasi",
        "Kelompok pertanyaan terbuka", "\u201cTidak membantu\u201d", "Topik terbanyak"].map((h) => el("th", {}, h)))));
    const body = el("tbody", {});
    const names = Object.fromEntries(kb.overview.units.map((u) => [u.slug, u.name]));
    for (const summary of data.summaries) {
      const topics = summary.top_topics.map((t) => t.text + " (" + t.count + ")").join("; ") || "-";
      body.appendChild(el("tr", { dataset: { unit: summary.unit } },
        el("td", {}, names[summary.unit] || summary.unit),
        el("td", { "data-testid": "kb-due-count" }, String(summary.entries_due.length)),
        el("td", {}, String(summary.flagged.length)),
        el("td", { "data-testid": "kb-open-groups" }, String(summary.open_groups)),
        el("td", {}, String(summary.unhelpful_votes)),
        el("td", {}, topics)));
    }
    table.appendChild(body);
    box.appendChild(table);
    const mail = kb.overview.mail;
    const runs = data.summaries.map((s) => s.mail_run).filter(Boolean);
    const note = mail.configured
      ? "Ringkasan dikirim lewat e-mail ke PIC unit pada awal bulan." +
        (runs.length ? " " + runs.map((r) => r.detail).join(" ") : "")
      : mail.detail;
    box.appendChild(el("p", { className: "muted small", "data-testid": "kb-mail" }, note));
  }

  async function loadGroups() {
    const list = $("kb-groups");
    const data = await api("api/knowledge/groups" + query({ unit: kb.unit }));
    clear(list);
    if (!data.groups.length) list.appendChild(el("li", { className: "muted" }, "Tidak ada pertanyaan terbuka."));
    for (const group of data.groups) list.appendChild(groupItem(group));
  }

  function groupItem(group) {
    const kind = { miss: "tidak terjawab", unhelpful: "dinilai tidak membantu", mixed: "tidak terjawab / tidak membantu" }[group.kind];
    const texts = el("ul", { className: "kb-texts" });
    for (const text of group.texts) {
      const box = el("input", { type: "checkbox", checked: "", dataset: { text } });
      texts.appendChild(el("li", {}, el("label", {}, box, " " + text)));
    }
    const target = el("select", { "aria-label": "Entri tujuan", "data-testid": "kb-group-target" });
    const own = kb.entries.filter((e) => e.unit === group.unit);
    for (const entry of own) target.appendChild(el("option", { value: entry.id }, entry.id + " — " + entry.topic));
    if (group.best_id && own.some((e) => e.id === group.best_id)) target.value = group.best_id;
    const add = el("button", { type: "button", "data-testid": "kb-group-add" }, "Tambahkan ke entri");
    const create = el("button", { type: "button", "data-testid": "kb-group-new" }, "Buat entri baru");
    const item = el("li", { dataset: { groupId: group.id, unit: group.unit }, "data-testid": "kb-group" },
      el("div", { className: "kb-group-head" },
        el("strong", {}, group.count + " pertanyaan"),
        " · " + kind + " · " + group.channels.join(", ") + " · terakhir " + group.last_seen_text),
      el("div", { className: "muted small" }, (kb.unit ? "" : group.unit + " · ") +
        (group.best_id ? "Entri terdekat: " + group.best_id : "Belum ada entri terdekat") +
        (group.program ? " · program " + group.program : "")),
      texts,
      el("div", { className: "kb-actions" }, target, add, create));
    const chosen = () => [...texts.querySelectorAll("input:checked")].map((box) => box.dataset.text);
    add.addEventListener("click", () => addToEntry(group, target.value, chosen()));
    create.addEventListener("click", () => startEntry(group, chosen()));
    return item;
  }

  async function loadEntries() {
    const data = await api("api/knowledge/entries" + query({ unit: kb.unit, show: kb.show }));
    kb.versions = data.versions;
    if (kb.show === "all") kb.entries = data.entries;
    const list = $("kb-entries");
    clear(list);
    if (!data.entries.length) list.appendChild(el("li", { className: "muted" }, "Tidak ada entri."));
    for (const entry of data.entries) {
      const badges = [];
      if (entry.review_due) badges.push(el("span", { className: "badge kb-due" }, "perlu ditinjau"));
      if (entry.flagged) badges.push(el("span", { className: "badge kb-flag" }, "perlu konfirmasi"));
      const item = el("li", { dataset: { id: entry.id }, "data-testid": "kb-entry" },
        el("div", {}, el("strong", {}, entry.id), " ", ...badges),
        el("div", { className: "muted small" }, entry.topic + " · ditinjau " + entry.reviewed_on));
      if (kb.entry && kb.entry.id === entry.id) item.classList.add("selected");
      item.addEventListener("click", () => openEntry(entry.id));
      list.appendChild(item);
    }
    if (kb.show !== "all") {
      const all = await api("api/knowledge/entries" + query({ unit: kb.unit }));
      kb.entries = all.entries;
    }
  }

  // ---- the form -----------------------------------------------------------------------------
  function sayStatus(text) {
    $("kb-status").textContent = text;
  }

  function clearProblems() {
    clear($("kb-problems"));
    const conflict = $("kb-conflict");
    conflict.hidden = true;
    clear(conflict);
  }

  function closeForm() {
    kb.entry = null;
    kb.creating = null;
    kb.group = null;
    $("kb-form").hidden = true;
    $("kb-history-box").hidden = true;
    $("kb-empty").hidden = false;
  }

  function fill(entry) {
    $("kb-id").value = entry.id || "";
    $("kb-topic").value = entry.topic || "";
    $("kb-questions").value = (entry.questions || []).join("\n");
    $("kb-answer").value = entry.answer || "";
    $("kb-references").value = (entry.references || []).join("\n");
    $("kb-keywords").value = (entry.keywords || []).join(", ");
    $("kb-every").value = entry.review_every_days || 30;
    $("kb-valid").value = entry.valid_until || "";
    $("kb-confirm").value = entry.confirm || "";
  }

  function formFields() {
    return {
      topic: $("kb-topic").value.trim(),
      questions: lines($("kb-questions").value),
      answer: $("kb-answer").value.trim(),
      references: lines($("kb-references").value),
      keywords: $("kb-keywords").value.split(",").map((k) => k.trim()).filter(Boolean),
      review_every_days: Number($("kb-every").value) || 30,
      valid_until: $("kb-valid").value || null,
      confirm: $("kb-confirm").value.trim() || null,
    };
  }

  // Only the fields the PIC changed are sent: the rest of the entry stays byte for byte.
  function changedFields(entry, fields) {
    const same = (a, b) => JSON.stringify(a === undefined || a === "" ? null : a) ===
      JSON.stringify(b === undefined || b === "" ? null : b);
    const out = {};
    for (const [name, value] of Object.entries(fields)) {
      const before = name === "keywords" || name === "references" || name === "questions"
        ? (entry[name] || []) : entry[name];
      if (!same(before, value)) out[name] = value;
    }
    return out;
  }

  function renderHistory(history) {
    const list = $("kb-history");
    clear(list);
    if (!history.length) list.appendChild(el("li", { className: "muted" }, "Belum ada perubahan dari konsol."));
    for (const change of history) {
      const item = el("li", { dataset: { changeId: String(change.id) }, "data-testid": "kb-change" },
        el("div", {}, el("strong", {}, ACTIONS[change.action] || change.action),
          " · " + change.author + " · " + change.at_text +
          (change.group_id ? " · dari kelompok pertanyaan" : "") +
          (change.reverted_by ? " · dibatalkan" : "")),
        el("details", {}, el("summary", {}, "Lihat perbedaan"), el("pre", { className: "kb-diff" }, change.diff)));
      if (!change.reverted_by) {
        const undo = el("button", { type: "button", "data-testid": "kb-revert" }, "Batalkan perubahan ini");
        undo.addEventListener("click", () => revert(change.id));
        item.appendChild(undo);
      }
      list.appendChild(item);
    }
  }

  async function openEntry(id, keepStatus) {
    let data;
    try {
      data = await api("api/knowledge/entries/" + encodeURIComponent(id));
    } catch (error) {
      closeForm();
      if (!keepStatus) sayStatus("Entri tidak dapat dibuka: " + error.message);
      return;
    }
    kb.entry = data.entry;
    kb.version = data.version;
    kb.creating = null;
    kb.group = null;
    clearProblems();
    if (!keepStatus) sayStatus("");
    fill(data.entry);
    $("kb-id").disabled = true;
    $("kb-reviewed").hidden = false;
    $("kb-form-title").textContent = data.entry.id + " · " + data.entry.file + ":" + data.entry.line;
    $("kb-dates").textContent = "Ditinjau " + data.entry.reviewed_on + " · tinjauan berikutnya " +
      data.entry.review_due_on + (data.entry.review_due ? " (sudah lewat)" : "") +
      (data.entry.flagged ? " · perlu konfirmasi: " + data.entry.confirm : "");
    $("kb-form").hidden = false;
    $("kb-empty").hidden = true;
    $("kb-history-box").hidden = false;
    renderHistory(data.history);
    for (const item of $("kb-entries").children) item.classList.toggle("selected", item.dataset.id === id);
  }

  function startEntry(group, texts) {
    kb.entry = null;
    kb.creating = { unit: group.unit, version: kb.versions[group.unit] };
    kb.group = group;
    clearProblems();
    sayStatus("");
    fill({ questions: texts, review_every_days: 30 });
    $("kb-id").disabled = false;
    $("kb-reviewed").hidden = true;
    $("kb-form-title").textContent = "Entri baru · " + group.unit;
    $("kb-dates").textContent = "Ditinjau " + kb.overview.today + " (hari ini) · dari kelompok " + group.count + " pertanyaan";
    $("kb-form").hidden = false;
    $("kb-empty").hidden = true;
    $("kb-history-box").hidden = true;
    $("kb-id").focus();
  }

  function refused(error) {
    const data = error.data || {};
    if (error.status === 409) {
      const conflict = $("kb-conflict");
      clear(conflict);
      conflict.appendChild(el("p", {}, data.error));
      if (kb.entry) {
        const reload = el("button", { type: "button", "data-testid": "kb-conflict-reload" }, "Muat ulang entri");
        reload.addEventListener("click", () => openEntry(kb.entry.id));
        conflict.appendChild(reload);
      }
      conflict.hidden = false;
      sayStatus("");
      loadAll();  // the lists and their versions as they are now; the form keeps its text
      return;
    }
    const problems = $("kb-problems");
    clear(problems);
    for (const problem of data.problems || []) problems.appendChild(el("li", {}, problem));
    sayStatus(data.error || error.message);
  }

  async function afterSave(result, entryId, text) {
    sayStatus(text);
    if (entryId) await openEntry(entryId, true);
    await loadAll();  // the groups are regrouped on the server: the slowest part comes last
  }

  async function save() {
    clearProblems();
    const fields = formFields();
    try {
      if (kb.creating) {
        const id = $("kb-id").value.trim();
        const result = await api("api/knowledge/entries", { unit: kb.creating.unit,
          version: kb.creating.version || kb.versions[kb.creating.unit] || "",
          group_id: kb.group ? kb.group.id : undefined,
          fields: { id, ...fields, reviewed_on: kb.overview.today } });
        await afterSave(result, id, "Entri baru tersimpan. Asisten memakai jawaban ini mulai pesan berikutnya.");
        return;
      }
      if (!kb.entry) return;
      const changed = changedFields(kb.entry, fields);
      if (!Object.keys(changed).length) { sayStatus("Tidak ada perubahan untuk disimpan."); return; }
      const result = await api("api/knowledge/entries/" + encodeURIComponent(kb.entry.id),
        { fields: changed, version: kb.version });
      await afterSave(result, kb.entry.id, "Perubahan tersimpan. Asisten memakainya mulai pesan berikutnya.");
    } catch (error) {
      refused(error);
    }
  }

  async function markReviewed() {
    if (!kb.entry) return;
    clearProblems();
    try {
      const result = await api("api/knowledge/entries/" + encodeURIComponent(kb.entry.id) + "/reviewed",
        { version: kb.version });
      await afterSave(result, kb.entry.id, "Entri ditandai sudah ditinjau hari ini.");
    } catch (error) {
      refused(error);
    }
  }

  async function addToEntry(group, entryId, texts) {
    clearProblems();
    if (!entryId || !texts.length) { sayStatus("Pilih entri tujuan dan minimal satu pertanyaan."); return; }
    const entry = kb.entries.find((e) => e.id === entryId);
    const unit = entry ? entry.unit : group.unit;
    try {
      const result = await api("api/knowledge/entries/" + encodeURIComponent(entryId) + "/questions",
        { questions: texts, version: kb.versions[unit] || "", group_id: group.id });
      await afterSave(result, entryId, texts.length + " pertanyaan ditambahkan ke entri " + entryId +
        ". Asisten menjawabnya mulai pesan berikutnya.");
    } catch (error) {
      if (!kb.entry || kb.entry.id !== entryId) await openEntry(entryId);
      refused(error);
    }
  }

  async function revert(changeId) {
    clearProblems();
    try {
      const result = await api("api/knowledge/changes/" + changeId + "/revert", {});
      await afterSave(result, result.change.entry_id, "Perubahan dibatalkan.");
    } catch (error) {
      refused(error);
    }
  }
})();
