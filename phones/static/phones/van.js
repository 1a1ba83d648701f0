// The van's tally: each +1 gets an id here and waits in localStorage until the server has
// answered for it, so a tap survives a lost signal or a closed tab, and the server (which
// accepts an id once) never counts a tap sent again twice.
(function () {
  "use strict";
  var KEY = "infobus-van-taps";
  var items = document.getElementById("van-items");
  if (!items || !window.fetch || !window.JSON) return;
  var words = JSON.parse(document.getElementById("van-words").textContent);
  var queueLine = document.getElementById("van-queue");
  var refusedLine = document.getElementById("van-refused");
  var tapUrl = items.getAttribute("data-tap-url");
  var csrf = document.querySelector("[name=csrfmiddlewaretoken]").value;
  var sending = false;
  var delay = 1000;
  var timer = null;
  var memory = [];  // when localStorage is refused (private mode), the queue lives here

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    if (window.crypto && crypto.getRandomValues) crypto.getRandomValues(bytes);
    else for (var i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20),
      hex.slice(20)].join("-");
  }

  function load() {
    try {
      return JSON.parse(localStorage.getItem(KEY) || "[]");
    } catch (e) {
      return memory;
    }
  }

  function save(queue) {
    memory = queue;
    try {
      localStorage.setItem(KEY, JSON.stringify(queue));
    } catch (e) { /* kept in memory only */ }
  }

  var server = { counts: {}, levels: {} };
  items.querySelectorAll("[data-count]").forEach(function (el) {
    server.counts[el.getAttribute("data-count")] = parseInt(el.textContent, 10);
  });
  items.querySelectorAll("[data-level]").forEach(function (el) {
    server.levels[el.getAttribute("data-level")] = parseInt(el.textContent, 10);
  });

  // What the page shows: the server's totals plus this page's taps not yet sent.
  function show(note) {
    var queue = load();
    var mine = queue.filter(function (t) { return t.url === tapUrl; });
    items.querySelectorAll("[data-count]").forEach(function (el) {
      var item = el.getAttribute("data-count");
      var waiting = mine.filter(function (t) { return t.item === item; }).length;
      el.textContent = (server.counts[item] || 0) + waiting;
    });
    items.querySelectorAll("[data-level]").forEach(function (el) {
      var item = el.getAttribute("data-level");
      if (item in server.levels) el.textContent = server.levels[item];
    });
    var n = queue.length;
    var text = n === 0 ? "" : n === 1 ? words.waiting_one : words.waiting_many.replace("%(n)s", n);
    if (n && note) text += " " + note;
    queueLine.textContent = text;
  }

  function answered(data) {
    if (data.counts && data.levels) {
      server.counts = data.counts;
      server.levels = data.levels;
    }
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(flush, delay);
    delay = Math.min(delay * 2, 30000);
  }

  // Send the oldest tap, then the next: in the order they were tapped.
  function flush() {
    if (sending) return;
    var queue = load();
    if (!queue.length) return;
    if (navigator.onLine === false) {
      later();  // and the online event sends them at once
      return;
    }
    var tap = queue[0];
    sending = true;
    fetch(tap.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ tap: tap.id, item: tap.item })
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        // The sign-in page or a CSRF refusal: keep the tap for after signing in again.
        return { retry: true, note: words.signed_out };
      }
      return response.json().then(function (data) {
        return { status: response.status, data: data };
      });
    }).then(function (result) {
      sending = false;
      if (result.retry) {
        show(result.note);
        later();
        return;
      }
      if (result.status >= 500) throw new Error("server");
      // Answered, recorded or refused: the tap leaves the queue either way.
      save(load().filter(function (t) { return t.id !== tap.id; }));
      if (tap.url === tapUrl) answered(result.data);
      if (!result.data.ok) {
        refusedLine.textContent = words.refused + " " + (result.data.message || "");
      }
      delay = 1000;
      show();
      flush();
    }).catch(function () {
      sending = false;
      show();
      later();
    });
  }

  items.addEventListener("submit", function (event) {
    var form = event.target;
    event.preventDefault();
    var queue = load();
    queue.push({ id: newId(), item: form.querySelector("[name=item]").value, url: tapUrl });
    save(queue);
    refusedLine.textContent = "";
    show();
    delay = 1000;
    flush();
  });

  window.addEventListener("online", function () {
    delay = 1000;
    flush();
  });

  show();
  flush();
})();
