// The van's tally and end-of-session form. Each +1 (stock or a phone charged) and each
// session form gets an id here and waits in localStorage until the server has answered for
// it, so it survives a lost signal or a closed tab, and the server (which accepts an id once)
// never counts one sent again twice. A session form the server refuses stays in the queue
// with its messages, filled back into the form, until the volunteer fixes it and saves again.
(function () {
  "use strict";
  var KEY = "infobus-van-taps";
  var items = document.getElementById("van-items");
  if (!items || !window.fetch || !window.JSON) return;
  var words = JSON.parse(document.getElementById("van-words").textContent);
  var queueLine = document.getElementById("van-queue");
  var refusedLine = document.getElementById("van-refused");
  var elsewhereLine = document.getElementById("van-elsewhere");
  var entry = document.getElementById("van-entry");
  var entryStatus = document.getElementById("van-entry-status");
  var entryErrors = document.getElementById("van-entry-errors");
  var tapUrl = items.getAttribute("data-tap-url");
  var chargeUrl = items.getAttribute("data-charge-url");
  var pageToken = document.querySelector("[name=csrfmiddlewaretoken]").value;
  var sending = null;  // the id being sent
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

  // The cookie's token: signing in again (in another tab) changes it, and the page's copy.
  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : pageToken;
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

  function kindOf(entry) { return entry.kind || "item"; }  // the first page queued items only

  var server = { counts: {}, levels: {}, charges: 0 };
  items.querySelectorAll("[data-count]").forEach(function (el) {
    server.counts[el.getAttribute("data-count")] = parseInt(el.textContent, 10);
  });
  items.querySelectorAll("[data-level]").forEach(function (el) {
    server.levels[el.getAttribute("data-level")] = parseInt(el.textContent, 10);
  });
  var chargesEl = items.querySelector("[data-charges]");
  if (chargesEl) server.charges = parseInt(chargesEl.textContent, 10);
  // Phones charged in the form follows the button until the volunteer types a figure.
  var charged = entry && entry.querySelector("[name=phones_charged]");
  var follow = charged && !charged.closest(".has-errors");
  if (charged) charged.addEventListener("input", function () { follow = false; });

  // What the page shows: the server's totals plus this page's taps not yet sent.
  function show(note) {
    var queue = load();
    items.querySelectorAll("[data-count]").forEach(function (el) {
      var item = el.getAttribute("data-count");
      var waiting = queue.filter(function (t) {
        return kindOf(t) === "item" && t.url === tapUrl && t.item === item;
      }).length;
      el.textContent = (server.counts[item] || 0) + waiting;
    });
    items.querySelectorAll("[data-level]").forEach(function (el) {
      var item = el.getAttribute("data-level");
      if (item in server.levels) el.textContent = server.levels[item];
    });
    var charges = server.charges + queue.filter(function (t) {
      return t.kind === "charge" && t.url === chargeUrl;
    }).length;
    if (chargesEl) chargesEl.textContent = charges;
    if (follow && charges > 0 && charged.value !== String(charges)) {
      if (charged.value === "" || parseInt(charged.value, 10) < charges) charged.value = charges;
    }
    var taps = queue.filter(function (t) { return kindOf(t) !== "session"; });
    var n = taps.length;
    var text = n === 0 ? "" : n === 1 ? words.waiting_one : words.waiting_many.replace("%(n)s", n);
    if (n && note) text += " " + note;
    queueLine.textContent = text;
    showEntries(queue, note);
  }

  function showEntries(queue, note) {
    var forms = queue.filter(function (t) { return t.kind === "session"; });
    var mine = entry && forms.filter(function (t) { return t.page === tapUrl; })[0];
    if (entry) {
      if (!mine) {
        if (entryStatus.getAttribute("data-sent") !== "1") entryStatus.textContent = "";
      } else if (mine.held) {
        entryStatus.textContent = words.entry_refused;
        entryStatus.removeAttribute("data-sent");
      } else {
        entryStatus.textContent = words.entry_waiting + (note ? " " + note : "");
        entryStatus.removeAttribute("data-sent");
      }
      showErrors(mine && mine.held ? mine : null);
    }
    elsewhereLine.textContent = "";
    var other = forms.filter(function (t) { return t.held && t.page !== tapUrl; })[0];
    if (other) {
      elsewhereLine.appendChild(document.createTextNode(words.entry_elsewhere + " "));
      var link = document.createElement("a");
      link.href = other.back + "#end";
      link.textContent = words.entry_open;
      elsewhereLine.appendChild(link);
    }
  }

  function showErrors(refused) {
    entry.querySelectorAll(".js-error").forEach(function (el) { el.remove(); });
    entry.querySelectorAll(".field.js-has-errors").forEach(function (el) {
      el.classList.remove("has-errors", "js-has-errors");
    });
    entryErrors.hidden = true;
    entryErrors.textContent = "";
    if (!refused) return;
    var errors = refused.errors || {};
    var general = [refused.message || ""];
    Object.keys(errors).forEach(function (name) {
      var box = entry.querySelector("#field-" + name);
      if (!box) {
        general = general.concat(errors[name]);
        return;
      }
      box.classList.add("has-errors", "js-has-errors");
      var list = document.createElement("ul");
      list.className = "errorlist js-error";
      errors[name].forEach(function (message) {
        var li = document.createElement("li");
        li.textContent = message;
        list.appendChild(li);
      });
      box.appendChild(list);
    });
    entryErrors.textContent = general.join(" ");
    entryErrors.hidden = false;
  }

  function answered(data) {
    if (data.counts && data.levels) {
      server.counts = data.counts;
      server.levels = data.levels;
    }
    if (typeof data.charges === "number") server.charges = data.charges;
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(flush, delay);
    delay = Math.min(delay * 2, 30000);
  }

  function body(t) {
    if (t.kind === "session") return { submission: t.id, fields: t.fields };
    if (t.kind === "charge") return { tap: t.id };
    return { tap: t.id, item: t.item };
  }

  function update(id, change) {
    save(load().map(function (t) { return t.id === id ? change(t) : t; }));
  }

  function drop(id) {
    save(load().filter(function (t) { return t.id !== id; }));
  }

  // Send the oldest waiting entry, then the next: in the order they were made. A refused
  // session form is held (not sent again) until it is saved again.
  function flush() {
    if (sending) return;
    var t = load().filter(function (e) { return !e.held; })[0];
    if (!t) return;
    if (navigator.onLine === false) {
      later();  // and the online event sends them at once
      return;
    }
    sending = t.id;
    fetch(t.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(body(t))
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        // The sign-in page or a CSRF refusal: keep it for after signing in again.
        return { retry: true, note: words.signed_out };
      }
      return response.json().then(function (data) {
        return { status: response.status, data: data };
      });
    }).then(function (result) {
      sending = null;
      if (result.retry) {
        show(result.note);
        later();
        return;
      }
      if (result.status >= 500) throw new Error("server");
      var data = result.data;
      if (t.kind === "session") {
        if (data.ok) {
          drop(t.id);
          if (entry && t.page === tapUrl) sent(data);
        } else {
          update(t.id, function (e) {
            e.held = true;
            e.errors = data.errors || {};
            e.message = data.message || "";
            return e;
          });
        }
      } else {
        // Answered, recorded or refused: the tap leaves the queue either way.
        drop(t.id);
        if (t.url === tapUrl || t.url === chargeUrl) answered(data);
        if (!data.ok) refusedLine.textContent = words.refused + " " + (data.message || "");
      }
      delay = 1000;
      show();
      flush();
    }).catch(function () {
      sending = null;
      show();
      later();
    });
  }

  function sent(data) {
    entryStatus.textContent = (data.message || "") + " ";
    entryStatus.setAttribute("data-sent", "1");
    if (data.url) {
      var link = document.createElement("a");
      link.href = data.url;
      link.textContent = words.entry_see;
      entryStatus.appendChild(link);
    }
    // A later save is another submission: a correction, by the rules of the record page.
    entry.querySelector("[name=submission]").value = newId();
  }

  function queueTap(t) {
    var queue = load();
    queue.push(t);
    save(queue);
    refusedLine.textContent = "";
    show();
    delay = 1000;
    flush();
  }

  items.addEventListener("submit", function (event) {
    var form = event.target;
    event.preventDefault();
    if (form.getAttribute("data-kind") === "charge") {
      queueTap({ id: newId(), kind: "charge", url: chargeUrl });
    } else {
      queueTap({ id: newId(), kind: "item", item: form.querySelector("[name=item]").value,
        url: tapUrl });
    }
  });

  function fieldsOf(form) {
    var fields = {};
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && name !== "submission") fields[name] = value;
    });
    return fields;
  }

  function fillIn(form, fields) {
    Object.keys(fields).forEach(function (name) {
      var control = form.elements[name];
      if (control && name !== "site") control.value = fields[name];
    });
  }

  if (entry) {
    var input = entry.querySelector("[name=submission]");
    var kept = load().filter(function (t) { return t.kind === "session" && t.page === tapUrl; })[0];
    if (kept) {
      // Typed on this page before a reload or a closed tab: shown again, with its messages.
      fillIn(entry, kept.fields);
      input.value = kept.id;
      follow = false;
    }
    entry.addEventListener("submit", function (event) {
      event.preventDefault();
      var id = input.value;
      if (id === sending) id = input.value = newId();  // a copy already on its way
      var t = { id: id, kind: "session", url: entry.getAttribute("action"), page: tapUrl,
        back: location.pathname, fields: fieldsOf(entry) };
      var queue = load().filter(function (e) { return e.id !== id; });
      queue.push(t);
      save(queue);
      entryStatus.removeAttribute("data-sent");
      show();
      delay = 1000;
      flush();
    });
  }

  window.addEventListener("online", function () {
    delay = 1000;
    flush();
  });

  show();
  flush();
})();
