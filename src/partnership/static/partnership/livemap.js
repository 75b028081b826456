// The live map: borders and agreement areas from the platform, tracks and alerts from the two
// ASDE centres (their HTTP APIs and server-sent events). No tile server: the machines are offline.
(function () {
  "use strict";
  const el = document.getElementById("map");
  const map = L.map(el, { zoomControl: true, attributionControl: false }).setView([49.5, 27], 5);
  const centres = { own: el.dataset.nato, partner: el.dataset.partner };
  const colours = { own: "#0057b7", partner: "#d97706" };
  const layers = { own: new Map(), partner: new Map() };

  fetch(el.dataset.borders).then((r) => r.json()).then((geo) => {
    L.geoJSON(geo, { style: { color: "#6b7280", weight: 1, fillColor: "#f3f4f6", fillOpacity: 1 } }).addTo(map);
  });
  fetch(el.dataset.areas).then((r) => r.json()).then((geo) => {
    L.geoJSON(geo, { style: (f) => ({ color: f.properties.approved ? "#16a34a" : "#9ca3af", weight: 1, dashArray: "4", fillOpacity: 0.05 }) }).addTo(map);
  });

  function label(t) {
    const level = t.alt_ft != null ? "FL" + Math.round(t.alt_ft / 100) : "";
    const speed = t.gs != null ? Math.round(t.gs) + "kt" : "";
    return [t.flight || t.hex || t.track, level, speed].filter(Boolean).join(" ");
  }

  function show(t) {
    if (t.lat == null || t.lon == null) return;
    const picture = t.picture === "partner" ? "partner" : "own";
    const key = picture + ":" + t.track;
    let entry = layers[picture].get(key);
    const colour = t.emergency ? "#dc2626" : colours[picture];
    if (!entry) {
      entry = {
        dot: L.circleMarker([t.lat, t.lon], { radius: 4, color: colour, className: "track track-" + picture }).addTo(map),
        trail: L.polyline([], { color: colour, weight: 1, opacity: 0.6 }).addTo(map),
      };
      entry.dot.bindTooltip("", { permanent: true, direction: "right", className: "track-label" });
      layers[picture].set(key, entry);
    }
    entry.dot.setLatLng([t.lat, t.lon]).setStyle({ color: colour });
    entry.dot.setTooltipContent(label(t));
    entry.trail.setLatLngs(t.trail || []);
    document.getElementById("track-count").textContent = layers.own.size + layers.partner.size;
  }

  function alertItem(a, centre) {
    const li = document.createElement("li");
    li.dataset.rule = a.rule || "";
    const who = a.from_partner ? "⇄ " : "";
    li.textContent = who + (a.callsign || ("#" + a.track)) + ": " + (a.rule || "") + (a.level && a.level !== "none" ? " (" + a.level + ")" : "") + " ";
    if (!a.from_partner && a.number) {
      const ack = document.createElement("button");
      ack.textContent = el.dataset.ack;
      ack.onclick = () => fetch(centre + "/alerts/" + a.number + "/acknowledge", { method: "POST" })
        .then(() => { li.classList.add("acknowledged"); ack.disabled = true; });
      li.appendChild(ack);
      if (a.rule === "renegade") {
        for (const level of ["probable", "confirmed"]) {
          const b = document.createElement("button");
          b.textContent = el.dataset.escalate + " " + level;
          b.onclick = () => fetch(centre + "/tracks/" + a.track + "/renegade", { method: "POST", body: JSON.stringify({ level }) });
          li.appendChild(b);
        }
      }
    }
    document.getElementById("alerts").prepend(li);
  }

  for (const [picture, base] of Object.entries(centres)) {
    const source = new EventSource(base + "/events");
    source.onmessage = (message) => {
      const data = JSON.parse(message.data);
      if (data.type === "track") {
        // The partner centre shows what it received as "partner"; on the map that is the
        // picture received by Ukraine, drawn in its own colour.
        if (picture === "partner" && data.picture !== "partner") return;
        if (picture === "own" && data.picture !== "own") return;
        show(data);
      } else if (data.type === "alert") {
        alertItem(data, base);
      }
    };
  }

  function refreshLinks() {
    const list = document.getElementById("links");
    Promise.all(Object.entries(centres).map(([name, base]) =>
      fetch(base + "/links").then((r) => r.json()).then((l) => [name, l]).catch(() => [name, null])
    )).then((rows) => {
      list.innerHTML = "";
      for (const [name, l] of rows) {
        const li = document.createElement("li");
        const rtt = l && l.round_trip_ms && l.round_trip_ms.p50 != null ? ", RTT p50 " + l.round_trip_ms.p50 + " ms" : "";
        li.textContent = l ? name + ": " + (l.active || "—") + " (" + l.connections.join(", ") + "), " + l.unacknowledged + " waiting" + rtt
                           : name + ": unreachable";
        list.appendChild(li);
      }
    });
  }
  refreshLinks();
  setInterval(refreshLinks, 2000);
})();
