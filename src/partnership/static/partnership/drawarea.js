// Drawing an agreement area: corners placed by clicking, moved by dragging, kept as GeoJSON in
// the form's hidden "area" field.
(function () {
  "use strict";
  const el = document.getElementById("draw-map");
  const field = document.getElementById("id_area");
  const map = L.map(el, { attributionControl: false }).setView([49.5, 27], 5);
  fetch(el.dataset.borders).then((r) => r.json()).then((geo) => {
    L.geoJSON(geo, { style: { color: "#6b7280", weight: 1, fillColor: "#f3f4f6", fillOpacity: 1 } }).addTo(map);
  });
  let corners = [];
  const shape = L.polygon([], { color: "#16a34a" }).addTo(map);
  const handles = L.layerGroup().addTo(map);

  function save() {
    shape.setLatLngs(corners);
    document.getElementById("corners").textContent = corners.length;
    if (corners.length < 3) { field.value = ""; return; }
    const ring = corners.map((c) => [Number(c.lng.toFixed(5)), Number(c.lat.toFixed(5))]);
    ring.push(ring[0]);
    field.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
  }
  function redraw() {
    handles.clearLayers();
    corners.forEach((c, i) => {
      const m = L.marker(c, { draggable: true }).addTo(handles);
      m.on("drag", (e) => { corners[i] = e.target.getLatLng(); save(); });
    });
    save();
  }
  try {
    const start = JSON.parse(field.value);
    if (start.type === "Polygon") {
      corners = start.coordinates[0].slice(0, -1).map(([lng, lat]) => L.latLng(lat, lng));
    }
  } catch (e) { corners = []; }
  if (corners.length > 40) corners = [];  // a computed band: start a new drawing instead
  redraw();
  if (corners.length) map.fitBounds(shape.getBounds());
  map.on("click", (e) => { corners.push(e.latlng); redraw(); });
  document.getElementById("restart").onclick = () => { corners = []; redraw(); };
})();
