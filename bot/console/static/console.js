// Agent console page. Every text that comes from users, agents or the knowledge base is put in
// the page with textContent or text nodes, never parsed as markup; the queue and ticket are polled.
"use strict";

(function () {
  const POLL_MS = 3000;
  const state = { csrf: "", user: null, meta: null, selected: null, queueKey: "", ticketKey: "" };
  const $ = (id) => document.getElementById(id);

  // An element with text children only; attributes set one by one, never as markup.
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

  class HttpError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  async function api(path, options) {
    const init = { credentials: "same-origin", headers: { Accept: "application/json" } };
    if (options && options.body !== undefined) {
      init.method = "POST";
      init.headers["Content-Type"] = "application/json";
      init.headers["X-CSRF-Token"] = state.csrf;
      init.body = JSON.stringify(options.body);
    }
    const response = await fetch(path, init);
    let data = {};
    try { data = await response.json(); } catch (_) { data = {}; }
    if (response.status === 401 && path !== "login") showLogin();
    if (!response.ok) throw new HttpError(response.status, data.error || response.statusText);
    return data;
  }

  function when(iso) {
    const date = new Date(iso);
    return date.toLocaleString("id-ID", { dateStyle: "short", timeStyle: "short" });
  }

  // ---- the agents' clock: times in the console's zone (WIB by default), never the browser's --
  // The server formats every stored time as `at_text` ("01/12/26 12.56 WIB · 13.56 WITA", the
  // user's zone beside when it differs); `when` is only a fallback for a line without one.
  function stamp(item) {
    return item.at_text || when(item.at);
  }

  function agentClock(date) {
    const zone = (state.meta && state.meta.console_zone) || { name: "WIB", offset_hours: 7 };
    const local = new Date(date.getTime() + zone.offset_hours * 3600000);
    const two = (n) => String(n).padStart(2, "0");
    return two(local.getUTCHours()) + "." + two(local.getUTCMinutes()) + " " + zone.name;
  }

  function agentDay(iso) {  // "01/12/2026 10.05 WIB" in the agents' zone
    const zone = (state.meta && state.meta.console_zone) || { name: "WIB", offset_hours: 7 };
    const local = new Date(new Date(iso).getTime() + zone.offset_hours * 3600000);
    const two = (n) => String(n).padStart(2, "0");
    return two(local.getUTCDate()) + "/" + two(local.getUTCMonth() + 1) + "/" + local.getUTCFullYear() +
      " " + agentClock(new Date(iso));
  }

  function waiting(iso) {
    const minutes = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 60000));
    if (minutes < 60) return minutes + " mnt";
    const hours = Math.floor(minutes / 60);
    return hours < 48 ? hours + " jam" : Math.floor(hours / 24) + " hari";
  }

  function say(text, isError) {
    const status = $("action-status");
    status.textContent = text;
    status.className = isError ? "error" : "status";
  }

  // ---- login -----------------------------------------------------------------------------
  function showLogin() {
    state.user = null;
    $("main-view").hidden = true;
    $("who").hidden = true;
    $("login-view").hidden = false;
    document.dispatchEvent(new CustomEvent("console:logout"));  // hook: knowledge.js
  }

  async function start(session) {
    state.csrf = session.csrf_token;
    state.user = session.user;
    $("who-name").textContent = session.user.username + " (" + session.user.role +
      (session.user.unit ? ", " + session.user.unit : "") + ")";
    $("login-view").hidden = true;
    $("who").hidden = false;
    $("main-view").hidden = false;
    document.dispatchEvent(new CustomEvent("console:session", { detail: session }));  // hook: knowledge.js
    state.meta = await api("api/meta");
    fillVocabularies();
    showNotifyState();
    await refreshQueue();
  }

  $("login-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    $("login-error").textContent = "";
    try {
      const session = await api("login", { body: {
        username: $("login-username").value, password: $("login-password").value } });
      $("login-password").value = "";
      await start(session);
    } catch (error) {
      $("login-error").textContent = error.status === 429
        ? "Terlalu banyak percobaan. Coba lagi nanti." : "Nama pengguna atau kata sandi salah.";
    }
  });

  $("logout").addEventListener("click", async () => {
    try { await api("logout", { body: {} }); } finally { notify.newest = null; showLogin(); }
  });

  // ---- queue -------------------------------------------------------------------------------
  function fillVocabularies() {
    for (const select of document.querySelectorAll("select[data-vocab]")) {
      if (select.options.length > 1) continue;
      for (const value of state.meta[select.dataset.vocab]) select.appendChild(el("option", { value }, value));
    }
    const units = $("escalate-unit");
    clear(units);
    for (const unit of state.meta.units) units.appendChild(el("option", { value: unit.slug }, unit.name));
    const agents = $("assign-agent");
    clear(agents);
    for (const name of state.meta.agents) agents.appendChild(el("option", { value: name }, name));
    $("assign-box").hidden = state.user.role !== "supervisor";
    $("claim").hidden = state.user.role === "unit_pic";
  }

  function filterParams() {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData($("filters")).entries()) if (value) params.set(name, value);
    return params.toString();
  }

  function queueItem(ticket) {
    const item = el("li", { dataset: { id: String(ticket.id), number: ticket.number } },
      el("div", { className: "line1" },
        el("span", {}, ticket.number),
        el("span", { className: "badge " + ticket.status }, ticket.status),
        el("span", { className: "muted", title: ticket.created_text || "" },
          "menunggu " + waiting(ticket.created_at))),
      el("div", { className: "meta" }, [ticket.channel, ticket.topic, ticket.zone || "zona ?",
        ticket.in_service_hours ? "jam layanan" : "di luar jam layanan",
        ticket.assigned_agent ? "oleh " + ticket.assigned_agent : "belum diambil"].join(" · ")),
      el("div", {}, (ticket.user_name || "Tanpa nama") + (ticket.instansi ? " — " + ticket.instansi : "")),
      el("div", { className: "muted" }, ticket.summary));
    if (ticket.id === state.selected) item.classList.add("selected");
    item.addEventListener("click", () => openTicket(ticket.id));
    return item;
  }

  async function refreshQueue() {
    if (!state.user) return;
    const data = await api("api/tickets?" + filterParams());
    notifyNewTickets(data.tickets);
    const key = JSON.stringify(data);
    $("queue-updated").textContent = "Diperbarui " + agentClock(new Date());
    if (key === state.queueKey) return;
    state.queueKey = key;
    $("queue-total").textContent = "(" + data.total + ")";
    const list = $("queue-list");
    clear(list);
    for (const ticket of data.tickets) list.appendChild(queueItem(ticket));
  }

  $("filters").addEventListener("change", () => { state.queueKey = ""; refreshQueue().catch(() => {}); });

  // ---- ticket ------------------------------------------------------------------------------
  function renderTicket(ticket) {
    $("ticket-title").textContent = ticket.number + " · " + ticket.status;
    const summary = $("ticket-summary");
    clear(summary);
    for (const line of ticket.context_summary) {
      summary.appendChild(el("dt", {}, line.label));
      summary.appendChild(el("dd", {}, line.value));
    }
    const transcript = $("transcript");
    clear(transcript);
    for (const message of ticket.messages) {
      const line = el("li", { className: message.sender },
        el("span", { className: "who" }, message.sender + " · " + stamp(message) + fromFaq(message)),
        message.text);
      transcript.appendChild(deliveryLabel(line, message));
    }
    transcript.scrollTop = transcript.scrollHeight;
    renderReach(ticket.reach);
    const events = $("events");
    clear(events);
    for (const event of ticket.events.slice().reverse()) {
      events.appendChild(el("li", { className: event.kind },
        el("span", { className: "who" }, event.kind + " · " + event.actor + " · " + stamp(event)),
        event.detail));
    }
    const active = ["open", "assigned", "escalated"].includes(ticket.status);
    for (const id of ["claim", "assign", "escalate", "resolve", "reply-send"]) $(id).disabled = !active;
    renderReservation(ticket, active);
    refreshSuggestions(ticket).catch(() => {});
  }

  // ---- delivery states of agent replies (issue 15) -------------------------------------------
  // A small label under each agent message (menunggu, terkirim, diterima, dibaca, gagal + reason)
  // and a "Kirim ulang" button on failed ones.
  function deliveryLabel(line, message) {
    const delivery = message.delivery;
    if (!delivery) return line;
    const text = delivery.label + (delivery.reason ? " · " + delivery.reason : "");
    const label = el("span", { className: "delivery " + delivery.state, "data-testid": "delivery",
      dataset: { state: delivery.state } }, text);
    line.appendChild(label);
    if (delivery.retryable) {
      const retry = el("button", { type: "button", className: "retry", "data-testid": "retry" }, "Kirim ulang");
      retry.addEventListener("click", () => retryMessage(message.id));
      line.appendChild(retry);
    }
    return line;
  }

  function replyStatus(result) {
    const delivery = result.message.delivery;
    if (!delivery) return "Balasan terkirim: " + result.delivery.note;
    return "Balasan " + delivery.label + (delivery.reason ? " (" + delivery.reason + ")" : "") + ": " + result.delivery.note;
  }

  async function retryMessage(messageId) {
    try {
      const result = await api("api/tickets/" + state.selected + "/messages/" + messageId + "/retry", { body: {} });
      say("Kirim ulang: " + result.delivery.label + (result.delivery.reason ? " (" + result.delivery.reason + ")" : ""), false);
    } catch (error) {
      say("Gagal: " + error.message, true);
    }
    state.ticketKey = "";
    await refreshTicket().catch(() => {});
  }

  function renderReach(reach) {
    const box = $("reach");
    if (!box) return;
    clear(box);
    box.hidden = !(reach && reach.notice);
    if (box.hidden) return;
    box.appendChild(el("p", {}, reach.notice));
    if (reach.contacts) {
      const list = el("ul", {});
      for (const contact of reach.contacts) list.appendChild(el("li", {}, contact.label + ": " + contact.value));
      box.appendChild(list);
    }
  }

  async function refreshTicket() {
    if (state.selected === null) return;
    const ticket = await api("api/tickets/" + state.selected);
    const key = JSON.stringify(ticket);
    if (key === state.ticketKey) return;
    state.ticketKey = key;
    renderTicket(ticket);
  }

  async function openTicket(id) {
    state.selected = id;
    state.ticketKey = "";
    $("ticket-empty").hidden = true;
    $("ticket-view").hidden = false;
    say("", false);
    for (const item of $("queue-list").children) item.classList.toggle("selected", item.dataset.id === String(id));
    await refreshTicket();
  }

  async function act(action, body, done) {
    try {
      const result = await api("api/tickets/" + state.selected + "/" + action, { body });
      say(done(result), false);
    } catch (error) {
      say("Gagal: " + error.message, true);
    }
    state.ticketKey = "";
    state.queueKey = "";
    await Promise.all([refreshTicket(), refreshQueue()]).catch(() => {});
  }

  $("claim").addEventListener("click", () => act("claim", {}, () => "Tiket diambil."));
  $("assign").addEventListener("click", () =>
    act("assign", { agent: $("assign-agent").value }, (r) => "Ditugaskan ke " + r.ticket.assigned_agent + "."));
  $("escalate").addEventListener("click", () =>
    act("escalate", { unit: $("escalate-unit").value, note: $("note-text").value },
      (r) => "Dieskalasi ke " + r.ticket.escalation_unit + "."));
  $("resolve").addEventListener("click", () =>
    act("resolve", {}, (r) => "Selesai; bot menanyakan kepuasan (" + r.delivery.note + ")."));

  $("reply-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("reply-text").value.trim();
    if (!text) return;
    // No maxlength on the box: a pasted text is never cut silently. The server refuses a reply
    // over the limit with a message shown here, and the text stays in the box to shorten.
    act("reply", withSuggestion({ text }), (r) => {
      $("reply-text").value = "";
      forgetSuggestion();
      return replyStatus(r);
    });
  });

  $("note-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("note-text").value.trim();
    if (!text) return;
    act("note", { text }, () => { $("note-text").value = ""; return "Catatan disimpan."; });
  });

  $("canned-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const list = $("canned-list");
    clear(list);
    const data = await api("api/canned?q=" + encodeURIComponent($("canned-q").value));
    if (!data.answers.length) list.appendChild(el("li", { className: "muted" }, "Tidak ada jawaban yang cocok."));
    for (const hit of data.answers) {
      // Inserted like a suggested answer: the reply keeps the entry's id (ticket_messages.faq_id),
      // so the report counts the reused answer.
      const use = el("button", { type: "button", dataset: { testid: "canned-use", id: hit.id } }, "Pakai");
      use.addEventListener("click", () => useSuggestion(hit));
      list.appendChild(el("li", {}, el("strong", {}, hit.question), "\n" + hit.answer + "\n", use));
    }
  });

  // ---- reservations: confirm, reschedule, decline (bot/console/reservations.py) -------------
  let reservationFor = null;
  const LETTER_WAYS = { pos: "pos", email: "e-mail", lainnya: "cara lain" };

  function reservationLine(context) {
    const mode = (value) => (value === "tatap_muka" ? "tatap muka" : "video conference");
    const asked = "Diajukan: " + (context.jadwal || "-") + ", " + mode(context.reservasi) +
      ", " + (context.attendees_count ? Math.round(context.attendees_count) + " orang" : "peserta ?") +
      (context.reservasi === "tatap_muka" ? ", surat " + (context.letter_sent ? "sudah" : "belum") : "") +
      (context.surat_diterima_via ? " (surat diterima lewat " + LETTER_WAYS[context.surat_diterima_via] +
        ", dicatat oleh " + context.surat_dicatat_oleh + " " + agentDay(context.surat_dicatat_pada) + ")" : "");
    if (!context.status_reservasi) return asked + ". Belum diputuskan.";
    const agreed = context.status_reservasi === "ditolak" ? "Ditolak: " + (context.alasan_reservasi || "") :
      context.status_reservasi.replace("_", " ") + ": " + context.jadwal_disepakati + " " +
      context.jam_disepakati + " WIB, " + mode(context.mode_disepakati) + ", " +
      (context.tautan_rapat || context.ruang || "");
    return asked + ". " + agreed.charAt(0).toUpperCase() + agreed.slice(1) + ".";
  }

  function renderReservation(ticket, active) {
    const box = $("reservation-box");
    box.hidden = ticket.topic !== "Reservasi";
    if (box.hidden) return;
    const context = ticket.context || {};
    $("reservation-state").textContent = reservationLine(context);
    for (const id of ["resv-confirm", "resv-reschedule", "resv-decline", "letter-record"]) $(id).disabled = !active;
    if (reservationFor === ticket.id) return; // polling must not overwrite what the agent types
    reservationFor = ticket.id;
    const time = (context.jam_disepakati || "").replace(":", ".");
    $("resv-date").value = context.jadwal_disepakati || context.jadwal || "";
    $("resv-time").value = time;
    $("resv-mode").value = context.mode_disepakati || context.reservasi || "video_conference";
    $("resv-link").value = context.tautan_rapat || "";
    $("resv-room").value = context.ruang || "";
    $("resv-reason").value = "";
  }

  function reservationBody() {
    const value = (id) => $(id).value.trim();
    return { date: value("resv-date"), time: value("resv-time"), mode: value("resv-mode"),
      link: value("resv-link"), room: value("resv-room"), reason: value("resv-reason") };
  }

  function decide(decision, done) {
    act("reservation/" + decision, reservationBody(), (r) => {
      $("resv-reason").value = "";
      return done + "; " + r.delivery.note + ".";
    });
  }

  $("resv-confirm").addEventListener("click", () => decide("confirm", "Reservasi dikonfirmasi"));
  $("resv-reschedule").addEventListener("click", () => decide("reschedule", "Reservasi dijadwalkan ulang"));
  $("resv-decline").addEventListener("click", () => decide("decline", "Reservasi ditolak"));
  $("letter-record").addEventListener("click", () =>
    act("reservation/letter", { via: $("letter-via").value, note: $("letter-note").value.trim() }, () => {
      $("letter-note").value = "";
      return "Surat permohonan dicatat diterima lewat " + LETTER_WAYS[$("letter-via").value] + ".";
    }));
  // ---- new-ticket notifications (Notification API) for agents who allow them ----------------
  // The queue is polled; a ticket is new when its id was not in the queue before and it was
  // created after the newest ticket already seen (so changing a filter never notifies).
  const notify = { newest: null, seen: new Set() };

  function notificationsAllowed() {
    return "Notification" in window && Notification.permission === "granted";
  }

  function showNotifyState() {
    const button = $("notify-enable");
    const note = $("notify-state");
    if (!("Notification" in window)) {
      button.hidden = true;
      note.textContent = "Browser ini tidak mendukung notifikasi.";
      return;
    }
    button.hidden = Notification.permission !== "default";
    note.textContent = Notification.permission === "granted" ? "Notifikasi tiket baru aktif."
      : Notification.permission === "denied" ? "Notifikasi diblokir di pengaturan browser." : "";
  }

  $("notify-enable").addEventListener("click", async () => {
    if ("Notification" in window) await Notification.requestPermission();
    showNotifyState();
  });

  function notifyNewTickets(tickets) {
    const times = tickets.map((t) => Date.parse(t.created_at));
    const newest = Math.max(Date.now() - POLL_MS, ...times);
    if (notify.newest === null) {  // the first look at the queue: nothing is new yet
      notify.newest = newest;
      for (const ticket of tickets) notify.seen.add(ticket.id);
      return;
    }
    const fresh = tickets.filter((t) => !notify.seen.has(t.id) && Date.parse(t.created_at) > notify.newest);
    for (const ticket of tickets) notify.seen.add(ticket.id);
    notify.newest = Math.max(notify.newest, ...times);
    if (!notificationsAllowed()) return;
    for (const ticket of fresh) {
      const who = (ticket.user_name || "Tanpa nama") + (ticket.pemda ? " · " + ticket.pemda : "");
      const shown = new Notification("Tiket baru " + ticket.number, {
        body: who + "\n" + ticket.summary, tag: ticket.number });
      shown.onclick = () => { window.focus(); openTicket(ticket.id); shown.close(); };
    }
  }

  // ---- agent assist: the bot's top three answers for the selected ticket's question ---------
  // Fetched when the ticket, its status or its agent changes; "Sisipkan" puts an answer in the
  // reply box to edit, and the reply sent carries the entry's id (counted by the report).
  const assist = { key: "", ticket: null, faqId: null, question: "" };

  async function refreshSuggestions(ticket) {
    const key = [ticket.id, ticket.status, ticket.assigned_agent || ""].join("|");
    if (key === assist.key) return;
    assist.key = key;
    if (assist.ticket !== ticket.id) forgetSuggestion();
    assist.ticket = ticket.id;
    const list = $("suggest-list");
    clear(list);
    $("suggest-query").textContent = "";
    if (!mayReply(ticket)) {  // the API would refuse (409): say why instead of asking
      list.appendChild(el("li", { className: "muted" }, ["open", "assigned", "escalated"].includes(ticket.status)
        ? "Saran jawaban tampil untuk petugas yang menangani tiket ini." : "Tiket sudah selesai."));
      return;
    }
    let data;
    try {
      data = await api("api/tickets/" + ticket.id + "/suggestions");
    } catch (error) {
      list.appendChild(el("li", { className: "muted" }, "Saran jawaban tidak dapat dimuat."));
      return;
    }
    if (assist.ticket !== ticket.id) return;
    $("suggest-query").textContent = data.query ? "Untuk: " + data.query : "";
    if (!data.suggestions.length) {
      list.appendChild(el("li", { className: "muted" }, "Tidak ada jawaban yang cocok di basis pengetahuan."));
    }
    for (const hit of data.suggestions) {
      const insert = el("button", { type: "button", dataset: { testid: "suggestion-insert", id: hit.id } }, "Sisipkan");
      insert.addEventListener("click", () => useSuggestion(hit));
      list.appendChild(el("li", { dataset: { testid: "suggestion" } },
        el("strong", {}, hit.question), el("span", { className: "muted small" }, " · " + hit.id),
        "\n" + hit.answer + "\n", insert));
    }
  }

  // Who may reply, as the server's access rules say: its agent, a supervisor, its unit's PIC.
  function mayReply(ticket) {
    if (!["open", "assigned", "escalated"].includes(ticket.status)) return false;
    if (state.user.role !== "agent") return true;
    return ticket.assigned_agent === state.user.username;
  }

  function useSuggestion(hit) {
    const box = $("reply-text");
    box.value = box.value.trim() ? box.value.trimEnd() + "\n\n" + hit.answer : hit.answer;
    assist.faqId = hit.id;
    assist.question = hit.question;
    $("suggest-used").textContent = "Balasan memakai jawaban: " + hit.question + " (dapat disunting).";
    box.focus();
  }

  function forgetSuggestion() {
    assist.faqId = null;
    $("suggest-used").textContent = "";
  }

  function withSuggestion(body) {
    return assist.faqId && assist.ticket === state.selected ? { ...body, faq_id: assist.faqId } : body;
  }

  function fromFaq(message) {
    return message.faq_id ? " · dari FAQ " + message.faq_id : "";
  }

  $("reply-text").addEventListener("input", () => { if (!$("reply-text").value.trim()) forgetSuggestion(); });

  // ---- start and poll ----------------------------------------------------------------------
  async function poll() {
    try {
      if (state.user) await Promise.all([refreshQueue(), refreshTicket()]);
    } catch (_) { /* shown on the next successful poll */ }
    setTimeout(poll, POLL_MS);
  }

  api("api/me").then(start, showLogin).finally(() => setTimeout(poll, POLL_MS));
})();
