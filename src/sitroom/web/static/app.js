// sitroom's page: a map of who holds what, a timeline, and the claims and sources behind every mark.
//
// Report text is untrusted input. Every string that came from a report (titles, evidence, names, outlets)
// reaches the page through textContent or createTextNode, never innerHTML; the server's Content-Security-Policy
// allows only this server's scripts, as a second lock. Everything is loaded from this server: no CDN, no tiles.
"use strict";

(function () {
  const FALLBACK_RANGE = ["2024-11-27", "2024-12-08"];
  const DAY_MS = 86400000;
  const LIST_LIMIT = 10000;

  // Controllers keep stable colours across days so the eye can follow the front; unknown ones get a hashed hue.
  // Each actor's colour comes from the server (GET /actors: the lexicon's colour, or its nearest ancestor's);
  // an actor with none, or one named as written in a report, gets a hue computed from its id.
  const ACTOR_COLOURS = {};
  // Event types come from the server's ontology (GET /ontology): one entry per type, shared with every stage.
  const EVENT_TYPES = {};
  const STANCE_LABELS = {
    asserted: "asserted", announced: "announced (own act)", denied: "denied",
    projected: "projected", hypothetical: "hypothetical",
  };
  const SUPPORTING = new Set(["asserted", "announced"]);

  const state = {
    days: [],
    dayIndex: 0,
    replay: false,
    knownAt: "",
    map: null,
    layers: null,
    control: [],       // GeoJSON features of the current day
    events: [],
    roads: [],         // road segments of the current day, with their status
    selected: null,    // {kind: "place"|"event", key, data}
    requestSerial: 0,
    moveQueued: false,
    fitted: false,
  };

  // --- small DOM helpers (text only) ------------------------------------------------------------------------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else if (name === "dataset") Object.assign(node.dataset, value);
      else if (name === "onclick") node.addEventListener("click", value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === "string" || typeof child === "number"
        ? document.createTextNode(String(child)) : child);
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function $(id) { return document.getElementById(id); }

  function setStatus(message, kind) {
    const status = $("status");
    status.textContent = message || "";
    status.className = "status" + (kind ? " " + kind : "");
  }

  // A link only for web addresses: a report's url could be javascript: or data:, which must never become a link.
  function safeHref(url) {
    if (typeof url !== "string") return null;
    try {
      const parsed = new URL(url);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (_err) {
      return null;
    }
  }

  function hashHue(text) {
    let h = 0;
    for (let i = 0; i < text.length; i += 1) h = (h * 31 + text.charCodeAt(i)) % 360;
    return h;
  }

  function controllerColour(actor) {
    if (actor && actor.id && ACTOR_COLOURS[actor.id]) return ACTOR_COLOURS[actor.id];
    const id = ((actor && (actor.id || actor.name)) || "unknown").toLowerCase();
    return "hsl(" + hashHue(id) + ", 55%, 45%)";
  }

  // "not confirmed for 3 days" / "4 sources, last 17 h ago": the freshness the server computed for an entry
  function freshnessText(p) {
    if (p.stale === null || p.stale === undefined) return "";
    const h = p.hours_since_confirmed;
    const ago = h < 72 ? Math.round(h) + " h" : Math.round(h / 24) + " days";
    const n = p.sources + " source" + (p.sources === 1 ? "" : "s");
    return p.stale ? "not confirmed for " + ago + " (stale; " + n + ")" : n + ", last confirmed " + ago + " before";
  }

  function eventColour(type) { return (EVENT_TYPES[type] && EVENT_TYPES[type].colour) || "#566573"; }

  function typeName(type) { return (EVENT_TYPES[type] && EVENT_TYPES[type].name) || label(type); }

  function label(text) { return String(text || "").replace(/_/g, " "); }

  // --- dates -----------------------------------------------------------------------------------------------

  function parseDay(s) { return new Date(s + "T00:00:00Z"); }
  function isoDay(d) { return d.toISOString().slice(0, 10); }

  function dayRange(first, last) {
    const days = [];
    for (let t = parseDay(first).getTime(); t <= parseDay(last).getTime(); t += DAY_MS) days.push(isoDay(new Date(t)));
    return days;
  }

  function prettyDay(s) {
    if (!s) return "";
    const d = parseDay(s.slice(0, 10));
    return d.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  }

  function currentDay() { return state.days[state.dayIndex]; }

  function spanText(item) {
    if (item.date) return prettyDay(item.date);
    if (item.date_earliest || item.date_latest) {
      return (item.date_earliest ? prettyDay(item.date_earliest) : "…") + " – " +
        (item.date_latest ? prettyDay(item.date_latest) : "…");
    }
    return "date unknown";
  }

  // --- the API ---------------------------------------------------------------------------------------------

  class ApiProblem extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  async function api(path, params) {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(params || {})) {
      if (value === null || value === undefined || value === "") continue;
      if (Array.isArray(value)) value.forEach((v) => query.append(name, v));
      else query.append(name, value);
    }
    const qs = query.toString();
    const response = await fetch(path + (qs ? "?" + qs : ""), { headers: { Accept: "application/json" } });
    let body = null;
    try {
      body = await response.json();
    } catch (_err) {
      body = null;
    }
    if (!response.ok) {
      const error = (body && body.error) || {};
      throw new ApiProblem(response.status, error.code || "http_error", error.message || response.statusText);
    }
    return body;
  }

  function timeParams(extra) {
    const params = Object.assign({ at: currentDay() }, extra || {});
    if (state.replay && state.knownAt) params.known_at = state.knownAt;
    return params;
  }

  // --- vendor assets, loaded only when the build has put them there -------------------------------------------

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const script = el("script", { src: src });
      script.onload = resolve;
      script.onerror = () => reject(new Error("cannot load " + src));
      document.head.appendChild(script);
    });
  }

  function loadStyle(href) {
    return new Promise((resolve) => {
      const link = el("link", { rel: "stylesheet", href: href });
      link.onload = resolve;
      link.onerror = resolve; // the map still works unstyled
      document.head.appendChild(link);
    });
  }

  async function loadVendor() {
    let assets = { vendor: false };
    try {
      assets = await api("/assets");
    } catch (_err) {
      assets = { vendor: false };
    }
    if (!assets.vendor) return false;
    await loadStyle("/static/vendor/leaflet/leaflet.css");
    await loadScript("/static/vendor/leaflet/leaflet.js");
    await loadScript("/static/vendor/topojson-client/topojson-client.min.js");
    return typeof window.L !== "undefined" && typeof window.topojson !== "undefined";
  }

  // --- the map ---------------------------------------------------------------------------------------------

  async function initMap() {
    const mapNode = $("map");
    const ok = await loadVendor();
    if (!ok) {
      mapNode.classList.add("no-map");
      mapNode.appendChild(el("p", { class: "notice" },
        "The map's assets are not installed on this server (run npm ci and python -m sitroom.web.build). " +
        "The lists beside it still work."));
      return;
    }
    const L = window.L;
    const map = L.map(mapNode, { zoomControl: true, worldCopyJump: false, preferCanvas: false, attributionControl: true });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Country outlines: Natural Earth via world-atlas");
    map.createPane("roadsPane").style.zIndex = 405;
    map.createPane("controlPane").style.zIndex = 410;
    map.createPane("eventsPane").style.zIndex = 420;
    map.setView([35.0, 38.5], 6);
    map.on("zoomend moveend", declutterLabels);
    state.map = map;
    state.layers = {
      roads: L.layerGroup().addTo(map),
      control: L.layerGroup().addTo(map),
      events: L.layerGroup().addTo(map),
    };
    try {
      const response = await fetch("/static/vendor/world-atlas/countries-50m.json");
      const topo = await response.json();
      const countries = window.topojson.feature(topo, topo.objects.countries);
      L.geoJSON(countries, {
        interactive: false,
        style: { color: "#8c8c8c", weight: 0.8, fillColor: "#f1ede2", fillOpacity: 1 },
      }).addTo(map);
    } catch (_err) {
      setStatus("Country outlines could not be loaded; markers are shown without a base map.", "warn");
    }
  }

  // City names never sit on one another: a label that would overlap one already shown (in drawing order, the
  // bigger places first) is hidden until a zoom gives it room.
  function declutterLabels() {
    const shown = [];
    for (const node of document.querySelectorAll(".leaflet-tooltip.place-label")) {
      node.classList.remove("label-hidden");
      const r = node.getBoundingClientRect();
      if (shown.some((o) => r.left < o.right && o.left < r.right && r.top < o.bottom && o.top < r.bottom)) {
        node.classList.add("label-hidden");
      } else {
        shown.push(r);
      }
    }
  }

  function fitToData() {
    if (!state.map) return;
    // The theatre is where control is tracked; events placed at a whole country (an advisory issued in
    // Beijing, a statement from Moscow) would zoom the map out to the world, so they count only when
    // nothing else is there.
    let points = state.control.map((f) => [f.geometry.coordinates[1], f.geometry.coordinates[0]]);
    if (points.length < 2) {
      points = points.concat(state.events
        .filter((e) => e.place && e.place.lat !== null && e.place.kind !== "country")
        .map((e) => [e.place.lat, e.place.lon]));
    }
    if (points.length) state.map.fitBounds(window.L.latLngBounds(points).pad(0.1), { maxZoom: 8, animate: false });
  }

  const KIND_RANK = { city: 5, admin1: 1, region: 1, country: 0, town: 4, village: 3 };
  const KIND_RADIUS = { city: 8, town: 6, village: 5, airport: 5, border_crossing: 5, port: 5, military_base: 5 };

  function kindRank(feature) {
    const kind = ((feature.properties && feature.properties.place) || {}).kind;
    return kind in KIND_RANK ? KIND_RANK[kind] : 2;
  }

  function drawMap() {
    if (!state.map) return;
    const L = window.L;
    state.layers.control.clearLayers();
    state.layers.events.clearLayers();
    drawRoads();
    // Facilities first and cities last, so where an airport or base sits beside its city at low zoom the
    // city's dot is on top and takes the click; facilities are drawn smaller.
    const ordered = state.control.slice().sort((a, b) => kindRank(a) - kindRank(b));
    for (const feature of ordered) {
      const p = feature.properties;
      const [lon, lat] = feature.geometry.coordinates;
      const place = Object.assign({}, p.place || {}, { lat: lat, lon: lon });
      const name = place.name || p.name || "place";
      const marker = L.circleMarker([lat, lon], {
        pane: "controlPane",
        radius: KIND_RADIUS[place.kind] || 6,
        color: "#ffffff",
        weight: 2,
        fillColor: controllerColour(p.controller),
        fillOpacity: p.stale ? 0.3 : 0.95, // a stale entry is faded: nobody has confirmed it lately
        dashArray: p.stale ? "3 3" : null,
      });
      // Tooltip content is an element, never a string: Leaflet would parse a string as HTML.
      const fresh = freshnessText(p);
      marker.bindTooltip(el("span", {}, name + " — " + ((p.controller && p.controller.name) || "unknown") +
        (fresh ? " · " + fresh : "")));
      if (place.kind === "city") {
        window.L.tooltip({ permanent: true, direction: "right", offset: [6, 0], className: "place-label", interactive: false })
          .setLatLng([lat, lon]).setContent(el("span", {}, name)).addTo(state.layers.control);
      }
      marker.on("click", () => selectPlace(place, p));
      marker.on("add", () => {
        const node = marker.getElement();
        if (node) {
          node.setAttribute("data-place", name);
          node.setAttribute("data-controller", (p.controller && p.controller.id) || "");
          node.classList.add("control-marker");
          if (p.stale) node.classList.add("stale");
        }
      });
      marker.addTo(state.layers.control);
    }
    const day = parseDay(currentDay()).getTime();
    // Events are rings around their place, newest innermost, so the place's own dot in the middle stays
    // clickable and several events at one place stay visible side by side.
    const byPlace = new Map();
    const newestFirst = state.events.slice().sort((a, b) =>
      String(b.date_latest || b.date || "").localeCompare(String(a.date_latest || a.date || "")));
    for (const event of newestFirst) {
      const place = event.place;
      if (!place || place.lat === null || place.lon === null) continue;
      const key = place.lat.toFixed(3) + "," + place.lon.toFixed(3);
      const ring = byPlace.get(key) || 0;
      byPlace.set(key, ring + 1);
      if (ring >= 5) continue; // beyond five rings the picture is noise; the Places tab lists them all
      const latest = event.date_latest || event.date || event.date_earliest;
      const ageDays = latest ? Math.max(0, (day - parseDay(latest).getTime()) / DAY_MS) : 7;
      // Recent events stand out; older ones fade but stay, so the path of the offensive remains visible.
      const opacity = Math.max(0.3, 1 - ageDays / 8);
      const disputed = event.status === "contested" || event.status === "denied";
      const marker = L.circleMarker([place.lat, place.lon], {
        pane: "eventsPane",
        radius: 12 + ring * 4,
        color: eventColour(event.type),
        weight: 3,
        dashArray: disputed ? "4 3" : null,
        fill: false,
        opacity: opacity,
      });
      marker.bindTooltip(el("span", {},
        typeName(event.type) + " — " + (place.name || "") + " (" + spanText(event) + ", " + event.status + ")"));
      marker.on("click", () => selectEvent(event));
      marker.on("add", () => {
        const node = marker.getElement();
        if (node) {
          node.setAttribute("data-event", event.id);
          node.setAttribute("data-event-type", event.type);
          node.classList.add("event-marker");
        }
      });
      marker.addTo(state.layers.events);
    }
    declutterLabels();
  }

  const ROAD_STYLE = {
    open: { color: "#5b7f95", weight: 2, dashArray: null },
    at_risk: { color: "#e08a00", weight: 4, dashArray: "6 5" },
    cut: { color: "#b0182b", weight: 5, dashArray: null },
  };

  function drawRoads() {
    // Road segments coloured by status on this day (GET /roads.geojson): open, at risk (dashed) or cut.
    const L = window.L;
    state.layers.roads.clearLayers();
    for (const f of state.roads) {
      const p = f.properties;
      const style = ROAD_STYLE[p.status] || ROAD_STYLE.open;
      const line = L.polyline(f.geometry.coordinates.map(([lon, lat]) => [lat, lon]), {
        pane: "roadsPane",
        color: style.color,
        weight: style.weight,
        dashArray: style.dashArray,
        opacity: 0.9,
        className: "road-seg road-" + p.status,
      });
      const why = p.reasons.length ? p.reasons[0].text : "no report against it";
      line.bindTooltip(el("span", {}, p.road.name + ", " + p.from.name + " – " + p.to.name + ": " +
        label(p.status) + " (" + why + ")"));
      line.addTo(state.layers.roads);
    }
  }

  function drawLegend() {
    // A <details> so it folds away; it starts folded on a phone, where it would cover most of the map.
    const legend = $("legend");
    let details = legend.querySelector("details");
    if (!details) {
      details = el("details", { open: window.innerWidth > 760 }, el("summary", {}, "Legend"));
      legend.appendChild(details);
    }
    const body = el("div", { class: "legend-body" });
    const seen = new Map();
    for (const f of state.control) {
      const c = f.properties.controller;
      if (c) seen.set(c.id || c.name, c);
    }
    if (seen.size) {
      body.appendChild(el("strong", {}, "Held by"));
      for (const c of seen.values()) {
        const swatch = el("span", { class: "swatch" });
        swatch.style.background = controllerColour(c);
        body.appendChild(el("div", { class: "legend-row" }, swatch, c.name || c.id));
      }
    }
    if (state.roads.length) {
      body.appendChild(el("strong", {}, "Roads"));
      for (const status of ["open", "at_risk", "cut"]) {
        const swatch = el("span", { class: "swatch line" });
        swatch.style.borderTop = ROAD_STYLE[status].weight + "px " + (ROAD_STYLE[status].dashArray ? "dashed " : "solid ") +
          ROAD_STYLE[status].color;
        body.appendChild(el("div", { class: "legend-row" }, swatch, label(status)));
      }
    }
    const types = new Set(state.events.map((e) => e.type));
    if (types.size) {
      body.appendChild(el("strong", {}, "Events (rings; dashed: contested)"));
      for (const t of types) {
        const swatch = el("span", { class: "swatch ring" });
        swatch.style.borderColor = eventColour(t);
        body.appendChild(el("div", { class: "legend-row" }, swatch, typeName(t)));
      }
    }
    const old = details.querySelector(".legend-body");
    if (old) details.replaceChild(body, old);
    else details.appendChild(body);
    legend.hidden = !(seen.size || types.size);
  }

  // --- refreshing the picture for the chosen day -----------------------------------------------------------

  function updateUrl() {
    const params = new URLSearchParams();
    params.set("at", currentDay());
    if (state.replay && state.knownAt) params.set("known_at", state.knownAt);
    if (state.selected && state.selected.kind === "place") params.set("place", state.selected.key);
    history.replaceState(null, "", "?" + params.toString());
    const sitrep = new URLSearchParams({ at: currentDay(), format: "html" });
    if (state.replay && state.knownAt) sitrep.set("known_at", state.knownAt);
    $("sitrep-link").setAttribute("href", "/sitrep?" + sitrep.toString());
  }

  // Tests and scripts wait for body[data-ready] and, after a change, for body[data-busy] to go away.
  function markBusy() { document.body.dataset.busy = "true"; }

  async function refresh() {
    const serial = ++state.requestSerial;
    markBusy();
    try {
      await loadPicture(serial);
    } finally {
      if (serial === state.requestSerial && !state.moveQueued) delete document.body.dataset.busy;
    }
  }

  async function loadPicture(serial) {
    const day = currentDay();
    $("day-label").textContent = prettyDay(day);
    $("places-day").textContent = "on " + prettyDay(day);
    updateUrl();
    const params = timeParams();
    const results = await Promise.allSettled([
      api("/control.geojson", params),
      api("/events", Object.assign({ limit: LIST_LIMIT }, params)),
      api("/advisories", Object.assign({ limit: 500 }, params)),
      api("/transport", Object.assign({ limit: 500 }, params)),
      api("/figures", Object.assign({ limit: 2000 }, timeParams({ at: state.days[state.days.length - 1] }))),
      api("/roads.geojson", params),
    ]);
    if (serial !== state.requestSerial) return; // a later move of the slider has already asked again
    const [control, events, advisories, transport, figures, roads] = results;
    state.roads = roads.status === "fulfilled" ? roads.value.features || [] : [];
    const problems = results.filter((r) => r.status === "rejected").map((r) => r.reason);
    state.control = control.status === "fulfilled" ? control.value.features || [] : [];
    state.events = events.status === "fulfilled" ? events.value : [];
    drawMap();
    drawLegend();
    renderPlaces();
    renderEvents();
    renderAdvisories(advisories.status === "fulfilled" ? advisories.value : null);
    renderTransport(transport.status === "fulfilled" ? transport.value : null);
    renderFigures(figures.status === "fulfilled" ? figures.value : null);
    if (problems.length) {
      const unavailable = problems.some((p) => p.code === "unavailable");
      setStatus(unavailable
        ? "The fused picture (events, control, advisories) is not available on this server yet; claims still are."
        : "Some data could not be loaded: " + problems[0].message, "warn");
    } else {
      setStatus(state.control.length + " places, " + state.events.length + " events up to " + prettyDay(day) +
        (state.replay && state.knownAt ? ", as known at " + state.knownAt.replace("T", " ") + " UTC" : ""));
    }
    if (!state.fitted && (state.control.length || state.events.length)) {
      fitToData();
      state.fitted = true;
    }
    if (state.selected) {
      if (state.selected.kind === "place") {
        const match = findControl(state.selected.key);
        await selectPlace(match ? placeOf(match) : state.selected.data, match ? match.properties : null, true);
      }
    }
  }

  function placeOf(feature) {
    const [lon, lat] = feature.geometry.coordinates;
    return Object.assign({}, feature.properties.place || {}, { lat: lat, lon: lon });
  }

  function placeKey(place) {
    if (!place) return "";
    return place.geonameid !== null && place.geonameid !== undefined ? String(place.geonameid) : place.name;
  }

  function findControl(key) {
    const wanted = String(key).toLowerCase();
    return state.control.find((f) => {
      const p = f.properties.place || {};
      return String(placeKey(p)).toLowerCase() === wanted || String(p.name || "").toLowerCase() === wanted;
    });
  }

  // --- lists beside the map ----------------------------------------------------------------------------------

  function renderPlaces() {
    const body = clear($("places").tBodies[0]);
    const rows = state.control.slice().sort((a, b) =>
      String((a.properties.place || {}).name).localeCompare(String((b.properties.place || {}).name)));
    for (const feature of rows) {
      const p = feature.properties;
      const place = placeOf(feature);
      const swatch = el("span", { class: "swatch" });
      swatch.style.background = controllerColour(p.controller);
      const button = el("button", { type: "button", class: "link", onclick: () => selectPlace(place, p) }, place.name || "?");
      body.appendChild(el("tr", { dataset: { place: place.name || "" } },
        el("td", {}, button),
        el("td", { class: "controller" }, swatch, (p.controller && p.controller.name) || "unknown"),
        el("td", {}, p.since ? prettyDay(p.since) : "before the period")));
    }
    if (!rows.length) body.appendChild(el("tr", {}, el("td", { colspan: 3, class: "muted" }, "No control data for this day.")));
  }

  function renderEvents() {
    const list = clear($("events"));
    const sorted = state.events.slice().sort((a, b) =>
      String(b.date_latest || b.date || "").localeCompare(String(a.date_latest || a.date || "")));
    for (const event of sorted.slice(0, 300)) {
      const swatch = el("span", { class: "swatch ring" });
      swatch.style.borderColor = eventColour(event.type);
      list.appendChild(el("li", {},
        el("button", { type: "button", class: "link", onclick: () => selectEvent(event) },
          swatch, typeName(event.type) + " — " + ((event.place && event.place.name) || "no place")),
        " ", el("span", { class: "muted" }, spanText(event)), " ", statusBadge(event.status)));
    }
    if (!sorted.length) list.appendChild(el("li", { class: "muted" }, "No events up to this day."));
  }

  function statusBadge(status) {
    return el("span", { class: "badge status-" + status }, label(status));
  }

  function renderAdvisories(items) {
    const list = clear($("advisories"));
    if (items === null) { list.appendChild(el("li", { class: "muted" }, "Not available.")); return; }
    const ordered = items.slice().sort((a, b) => (a.superseded_by ? 1 : 0) - (b.superseded_by ? 1 : 0) ||
      String(b.issued || "").localeCompare(String(a.issued || "")));
    for (const adv of ordered) {
      list.appendChild(el("li", { class: "card" + (adv.superseded_by ? " superseded" : "") },
        el("div", { class: "card-title" }, ((adv.issuer && adv.issuer.name) || "?") + " → " + ((adv.area && adv.area.name) || "?")),
        el("div", {}, (adv.levels || []).map((lvl) => el("span", { class: "badge advice-" + lvl }, label(lvl)))),
        el("div", { class: "muted" },
          (adv.audience ? "for " + adv.audience + " · " : "") + (adv.means ? "means: " + adv.means + " · " : "") +
          (adv.issued ? "issued " + prettyDay(adv.issued) : "issue date unknown") +
          (adv.superseded_by ? " · superseded" : "")),
        evidenceButton(adv.evidence, "Sources", ["travel_advisory"])));
    }
    if (!ordered.length) list.appendChild(el("li", { class: "muted" }, "No advisory in force on this day."));
  }

  function renderTransport(items) {
    const list = clear($("transport"));
    if (items === null) { list.appendChild(el("li", { class: "muted" }, "Not available.")); return; }
    for (const t of items) {
      list.appendChild(el("li", { class: "card" },
        el("div", { class: "card-title" }, (t.facility && t.facility.name) || "?", " ",
          el("span", { class: "badge facility-" + t.status }, label(t.status))),
        el("div", { class: "muted" }, (t.since ? "since " + prettyDay(t.since) : "") +
          (t.last_confirmed ? " · last confirmed " + String(t.last_confirmed).replace("T", " ").replace("Z", " UTC") : "")),
        evidenceButton(t.evidence, "Sources", ["transport_status"])));
    }
    if (!items.length) list.appendChild(el("li", { class: "muted" }, "No airport, crossing or road reported on."));
  }

  function renderFigures(items) {
    const list = clear($("figures"));
    const chart = clear($("figures-chart"));
    if (items === null) { list.appendChild(el("li", { class: "muted" }, "Not available.")); return; }
    const day = currentDay();
    const known = items.filter((f) => !f.as_of || f.as_of <= day);
    chart.appendChild(figureChart(known));
    for (const f of known.slice().sort((a, b) => String(b.as_of || "").localeCompare(String(a.as_of || "")))) {
      list.appendChild(el("li", { class: "card" + (f.projection ? " projection" : "") },
        el("div", { class: "card-title" }, Number(f.value).toLocaleString("en-GB") + " " + label(f.metric) +
          (f.projection ? " (projection)" : "")),
        el("div", { class: "muted" }, ((f.area && f.area.name) || "area unknown") +
          (f.as_of ? " · as of " + prettyDay(f.as_of) : "") +
          (f.source ? " · " + (typeof f.source === "string" ? f.source : f.source.name || "") : "")),
        evidenceButton(f.evidence, "Sources", ["displacement", "casualties", "evacuation"])));
    }
    if (!known.length) list.appendChild(el("li", { class: "muted" }, "No figures reported by this day."));
  }

  // A small chart of figures over the period, drawn with SVG elements (no library): one line per metric,
  // projections as hollow points so they are not read as counts.
  function figureChart(figures) {
    const NS = "http://www.w3.org/2000/svg";
    const W = 320, H = 150, PAD_L = 46, PAD_B = 22, PAD_T = 10, PAD_R = 10;
    const svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    svg.setAttribute("role", "img");
    svg.setAttribute("class", "figure-chart");
    const title = document.createElementNS(NS, "title");
    title.textContent = "Figures over time";
    svg.appendChild(title);
    const dated = figures.filter((f) => f.as_of && typeof f.value === "number");
    if (!dated.length) {
      const t = document.createElementNS(NS, "text");
      t.setAttribute("x", W / 2); t.setAttribute("y", H / 2); t.setAttribute("text-anchor", "middle");
      t.setAttribute("class", "chart-empty");
      t.textContent = "no dated figures yet";
      svg.appendChild(t);
      return svg;
    }
    const x0 = parseDay(state.days[0]).getTime(), x1 = parseDay(state.days[state.days.length - 1]).getTime();
    const maxV = Math.max(...dated.map((f) => f.value)) || 1;
    const sx = (d) => PAD_L + ((parseDay(d).getTime() - x0) / Math.max(DAY_MS, x1 - x0)) * (W - PAD_L - PAD_R);
    const sy = (v) => H - PAD_B - (v / maxV) * (H - PAD_B - PAD_T);
    const line = (x1_, y1_, x2_, y2_, cls) => {
      const l = document.createElementNS(NS, "line");
      l.setAttribute("x1", x1_); l.setAttribute("y1", y1_); l.setAttribute("x2", x2_); l.setAttribute("y2", y2_);
      l.setAttribute("class", cls);
      svg.appendChild(l);
    };
    const text = (x, y, s, anchor) => {
      const t = document.createElementNS(NS, "text");
      t.setAttribute("x", x); t.setAttribute("y", y); t.setAttribute("text-anchor", anchor || "start");
      t.setAttribute("class", "chart-label");
      t.textContent = s;
      svg.appendChild(t);
    };
    line(PAD_L, H - PAD_B, W - PAD_R, H - PAD_B, "axis");
    line(PAD_L, PAD_T, PAD_L, H - PAD_B, "axis");
    text(PAD_L - 4, PAD_T + 8, compact(maxV), "end");
    text(PAD_L - 4, H - PAD_B, "0", "end");
    text(PAD_L, H - 6, prettyDay(state.days[0]).replace(/ \d{4}$/, ""), "start");
    text(W - PAD_R, H - 6, prettyDay(state.days[state.days.length - 1]).replace(/ \d{4}$/, ""), "end");
    const byMetric = new Map();
    for (const f of dated) {
      if (!byMetric.has(f.metric)) byMetric.set(f.metric, []);
      byMetric.get(f.metric).push(f);
    }
    let legendY = PAD_T + 8;
    for (const [metric, series] of byMetric) {
      series.sort((a, b) => a.as_of.localeCompare(b.as_of));
      const colour = "hsl(" + hashHue(metric) + ", 60%, 40%)";
      const counts = series.filter((f) => !f.projection);
      if (counts.length > 1) {
        const path = document.createElementNS(NS, "polyline");
        path.setAttribute("points", counts.map((f) => sx(f.as_of) + "," + sy(f.value)).join(" "));
        path.setAttribute("fill", "none");
        path.setAttribute("stroke", colour);
        path.setAttribute("stroke-width", "2");
        svg.appendChild(path);
      }
      for (const f of series) {
        const c = document.createElementNS(NS, "circle");
        c.setAttribute("cx", sx(f.as_of)); c.setAttribute("cy", sy(f.value)); c.setAttribute("r", 3.5);
        c.setAttribute("stroke", colour);
        c.setAttribute("fill", f.projection ? "white" : colour);
        const tip = document.createElementNS(NS, "title");
        tip.textContent = label(metric) + ": " + Number(f.value).toLocaleString("en-GB") + " (" + prettyDay(f.as_of) + ")" +
          (f.projection ? ", projection" : "");
        c.appendChild(tip);
        svg.appendChild(c);
      }
      const key = document.createElementNS(NS, "text");
      key.setAttribute("x", W - PAD_R); key.setAttribute("y", legendY); key.setAttribute("text-anchor", "end");
      key.setAttribute("fill", colour);
      key.setAttribute("class", "chart-label");
      key.textContent = label(metric);
      svg.appendChild(key);
      legendY += 12;
    }
    return svg;
  }

  function compact(v) {
    if (v >= 1e6) return (v / 1e6).toFixed(1) + "M";
    if (v >= 1e3) return Math.round(v / 1e3) + "k";
    return String(v);
  }

  // `types` narrows the lookup to the claim types the item is made from, so finding a few ids does not scan
  // every claim in a big store.
  function evidenceButton(claimIds, text, types) {
    if (!claimIds || !claimIds.length) return null;
    return el("button", { type: "button", class: "link small", onclick: () => selectClaims(text, claimIds, types) },
      text + " (" + claimIds.length + ")");
  }

  // --- the side panel: claims and sources behind a selection ------------------------------------------------

  function showTab(name) {
    for (const button of document.querySelectorAll(".tabs [role=tab]")) {
      button.setAttribute("aria-selected", String(button.dataset.tab === name));
    }
    for (const panel of document.querySelectorAll(".tab")) panel.hidden = panel.id !== "tab-" + name;
  }

  async function selectPlace(place, control, quiet) {
    const key = placeKey(place);
    state.selected = { kind: "place", key: key, data: place };
    updateUrl();
    if (!quiet) showTab("selection");
    $("report").hidden = true;
    const box = clear($("selection"));
    box.appendChild(el("h2", { class: "selection-title" }, place.name || key));
    if (place.geonames_name) box.appendChild(el("p", { class: "muted" }, "GeoNames: " + place.geonames_name));
    if (control) {
      const swatch = el("span", { class: "swatch" });
      swatch.style.background = controllerColour(control.controller);
      box.appendChild(el("p", { class: "control-line" }, swatch,
        "Held by " + ((control.controller && control.controller.name) || "unknown") +
        (control.since ? " since " + prettyDay(control.since) : " since before the period") +
        (typeof control.confidence === "number" ? " · confidence " + control.confidence.toFixed(2) : "") +
        (control.last_confirmed ? " · last confirmed " + prettyDay(control.last_confirmed) : "")));
      const fresh = freshnessText(control);
      if (fresh) box.appendChild(el("p", { class: control.stale ? "warn stale-line" : "muted" }, fresh));
    }
    const holder = el("div", { class: "claims-holder" }, el("p", { class: "muted" }, "Loading claims…"));
    box.appendChild(holder);
    try {
      const claims = await api("/claims", timeParams({ place: key, limit: 500 }));
      await renderClaims(holder, claims, "No claim about this place up to this day.");
    } catch (err) {
      clear(holder).appendChild(el("p", { class: "warn" }, "Claims could not be loaded: " + err.message));
    }
  }

  async function selectEvent(event) {
    state.selected = { kind: "event", key: event.id, data: event };
    updateUrl();
    showTab("selection");
    $("report").hidden = true;
    const box = clear($("selection"));
    box.appendChild(el("h2", { class: "selection-title" },
      typeName(event.type) + " — " + ((event.place && event.place.name) || "no place")));
    box.appendChild(el("p", {}, statusBadge(event.status), " ", spanText(event),
      event.actor ? " · by " + event.actor.name : "", event.target ? " · against " + event.target.name : "",
      " · " + (event.sources || 0) + " independent source" + (event.sources === 1 ? "" : "s"),
      typeof event.confidence === "number" ? " · confidence " + event.confidence.toFixed(2) : ""));
    if (event.status === "contested" || event.status === "denied") {
      box.appendChild(el("p", { class: "flag" }, "Contradicted: some sources deny what others report."));
    }
    const holder = el("div", { class: "claims-holder" }, el("p", { class: "muted" }, "Loading claims…"));
    box.appendChild(holder);
    try {
      const params = { id: event.claims || [], limit: 500 };
      if (event.place) params.place = placeKey(event.place);
      const claims = (event.claims && event.claims.length) ? await api("/claims", params) : [];
      await renderClaims(holder, claims, "This event lists no claims.");
    } catch (err) {
      clear(holder).appendChild(el("p", { class: "warn" }, "Claims could not be loaded: " + err.message));
    }
  }

  async function selectClaims(title, ids, types) {
    state.selected = null;
    showTab("selection");
    $("report").hidden = true;
    const box = clear($("selection"));
    box.appendChild(el("h2", { class: "selection-title" }, title));
    const holder = el("div", { class: "claims-holder" });
    box.appendChild(holder);
    try {
      const found = await api("/claims", { id: ids, type: types || [], limit: 500 });
      // A figure may rest on a claim of another type than guessed: fall back to all types before giving up.
      const claims = found.length || !types ? found : await api("/claims", { id: ids, limit: 500 });
      await renderClaims(holder, claims, "No claims found.");
    } catch (err) {
      holder.appendChild(el("p", { class: "warn" }, "Claims could not be loaded: " + err.message));
    }
  }

  // Claims that say opposite things about the same kind of happening (one denies what another asserts or
  // announces) are flagged on both sides: disagreement is information and stays visible.
  function contradictions(claims) {
    const groups = new Map();
    for (const c of claims) {
      const key = c.type;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(c);
    }
    const flagged = new Map();
    for (const group of groups.values()) {
      const denials = group.filter((c) => c.stance === "denied");
      const support = group.filter((c) => SUPPORTING.has(c.stance));
      if (!denials.length || !support.length) continue;
      for (const c of denials) flagged.set(c.id, support);
      for (const c of support) flagged.set(c.id, denials);
    }
    return flagged;
  }

  async function renderClaims(holder, claims, emptyText) {
    clear(holder);
    if (!claims.length) {
      holder.appendChild(el("p", { class: "muted" }, emptyText));
      return;
    }
    const docIds = [...new Set(claims.map((c) => c.document_id))];
    let docs = new Map();
    try {
      const found = await api("/documents", { id: docIds, limit: LIST_LIMIT });
      docs = new Map(found.map((d) => [d.id, d]));
    } catch (_err) {
      docs = new Map();
    }
    const flagged = contradictions(claims);
    const outlets = new Set(claims.map((c) => (docs.get(c.document_id) || {}).outlet || c.document_id));
    holder.appendChild(el("p", { class: "muted" }, claims.length + " claim" + (claims.length === 1 ? "" : "s") +
      " from " + outlets.size + " source" + (outlets.size === 1 ? "" : "s") +
      (flagged.size ? " · " + flagged.size + " in contradiction" : "")));
    const list = el("ul", { class: "claims" });
    const ordered = claims.slice().sort((a, b) =>
      String((docs.get(a.document_id) || {}).date || "").localeCompare(String((docs.get(b.document_id) || {}).date || "")));
    for (const claim of ordered) list.appendChild(claimCard(claim, docs.get(claim.document_id), flagged.get(claim.id)));
    holder.appendChild(list);
  }

  function claimCard(claim, doc, opposed) {
    const speaker = claim.attributed_to
      ? el("span", { class: "speaker" }, "Said by " + claim.attributed_to.name)
      : el("span", { class: "speaker outlet-voice" }, "In the outlet's own voice");
    const who = [claim.actor ? "by " + claim.actor.name : null, claim.target ? "against " + claim.target.name : null]
      .filter(Boolean).join(" ");
    const detail = [
      claim.quantity !== null && claim.quantity !== undefined ? Number(claim.quantity).toLocaleString("en-GB") + " " + label(claim.metric || "") : null,
      claim.advice ? "advice: " + label(claim.advice) : null,
      claim.status ? "status: " + claim.status : null,
    ].filter(Boolean).join(" · ");
    const href = doc ? safeHref(doc.url) : null;
    const source = el("div", { class: "source" },
      el("span", { class: "outlet" }, (doc && doc.outlet) || "unknown outlet"),
      doc && doc.title ? el("span", { class: "doc-title" }, " — " + doc.title) : null,
      doc && doc.date ? el("span", { class: "muted" }, " (" + prettyDay(doc.date) + ")") : null,
      " ",
      el("button", { type: "button", class: "link small", onclick: () => showReport(claim) }, "Read the report"),
      href ? el("a", { class: "small", href: href, target: "_blank", rel: "noopener noreferrer nofollow" }, "original") : null);
    const card = el("li", { class: "claim" + (opposed ? " contradicted" : ""), dataset: { claimId: claim.id } },
      el("div", { class: "claim-head" },
        el("span", { class: "badge type" }, typeName(claim.type)),
        el("span", { class: "badge stance-" + claim.stance }, STANCE_LABELS[claim.stance] || claim.stance),
        el("span", { class: "muted" }, spanText(claim)),
        who ? el("span", { class: "muted" }, who) : null),
      el("blockquote", { class: "evidence" }, el("mark", {}, claim.evidence ? claim.evidence.text : "")),
      el("div", { class: "claim-meta" }, speaker, detail ? el("span", { class: "muted" }, " · " + detail) : null),
      source);
    if (opposed && opposed.length) {
      const names = [...new Set(opposed.map((c) => (c.attributed_to && c.attributed_to.name) || "an outlet"))];
      card.appendChild(el("div", { class: "flag" },
        "Contradiction: " + (claim.stance === "denied" ? "asserted by " : "denied by ") + names.join(", ")));
    }
    return card;
  }

  // The whole report with the evidence sentence marked: text nodes around one <mark>, nothing parsed as HTML.
  async function showReport(claim) {
    const box = $("report");
    box.hidden = false;
    clear(box).appendChild(el("p", { class: "muted" }, "Loading the report…"));
    let doc;
    try {
      doc = await api("/documents/" + claim.document_id.split("/").map(encodeURIComponent).join("/"));
    } catch (err) {
      clear(box).appendChild(el("p", { class: "warn" }, "The report could not be loaded: " + err.message));
      return;
    }
    clear(box);
    const close = el("button", { type: "button", class: "link small close", onclick: () => { box.hidden = true; } }, "Close");
    box.appendChild(el("div", { class: "report-head" },
      el("h3", { class: "report-title" }, doc.title || doc.id), close));
    const href = safeHref(doc.url);
    box.appendChild(el("p", { class: "muted" }, (doc.outlet || "unknown outlet") + (doc.date ? " · " + prettyDay(doc.date) : ""),
      href ? " · " : null, href ? el("a", { href: href, target: "_blank", rel: "noopener noreferrer nofollow" }, href) : null));
    const text = doc.text || "";
    const ev = claim.evidence || {};
    const body = el("div", { class: "report-text" });
    if (typeof ev.start === "number" && ev.end > ev.start && ev.end <= text.length) {
      const mark = el("mark", { class: "evidence-in-text" }, text.slice(ev.start, ev.end));
      body.append(text.slice(0, ev.start), mark, text.slice(ev.end));
      box.appendChild(body);
      mark.scrollIntoView({ block: "nearest" });
    } else {
      body.append(text);
      box.appendChild(body);
    }
  }

  // --- controls ----------------------------------------------------------------------------------------------

  function debounce(fn, ms) {
    let timer = null;
    return (...args) => {
      clearTimeout(timer);
      timer = setTimeout(() => fn(...args), ms);
    };
  }

  function setupControls(initialDay, initialKnownAt) {
    const slider = $("day");
    slider.max = String(state.days.length - 1);
    const index = state.days.indexOf(initialDay);
    state.dayIndex = index >= 0 ? index : state.days.length - 1;
    slider.value = String(state.dayIndex);
    $("day-range").textContent = prettyDay(state.days[0]) + " – " + prettyDay(state.days[state.days.length - 1]);
    const onMove = debounce(() => {
      state.moveQueued = false;
      refresh();
    }, 120);
    const readSlider = () => {
      state.moveQueued = true;
      markBusy();
      state.dayIndex = Number(slider.value);
      $("day-label").textContent = prettyDay(currentDay());
      onMove();
    };
    slider.addEventListener("input", readSlider);
    slider.addEventListener("change", readSlider);

    const replay = $("replay");
    const knownAt = $("known-at");
    if (initialKnownAt) {
      state.replay = true;
      state.knownAt = initialKnownAt.slice(0, 16);
      replay.checked = true;
      knownAt.disabled = false;
      knownAt.value = state.knownAt;
    }
    replay.addEventListener("change", () => {
      state.replay = replay.checked;
      knownAt.disabled = !replay.checked;
      if (replay.checked && !knownAt.value) knownAt.value = currentDay() + "T12:00";
      state.knownAt = knownAt.value;
      refresh();
    });
    knownAt.addEventListener("change", () => {
      state.knownAt = knownAt.value;
      if (state.replay) refresh();
    });
    for (const button of document.querySelectorAll(".tabs [role=tab]")) {
      button.addEventListener("click", () => showTab(button.dataset.tab));
    }
  }

  async function main() {
    const params = new URLSearchParams(location.search);
    let first = FALLBACK_RANGE[0], last = FALLBACK_RANGE[1];
    try {
      for (const kind of await api("/ontology")) EVENT_TYPES[kind.type] = kind;
      for (const actor of await api("/actors")) if (actor.colour) ACTOR_COLOURS[actor.id] = actor.colour;
      const meta = await api("/meta");
      if (meta.first_day && meta.last_day) { first = meta.first_day; last = meta.last_day; }
    } catch (err) {
      setStatus("The server did not answer: " + err.message, "warn");
    }
    state.days = dayRange(first, last);
    setupControls(params.get("at"), params.get("known_at"));
    await initMap();
    const wantedPlace = params.get("place");
    await refresh();
    if (wantedPlace) {
      let match = findControl(wantedPlace);
      if (!match) {
        // A name as reports write it ("Hama") may differ from the gazetteer's ("Ḩamāh"): ask the claims
        // which place that name resolved to, and find it by its GeoNames id.
        try {
          const found = await api("/claims", { place: wantedPlace, limit: 1 });
          const resolved = found.length && found[0].place;
          if (resolved && resolved.geonameid !== null) match = findControl(String(resolved.geonameid));
        } catch (_err) {
          match = null;
        }
      }
      await selectPlace(match ? placeOf(match) : { name: wantedPlace }, match ? match.properties : null);
    }
    document.body.dataset.ready = "true";
  }

  document.addEventListener("DOMContentLoaded", main);
})();
