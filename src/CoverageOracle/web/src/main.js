// The coverage map: H3 cells coloured by score, hotspots, and witness links, per epoch, over a base map of
// land and borders bundled from world-atlas (Natural Earth), so the page needs no tile server or network.
import maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import { feature, mesh } from 'topojson-client';
import countries from 'world-atlas/countries-50m.json';
import './style.css';

const SCORE_STOPS = [0, '#f7fbff', 0.25, '#9ecae1', 0.5, '#4292c6', 0.75, '#08519c', 1, '#08306b'];
const $ = (id) => document.getElementById(id);
const state = { epoch: null, hotspots: null };

function baseStyle() {
  return {
    version: 8,
    sources: {
      land: { type: 'geojson', data: feature(countries, countries.objects.land) },
      borders: { type: 'geojson', data: mesh(countries, countries.objects.countries, (a, b) => a !== b) },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#cfe3f2' } },
      { id: 'land', type: 'fill', source: 'land', paint: { 'fill-color': '#f2efe9' } },
      { id: 'borders', type: 'line', source: 'borders', paint: { 'line-color': '#9a8f80', 'line-width': 0.8 } },
    ],
  };
}

async function getJson(url) {
  const response = await fetch(url);
  if (!response.ok) {
    const body = await response.text();
    throw new Error(`${url}: ${response.status} ${body}`);
  }
  return response.json();
}

function setStatus(text) { $('status').textContent = text; }

function renderLegend() {
  const stops = SCORE_STOPS.filter((_, i) => i % 2 === 1);
  $('legend').innerHTML =
    '<strong>Coverage score</strong>' +
    `<div class="bar" style="background: linear-gradient(to right, ${stops.join(',')})"></div>` +
    '<div class="scale"><span>0</span><span>0.5</span><span>1</span></div>';
}

function showPanel(title, rows) {
  const body = $('panel-body');
  body.replaceChildren();
  const h = document.createElement('h2');
  h.textContent = title;
  const dl = document.createElement('dl');
  for (const [k, v] of rows) {
    const dt = document.createElement('dt'); dt.textContent = k;
    const dd = document.createElement('dd'); dd.textContent = v;
    dl.append(dt, dd);
  }
  body.append(h, dl);
  $('panel').hidden = false;
  $('panel').focus();
}

function closePanel() {
  $('panel').hidden = true;
  $('map').focus();
}

function boundsOf(collections) {
  const b = new maplibregl.LngLatBounds();
  let any = false;
  const visit = (c) => {
    if (typeof c[0] === 'number') { b.extend(c); any = true; } else { c.forEach(visit); }
  };
  for (const fc of collections) for (const f of fc.features) visit(f.geometry.coordinates);
  return any ? b : null;
}

async function loadEpoch(map, epoch) {
  setStatus(`Loading epoch ${epoch}…`);
  const q = `?epoch=${encodeURIComponent(epoch)}`;
  const [coverage, hotspots, links] = await Promise.all([
    getJson(`api/coverage${q}`), getJson(`api/hotspots${q}`), getJson(`api/witness-links${q}`),
  ]);
  state.hotspots = hotspots;
  map.getSource('coverage').setData(coverage);
  map.getSource('hotspots').setData(hotspots);
  map.getSource('links').setData(links);
  const bounds = boundsOf([coverage, hotspots]);
  if (bounds) map.fitBounds(bounds, { padding: 40, duration: 0, maxZoom: 13 });
  setStatus(`Epoch ${epoch}: ${coverage.features.length} cells, ${hotspots.features.length} hotspots, ${links.features.length} links`);
  document.body.dataset.loaded = String(epoch);
}

