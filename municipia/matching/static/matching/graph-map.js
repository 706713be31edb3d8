// The network's ties on a world map drawn from the local GeoJSON of country outlines (no tile
// server, no request leaves the site): a dot per member city, a line per tied pair, coloured by the
// kind of tie (an agreement, a shared project, a mentoring; several kinds: the first of these).
(function () {
  "use strict";
  const element = document.getElementById("graph-map");
  const source = document.getElementById("graph-map-data");
  if (!element || !source || !window.L) return;
  const data = JSON.parse(source.textContent);
  const colours = { agreement: "#0b4f6c", project: "#2a9d4b", mentoring: "#d9822b" };
  const map = L.map(element, { preferCanvas: true, worldCopyJump: true, minZoom: 1, zoomSnap: 0.5 });
  map.setView([20, 10], 1.5);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Natural Earth");

  fetch(element.dataset.world)
    .then((r) => r.json())
    .then((world) => {
      L.geoJSON(world, {
        style: () => ({ weight: 0.5, color: "#8a99a8", fillOpacity: 1, fillColor: "#f4f6f8" }),
        interactive: false,
      }).addTo(map);
      const renderer = L.canvas({ padding: 0.5 });
      for (const [a, b, kinds] of data.ties) {
        const [from, to] = [data.points[a], data.points[b]];
        const kind = ["agreement", "project", "mentoring"].find((k) => kinds.includes(k));
        L.polyline([[from[0], from[1]], [to[0], to[1]]], {
          renderer, weight: 1.5, opacity: 0.7, color: colours[kind] || "#555555",
        })
          .bindTooltip(`${from[2]} – ${to[2]}`, { sticky: true })
          .addTo(map);
      }
      for (const [lat, lon, name] of data.points) {
        L.circleMarker([lat, lon], {
          renderer, radius: 3.5, weight: 1, color: "#ffffff", fillColor: "#f2a541", fillOpacity: 0.95,
        })
          .bindTooltip(name)
          .addTo(map);
      }
    });
})();
