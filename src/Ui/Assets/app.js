// OrleansFlow UI: theme toggle, live refresh of [data-live] regions, the run's live stream, run actions.
(function () {
  "use strict";
  var root = document.documentElement;

  // Theme: the system's unless the user chose one with the toggle (remembered in localStorage).
  function currentTheme() {
    return root.dataset.theme || (window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
  }
  var toggle = document.getElementById("theme-toggle");
  if (toggle) {
    var label = function () { toggle.setAttribute("aria-pressed", currentTheme() === "dark" ? "true" : "false"); toggle.textContent = currentTheme() === "dark" ? "☀ Light" : "☾ Dark"; };
    label();
    toggle.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      root.dataset.theme = next;
      try { localStorage.setItem("orleansflow-theme", next); } catch (e) { /* private mode */ }
      label();
    });
  }

  // Markdown (artifacts) comes as written: a table or code block wider than its box scrolls there, and the keyboard
  // reaches it (a focusable region, named by what it is).
  function scrollablesFocusable(scope) {
    scope.querySelectorAll(".markdown table, .markdown pre").forEach(function (el) {
      if (el.scrollWidth > el.clientWidth && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("role", "region");
        el.setAttribute("aria-label", el.tagName === "PRE" ? "Code block" : "Table");
      }
    });
  }
  scrollablesFocusable(document);
  window.addEventListener("resize", function () { scrollablesFocusable(document); });

  // A link to an item of a page (a queue of a pool's: #queue-NAME) scrolls to it and marks it; marked again when a live
  // region swapped it (:target stays with the element the page loaded with).
  function markTarget() {
    var id = location.hash.length > 1 ? location.hash.slice(1) : null;
    if (id) { try { id = decodeURIComponent(id); } catch (e) { /* not percent-encoded */ } }
    document.querySelectorAll(".targeted").forEach(function (el) { if (el.id !== id) { el.classList.remove("targeted"); } });
    var target = id && document.getElementById(id);
    if (target) { target.classList.add("targeted"); }
  }
  markTarget();
  window.addEventListener("hashchange", markTarget);

  // Live regions: re-fetch this page and swap, in each [data-live] element (by id), the children whose server HTML
  // changed while the tab is visible (the rest stay as they are: no flicker, no lost focus or scroll).
  var live = document.querySelectorAll("[data-live][id]");
  function serverHtml(el) { return Array.prototype.map.call(el.children, function (c) { return c.outerHTML; }); }
  live.forEach(function (el) { el.serverHtml = serverHtml(el); });
  var refreshMs = Number(document.body.dataset.refreshMs || 3000);
  // The swaps that bring old (which holds the open panels) to fresh without touching the panels or the elements that
  // lead to them; false when the two differ in shape along that path.
  function around(old, fresh, panels, swaps) {
    if (old.tagName !== fresh.tagName || old.id !== fresh.id) { return false; }
    if (panels.indexOf(old) >= 0) { return true; }
    if (old.children.length !== fresh.children.length) { return false; }
    for (var i = 0; i < old.children.length; i++) {
      var o = old.children[i], f = fresh.children[i];
      if (panels.some(function (p) { return o.contains(p); })) {
        if (!around(o, f, panels, swaps)) { return false; }
      } else if (o.outerHTML !== f.outerHTML) {
        swaps.push([o, f]);
      }
    }
    return true;
  }
  function pausedNote(el, paused) {
    var note = document.getElementById(el.id + "-paused");
    if (paused && !note) {
      note = document.createElement("p");
      note.id = el.id + "-paused";
      note.className = "live-paused muted";
      note.setAttribute("role", "status");
      note.textContent = "Updates paused while editing: close the edit panel to see the latest.";
      el.parentNode.insertBefore(note, el);
    } else if (!paused && note) {
      note.remove();
    }
  }
  if (live.length) {
    var refresh = function () {
      if (document.hidden) { setTimeout(refresh, refreshMs); return; }
      fetch(location.href, { headers: { "Accept": "text/html" } }).then(function (r) { return r.ok ? r.text() : null; }).then(function (html) {
        if (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          live.forEach(function (el) {
            var fresh = doc.getElementById(el.id);
            if (!fresh) { return; }
            var kids = serverHtml(fresh), before = el.serverHtml || [];
            // Not under the user's hands: an open edit panel stays as it is (typed values, focus) until it is closed, and
            // everything around it is refreshed. When that cannot be done in place (rows around it came or went), nothing
            // is, until the panel closes, and a note says so.
            var panels = Array.prototype.slice.call(el.querySelectorAll("details.edit[open], details.create[open]"));
            if (!panels.length) { pausedNote(el, false); }
            if (kids.join("") === before.join("")) { return; }
            if (panels.length) {
              var swaps = [];
              var inPlace = around(el, fresh, panels, swaps);
              pausedNote(el, !inPlace);
              if (inPlace) {
                swaps.forEach(function (s) { s[0].replaceWith(document.importNode(s[1], true)); });
                el.serverHtml = kids;
                markTarget();
              }
              return;
            }
            var open = Array.prototype.map.call(el.querySelectorAll("details[open][id]"), function (d) { return d.id; });
            var focused = document.activeElement && el.contains(document.activeElement) ? document.activeElement.getAttribute("href") : null;
            if (kids.length === before.length && el.children.length === kids.length) {
              kids.forEach(function (k, i) {
                if (k !== before[i]) { var node = document.importNode(fresh.children[i], true); el.children[i].replaceWith(node); }
              });
            } else {
              el.innerHTML = fresh.innerHTML;
            }
            el.serverHtml = kids;
            open.forEach(function (id) { var d = document.getElementById(id); if (d) { d.open = true; } });
            if (focused && !el.contains(document.activeElement)) { var again = el.querySelector('[href="' + CSS.escape(focused) + '"]'); if (again) { again.focus(); } }
            markTarget();
          });
        }
      }).catch(function () { }).then(function () { setTimeout(refresh, refreshMs); });
    };
    setTimeout(refresh, refreshMs);
  }

  // Inline create and edit panels (details.create, details.edit): Escape closes the one the focus is in (else the one
  // opened last) and gives the focus back to its summary, the control that opened it.
  var lastOpened = null;
  document.addEventListener("toggle", function (event) {
    var d = event.target;
    if (d.matches && d.matches("details.create, details.edit") && d.open) { lastOpened = d; }
  }, true);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.defaultPrevented) { return; }
    var focused = document.activeElement && document.activeElement.closest && document.activeElement.closest("details.create[open], details.edit[open]");
    var panel = focused || (lastOpened && lastOpened.open && document.contains(lastOpened) ? lastOpened : null);
    if (!panel) { return; }
    panel.open = false;
    var summary = panel.querySelector(":scope > summary");
    if (summary) { summary.focus(); }
    event.preventDefault();
  });

  // Charts: the hovered or focused part's <title> as a tooltip (keyboard users get it on focus too).
  var tip = document.createElement("div");
  tip.className = "chart-tip"; tip.setAttribute("role", "tooltip"); tip.hidden = true;
  document.body.appendChild(tip);
  function titled(target) {
    for (var el = target; el && el.closest && el.closest(".chart-svg"); el = el.parentNode) {
      var title = el.querySelector && el.querySelector(":scope > title");
      if (title) { return title.textContent; }
    }
    return null;
  }
  function showTip(event) {
    var text = titled(event.target);
    if (!text) { tip.hidden = true; return; }
    var box = event.target.getBoundingClientRect();
    tip.textContent = text; tip.hidden = false;
    tip.style.left = Math.min(window.innerWidth - tip.offsetWidth - 4, Math.max(4, (event.clientX || box.left + box.width / 2) + 12)) + "px";
    tip.style.top = Math.max(4, (event.clientY || box.top) - tip.offsetHeight - 8) + "px";
  }
  document.addEventListener("mouseover", showTip);
  document.addEventListener("focusin", showTip);
  document.addEventListener("mouseout", function () { tip.hidden = true; });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") { tip.hidden = true; } });

  // Gantt: drag across the chart to zoom to that range (the form beside it does the same from the keyboard).
  var dragFrom = null;
  function ganttSeconds(gantt, event) {
    var svg = gantt.querySelector("svg"), box = svg.getBoundingClientRect();
    var x = (event.clientX - box.left) * svg.viewBox.baseVal.width / box.width;
    var share = Math.min(Math.max((x - Number(gantt.dataset.plotLeft)) / Number(gantt.dataset.plotWidth), 0), 1);
    return Number(gantt.dataset.from) + share * (Number(gantt.dataset.to) - Number(gantt.dataset.from));
  }
  document.addEventListener("mousedown", function (event) {
    var svg = event.target.closest && event.target.closest("#gantt svg");
    if (!svg || event.button !== 0 || event.target.closest("a")) { return; }
    dragFrom = ganttSeconds(svg.closest("#gantt"), event);
    event.preventDefault();
  });
  document.addEventListener("mouseup", function (event) {
    var gantt = document.getElementById("gantt");
    if (dragFrom === null || !gantt) { dragFrom = null; return; }
    var to = ganttSeconds(gantt, event), from = dragFrom;
    dragFrom = null;
    if (Math.abs(to - from) < (Number(gantt.dataset.to) - Number(gantt.dataset.from)) / 100) { return; }
    var form = gantt.querySelector("form");
    form.elements.gantt_from.value = Math.min(from, to).toFixed(3);
    form.elements.gantt_to.value = Math.max(from, to).toFixed(3);
    form.requestSubmit();
  });

  // Logs: level filter and search apply to rendered and streamed lines.
  document.querySelectorAll(".logs").forEach(function (box) {
    var list = box.querySelector(".log-lines");
    var level = box.querySelector(".log-level");
    var search = box.querySelector(".log-search");
    var empty = box.querySelector(".log-empty");
    function visible(li) {
      var min = Number(level.value || 0);
      var text = (search.value || "").toLowerCase();
      return Number(li.dataset.level) >= min && (!text || li.textContent.toLowerCase().indexOf(text) >= 0);
    }
    function apply() { list.querySelectorAll(".log").forEach(function (li) { li.hidden = !visible(li); }); }
    level.addEventListener("change", apply);
    search.addEventListener("input", apply);

    var url = box.dataset.stream;
    var indicator = box.querySelector(".live-indicator");
    if (!url || !window.EventSource) { indicator.textContent = ""; return; }
    var after = box.dataset.after;
    var source = new EventSource(url + (after ? "?after=" + encodeURIComponent(after) : ""));
    source.onopen = function () { indicator.classList.add("on"); };
    source.onerror = function () { indicator.classList.remove("on"); };
    source.addEventListener("log", function (e) {
      var log = JSON.parse(e.data);
      if (list.querySelector('[data-id="' + log.id + '"]')) { return; }
      var atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
      var li = document.createElement("li");
      li.className = "log level-" + log.levelName.toLowerCase();
      li.dataset.id = log.id;
      li.dataset.level = log.level;
      var time = document.createElement("time"); time.setAttribute("datetime", log.timestamp); time.title = log.title; time.textContent = log.time;
      var lvl = document.createElement("span"); lvl.className = "lvl"; lvl.textContent = log.levelName;
      var msg = document.createElement("span"); msg.className = "msg"; msg.textContent = log.message;
      li.append(time, lvl, msg);
      li.hidden = !visible(li);
      list.appendChild(li);
      if (empty) { empty.hidden = true; }
      if (atBottom) { list.scrollTop = list.scrollHeight; }
    });
    source.addEventListener("state", function (e) {
      var s = JSON.parse(e.data);
      var holder = document.getElementById("run-state");
      var badge = holder && holder.querySelector(".badge");
      if (badge && s.type) {
        badge.className = "badge state-" + s.css;
        badge.dataset.stateType = s.type;
        badge.title = s.type + " (" + s.name + ")";
        badge.innerHTML = "";
        var icon = document.createElement("span"); icon.setAttribute("aria-hidden", "true"); icon.textContent = s.icon;
        badge.append(icon, " " + s.name);
        var terminal = ["COMPLETED", "FAILED", "CANCELLED", "CRASHED"].indexOf(s.type) >= 0;
        var cancel = document.querySelector('[data-action="cancel"]'); if (cancel) { cancel.hidden = terminal; }
        var retry = document.querySelector('[data-action="retry"]'); if (retry) { retry.hidden = !terminal; }
        var resume = document.querySelector('[data-action="resume"]'); if (resume) { resume.hidden = s.type !== "PAUSED"; }
        var pause = document.querySelector('[data-action="pause"]'); if (pause) { pause.hidden = s.type !== "RUNNING"; }
      }
    });
    window.addEventListener("pagehide", function () { source.close(); });
  });

  // With authentication on, the session's CSRF token (a cookie this page's script may read) goes with every state change.
  function csrf(headers) {
    var match = document.cookie.match(/(?:^|;\s*)orleansflow_csrf=([^;]+)/);
    if (match) { headers["X-CSRF-Token"] = decodeURIComponent(match[1]); }
    return headers;
  }
  var logout = document.getElementById("logout");
  if (logout && /(?:^|;\s*)orleansflow_csrf=/.test(document.cookie)) {
    logout.hidden = false;
    logout.addEventListener("click", function () {
      fetch("/logout", { method: "POST", headers: csrf({}) }).then(function () { location.assign("/login"); });
    });
  }

  // Run and deployment actions: POST with a header a cross-site form cannot send, then follow the answer.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".actions[data-action-base] [data-action]");
    if (button) { act(button); }
  });
  function act(button) {
      var confirmText = button.dataset.confirm;
      if (confirmText && !window.confirm(confirmText)) { return; }
      var box = button.closest(".actions");
      var message = box.querySelector(".action-message");
      button.disabled = true;
      message.textContent = "…";
      fetch(box.dataset.actionBase + "/" + button.dataset.action, { method: "POST", headers: csrf({ "X-OrleansFlow-Ui": "1" }) })
        .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
        .then(function (answer) {
          button.disabled = false;
          if (!answer.ok) { message.textContent = answer.body.detail || "Failed."; return; }
          // A refusal that still recorded a state (a SCHEDULED run cancelled at once) is done: show the run as it is now.
          if (answer.body.status && answer.body.status !== "ACCEPT" && !answer.body.written) {
            message.textContent = "Not done: " + (answer.body.reason || answer.body.status);
            return;
          }
          // An action that changes the page it was started on (a deployment page's schedule toggle) shows that page again.
          if (button.dataset.then === "reload") { location.reload(); return; }
          location.assign(answer.body.redirect);
        })
        .catch(function () { button.disabled = false; message.textContent = "The server did not answer."; });
  }
  // Deployment run form: builds the parameters from the generated inputs, posts them to the API's create_flow_run and
  // opens the new run; the API's 422 (pydantic shape: detail[].loc/msg) is shown next to the field it names.
  document.querySelectorAll("form[data-create-run]").forEach(function (form) {
    var summary = form.querySelector(".form-error");
    var message = form.querySelector(".action-message");
    var submit = form.querySelector("button[type=submit]");
    function fieldError(field, text) {
      var error = field.querySelector(".field-error");
      var input = field.querySelector("input, select, textarea");
      error.textContent = text || "";
      error.hidden = !text;
      if (input) { if (text) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); } }
    }
    function clear() {
      summary.hidden = true; summary.textContent = "";
      form.querySelectorAll(".field[data-param]").forEach(function (field) { fieldError(field, ""); });
    }
    function findField(name) {
      var found = null;
      form.querySelectorAll(".field[data-param]").forEach(function (field) { if (field.dataset.param === name) { found = field; } });
      return found;
    }
    function collect() {
      var parameters = {};
      var problems = [];
      form.querySelectorAll(".field[data-param]").forEach(function (field) {
        var name = field.dataset.param;
        var kind = field.dataset.kind;
        var input = field.querySelector("input, select, textarea");
        if (kind === "boolean") { parameters[name] = input.checked; return; }
        var text = input.value;
        if (text.trim() === "") { return; }
        if (kind === "integer" || kind === "number") {
          var number = Number(text);
          if (isNaN(number)) { problems.push([field, "'" + name + "' must be a number."]); return; }
          parameters[name] = number;
        } else if (kind === "enum" || kind === "json") {
          try { parameters[name] = JSON.parse(text); }
          catch (e) { problems.push([field, "'" + name + "' is not valid JSON: " + e.message]); }
        } else {
          parameters[name] = text;
        }
      });
      return { parameters: parameters, problems: problems };
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clear();
      var collected = collect();
      if (collected.problems.length) {
        collected.problems.forEach(function (p) { fieldError(p[0], p[1]); });
        collected.problems[0][0].querySelector("input, select, textarea").focus();
        return;
      }
      var body = { parameters: collected.parameters };
      var name = form.querySelector("#run-name");
      if (name && name.value.trim()) { body.name = name.value.trim(); }
      submit.disabled = true;
      message.textContent = "Creating the run…";
      fetch(form.dataset.createRun, { method: "POST", headers: csrf({ "Content-Type": "application/json", "Accept": "application/json" }), body: JSON.stringify(body) })
        .then(function (r) { return r.json().catch(function () { return {}; }).then(function (answer) { return { ok: r.ok, status: r.status, body: answer }; }); })
        .then(function (answer) {
          if (answer.ok && answer.body.id) { location.assign("/runs/" + answer.body.id); return; }
          submit.disabled = false;
          message.textContent = "";
          // Prefect answers 422 with exception_detail (pydantic errors); other errors with detail.
          var detail = answer.body.exception_detail || answer.body.detail;
          var shown = false;
          if (Array.isArray(detail)) {
            detail.forEach(function (d) {
              var loc = d.loc || [];
              var at = loc.indexOf("parameters");
              var field = at >= 0 && loc.length > at + 1 ? findField(String(loc[at + 1])) : null;
              if (field) {
                fieldError(field, d.msg);
                if (!shown) { field.querySelector("input, select, textarea").focus(); }
                shown = true;
              }
            });
            summary.textContent = detail.map(function (d) { return (d.loc || []).filter(function (l) { return l !== "body"; }).join(".") + ": " + d.msg; }).join("; ");
          } else {
            summary.textContent = (typeof detail === "string" ? detail : "The server answered " + answer.status + ".");
          }
          summary.hidden = false;
        })
        .catch(function () { submit.disabled = false; message.textContent = ""; summary.textContent = "The server did not answer."; summary.hidden = false; });
    });
  });
  // New automation form: builds Prefect 3's automation JSON from the inputs (or takes the pasted JSON), posts it to the
  // API's POST /api/automations/ and opens the new automation; the API's 422 is shown next to the field its loc names
  // (the nearest enclosing path when no field has the exact one).
  document.querySelectorAll("form[data-create-automation]").forEach(function (form) {
    var summary = form.querySelector(".form-error");
    var message = form.querySelector(".action-message");
    var submit = form.querySelector("button[type=submit]");
    var list = form.querySelector(".action-list");
    var template = form.querySelector("#action-template");
    var counter = list.children.length;
    function jsonMode() { return form.querySelector("input[name=mode]:checked").value === "json"; }
    function showMode() {
      form.querySelector(".form-mode").hidden = jsonMode();
      form.querySelector(".json-mode").hidden = !jsonMode();
    }
    form.querySelectorAll("input[name=mode]").forEach(function (r) { r.addEventListener("change", showMode); });
    function showType(row) {
      var type = row.querySelector(".action-type").value;
      row.querySelectorAll(".field[data-for]").forEach(function (f) { f.hidden = f.dataset.for.split(" ").indexOf(type) < 0; });
    }
    function wire(row) {
      row.querySelector(".action-type").addEventListener("change", function () { showType(row); });
      row.querySelector(".remove-action").addEventListener("click", function () {
        if (list.children.length > 1) { row.remove(); numberRows(); }
      });
      showType(row);
    }
    function numberRows() {
      Array.prototype.forEach.call(list.children, function (row, i) {
        row.querySelector("legend").textContent = "Action " + (i + 1);
        row.querySelectorAll(".field[data-name]").forEach(function (f) { f.dataset.path = "actions." + i + "." + f.dataset.name; });
        row.dataset.path = "actions." + i;
      });
    }
    Array.prototype.forEach.call(list.children, wire);
    numberRows();
    form.querySelector(".add-action").addEventListener("click", function () {
      var html = template.innerHTML.replace(/__i__/g, String(counter++));
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var row = holder.firstElementChild;
      list.appendChild(row);
      wire(row);
      numberRows();
      row.querySelector(".action-type").focus();
    });
    function fieldError(field, text) {
      var error = field.querySelector(".field-error");
      var input = field.querySelector("input, select, textarea");
      if (!error) { return; }
      error.textContent = text || "";
      error.hidden = !text;
      if (input) { if (text) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); } }
    }
    function clear() {
      summary.hidden = true; summary.textContent = "";
      form.querySelectorAll(".field[data-path]").forEach(function (field) { fieldError(field, ""); });
    }
    function findField(path) {
      if (jsonMode()) { return form.querySelector(".json-mode .field"); }
      var parts = path.split(".");
      while (parts.length) {
        var at = parts.join(".");
        var fields = Array.prototype.filter.call(form.querySelectorAll(".form-mode .field[data-path]"), function (f) { return f.dataset.path === at && !f.hidden && f.querySelector(".field-error"); });
        if (fields.length) { return fields[0]; }
        var row = Array.prototype.filter.call(list.children, function (r) { return r.dataset.path === at; })[0];
        if (row) { return row.querySelector(".field[data-name=type]"); }
        parts.pop();
      }
      return null;
    }
    function names(id) {
      return form.querySelector("#" + id).value.split(",").map(function (n) { return n.trim(); }).filter(function (n) { return n.length; });
    }
    function number(id) {
      var text = form.querySelector("#" + id).value.trim();
      return text === "" || isNaN(Number(text)) ? text : Number(text);
    }
    function target(row, action, name, select) {
      var value = row.querySelector(select).value;
      if (value === "inferred") { action.source = "inferred"; } else { action.source = "selected"; action[name] = value || null; }
    }
    function buildAction(row, problems) {
      var type = row.querySelector(".action-type").value;
      var action = { type: type };
      var value = function (name) { return row.querySelector(".field[data-name=" + name + "] input, .field[data-name=" + name + "] select, .field[data-name=" + name + "] textarea").value; };
      if (type === "run-deployment") {
        target(row, action, "deployment_id", ".field[data-name=deployment_id] select");
        var parameters = value("parameters").trim();
        if (parameters) {
          try { action.parameters = JSON.parse(parameters); }
          catch (e) { problems.push([row.querySelector(".field[data-name=parameters]"), "not valid JSON: " + e.message]); }
        }
      } else if (type === "pause-deployment" || type === "resume-deployment") {
        target(row, action, "deployment_id", ".field[data-name=deployment_id] select");
      } else if (type === "pause-work-pool" || type === "resume-work-pool") {
        target(row, action, "work_pool_id", ".field[data-name=work_pool_id] select");
      } else if (type === "change-flow-run-state") {
        action.state = value("state");
        if (value("name").trim()) { action.name = value("name").trim(); }
        if (value("message").trim()) { action.message = value("message").trim(); }
      } else if (type === "send-notification") {
        action.block_document_id = value("block_document_id") || null;
        action.subject = value("subject");
        action.body = value("body");
      } else if (type === "call-webhook") {
        action.block_document_id = value("block_document_id") || null;
        action.payload = value("payload");
      }
      return action;
    }
    function build(problems) {
      if (jsonMode()) {
        var text = form.querySelector("#automation-json").value;
        try { return JSON.parse(text); }
        catch (e) { problems.push([form.querySelector(".json-mode .field"), "not valid JSON: " + e.message]); return null; }
      }
      var pattern = form.querySelector("#trigger-match").value.trim();
      return {
        name: form.querySelector("#automation-name").value.trim(),
        description: form.querySelector("#automation-description").value,
        enabled: form.querySelector("#automation-enabled").checked,
        trigger: {
          type: "event",
          posture: form.querySelector("input[name=posture]:checked").value,
          match: pattern ? { "prefect.resource.id": pattern } : {},
          expect: names("trigger-expect"),
          after: names("trigger-after"),
          for_each: names("trigger-for-each"),
          threshold: number("trigger-threshold"),
          within: number("trigger-within")
        },
        actions: Array.prototype.map.call(list.children, function (row) { return buildAction(row, problems); })
      };
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clear();
      var problems = [];
      var body = build(problems);
      if (problems.length) {
        problems.forEach(function (p) { fieldError(p[0], p[1]); });
        problems[0][0].querySelector("input, select, textarea").focus();
        return;
      }
      submit.disabled = true;
      message.textContent = "Creating the automation…";
      fetch(form.dataset.createAutomation, { method: "POST", headers: csrf({ "Content-Type": "application/json", "Accept": "application/json" }), body: JSON.stringify(body) })
        .then(function (r) { return r.json().catch(function () { return {}; }).then(function (answer) { return { ok: r.ok, status: r.status, body: answer }; }); })
        .then(function (answer) {
          if (answer.ok && answer.body.id) { location.assign("/automations/" + answer.body.id); return; }
          submit.disabled = false;
          message.textContent = "";
          var detail = answer.body.exception_detail || answer.body.detail;
          var first = null;
          if (Array.isArray(detail)) {
            var text = function (d) { return (d.loc || []).filter(function (l) { return l !== "body"; }).join("."); };
            detail.forEach(function (d) {
              var field = findField(text(d));
              if (field) { fieldError(field, (jsonMode() && text(d) ? text(d) + ": " : "") + d.msg); first = first || field; }
            });
            summary.textContent = detail.map(function (d) { return (text(d) || "body") + ": " + d.msg; }).join("; ");
          } else {
            summary.textContent = (typeof detail === "string" ? detail : "The server answered " + answer.status + ".");
          }
          summary.hidden = false;
          if (first) { first.querySelector("input, select, textarea").focus(); }
        })
        .catch(function () { submit.disabled = false; message.textContent = ""; summary.textContent = "The server did not answer."; summary.hidden = false; });
    });
  });
  // API forms and buttons (variables, concurrency limits, work pools): they call the HTTP API itself, as the CLI does,
  // and show the page again when it answers. A form[data-api] sends its named fields as JSON (data-type on an input:
  // "number" and "tags" convert, an empty number is left out, or sent as null with data-empty="null" (which clears it);
  // a checkbox sends true/false) with its data-method (POST by
  // default) to its action; the API's 422 is shown next to the field its loc names, any other error above the form.
  // A button[data-api] sends its data-body (if any) with its data-method, after data-confirm, then opens data-then (if
  // any) or shows the page again.
  function apiCall(method, url, body) {
    var init = { method: method, headers: csrf({ "Accept": "application/json" }) };
    if (body !== undefined) { init.headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
    return fetch(url, init).then(function (r) {
      return r.text().then(function (text) {
        var parsed = {};
        try { parsed = text ? JSON.parse(text) : {}; } catch (e) { parsed = {}; }
        return { ok: r.ok, status: r.status, body: parsed || {} };
      });
    });
  }
  function apiProblems(answer) {
    var detail = answer.body.exception_detail || answer.body.detail;
    if (Array.isArray(detail)) {
      return detail.map(function (d) { return { loc: (d.loc || []).filter(function (l) { return l !== "body"; }), msg: d.msg }; });
    }
    return [{ loc: [], msg: typeof detail === "string" ? detail : "The server answered " + answer.status + "." }];
  }
  // Listened to on the document, so that a form a live region swapped in works as well as one that was there at load.
  function apiFormField(form, loc) {
    // The field named by the whole path (data.basepath), else by its last name (the API's loc of a body field).
    var named = loc.filter(function (l) { return typeof l === "string"; });
    var fields = Array.prototype.slice.call(form.querySelectorAll(".field[data-field]"));
    var byPath = fields.filter(function (f) { return f.dataset.field === named.join("."); })[0];
    return byPath || (named.length ? fields.filter(function (f) { return f.dataset.field === named[named.length - 1]; })[0] : null) || null;
  }
  function showFieldError(field, text) {
    var error = field.querySelector(".field-error");
    var input = field.querySelector("input, select, textarea");
    error.textContent = text || "";
    error.hidden = !text;
    if (text) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
  }
  // The body of a form[data-api]: each named input by its data-type; one with data-in goes into that object of the body
  // (a block document's data). An empty input is left out, or sent as null with data-empty="null".
  function apiFormBody(form, problems) {
    var body = {};
    form.querySelectorAll("input[name], select[name], textarea[name]").forEach(function (input) {
      var type = input.dataset.type;
      var target = body;
      if (input.dataset.in) { target = body[input.dataset.in] = body[input.dataset.in] || {}; }
      if (input.type === "checkbox") { target[input.name] = input.checked; return; }
      var text = input.value;
      if (text.trim() === "" && input.dataset.empty === "null") { target[input.name] = null; return; }
      if (type === "number") { if (text.trim() !== "") { target[input.name] = Number(text); } return; }
      if (type === "tags") { target[input.name] = text.split(",").map(function (t) { return t.trim(); }).filter(function (t) { return t !== ""; }); return; }
      if (type === "json") {
        if (text.trim() === "") { return; }
        try { target[input.name] = JSON.parse(text); }
        catch (e) { problems.push([input, "Not valid JSON: " + e.message]); }
        return;
      }
      if (text === "" && input.dataset.empty === "omit") { return; }
      target[input.name] = text;
    });
    return body;
  }
  document.addEventListener("submit", function (event) {
    var form = event.target.closest && event.target.closest("form[data-api]");
    if (!form) { return; }
    event.preventDefault();
    var summary = form.querySelector(".form-error");
    var submit = form.querySelector("button[type=submit]");
    summary.hidden = true;
    form.querySelectorAll(".field[data-field]").forEach(function (field) { showFieldError(field, ""); });
    // A required field left empty is said so here: sent, an empty text would be stored as it is (a variable's value)
    // and an empty number left out (no change, and no word of it).
    var problems = [];
    form.querySelectorAll(".field[data-field] [aria-required=true]").forEach(function (input) {
      if (input.value.trim() === "") { problems.push([input, "Required."]); }
    });
    var body = apiFormBody(form, problems);
    if (problems.length) {
      problems.forEach(function (p) { showFieldError(p[0].closest(".field[data-field]"), p[1]); });
      problems[0][0].focus();
      return;
    }
    submit.disabled = true;
    apiCall(form.dataset.method || "POST", form.getAttribute("action"), body)
      .then(function (answer) {
        if (answer.ok) {
          // data-then: the page to open (a new item's: {id} is its id), else this page again.
          var then = form.dataset.then;
          if (then) { location.assign(then.replace("{id}", encodeURIComponent(answer.body.id || ""))); } else { location.reload(); }
          return;
        }
        submit.disabled = false;
        var unplaced = [];
        var focused = false;
        apiProblems(answer).forEach(function (problem) {
          var field = apiFormField(form, problem.loc);
          if (field) {
            showFieldError(field, problem.msg);
            if (!focused) { field.querySelector("input, select, textarea").focus(); focused = true; }
          } else {
            unplaced.push((problem.loc.length ? problem.loc.join(".") + ": " : "") + problem.msg);
          }
        });
        if (unplaced.length) { summary.textContent = unplaced.join("; "); summary.hidden = false; }
      })
      .catch(function () { submit.disabled = false; summary.textContent = "The server did not answer."; summary.hidden = false; });
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-api]");
    if (!button) { return; }
    if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) { return; }
    var message = button.parentElement.querySelector(".action-message");
    button.disabled = true;
    if (message) { message.textContent = "…"; }
    apiCall(button.dataset.method || "POST", button.dataset.api, button.dataset.body ? JSON.parse(button.dataset.body) : undefined)
      .then(function (answer) {
        if (answer.ok) { if (button.dataset.then) { location.assign(button.dataset.then); } else { location.reload(); } return; }
        button.disabled = false;
        if (message) { message.textContent = apiProblems(answer).map(function (p) { return p.msg; }).join("; "); }
      })
      .catch(function () { button.disabled = false; if (message) { message.textContent = "The server did not answer."; } });
  });
})();