function addDataLayers(map) {
  const empty = { type: 'FeatureCollection', features: [] };
  map.addSource('coverage', { type: 'geojson', data: empty });
  map.addSource('hotspots', { type: 'geojson', data: empty });
  map.addSource('links', { type: 'geojson', data: empty });
  map.addLayer({ id: 'coverage-fill', type: 'fill', source: 'coverage',
    paint: { 'fill-color': ['interpolate', ['linear'], ['get', 'score'], ...SCORE_STOPS], 'fill-opacity': 0.7 } });
  map.addLayer({ id: 'coverage-line', type: 'line', source: 'coverage', paint: { 'line-color': '#08306b', 'line-width': 0.5 } });
  map.addLayer({ id: 'links', type: 'line', source: 'links', layout: { visibility: 'none' },
    paint: { 'line-color': '#d1242f', 'line-width': 1, 'line-opacity': 0.6 } });
  map.addLayer({ id: 'hotspots', type: 'circle', source: 'hotspots',
    paint: { 'circle-radius': 4, 'circle-stroke-width': 1, 'circle-stroke-color': '#fff',
      'circle-color': ['match', ['get', 'status'], 'valid', '#1a7f37', '#cf222e'] } });
}

function wireInteractions(map) {
  map.on('click', 'hotspots', (e) => {
    const p = e.features[0].properties;
    showHotspot(p);
  });
  map.on('click', 'coverage-fill', (e) => {
    if (map.queryRenderedFeatures(e.point, { layers: ['hotspots'] }).length) return;
    const p = e.features[0].properties;
    showPanel(`Cell ${p.h3}`, [['Score', Number(p.score).toFixed(3)], ['Hotspots', String(p.hotspots)]]);
  });
  for (const layer of ['hotspots', 'coverage-fill']) {
    map.on('mouseenter', layer, () => { map.getCanvas().style.cursor = 'pointer'; });
    map.on('mouseleave', layer, () => { map.getCanvas().style.cursor = ''; });
  }
  $('links').addEventListener('change', (e) => map.setLayoutProperty('links', 'visibility', e.target.checked ? 'visible' : 'none'));
  $('epoch').addEventListener('change', (e) => loadEpoch(map, e.target.value).catch((err) => setStatus(err.message)));
  $('panel-close').addEventListener('click', closePanel);
  // Escape closes the details wherever focus is, so keyboard users are never trapped in the panel.
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && !$('panel').hidden) closePanel(); });
  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = $('search').value.trim();
    const hit = state.hotspots?.features.find((f) => f.properties.address === text)
      ?? state.hotspots?.features.find((f) => text && f.properties.address.startsWith(text));
    if (!hit) { setStatus(`No hotspot ${text} in this epoch`); return; }
    map.flyTo({ center: hit.geometry.coordinates, zoom: 13, duration: 0 });
    showHotspot(hit.properties);
  });
}

function showHotspot(p) {
  const reasons = typeof p.reasons === 'string' ? JSON.parse(p.reasons) : (p.reasons ?? []);
  showPanel(`Hotspot ${p.address}`, [
    ['Status', p.status], ['Cell', p.cell], ['Reward', String(p.reward)],
    ['Reasons', reasons.length ? reasons.join(', ') : '—'],
  ]);
}

async function main() {
  renderLegend();
  const map = new maplibregl.Map({ container: 'map', style: baseStyle(), center: [0, 20], zoom: 1.5, attributionControl: false });
  map.addControl(new maplibregl.NavigationControl(), 'top-left');
  window.coverageMap = map;
  await new Promise((resolve) => map.on('load', resolve));
  addDataLayers(map);
  wireInteractions(map);
  const epochs = await getJson('api/epochs');
  const select = $('epoch');
  for (const e of epochs) {
    const option = document.createElement('option');
    option.value = String(e.epoch);
    option.textContent = `${e.epoch} (${e.start.slice(0, 10)})`;
    select.append(option);
  }
  if (epochs.length === 0) { setStatus('No epochs yet'); return; }
  select.value = String(epochs[epochs.length - 1].epoch);
  await loadEpoch(map, select.value);
}

main().catch((err) => { setStatus(err.message); console.error(err); });
