// Members on a world map drawn from a local GeoJSON of country outlines: no tile server, no request
// leaves the site. Countries are shaded by member count; each member city is a dot that links to it.
(function () {
  "use strict";
  const element = document.getElementById("member-map");
  if (!element || !window.L) return;
  const names = JSON.parse(document.getElementById("country-names")?.textContent || "{}");
  const map = L.map(element, { preferCanvas: true, worldCopyJump: true, minZoom: 1, zoomSnap: 0.5 });
  map.setView([20, 10], 1.5);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Natural Earth");

  const shade = (share) => {
    // From a pale to a deep blue; square root so that small counts stay visible.
    const t = Math.sqrt(share);
    const mix = (a, b) => Math.round(a + (b - a) * t);
    return `rgb(${mix(198, 11)}, ${mix(219, 79)}, ${mix(239, 108)})`;
  };

  Promise.all([
    fetch(element.dataset.world).then((r) => r.json()),
    fetch(element.dataset.members).then((r) => r.json()),
  ]).then(([world, members]) => {
    const counts = members.countries;
    const max = Math.max(1, ...Object.values(counts));
    L.geoJSON(world, {
      style: (feature) => {
        const n = counts[feature.properties.code] || 0;
        return { weight: 0.5, color: "#8a99a8", fillOpacity: 1, fillColor: n ? shade(n / max) : "#f4f6f8" };
      },
      onEachFeature: (feature, layer) => {
        const code = feature.properties.code;
        if (counts[code]) layer.bindTooltip(`${names[code] || code}: ${counts[code]}`, { sticky: true });
      },
    }).addTo(map);
    const renderer = L.canvas({ padding: 0.5 });
    for (const [lat, lon, name, slug] of members.points) {
      L.circleMarker([lat, lon], {
        renderer, radius: 4, weight: 1, color: "#ffffff", fillColor: "#f2a541", fillOpacity: 0.95,
      })
        .bindTooltip(name)
        .on("click", () => { window.location.href = members.place_url.replace("__slug__", slug); })
        .addTo(map);
    }
  });
})();
