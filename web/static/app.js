/* Live Chat DJPK: starts the rasa-webchat widget and the letter upload. No inline script (CSP). */
(function () {
  "use strict";

  var MAX_BYTES = 10 * 1024 * 1024;
  var config = document.getElementById("webchat-config").dataset;
  var delay = parseInt(config.delay || "300", 10);

  window.WebChat.default(
    {
      initPayload: "/greet",
      socketUrl: window.location.origin,
      socketPath: "/socket.io/",
      title: "Live Chat DJPK",
      subtitle: "Layanan Informasi DJPK",
      inputTextFieldHint: "Tulis pertanyaan Anda...",
      connectingText: "Menghubungkan...",
      profileAvatar: "/webchat/static/djpk-mark.svg",
      params: { storage: "local" },
      customData: { language: "id" },
      showFullScreenButton: true,
      mainColor: "#0b2a4a",
      userBackgroundColor: "#f2a900",
      userTextColor: "#0b2a4a",
      assistBackgoundColor: "#eef2f7",
      assistTextColor: "#0b2a4a",
      customMessageDelay: function () {
        return delay;
      },
    },
    null
  );

  /* The session id the server issued, as rasa-webchat keeps it in localStorage. */
  function sessionId() {
    try {
      var saved = JSON.parse(window.localStorage.getItem("chat_session") || "{}");
      return saved.session_id || "";
    } catch (error) {
      return "";
    }
  }

  function openChat() {
    var launcher = document.querySelector("button.rw-launcher");
    if (launcher && !document.querySelector(".rw-conversation-container")) {
      launcher.click();
    }
  }

  var form = document.getElementById("upload-form");
  var input = document.getElementById("letter-file");
  var button = document.getElementById("upload-button");
  var status = document.getElementById("upload-status");

  function show(text, kind) {
    status.textContent = text;
    status.className = "status " + (kind || "");
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var file = input.files && input.files[0];
    if (!file) {
      show("Pilih berkas PDF, JPG, atau PNG terlebih dahulu.", "error");
      return;
    }
    if (file.size > MAX_BYTES) {
      show("Berkas terlalu besar. Ukuran maksimal 10 MB.", "error");
      return;
    }
    var session = sessionId();
    if (!session) {
      show("Buka jendela chat terlebih dahulu, lalu unggah kembali.", "error");
      openChat();
      return;
    }
    var body = new FormData();
    body.append("session_id", session);
    body.append("file", file, file.name);
    button.disabled = true;
    show("Mengunggah...", "");
    fetch("/webchat/upload", { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(
          function (answer) { return { ok: response.ok, answer: answer }; },
          function () { return { ok: false, answer: {} }; }
        );
      })
      .then(function (result) {
        var text = result.answer.message || "Unggahan gagal. Silakan coba lagi.";
        show(text, result.ok ? "ok" : "error");
        if (result.ok) {
          form.reset();
          openChat();
        }
      })
      .catch(function () {
        show("Unggahan gagal: periksa koneksi internet lalu coba lagi.", "error");
      })
      .then(function () {
        button.disabled = false;
      });
  });
})();
