// The live map and alert console: borders and agreement areas from the platform; tracks, alerts
// and link state of the operator's own ASDE centre, read through the platform (its event stream
// relayed, its actions posted with the platform's CSRF token). The browser never talks to a
// centre, and this script carries no language of its own: every word comes from data-words.
(function () {
  "use strict";
  const el = document.getElementById("map");
  const words = JSON.parse(el.dataset.words);
  const lang = document.documentElement.lang || "en";
  const levels = el.dataset.levels.split(" ");
  const colours = { own: "#0057b7", partner: "#d97706" };
  const tracks = new Map(); // "own:12" -> {data, dot, trail}
  const alerts = new Map(); // "own:3" -> alert as the centre sent it, normalised
  let tableDirty = true;
  // The centre's picture drops a track after 60 s without a report (asde.picture's
  // terminate_after) and its stream does not say so: the map does the same, on the centre's clock.
  const SILENT_S = 60;
  let newest = 0;

  const map = L.map(el, { zoomControl: true, attributionControl: false }).setView([49.5, 27], 5);
  fetch(el.dataset.borders).then((r) => r.json()).then((geo) => {
    L.geoJSON(geo, { style: { color: "#6b7280", weight: 1, fillColor: "#f3f4f6", fillOpacity: 1 } }).addTo(map).bringToBack();
  });
  fetch(el.dataset.areas).then((r) => r.json()).then((geo) => {
    L.geoJSON(geo, { style: (f) => ({ color: f.properties.approved ? "#16a34a" : "#9ca3af", weight: 1, dashArray: "4", fillOpacity: 0.05 }) }).addTo(map);
  });

  function fmt(template, params) {
    return template.replace(/%\((\w+)\)s/g, (_, name) => (params[name] == null ? "" : String(params[name])));
  }

  function clock(iso) {
    if (!iso) return "";
    const when = typeof iso === "number" ? new Date(iso * 1000) : new Date(iso);
    // UTC, as air operations keep time: the two centres and their operators are in different zones.
    return isNaN(when) ? String(iso) : when.toLocaleTimeString(lang, { hour12: false, timeZone: "UTC" }) + "Z";
  }

  function make(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  // -- tracks ------------------------------------------------------------------------------
  function label(t) {
    const level = t.alt_ft != null ? "FL" + Math.round(t.alt_ft / 100) : "";
    const speed = t.gs != null ? Math.round(t.gs) + "kt" : "";
    return [t.flight || t.hex || t.track, level, speed].filter(Boolean).join(" ");
  }

  function dropTrack(key) {
    const entry = tracks.get(key);
    if (!entry) return;
    if (entry.dot) { entry.dot.remove(); entry.trail.remove(); }
    tracks.delete(key);
    tableDirty = true;
  }

  function showTrack(t) {
    const picture = t.picture === "partner" ? "partner" : "own";
    const key = picture + ":" + t.track;
    if (t.status === "terminated" || t.removed) { dropTrack(key); return; }
    let entry = tracks.get(key);
    if (!entry) { entry = { data: t }; tracks.set(key, entry); }
    entry.data = t;
    tableDirty = true;
    if (typeof t.time === "number" && t.time > newest) newest = t.time;
    if (t.lat == null || t.lon == null) return;
    const colour = t.emergency ? "#dc2626" : colours[picture];
    if (!entry.dot) {
      entry.dot = L.circleMarker([t.lat, t.lon], { radius: 4, color: colour, className: "track track-" + picture }).addTo(map);
      entry.trail = L.polyline([], { color: colour, weight: 1, opacity: 0.6 }).addTo(map);
      entry.dot.bindTooltip("", { permanent: true, direction: "right", className: "track-label" });
    }
    entry.dot.setLatLng([t.lat, t.lon]).setStyle({ color: colour, opacity: t.status === "coasting" ? 0.4 : 1 });
    // A node, not a string: Leaflet puts a string in as HTML, and a callsign is the sender's text.
    entry.dot.setTooltipContent(make("span", null, label(t)));
    entry.trail.setLatLngs(t.trail || []);
  }

  const search = document.getElementById("track-search");
  const body = document.querySelector("#tracks tbody");
  search.addEventListener("input", () => { tableDirty = true; renderTable(); });

  function renderTable() {
    if (!tableDirty) return;
    tableDirty = false;
    const needle = search.value.trim().toLowerCase();
    const rows = [];
    for (const { data: t } of tracks.values()) {
      const fields = [t.flight, t.squawk, t.hex].filter(Boolean).map((v) => String(v).toLowerCase());
      if (!needle || fields.some((v) => v.includes(needle))) rows.push(t);
    }
    rows.sort((a, b) => String(a.flight || a.hex || "").localeCompare(String(b.flight || b.hex || "")));
    const fragment = document.createDocumentFragment();
    for (const t of rows.slice(0, 300)) {
      const tr = make("tr", "picture-" + (t.picture === "partner" ? "partner" : "own"));
      tr.dataset.track = t.track;
      for (const value of [t.flight || "", t.squawk || "", t.hex ? String(t.hex).toUpperCase() : "",
                           t.alt_ft != null ? Math.round(t.alt_ft / 100) : "", t.gs != null ? Math.round(t.gs) : "",
                           body.dataset[t.picture === "partner" ? "partner" : "own"]]) {
        tr.appendChild(make("td", null, value));
      }
      if (t.lat != null && t.lon != null) tr.addEventListener("click", () => map.panTo([t.lat, t.lon]));
      fragment.appendChild(tr);
    }
    body.replaceChildren(fragment);
    document.getElementById("track-count").textContent = fmt(words.tracks.count, { shown: Math.min(rows.length, 300), total: tracks.size });
  }
  setInterval(renderTable, 1000); // at most once a second: a national picture changes constantly
  setInterval(() => {
    for (const [key, entry] of Array.from(tracks.entries())) {
      if (typeof entry.data.time === "number" && newest - entry.data.time > SILENT_S) dropTrack(key);
    }
  }, 5000);

  // -- alerts ------------------------------------------------------------------------------
  function normalise(a, origin) {
    const out = Object.assign({}, a);
    out.origin = a.origin || origin || (a.from_partner ? "partner" : "own");
    out.state = a.state || "active";
    out.raised_at = a.raised_at || a.time || null;
    out.history = Array.isArray(a.history) ? a.history : [];
    out.acknowledged = Boolean(a.acknowledged) || out.history.some((h) => h.event === "acknowledged");
    return out;
  }

  function who(by) {
    if (!by) return "";
    const role = by.role ? (words.roles[by.role] || by.role) : "";
    const about = [by.organization, role].filter(Boolean).join(", ");
    return by.name + (about ? " (" + about + ")" : "");
  }

  function historyLine(h) {
    const template = words.history[h.event] || h.event;
    const level = h.level ? (words.levels[h.level] || h.level) : "";
    return clock(h.at) + " " + fmt(template, { who: who(h.by), level: level });
  }

  function evidenceLine(a) {
    const template = words.evidence[a.rule];
    const found = a.evidence || {};
    if (!template || !Object.keys(found).length) return "";
    const params = Object.assign({}, found);
    for (const key of ["from", "into"]) if (key in params && params[key] == null) params[key] = words.outside;
    if (Array.isArray(found.indicators)) params.indicators = found.indicators.map((r) => words.rules[r] || r).join(", ");
    return fmt(template, params);
  }

  // The platform answers JSON; anything else (a CSRF failure page, a login redirect) is told
  // by its status, not mistaken for the centre being down.
  function answer(r) {
    return r.json().catch(() => ({ error: r.status + " " + r.statusText }))
      .then((body) => ({ ok: r.ok && !r.redirected, body }));
  }

  function post(url, data, done) {
    const result = document.getElementById("action-result");
    fetch(url, { method: "POST", headers: { "X-CSRFToken": el.dataset.csrf }, body: new URLSearchParams(data), credentials: "same-origin" })
      .then(answer)
      .then(({ ok, body }) => {
        result.classList.toggle("error", !ok);
        if (!ok) { result.textContent = fmt(words.alert.failed, { reason: body.error || "" }); return; }
        result.textContent = done;
        return body;
      })
      .catch(() => { result.classList.add("error"); result.textContent = fmt(words.alert.failed, { reason: words.centre.centre_unreachable }); })
      .then((body) => { if (body) loadAlerts(); });
  }

  function alertItem(a) {
    const li = make("li", "alert severity-" + (a.severity || "info") + " state-" + a.state + " origin-" + a.origin);
    li.dataset.number = a.number;
    li.dataset.rule = a.rule || "";
    li.dataset.track = a.track;
    li.dataset.origin = a.origin;
    if (a.acknowledged) li.classList.add("acknowledged");
    const head = make("p", "alert-head");
    head.appendChild(make("span", "severity", words.severities[a.severity] || a.severity || ""));
    head.appendChild(make("strong", "rule", words.rules[a.rule] || a.rule || ""));
    if (a.rule === "renegade" && a.level) head.appendChild(make("span", "level", words.levels[a.level] || a.level));
    li.appendChild(head);
    const what = make("p", "alert-what");
    what.appendChild(make("span", "callsign", a.callsign || fmt(words.alert.track, { number: a.track })));
    what.appendChild(make("span", "origin", words.alert[a.origin] || ""));
    what.appendChild(make("span", "state", words.alert[a.state] || a.state));
    li.appendChild(what);
    const evidence = evidenceLine(a);
    if (evidence) li.appendChild(make("p", "alert-evidence", evidence));
    const history = make("ul", "alert-history");
    const lines = a.history.length ? a.history : [{ event: "raised", at: a.raised_at }];
    for (const h of lines) history.appendChild(make("li", "event-" + h.event, historyLine(h)));
    if (a.state === "cleared" && a.cleared_at && !a.history.some((h) => h.event === "cleared")) {
      history.appendChild(make("li", "event-cleared", historyLine({ event: "cleared", at: a.cleared_at })));
    }
    li.appendChild(history);
    const actions = make("p", "alert-actions");
    if (!a.acknowledged && a.number != null) {
      const ack = make("button", "acknowledge", words.alert.acknowledge);
      ack.type = "button";
      ack.addEventListener("click", () => {
        ack.disabled = true;
        post(el.dataset.acknowledge.replace("/0/", "/" + a.number + "/"), {}, words.alert.done_ack);
      });
      actions.appendChild(ack);
    }
    // Escalation is the holding centre's alone: only on this centre's own renegade tracks.
    if (a.rule === "renegade" && a.origin === "own" && a.state === "active") {
      const current = levels.indexOf(a.level);
      for (const level of levels.slice(current + 1)) {
        const b = make("button", "escalate", fmt(words.alert.escalate, { level: words.levels[level] || level }));
        b.type = "button";
        b.dataset.level = level;
        b.addEventListener("click", () => {
          b.disabled = true;
          post(el.dataset.escalate.replace("/0/", "/" + a.track + "/"), { level }, words.alert.done_escalate);
        });
        actions.appendChild(b);
      }
    }
    if (actions.childNodes.length) li.appendChild(actions);
    return li;
  }

  function renderAlerts() {
    const list = document.getElementById("alerts");
    const rows = Array.from(alerts.values()).sort((x, y) =>
      (x.state === "active" ? 0 : 1) - (y.state === "active" ? 0 : 1) || String(y.raised_at).localeCompare(String(x.raised_at)));
    if (!rows.length) { list.replaceChildren(make("li", "empty", words.alert.none)); return; }
    list.replaceChildren(...rows.slice(0, 200).map(alertItem));
  }

  function putAlert(a, origin) {
    const n = normalise(a, origin);
    alerts.set(n.origin + ":" + n.number, n);
  }

  function eachAlert(value, fn) {
    if (Array.isArray(value)) { value.forEach((a) => fn(a, null)); return; }
    for (const [origin, list] of Object.entries(value || {})) (list || []).forEach((a) => fn(a, origin));
  }

  function loadAlerts() {
    fetch(el.dataset.alerts, { credentials: "same-origin" }).then((r) => (r.ok ? r.json() : null)).then((body) => {
      if (!body) return;
      eachAlert(body.alerts, putAlert);
      renderAlerts();
    }).catch(() => {});
  }

  // -- the centre's event stream, through the platform ---------------------------------------
  const state = document.getElementById("centre-state");
  function centreState(name) {
    state.textContent = words.centre[name] || name;
    state.dataset.state = name;
  }

  function snapshot(data) {
    for (const key of Array.from(tracks.keys())) dropTrack(key);
    eachAlert(data.tracks, (t, picture) => showTrack(picture && !t.picture ? Object.assign({ picture }, t) : t));
    if (data.alerts) { alerts.clear(); eachAlert(data.alerts, putAlert); renderAlerts(); }
    if (data.link) renderLinks(data.link);
  }

  const source = new EventSource(el.dataset.events);
  source.onmessage = (message) => {
    const data = JSON.parse(message.data);
    if (data.type === "track") showTrack(data);
    else if (data.type === "alert") { putAlert(data, null); renderAlerts(); }
    else if (data.type === "snapshot") snapshot(data);
    else if (data.type === "link") renderLinks(data.link || data);
    else if (data.type === "centre") { centreState(data.state); if (data.state === "connected") loadAlerts(); }
  };
  source.onerror = () => { if (source.readyState === EventSource.CLOSED) centreState("centre_unreachable"); };

  // -- the partner link --------------------------------------------------------------------
  function renderLinks(l) {
    if (!l || !("active" in l)) return;
    const list = document.getElementById("links");
    const items = [];
    items.push(make("li", l.active ? "link-up" : "link-down", l.active ? fmt(words.link.up, { name: l.active }) : words.link.down));
    const names = (l.connections || []).join(", ") || words.link.none;
    items.push(make("li", null, fmt(words.link.connections, { names })));
    let detail = fmt(words.link.waiting, { count: l.unacknowledged || 0 });
    if (l.round_trip_ms && l.round_trip_ms.p50 != null) detail += "; " + fmt(words.link.rtt, { ms: l.round_trip_ms.p50 });
    items.push(make("li", null, detail));
    if (l.buffer_full) items.push(make("li", "link-down", words.link.buffer_full));
    list.replaceChildren(...items);
  }

  function refreshLinks() {
    fetch(el.dataset.links, { credentials: "same-origin" })
      .then(answer)
      .then(({ ok, body }) => {
        if (ok) renderLinks(body);
        else document.getElementById("links").replaceChildren(make("li", "link-down", body.error || ""));
      })
      .catch(() => {});
  }
  loadAlerts();
  refreshLinks();
  setInterval(refreshLinks, 3000);
})();
